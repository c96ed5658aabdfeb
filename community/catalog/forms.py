from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from community.catalog import service
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
            Regexp(service.WEB_ADDRESS, message=_l("Give a full address, starting with https://.")),
            Length(max=300),
        ],
    )
    kind = SelectField(_l("Kind"), choices=options(KIND_LABELS.items()))
    description = TextAreaField(
        _l("What workers do there (optional)"), validators=[Optional(), Length(max=2000)]
    )


class TargetFields:
    """The platform and requester a contribution is about (mixed into a FlaskForm)."""

    platform_id = SelectField(
        _l("Platform"), coerce=int, validators=[DataRequired(_l("Choose the platform."))]
    )
    requester_external_id = StringField(
        _l("Requester ID on the platform (optional)"),
        validators=[Optional(), Length(max=64)],
        description=_l("For example an MTurk requester ID such as A1B2C3D4E5F6G7."),
    )
    requester_name = StringField(
        _l("Requester name (optional)"), validators=[Optional(), Length(max=200)]
    )

    def offer_platforms(self) -> None:
        platforms = ((p.id, p.name) for p in service.all_platforms())
        self.platform_id.choices = options([(0, _("Choose…")), *platforms])

    def prefill_target(self, args) -> None:
        """From `?requester=<id>` or `?platform=<slug>` (links on requester and platform pages)."""
        if args.get("requester", type=int):
            requester = service.get_requester_or_404(args.get("requester", type=int))
            self.platform_id.data = requester.platform_id
            self.requester_external_id.data = requester.external_id or ""
            self.requester_name.data = requester.display_name
        elif args.get("platform"):
            self.platform_id.data = service.get_platform_by_slug_or_404(args["platform"]).id
