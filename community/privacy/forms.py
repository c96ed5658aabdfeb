from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField
from wtforms.validators import DataRequired, InputRequired

from community.core.forms import options
from community.privacy.deletion import ContributionChoice


class ExportForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Type your password."))],
        description=_l("Asked again because the archive holds your private data."),
    )


class DeleteAccountForm(FlaskForm):
    choice = RadioField(
        _l("Your reviews, posts, proofs and warnings"),
        choices=options(
            [
                (
                    ContributionChoice.ANONYMISE,
                    _l("Keep them, shown as written by “a deleted member” (figures do not change)"),
                ),
                (ContributionChoice.DELETE, _l("Delete them too (figures and search are updated)")),
            ]
        ),
        validators=[InputRequired(_l("Choose what happens to your contributions."))],
    )
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Type your password."))]
    )
    understood = BooleanField(
        _l("I understand that this cannot be undone."),
        validators=[
            DataRequired(_l("Tick the box to confirm that you understand this cannot be undone."))
        ],
    )
