"""Who may do what in moderation, conflicts of interest included. Services enforce these (the
guard that counts); templates use them to show or hide a button."""

from flask import g, has_request_context, request
from sqlalchemy import select

from community.core.content import Visibility, can_read, is_author
from community.extensions import db
from community.moderation.models import (
    ActionKind,
    Appeal,
    AppealStatus,
    ClaimStatus,
    Dispute,
    DisputeKind,
    DisputeStatus,
    ElectionPhase,
    ModerationAction,
    Report,
    RepresentativeClaim,
)

# Acts the affected member may appeal.
APPEALABLE = frozenset(
    {ActionKind.HIDE, ActionKind.DELETE, ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN}
)


def _member(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_moderator(user) -> bool:
    return bool(_member(user) and user.is_moderator)


def is_admin(user) -> bool:
    return bool(_member(user) and user.is_admin)


def has_reported(user, kind: str, item_id: int) -> bool:
    """Any report, open or closed, by this member on this item."""
    if not _member(user):
        return False
    return (
        db.session.scalar(
            select(Report.id)
            .where(Report.reporter_id == user.id, Report.kind == kind, Report.item_id == item_id)
            .limit(1)
        )
        is not None
    )


# Reports


def can_report(user, item) -> bool:
    """Members report content they can read, except their own."""
    return bool(
        _member(user)
        and not user.is_suspended
        and item.visibility != Visibility.DELETED
        and can_read(user, item)
        and not is_author(user, item)
    )


# Acting on content


def conflicts_with_item(user, kind: str, item) -> bool:
    """A moderator never acts on their own content, nor on an item they reported."""
    return is_author(user, item) or has_reported(user, kind, item.id)


def can_moderate(user, kind: str, item) -> bool:
    return is_moderator(user) and not conflicts_with_item(user, kind, item)


def can_sanction(user, member) -> bool:
    """Moderators warn, suspend and ban members; never themselves, never an admin, and only an
    admin sanctions another moderator."""
    if not is_moderator(user) or member is None or member.id == user.id or member.is_admin:
        return False
    return not member.is_moderator or user.is_admin


# Appeals


def can_appeal(user, action: ModerationAction) -> bool:
    """Only the member the act affects, only acts that can be appealed, and not after a
    decision overturned it. The window and "once" are checked by the service (they need dates
    and a query)."""
    return bool(
        _member(user)
        and action.member_id == user.id
        and action.action in APPEALABLE
        and action.overturned_at is None
    )


def can_decide_appeal(user, appeal: Appeal) -> bool:
    """A different moderator: never the one who acted, never the appellant, never one who has
    a conflict with the item."""
    if not is_moderator(user) or appeal.status != AppealStatus.OPEN:
        return False
    action = appeal.action
    return action.moderator_id != user.id and appeal.appellant_id != user.id


def can_read_appeal(user, appeal: Appeal) -> bool:
    return bool(_member(user) and (user.is_moderator or appeal.appellant_id == user.id))


# Requester representatives and the right of reply


def represented_requester_ids(user) -> set[int]:
    """The requesters a member speaks for. Read once per page view (a GET changes nothing)."""
    if not _member(user):
        return set()
    cache = g.setdefault("represented", {}) if _reading() else {}
    if user.id not in cache:
        cache[user.id] = set(
            db.session.scalars(
                select(RepresentativeClaim.requester_id).where(
                    RepresentativeClaim.user_id == user.id,
                    RepresentativeClaim.status == ClaimStatus.VERIFIED,
                )
            )
        )
    return cache[user.id]


def _reading() -> bool:
    return has_request_context() and request.method in ("GET", "HEAD")


def is_representative(user, requester_id: int | None) -> bool:
    return requester_id is not None and requester_id in represented_requester_ids(user)


def can_decide_claim(user, claim: RepresentativeClaim) -> bool:
    return bool(
        is_moderator(user) and claim.status == ClaimStatus.PENDING and claim.user_id != user.id
    )


def can_reply(user, review) -> bool:
    """A verified representative of the reviewed requester answers a public review."""
    return bool(
        _member(user)
        and not user.is_suspended
        and review.requester_id is not None
        and review.visibility == Visibility.VISIBLE
        and is_representative(user, review.requester_id)
    )


def can_edit_reply(user, reply) -> bool:
    return bool(
        _member(user)
        and not user.is_suspended
        and is_author(user, reply)
        and reply.visibility != Visibility.DELETED
        and is_representative(user, reply.requester_id)
    )


# Disputes


def review_author_id(dispute: Dispute) -> int | None:
    return dispute.review.author_id if dispute.review is not None else None


def side_of(user, dispute: Dispute) -> str | None:
    """'opener', 'respondent' or None. For a review dispute the respondent is the review's
    author; for a worker's dispute, the requester's verified representatives."""
    if not _member(user):
        return None
    if dispute.opened_by_id == user.id:
        return "opener"
    if dispute.kind == DisputeKind.REVIEW:
        return "respondent" if review_author_id(dispute) == user.id else None
    return "respondent" if is_representative(user, dispute.requester_id) else None


def is_party(user, dispute: Dispute) -> bool:
    if side_of(user, dispute) is not None:
        return True
    # The other representatives of the requester that opened a review dispute are parties too.
    return dispute.kind == DisputeKind.REVIEW and is_representative(user, dispute.requester_id)


def can_read_statements(user, dispute: Dispute) -> bool:
    return bool(_member(user) and (user.is_moderator or is_party(user, dispute)))


def can_add_statement(user, dispute: Dispute) -> bool:
    if dispute.status not in (DisputeStatus.OPEN, DisputeStatus.IN_MEDIATION):
        return False
    if not _member(user) or user.is_suspended:
        return False
    return is_party(user, dispute) or dispute.mediator_id == user.id


def can_mediate(user, dispute: Dispute) -> bool:
    """Moderators take open cases they are not party to."""
    return bool(
        is_moderator(user) and dispute.status == DisputeStatus.OPEN and not is_party(user, dispute)
    )


def can_close_dispute(user, dispute: Dispute) -> bool:
    return bool(
        is_moderator(user)
        and dispute.status == DisputeStatus.IN_MEDIATION
        and dispute.mediator_id == user.id
        and not is_party(user, dispute)
    )


# Elections


def can_run_elections(user) -> bool:
    return is_admin(user)


def can_nominate(user, election) -> bool:
    return bool(
        _member(user)
        and election.phase == ElectionPhase.NOMINATIONS
        and user.is_trusted
        and not user.is_suspended
    )


def can_vote(user, election) -> bool:
    return bool(
        _member(user)
        and election.phase == ElectionPhase.VOTING
        and user.is_trusted
        and not user.is_suspended
    )
