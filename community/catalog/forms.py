from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional

from community.catalog.models import PlatformKind
from community.core.forms import options

KIND_LABELS = {
    PlatformKind.MICROTASK: _l("Microtask marketplace"),
    PlatformKind.SURVEY: _l("Survey site"),
    PlatformKind.ANNOTATION: _l("Data-annotation vendor"),
    PlatformKind.MOBILE_APP: _l("Mobile “get paid” app"),
    PlatformKind.FREELANCE: _l("Freelance marketplace"),
}


class PlatformForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Give the platform's name.")), Length(2, 120)]
    )
    website = URLField(
        _l("Website"),
        validators=[
            Optional(),
            URL(message=_l("Give a full address, starting with https://.")),
            Length(max=300),
        ],
    )
    kind = SelectField(_l("Kind"), choices=options(KIND_LABELS.items()))
    description = TextAreaField(
        _l("What workers do there (optional)"), validators=[Optional(), Length(max=2000)]
    )
