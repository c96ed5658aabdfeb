import uuid

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, ValidationError

from community.catalog.forms import TargetFields
from community.core.forms import DayField, options
from community.flags.models import DecisionAction, FlagCategory, FlagStatus
from community.flags.service import (
    EARLIEST_SEEN_ON,
    TASK_TITLE_MAX_CHARS,
    FlagData,
    latest_allowed_day,
)

CATEGORY_LABELS = {
    FlagCategory.DISCRIMINATORY: _l("Discriminatory or hateful content"),
    FlagCategory.DISTURBING: _l("Psychologically harmful or disturbing content"),
    FlagCategory.SCAM: _l("Deception or scam"),
    FlagCategory.PERSONAL_DATA: _l("Harvesting personal data or identity documents"),
    FlagCategory.UNPAID_WORK: _l("Unpaid work"),
    FlagCategory.MISLEADING_ESTIMATE: _l("Misleading time estimate"),
    FlagCategory.ILLEGAL: _l("Illegal activity"),
    FlagCategory.OTHER: _l("Other"),
}

CATEGORY_EXPLANATIONS = {
    FlagCategory.DISCRIMINATORY: _l(
        "The task asks you to judge or sort people by origin, religion, gender or the like "
        "(for example by the origin of their names), or to produce hateful content."
    ),
    FlagCategory.DISTURBING: _l(
        "Violence, abuse or graphic imagery given without warning beforehand."
    ),
    FlagCategory.SCAM: _l(
        "Phishing, fake jobs, paying to get work, or a task that is not what it claims."
    ),
    FlagCategory.PERSONAL_DATA: _l(
        "The task collects your identity documents, passwords, bank details or other personal "
        "data it does not need."
    ),
    FlagCategory.UNPAID_WORK: _l(
        "Unpaid qualification tests or training that are really work, disguised as tasks."
    ),
    FlagCategory.MISLEADING_ESTIMATE: _l(
        "The announced time is far below the time the task really takes."
    ),
    FlagCategory.ILLEGAL: _l(
        "The task asks you to do something against the law (fake reviews, breaking into "
        "accounts, …)."
    ),
    FlagCategory.OTHER: _l("Another ethical problem: say what it is in the description."),
}

STATUS_LABELS = {
    FlagStatus.OPEN: _l("Open, waiting for a check"),
    FlagStatus.CONFIRMED: _l("Confirmed warning"),
    FlagStatus.DISMISSED: _l("Dismissed"),
}

DECISION_LABELS = {
    DecisionAction.CONFIRM: _l("Confirmed"),
    DecisionAction.DISMISS: _l("Dismissed"),
    DecisionAction.REOPEN: _l("Reopened"),
}


class FlagForm(TargetFields, FlaskForm):
    submission_key = HiddenField()
    task_title = StringField(
        _l("Task title or identifier"),
        validators=[
            DataRequired(_l("Give the title or identifier of the task.")),
            Length(
                max=TASK_TITLE_MAX_CHARS,
                message=_l(
                    "A task title has at most %(count)d characters.", count=TASK_TITLE_MAX_CHARS
                ),
            ),
        ],
        description=_l("Keep it neutral: what is disturbing belongs in the description."),
    )
    category = RadioField(
        _l("What is wrong with this task?"),
        choices=options(CATEGORY_LABELS.items()),
        validators=[InputRequired(_l("Choose the category of the problem."))],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[DataRequired(_l("Describe what is wrong with the task."))],
        description=_l(
            "What the task asked, what was wrong with it, what happened. Markdown works. "
            "No personal information, and no screener or qualification answers."
        ),
    )
    seen_on = DayField(
        _l("Date you saw the task"),
        validators=[DataRequired(_l("Give the date you saw the task."))],
    )
    disturbing = BooleanField(
        _l("My description or the task shows disturbing content"),
        description=_l(
            "Readers will see a content warning and open the description only if they choose "
            "to. Always on for the category “psychologically harmful or disturbing content”."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.submission_key.data:
            self.submission_key.data = uuid.uuid4().hex

    def validate_submission_key(self, field):
        if not field.data or len(field.data) > 64:
            field.data = uuid.uuid4().hex

    def validate_description(self, field):
        text = (field.data or "").strip()
        minimum = current_app.config["FLAG_DESCRIPTION_MIN_CHARS"]
        maximum = current_app.config["FLAG_DESCRIPTION_MAX_CHARS"]
        if len(text) < minimum:
            raise ValidationError(
                _l(
                    "Please describe what is wrong with the task in at least %(count)d characters.",
                    count=minimum,
                )
            )
        if len(text) > maximum:
            raise ValidationError(
                _l("A description has at most %(count)d characters.", count=maximum)
            )

    def validate_seen_on(self, field):
        day = field.day()
        if day is None:
            raise ValidationError(_l("Give the date as year-month-day, for example 2026-03-31."))
        if day > latest_allowed_day():
            raise ValidationError(_l("The date you saw the task cannot be in the future."))
        if day < EARLIEST_SEEN_ON:
            raise ValidationError(_l("Give the date you saw the task, after the year 2000."))

    def to_data(self) -> FlagData:
        return FlagData(
            platform_id=self.platform_id.data,
            task_title=(self.task_title.data or "").strip(),
            category=self.category.data,
            description=(self.description.data or "").strip(),
            seen_on=self.seen_on.day(),
            disturbing=bool(self.disturbing.data),
            requester_external_id=(self.requester_external_id.data or "").strip() or None,
            requester_name=(self.requester_name.data or "").strip() or None,
        )


class ReasonForm(FlaskForm):
    """The written reason every decision on a flag needs (reopening uses it alone)."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Write the reason for your decision."))],
        description=_l("Shown publicly with the decision. Cite the facts, not the person."),
    )

    def validate_reason(self, field):
        text = (field.data or "").strip()
        minimum = current_app.config["FLAG_REASON_MIN_CHARS"]
        maximum = current_app.config["FLAG_REASON_MAX_CHARS"]
        if len(text) < minimum:
            raise ValidationError(
                _l(
                    "Write the reason for your decision, in at least %(count)d characters.",
                    count=minimum,
                )
            )
        if len(text) > maximum:
            raise ValidationError(_l("A reason has at most %(count)d characters.", count=maximum))


class DecisionForm(ReasonForm):
    """Confirm or dismiss: one reason, two buttons."""

    decision = StringField(
        validators=[
            AnyOf(
                [DecisionAction.CONFIRM, DecisionAction.DISMISS],
                message=_l("Choose whether you confirm or dismiss the flag."),
            )
        ]
    )
