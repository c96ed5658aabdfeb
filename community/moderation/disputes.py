"""Disputes, like an ombuds office: a verified representative contests a review, or a worker
asks for mediation with a requester (unfair rejection, non-payment). Parties add statements and
evidence; a moderator who is not a party takes the case as mediator and closes it with a public
outcome. open -> in_mediation -> resolved | dismissed, nothing else.

Statements are named by side ("the worker", "the requester's representative", "the mediator"),
never by pseudonym: the author of an anonymous review stays anonymous to the requester."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from community.catalog.models import Requester
from community.core.content import Visibility
from community.core.database import lock_row, utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.limits import check_daily_quota, check_not_suspended
from community.core.markup import render_markdown
from community.core.pagination import Page, paginate
from community.core.views import path_for
from community.extensions import db
from community.moderation import permissions, service
from community.moderation.models import (
    ActionKind,
    ClaimStatus,
    Dispute,
    DisputeKind,
    DisputeStatement,
    DisputeStatus,
    PartySide,
    RepresentativeClaim,
)
from community.moderation.replies import checked_text
from community.notifications import service as notifications
from community.notifications.models import NotificationKind
from community.reviews.models import Review

TRANSITIONS = {
    DisputeStatus.OPEN: frozenset({DisputeStatus.IN_MEDIATION}),
    DisputeStatus.IN_MEDIATION: frozenset({DisputeStatus.RESOLVED, DisputeStatus.DISMISSED}),
    DisputeStatus.RESOLVED: frozenset(),
    DisputeStatus.DISMISSED: frozenset(),
}
WORKER_KINDS = (DisputeKind.UNFAIR_REJECTION, DisputeKind.NON_PAYMENT)
TITLE_MAX_CHARS = 160


@dataclass(frozen=True)
class StatementData:
    body: str
    evidence: str = ""


def get_dispute_or_404(dispute_id: int) -> Dispute:
    dispute = db.session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFound(_("This dispute does not exist."))
    return dispute


def list_disputes(status: str | None, page: int, per_page: int) -> Page[Dispute]:
    query = select(Dispute)
    if status:
        query = query.where(Dispute.status == status)
    query = query.order_by(Dispute.created_at.desc(), Dispute.id.desc())
    return paginate(db.session, query, page, per_page)


def waiting_for_mediation(page: int, per_page: int) -> Page[Dispute]:
    """Moderators' list: open cases first (oldest first), then those in mediation."""
    query = (
        select(Dispute)
        .where(Dispute.status == DisputeStatus.OPEN)
        .order_by(Dispute.created_at.asc(), Dispute.id.asc())
    )
    return paginate(db.session, query, page, per_page)


def in_mediation_by(moderator) -> list[Dispute]:
    return list(
        db.session.scalars(
            select(Dispute)
            .where(
                Dispute.mediator_id == moderator.id,
                Dispute.status == DisputeStatus.IN_MEDIATION,
            )
            .order_by(Dispute.created_at.asc())
            .limit(100)
        )
    )


def statements_of(dispute: Dispute) -> list[DisputeStatement]:
    return list(
        db.session.scalars(
            select(DisputeStatement)
            .where(DisputeStatement.dispute_id == dispute.id)
            .order_by(DisputeStatement.created_at, DisputeStatement.id)
        )
    )


def _disputes_today(user) -> int:
    since = utcnow() - timedelta(days=1)
    return db.session.scalar(
        select(func.count())
        .select_from(Dispute)
        .where(Dispute.opened_by_id == user.id, Dispute.created_at >= since)
    )


def _statement_text(data: StatementData) -> tuple[str, str]:
    body = checked_text(
        data.body,
        "DISPUTE_TEXT_MIN_CHARS",
        lambda count: _("Write your statement in at least %(count)d characters.", count=count),
    )
    evidence = (data.evidence or "").strip()
    maximum = current_app.config["MODERATION_TEXT_MAX_CHARS"]
    if len(evidence) > maximum:
        raise DomainError(_("A text here has at most %(count)d characters.", count=maximum))
    return body, evidence


def _title(title: str) -> str:
    title = (title or "").strip()
    if len(title) < 4 or len(title) > TITLE_MAX_CHARS:
        raise DomainError(_("Give the case a title of 4 to 160 characters."))
    return title


def _party_ids(dispute: Dispute) -> list[int]:
    ids = [dispute.opened_by_id, permissions.review_author_id(dispute), dispute.mediator_id]
    ids += list(
        db.session.scalars(
            select(RepresentativeClaim.user_id).where(
                RepresentativeClaim.requester_id == dispute.requester_id,
                RepresentativeClaim.status == ClaimStatus.VERIFIED,
            )
        )
    )
    return [user_id for user_id in ids if user_id is not None]


def _notify(dispute: Dispute, except_id: int | None) -> None:
    """Tell every party (and the mediator) that the case changed. No actor: a notification
    must not name the author of an anonymous review to the requester."""
    notifications.notify(
        [user_id for user_id in _party_ids(dispute) if user_id != except_id],
        NotificationKind.DISPUTE_UPDATED,
        subject=str(dispute.id),
        link=path_for("moderation.dispute", dispute_id=dispute.id),
    )


def _open(user, kind: str, requester: Requester, review, title: str, data) -> Dispute:
    check_daily_quota(user, "dispute", _disputes_today(user))
    body, evidence = _statement_text(data)
    dispute = Dispute(
        kind=kind,
        opened_by_id=user.id,
        requester_id=requester.id,
        review_id=review.id if review is not None else None,
        title=_title(title),
    )
    db.session.add(dispute)
    db.session.flush()
    db.session.add(
        DisputeStatement(
            dispute_id=dispute.id,
            author_id=user.id,
            side=PartySide.OPENER,
            body=body,
            body_html=str(render_markdown(body)),
            evidence=evidence,
        )
    )
    _notify(dispute, user.id)
    db.session.commit()
    return dispute


def open_about_review(user, review: Review, title: str, data: StatementData) -> Dispute:
    """A verified representative of the reviewed requester contests a public review."""
    if not user.is_authenticated or not permissions.is_representative(user, review.requester_id):
        raise PermissionDenied(
            _("Only a verified representative of this requester can dispute its reviews.")
        )
    if review.visibility == Visibility.DELETED:
        raise NotFound(_("This review does not exist or was withdrawn."))
    return _open(user, DisputeKind.REVIEW, review.requester, review, title, data)


def open_against_requester(
    user, requester: Requester, kind: str, title: str, data: StatementData
) -> Dispute:
    """A worker asks for mediation with a requester."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to open a dispute."))
    if kind not in WORKER_KINDS:
        raise DomainError(_("Choose what the dispute is about."))
    if permissions.is_representative(user, requester.id):
        raise PermissionDenied(_("Representatives of a requester cannot open a case against it."))
    return _open(user, kind, requester, None, title, data)


def add_statement(user, dispute: Dispute, data: StatementData) -> DisputeStatement:
    if not permissions.can_add_statement(user, dispute):
        if dispute.status in (DisputeStatus.RESOLVED, DisputeStatus.DISMISSED):
            raise DomainError(_("This case is closed."))
        if user.is_authenticated:
            check_not_suspended(user)  # a suspended party is told why
        raise PermissionDenied(_("Only the parties and the mediator add to a case file."))
    body, evidence = _statement_text(data)
    if dispute.mediator_id == user.id:
        side = PartySide.MEDIATOR
    else:
        side = permissions.side_of(user, dispute) or PartySide.OPENER
    statement = DisputeStatement(
        dispute_id=dispute.id,
        author_id=user.id,
        side=side,
        body=body,
        body_html=str(render_markdown(body)),
        evidence=evidence,
    )
    db.session.add(statement)
    dispute.updated_at = utcnow()
    _notify(dispute, user.id)
    db.session.commit()
    return statement


def _move(dispute: Dispute, status: str) -> None:
    if status not in TRANSITIONS[DisputeStatus(dispute.status)]:
        raise DomainError(
            _("A case goes from open to mediation, then to resolved or dismissed: not this way.")
        )
    dispute.status = status


def take(moderator, dispute: Dispute, reason) -> None:
    """A moderator who is not a party becomes the mediator."""
    lock_row(db.session, dispute)
    if not permissions.is_moderator(moderator):
        raise PermissionDenied(_("Only moderators mediate disputes."))
    if permissions.is_party(moderator, dispute):
        raise PermissionDenied(_("You are a party to this dispute: another moderator mediates."))
    reason = service.clean_reason(reason)
    _move(dispute, DisputeStatus.IN_MEDIATION)
    dispute.mediator_id = moderator.id
    service.record(moderator, ActionKind.TAKE_DISPUTE, "dispute", dispute.id, reason)
    _notify(dispute, moderator.id)
    db.session.commit()


def close(moderator, dispute: Dispute, resolved: bool, outcome: str) -> None:
    """The mediator closes the case with a public outcome."""
    lock_row(db.session, dispute)
    if not permissions.is_moderator(moderator):
        raise PermissionDenied(_("Only moderators mediate disputes."))
    if permissions.is_party(moderator, dispute):
        raise PermissionDenied(_("You are a party to this dispute: another moderator mediates."))
    if dispute.status == DisputeStatus.IN_MEDIATION and dispute.mediator_id != moderator.id:
        raise PermissionDenied(_("Only the mediator of this case closes it."))
    reason = service.clean_reason(outcome)
    _move(dispute, DisputeStatus.RESOLVED if resolved else DisputeStatus.DISMISSED)
    dispute.outcome = reason.text
    dispute.closed_at = utcnow()
    service.record(
        moderator,
        ActionKind.RESOLVE_DISPUTE if resolved else ActionKind.DISMISS_DISPUTE,
        "dispute",
        dispute.id,
        reason,
    )
    _notify(dispute, moderator.id)
    db.session.commit()
