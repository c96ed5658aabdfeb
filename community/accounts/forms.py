from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from community.core.forms import options

USERNAME_PATTERN = r"^[A-Za-z0-9À-ÿ_.-]+$"


class MinPasswordLength:
    def __call__(self, form, field):
        minimum = current_app.config["PASSWORD_MIN_CHARS"]
        if len(field.data or "") < minimum:
            raise ValidationError(_l("Use at least %(count)d characters.", count=minimum))
        if len(field.data) > 512:
            raise ValidationError(_l("This password is too long."))


class RegisterForm(FlaskForm):
    username = StringField(
        _l("Pseudonym"),
        validators=[
            DataRequired(_l("Choose a pseudonym.")),
            Length(3, 32, _l("A pseudonym has 3 to 32 characters.")),
            Regexp(
                USERNAME_PATTERN,
                message=_l("Use letters, digits, dots, dashes and underscores only."),
            ),
        ],
        description=_l("Public. Do not use your real name or your worker ID."),
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Choose a password.")), MinPasswordLength()]
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords differ.")),
        ],
    )
    email = EmailField(
        _l("Email (optional)"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("This is not an email address.")),
        ],
        description=_l("Only for password reset and notifications. Never shown."),
    )


class LoginForm(FlaskForm):
    username = StringField(
        _l("Pseudonym"), validators=[DataRequired(_l("Type your pseudonym.")), Length(max=64)]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Type your password.")), Length(max=512)]
    )
    remember = BooleanField(_l("Remember me on this device"))


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Type your current password."))]
    )
    password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Choose a password.")), MinPasswordLength()]
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords differ.")),
        ],
    )


def country_choices() -> list[tuple[str, str]]:
    territories = get_locale().territories
    countries = sorted(
        ((code, name) for code, name in territories.items() if len(code) == 2 and code.isalpha()),
        key=lambda item: item[1],
    )
    return options([("", _l("Not set")), *countries])


class SettingsForm(FlaskForm):
    email = RegisterForm.email
    country = SelectField(
        _l("Country"),
        validators=[Optional()],
        description=_l("Used only to compare pay with your country's minimum wage. Never shown."),
    )
    locale = SelectField(
        _l("Language"),
        choices=options([("", _l("Browser's choice")), ("en", "English"), ("fr", "Français")]),
        validators=[Optional()],
    )
    anonymous_by_default = BooleanField(_l("Publish my reviews anonymously by default"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()
