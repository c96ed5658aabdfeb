from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

POST_MAX_CHARS = 20_000


class PostForm(FlaskForm):
    body = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(_l("Write your message.")),
            Length(
                2, POST_MAX_CHARS, _l("A message has 2 to %(max)d characters.", max=POST_MAX_CHARS)
            ),
        ],
        description=_l(
            "Markdown works. Mention a member with @pseudonym; quote with > at the start of a line."
        ),
    )


class ThreadForm(PostForm):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Give your thread a title.")),
            Length(4, 160, _l("A title has 4 to 160 characters.")),
        ],
    )
    link_platform = SelectField(
        _l("About a platform (optional)"), coerce=int, validators=[Optional()]
    )
    link_requester = StringField(
        _l("About a requester: its ID on that platform (optional)"),
        validators=[Optional(), Length(max=64)],
    )
