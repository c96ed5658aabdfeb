import uuid

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from community.catalog.forms import TargetFields
from community.catalog.models import PayoutMethod
from community.core.forms import DayField, options
from community.core.money import parse_amount, supported_currencies
from community.proofs.models import MarkVerdict, RemovalReason
from community.proofs.service import EARLIEST_RECEIVED_ON, ProofData, latest_allowed_day

PAYOUT_METHOD_LABELS = {
    PayoutMethod.PAYPAL: "PayPal",
    PayoutMethod.BANK_TRANSFER: _l("Bank transfer"),
    PayoutMethod.GIFT_CARD: _l("Gift card"),
    PayoutMethod.MOBILE_MONEY: _l("Mobile money"),
    PayoutMethod.CRYPTO: _l("Crypto"),
    PayoutMethod.OTHER: _l("Other"),
}

MARK_LABELS = {
    MarkVerdict.GENUINE: _l("Looks genuine"),
    MarkVerdict.EDITED: _l("Looks edited or fake"),
}

REMOVAL_LABELS = {
    RemovalReason.FAKE: _l("Fake or edited screenshot"),
    RemovalReason.PERSONAL_INFO: _l("Shows someone's personal information"),
    RemovalReason.NOT_A_PROOF: _l("Not a proof of payment"),
    RemovalReason.SPAM: _l("Spam or advertising"),
}


class ProofForm(TargetFields, FlaskForm):
    submission_key = HiddenField()
    screenshot = FileField(
        _l("Screenshot of the payment"),
        validators=[FileRequired(_l("Choose the screenshot of your payment."))],
    )
    redacted = BooleanField(
        _l(
            "I have covered names, email addresses, account and transaction numbers "
            "(mine and anyone else's)."
        ),
        validators=[
            InputRequired(_l("Please check the screenshot and cover any personal information."))
        ],
    )
    amount = StringField(
        _l("Amount received"),
        validators=[DataRequired(_l("Give the amount you received.")), Length(max=20)],
        description=_l("Example: 12.50"),
    )
    currency = SelectField(_l("Currency"), default="USD")
    received_on = DayField(
        _l("Date received"),
        validators=[DataRequired(_l("Give the date you received the payment."))],
    )
    payout_method = SelectField(
        _l("Paid by"),
        choices=options(PAYOUT_METHOD_LABELS.items()),
        validators=[DataRequired(_l("Choose how you were paid."))],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        validators=[Optional()],
        description=_l(
            "What the payment was for, how long it took to arrive. Markdown works. "
            "No personal information."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency.choices = options((code, code) for code in supported_currencies())
        if not self.submission_key.data:
            self.submission_key.data = uuid.uuid4().hex

    def validate_submission_key(self, field):
        if not field.data or len(field.data) > 64:
            field.data = uuid.uuid4().hex

    def validate_amount(self, field):
        try:
            amount = parse_amount(field.data, self.currency.data or "USD")
        except ValueError as error:
            raise ValidationError(_l("Give the amount as a number, for example 12.50.")) from error
        if amount <= 0:
            raise ValidationError(_l("Give the amount you received, greater than zero."))

    def validate_received_on(self, field):
        day = field.day()
        if day is None:
            raise ValidationError(_l("Give the date as year-month-day, for example 2026-03-31."))
        if day > latest_allowed_day():
            raise ValidationError(_l("The date you received the payment cannot be in the future."))
        if day < EARLIEST_RECEIVED_ON:
            raise ValidationError(
                _l("Give the date you received the payment, after the year 2000.")
            )

    def validate_note(self, field):
        maximum = current_app.config["PROOF_NOTE_MAX_CHARS"]
        if len((field.data or "").strip()) > maximum:
            raise ValidationError(_l("A note has at most %(count)d characters.", count=maximum))

    def to_data(self) -> ProofData:
        currency = self.currency.data or "USD"
        return ProofData(
            platform_id=self.platform_id.data,
            amount_minor=parse_amount(self.amount.data, currency),
            currency=currency,
            received_on=self.received_on.day(),
            payout_method=self.payout_method.data,
            note=(self.note.data or "").strip(),
            requester_external_id=(self.requester_external_id.data or "").strip() or None,
            requester_name=(self.requester_name.data or "").strip() or None,
        )
