"""The right of reply: a member claims a requester profile with evidence, a moderator verifies
or rejects the claim, and a verified representative posts one public reply under each review
of that requester. Representatives never learn who wrote an anonymous review: nothing here
tells them more than the public page does."""

from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from community.catalog.models import Requester
from community.core.content import Visibility
from community.core.database import utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.limits import check_not_suspended
from community.core.markup import render_markdown
from community.core.pagination import Page, paginate
from community.core.views import path_for
from community.extensions import db
from community.moderation import permissions, service
from community.moderation.models import (
    ActionKind,
    ClaimStatus,
    RepresentativeClaim,
    ReviewReply,
)
from community.notifications import service as notifications
from community.notifications.models import NotificationKind
from community.reviews.models import Review


def checked_text(text: str, minimum_key: str, too_short: Callable[[int], str]) -> str:
    """The text stripped, or a DomainError (`too_short(minimum)` words the refusal)."""
    cleaned = (text or "").strip()
    maximum = current_app.config["MODERATION_TEXT_MAX_CHARS"]
    minimum = current_app.config[minimum_key]
    if len(cleaned) < minimum:
        raise DomainError(too_short(minimum))
    if len(cleaned) > maximum:
        raise DomainError(_("A text here has at most %(count)d characters.", count=maximum))
    return cleaned


# Claims


def get_claim_or_404(claim_id: int) -> RepresentativeClaim:
    claim = db.session.get(RepresentativeClaim, claim_id)
    if claim is None:
        raise NotFound(_("This claim does not exist."))
    return claim


def active_claim(user, requester: Requester) -> RepresentativeClaim | None:
    """The member's pending or verified claim on this requester."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(RepresentativeClaim).where(
            RepresentativeClaim.user_id == user.id,
            RepresentativeClaim.requester_id == requester.id,
            RepresentativeClaim.status.in_((ClaimStatus.PENDING, ClaimStatus.VERIFIED)),
        )
    )


def claim(user, requester: Requester, evidence: str) -> RepresentativeClaim:
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to claim a requester profile."))
    check_not_suspended(user)
    evidence = checked_text(
        evidence,
        "CLAIM_EVIDENCE_MIN_CHARS",
        lambda count: _(
            "Give evidence a moderator can check, in at least %(count)d characters.", count=count
        ),
    )
    existing = active_claim(user, requester)
    if existing is not None:
        if existing.status == ClaimStatus.VERIFIED:
            raise DomainError(_("You are already a verified representative of this requester."))
        raise DomainError(_("Your claim on this requester is waiting for a moderator."))
    row = RepresentativeClaim(user_id=user.id, requester_id=requester.id, evidence=evidence)
    db.session.add(row)
    db.session.commit()
    return row


def decide_claim(moderator, claim: RepresentativeClaim, verify: bool, reason) -> None:
    if not permissions.is_moderator(moderator):
        raise PermissionDenied(_("Only moderators can do this."))
    if claim.user_id == moderator.id:
        raise PermissionDenied(_("Moderators never decide on their own claim."))
    if claim.status != ClaimStatus.PENDING:
        raise DomainError(_("This claim was already decided."))
    reason = service.clean_reason(reason)
    claim.status = ClaimStatus.VERIFIED if verify else ClaimStatus.REJECTED
    claim.decided_by_id = moderator.id
    claim.decision_reason = reason.text
    claim.decided_at = utcnow()
    service.record(
        moderator,
        ActionKind.VERIFY_CLAIM if verify else ActionKind.REJECT_CLAIM,
        "requester",
        claim.requester_id,
        reason,
        member_id=claim.user_id,
    )
    notifications.notify(
        [claim.user_id],
        NotificationKind.CLAIM_DECIDED,
        actor_id=moderator.id,
        subject=claim.status,
        link=path_for("catalog.requester", requester_id=claim.requester_id),
    )
    db.session.commit()


def pending_claims(page: int, per_page: int) -> Page[RepresentativeClaim]:
    query = (
        select(RepresentativeClaim)
        .where(RepresentativeClaim.status == ClaimStatus.PENDING)
        .order_by(RepresentativeClaim.created_at.asc(), RepresentativeClaim.id.asc())
    )
    return paginate(db.session, query, page, per_page)


def represented_requesters(user) -> list[Requester]:
    """The requesters a member is a verified representative of (their profile's badge)."""
    return list(
        db.session.scalars(
            select(Requester)
            .join(RepresentativeClaim, RepresentativeClaim.requester_id == Requester.id)
            .where(
                RepresentativeClaim.user_id == user.id,
                RepresentativeClaim.status == ClaimStatus.VERIFIED,
            )
            .order_by(Requester.display_name)
        )
    )


def has_representative(requester: Requester) -> bool:
    return (
        db.session.scalar(
            select(RepresentativeClaim.id)
            .where(
                RepresentativeClaim.requester_id == requester.id,
                RepresentativeClaim.status == ClaimStatus.VERIFIED,
            )
            .limit(1)
        )
        is not None
    )


# Replies


def reply_of(review: Review) -> ReviewReply | None:
    return db.session.scalar(select(ReviewReply).where(ReviewReply.review_id == review.id))


def replies_to(reviews: list[Review]) -> dict[int, ReviewReply]:
    """The reply under each review of a page, in one query."""
    ids = [review.id for review in reviews if review.requester_id is not None]
    if not ids:
        return {}
    return {
        reply.review_id: reply
        for reply in db.session.scalars(select(ReviewReply).where(ReviewReply.review_id.in_(ids)))
    }


def post_reply(user, review: Review, body: str) -> ReviewReply:
    if not permissions.can_reply(user, review):
        if user.is_authenticated:
            check_not_suspended(user)
        raise PermissionDenied(
            _("Only a verified representative of this requester can reply to its reviews.")
        )
    if reply_of(review) is not None:
        raise DomainError(_("The requester already replied to this review: edit that reply."))
    body = checked_text(body, "REPLY_MIN_CHARS", _reply_too_short)
    reply = ReviewReply(
        review_id=review.id,
        requester_id=review.requester_id,
        author_id=user.id,
        body=body,
        body_html=str(render_markdown(body)),
    )
    db.session.add(reply)
    db.session.flush()
    notifications.notify(
        [review.author_id],
        NotificationKind.REVIEW_REPLY,
        subject="review",
        link=path_for("reviews.show", review_id=review.id),
    )
    db.session.commit()
    return reply


def _reply_too_short(count: int) -> str:
    return _("A reply has at least %(count)d characters.", count=count)


def edit_reply(user, reply: ReviewReply, body: str) -> ReviewReply:
    if not permissions.can_edit_reply(user, reply):
        raise PermissionDenied(_("Only the representative who wrote this reply can edit it."))
    body = checked_text(body, "REPLY_MIN_CHARS", _reply_too_short)
    reply.body, reply.body_html, reply.edited_at = body, str(render_markdown(body)), utcnow()
    db.session.commit()
    return reply


def get_reply_or_404(reply_id: int) -> ReviewReply:
    reply = db.session.get(ReviewReply, reply_id)
    if reply is None or reply.visibility == Visibility.DELETED:
        raise NotFound(_("This reply does not exist."))
    return reply
