import uuid

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from community.catalog.forms import TargetFields
from community.core.forms import options
from community.core.money import parse_amount, supported_currencies, to_decimal
from community.reviews.models import Outcome
from community.reviews.service import ReviewData

STARS = options((str(n), str(n)) for n in range(1, 6))

RUBRICS = {
    "score_pay": _l(
        "1: far below a fair wage for the time it took · 3: acceptable · 5: generous for the time"
    ),
    "score_fairness": _l(
        "1: unfair rejections, changing rules, blocks · 3: mostly fair · "
        "5: clear rules, fair approvals"
    ),
    "score_communication": _l(
        "1: unclear instructions, no answers · 3: answers eventually · 5: clear and responsive"
    ),
}

OUTCOME_CHOICES = [
    ("", _l("Not said")),
    (Outcome.APPROVED, _l("Approved and paid")),
    (Outcome.PENDING, _l("Pending")),
    (Outcome.REJECTED, _l("Rejected")),
    (Outcome.NEVER_PAID, _l("Approved but never paid")),
    (Outcome.RETURNED, _l("Returned unfinished")),
]

YES_NO = [("", _l("Not said")), ("yes", _l("Yes")), ("no", _l("No"))]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _yes_no_choice(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


class AmountField(StringField):
    """Money typed as '0.50' or '0,50', kept as typed so a refused form shows it again."""

    def minor_units(self, currency: str) -> int | None:
        if not (self.data or "").strip():
            return None
        return parse_amount(self.data, currency)


class ReviewForm(FlaskForm):
    submission_key = HiddenField()
    score_pay = RadioField(
        _l("Pay"),
        choices=STARS,
        validators=[InputRequired(_l("Give a pay score from 1 to 5."))],
        description=RUBRICS["score_pay"],
    )
    score_fairness = RadioField(
        _l("Fairness"),
        choices=STARS,
        validators=[InputRequired(_l("Give a fairness score from 1 to 5."))],
        description=RUBRICS["score_fairness"],
    )
    score_communication = RadioField(
        _l("Communication"),
        choices=STARS,
        validators=[InputRequired(_l("Give a communication score from 1 to 5."))],
        description=RUBRICS["score_communication"],
    )
    task_title = StringField(
        _l("Task title or identifier"), validators=[Optional(), Length(max=200)]
    )
    reward = AmountField(
        _l("Reward"),
        validators=[Optional(), Length(max=20)],
        description=_l("What the task promised, without the bonus. Example: 0.80"),
    )
    bonus = AmountField(_l("Bonus"), validators=[Optional(), Length(max=20)])
    currency = SelectField(_l("Currency"), default="USD")
    minutes = IntegerField(
        _l("Minutes actually spent"),
        validators=[
            Optional(),
            NumberRange(1, 10_080, _l("Give the minutes as a number from 1 to 10080.")),
        ],
        description=_l(
            "All of it, unpaid time included: screeners, waiting, a task you could not finish."
        ),
    )
    outcome = SelectField(_l("Outcome"), choices=options(OUTCOME_CHOICES), validators=[Optional()])
    days_to_paid = IntegerField(
        _l("Days until paid"),
        validators=[
            Optional(),
            NumberRange(0, 365, _l("Give the days as a number from 0 to 365.")),
        ],
    )
    estimate_honest = SelectField(
        _l("Was the time estimate honest?"), choices=options(YES_NO), validators=[Optional()]
    )
    would_work_again = SelectField(
        _l("Would you work for them again?"), choices=options(YES_NO), validators=[Optional()]
    )
    body = TextAreaField(
        _l("Your review"),
        validators=[DataRequired(_l("Write your review."))],
        description=_l("Facts over insults. Markdown works: **bold**, lists, links."),
    )
    anonymous = BooleanField(
        _l("Publish anonymously (readers see “a member” and your trust level)")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency.choices = options((code, code) for code in supported_currencies())
        if not self.submission_key.data:
            self.submission_key.data = uuid.uuid4().hex

    def validate_body(self, field):
        text = (field.data or "").strip()
        minimum = current_app.config["REVIEW_BODY_MIN_CHARS"]
        maximum = current_app.config["REVIEW_BODY_MAX_CHARS"]
        if len(text) < minimum:
            raise ValidationError(
                _l("Please give your reasons in at least %(count)d characters.", count=minimum)
            )
        if len(text) > maximum:
            raise ValidationError(_l("A review has at most %(count)d characters.", count=maximum))

    def _validate_amount(self, field):
        try:
            field.minor_units(self.currency.data or "USD")
        except ValueError as error:
            raise ValidationError(_l("Give the amount as a number, for example 0.80.")) from error

    validate_reward = _validate_amount
    validate_bonus = _validate_amount

    def validate_submission_key(self, field):
        if not field.data or len(field.data) > 64:
            field.data = uuid.uuid4().hex

    def to_data(self) -> ReviewData:
        currency = self.currency.data or "USD"
        reward = self.reward.minor_units(currency)
        bonus = self.bonus.minor_units(currency)
        return ReviewData(
            score_pay=int(self.score_pay.data),
            score_fairness=int(self.score_fairness.data),
            score_communication=int(self.score_communication.data),
            body=self.body.data.strip(),
            anonymous=bool(self.anonymous.data),
            task_title=self.task_title.data,
            reward_minor=reward,
            bonus_minor=bonus,
            currency=currency if reward is not None or bonus is not None else None,
            minutes=self.minutes.data,
            outcome=self.outcome.data or None,
            days_to_paid=self.days_to_paid.data,
            estimate_honest=_yes_no(self.estimate_honest.data),
            would_work_again=_yes_no(self.would_work_again.data),
        )

    def fill_from(self, review) -> None:
        for name in ("score_pay", "score_fairness", "score_communication"):
            getattr(self, name).data = str(getattr(review, name))
        self.task_title.data = review.task_title
        currency = review.currency or "USD"
        self.currency.data = currency
        self.reward.data = (
            str(to_decimal(review.reward_minor, currency))
            if review.reward_minor is not None
            else ""
        )
        self.bonus.data = (
            str(to_decimal(review.bonus_minor, currency)) if review.bonus_minor is not None else ""
        )
        self.minutes.data = review.minutes
        self.outcome.data = review.outcome or ""
        self.days_to_paid.data = review.days_to_paid
        self.estimate_honest.data = _yes_no_choice(review.estimate_honest)
        self.would_work_again.data = _yes_no_choice(review.would_work_again)
        self.body.data = review.body
        self.anonymous.data = review.anonymous


class TargetForm(TargetFields, ReviewForm):
    """Review a requester named by typing its platform and identifier (or name): one of the two
    is needed here, so the requester fields drop the "(optional)" of the shared ones."""

    requester_external_id = StringField(
        _l("Requester ID on the platform"),
        validators=[Optional(), Length(max=64)],
        description=_l("For example an MTurk requester ID such as A1B2C3D4E5F6G7."),
    )
    requester_name = StringField(_l("Requester name"), validators=[Optional(), Length(max=200)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (
            not (self.requester_name.data or "").strip()
            and not (self.requester_external_id.data or "").strip()
        ):
            self.requester_name.errors = [
                *self.requester_name.errors,
                _l("Give the requester's ID or name, or review the platform itself from its page."),
            ]
            return False
        return valid
