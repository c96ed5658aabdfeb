"""Moderation forms and the words for every state. Rules (minimum lengths, who may act) are
checked by the services; forms only parse and keep what the member typed."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from community.core.forms import options
from community.moderation.models import (
    ActionKind,
    AppealStatus,
    ClaimStatus,
    DisputeKind,
    DisputeStatus,
    ElectionPhase,
    PartySide,
    ReportReason,
)

TEXT_MAX = 10_000

REPORT_REASON_LABELS = {
    ReportReason.SPAM: _l("Spam or advertising"),
    ReportReason.HARASSMENT: _l("Harassment or insults"),
    ReportReason.PERSONAL_INFO: _l("Personal information about someone (doxxing)"),
    ReportReason.MISLEADING: _l("Fake or misleading"),
    ReportReason.OFF_TOPIC: _l("Off-topic"),
    ReportReason.ILLEGAL: _l("Illegal content"),
    ReportReason.SELF_REVIEW: _l("The requester reviewing itself"),
    ReportReason.FALSIFIED: _l("Falsified review"),
    ReportReason.OTHER: _l("Something else (say what)"),
}

# Why an item is hidden, as its fold says it (reasons of reports, of moderators, of proofs).
HIDDEN_REASON_LABELS = {
    **REPORT_REASON_LABELS,
    ReportReason.OTHER: _l("another reason, given in the moderation log"),
    "pending_review": _l("reported by members, waiting for a moderator"),
    "pending_sensitive": _l("reported for personal information, waiting for a moderator"),
    "removed": _l("removed by the moderators"),
    "withdrawn": _l("withdrawn by its author"),
    "fake": _l("Fake or edited screenshot"),
    "not_a_proof": _l("Not a proof of payment"),
}

KIND_LABELS = {
    "review": _l("review"),
    "post": _l("forum post"),
    "thread": _l("forum thread"),
    "proof": _l("proof of payment"),
    "flag": _l("task flag"),
    "reply": _l("requester's reply"),
    "member": _l("member"),
    "platform": _l("platform"),
    "requester": _l("requester"),
    "dispute": _l("dispute"),
    "election": _l("election"),
}

ACTION_LABELS = {
    ActionKind.AUTO_HIDE: _l("hidden automatically after reports"),
    ActionKind.DISMISS: _l("reports dismissed"),
    ActionKind.HIDE: _l("hidden"),
    ActionKind.RESTORE: _l("restored"),
    ActionKind.DELETE: _l("deleted"),
    ActionKind.REQUEST_EDIT: _l("edit requested"),
    ActionKind.LOCK: _l("locked"),
    ActionKind.UNLOCK: _l("unlocked"),
    ActionKind.PIN: _l("pinned"),
    ActionKind.UNPIN: _l("unpinned"),
    ActionKind.MOVE: _l("moved"),
    ActionKind.MERGE: _l("duplicate merged in"),
    ActionKind.WARN: _l("warning"),
    ActionKind.SUSPEND: _l("suspension"),
    ActionKind.BAN: _l("ban"),
    ActionKind.LIFT: _l("suspension or ban lifted"),
    ActionKind.APPEAL_UPHELD: _l("appeal rejected: decision upheld"),
    ActionKind.APPEAL_OVERTURNED: _l("appeal accepted: decision overturned"),
    ActionKind.VERIFY_CLAIM: _l("representative verified"),
    ActionKind.REJECT_CLAIM: _l("representative claim rejected"),
    ActionKind.TAKE_DISPUTE: _l("dispute taken into mediation"),
    ActionKind.RESOLVE_DISPUTE: _l("dispute resolved"),
    ActionKind.DISMISS_DISPUTE: _l("dispute dismissed"),
    ActionKind.APPOINT: _l("moderator appointed"),
    ActionKind.REMOVE_MODERATOR: _l("moderator removed"),
    ActionKind.TERM_ENDED: _l("moderator's term ended"),
    ActionKind.OPEN_ELECTION: _l("election opened"),
    ActionKind.START_VOTING: _l("voting opened"),
    ActionKind.CLOSE_ELECTION: _l("election closed, results published"),
}

APPEAL_STATUS_LABELS = {
    AppealStatus.OPEN: _l("waiting for a moderator"),
    AppealStatus.UPHELD: _l("rejected: the decision stands"),
    AppealStatus.OVERTURNED: _l("accepted: the decision was overturned"),
}

CLAIM_STATUS_LABELS = {
    ClaimStatus.PENDING: _l("waiting for a moderator"),
    ClaimStatus.VERIFIED: _l("verified"),
    ClaimStatus.REJECTED: _l("rejected"),
}

DISPUTE_KIND_LABELS = {
    DisputeKind.REVIEW: _l("A requester contests a review"),
    DisputeKind.UNFAIR_REJECTION: _l("Unfair rejection"),
    DisputeKind.NON_PAYMENT: _l("Non-payment"),
}

DISPUTE_STATUS_LABELS = {
    DisputeStatus.OPEN: _l("open, waiting for a mediator"),
    DisputeStatus.IN_MEDIATION: _l("in mediation"),
    DisputeStatus.RESOLVED: _l("resolved"),
    DisputeStatus.DISMISSED: _l("dismissed"),
}

SIDE_LABELS = {
    "review": {
        PartySide.OPENER: _l("the requester's representative"),
        PartySide.RESPONDENT: _l("the author of the review"),
        PartySide.MEDIATOR: _l("the mediator"),
    },
    "worker": {
        PartySide.OPENER: _l("the worker"),
        PartySide.RESPONDENT: _l("the requester's representative"),
        PartySide.MEDIATOR: _l("the mediator"),
    },
}

PHASE_LABELS = {
    ElectionPhase.NOMINATIONS: _l("nominations open"),
    ElectionPhase.VOTING: _l("voting open"),
    ElectionPhase.CLOSED: _l("closed, results published"),
}

REASON_FIELD_HELP = _l(
    "Published in the public moderation log with your pseudonym. Never name the reporters."
)


def _reason_field(label=None):
    return TextAreaField(
        label or _l("Reason"),
        validators=[Optional(), Length(max=TEXT_MAX)],
        description=REASON_FIELD_HELP,
    )


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong?"), validators=[InputRequired(_l("Choose a reason."))], choices=[]
    )
    details = TextAreaField(
        _l("Details (required for “something else”)"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Only the moderators read your report. It is never shown publicly."),
    )


class ActionForm(FlaskForm):
    """Every act on an item: the written reason, the rule it cites, and what the act needs."""

    reason = _reason_field()
    rule = SelectField(_l("Rule cited (optional)"), coerce=int, validators=[Optional()])
    code = SelectField(_l("Why is it hidden or deleted?"), validators=[Optional()])
    category_id = SelectField(_l("Move to the category"), coerce=int, validators=[Optional()])
    days = IntegerField(
        _l("Suspend for (days)"), validators=[Optional(), NumberRange(1, 3650)], default=7
    )


class AppealForm(FlaskForm):
    statement = TextAreaField(
        _l("Why should the decision change?"),
        validators=[DataRequired(_l("Write your statement.")), Length(max=TEXT_MAX)],
        description=_l("A different moderator reads it and decides. Be factual."),
    )


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        validators=[InputRequired(_l("Choose a decision."))],
        choices=[],
    )
    reason = _reason_field()


class ClaimForm(FlaskForm):
    evidence = TextAreaField(
        _l("Your evidence"),
        validators=[DataRequired(_l("Give your evidence.")), Length(max=TEXT_MAX)],
        description=_l(
            "Something a moderator can check: the email domain you write from, a page of the "
            "requester's site that names this account, a message sent through the platform. "
            "Only the moderators read it."
        ),
    )


class ReplyForm(FlaskForm):
    body = TextAreaField(
        _l("The requester's reply"),
        validators=[DataRequired(_l("Write your reply.")), Length(max=TEXT_MAX)],
        description=_l("Public, under the review, marked as the requester's. Markdown works."),
    )


class StatementForm(FlaskForm):
    body = TextAreaField(
        _l("Statement"),
        validators=[DataRequired(_l("Write your statement.")), Length(max=TEXT_MAX)],
        description=_l("Read by the parties and the moderators only. Markdown works."),
    )
    evidence = TextAreaField(
        _l("Evidence (optional)"),
        validators=[Optional(), Length(max=TEXT_MAX)],
        description=_l("Dates, task identifiers, messages. Never someone's personal information."),
    )


class DisputeForm(StatementForm):
    title = StringField(
        _l("Title of the case"),
        validators=[DataRequired(_l("Give the case a title.")), Length(max=160)],
    )
    kind = SelectField(
        _l("What is it about?"),
        validate_choice=False,  # a representative's case about a review has no kind to choose
        choices=options(
            [
                (DisputeKind.UNFAIR_REJECTION, DISPUTE_KIND_LABELS[DisputeKind.UNFAIR_REJECTION]),
                (DisputeKind.NON_PAYMENT, DISPUTE_KIND_LABELS[DisputeKind.NON_PAYMENT]),
            ]
        ),
    )


class ElectionForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give the election a title.")), Length(max=160)]
    )
    seats = IntegerField(
        _l("Seats to fill"), validators=[InputRequired(), NumberRange(1, 100)], default=2
    )
    reason = _reason_field()


class NominationForm(FlaskForm):
    statement = TextAreaField(
        _l("Why you?"),
        validators=[DataRequired(_l("Write a few words for the voters.")), Length(max=TEXT_MAX)],
    )


class MergeForm(FlaskForm):
    what = RadioField(
        _l("Merge"),
        choices=options([("platform", _l("platforms")), ("requester", _l("requesters"))]),
        default="requester",
    )
    loser = StringField(
        _l("The duplicate, which disappears"),
        validators=[DataRequired(_l("Say which one is the duplicate.")), Length(max=80)],
        description=_l(
            "A platform by the end of its address (its slug), a requester by its number."
        ),
    )
    survivor = StringField(
        _l("The one to keep, which receives everything"),
        validators=[DataRequired(_l("Say which one to keep.")), Length(max=80)],
    )
    reason = _reason_field()
