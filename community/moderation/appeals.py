"""Appeals: the member an act affects asks, once and within APPEAL_WINDOW_DAYS, that a
different moderator look again. open -> upheld | overturned, nothing else; the outcome enters
the public log, and overturning undoes the act (a hidden item is public again, a sanction
ends)."""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from community.core.database import lock_row, utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.pagination import Page, paginate
from community.core.views import path_for
from community.extensions import db
from community.moderation import items, permissions, sanctions, service
from community.moderation.models import (
    ActionKind,
    Appeal,
    AppealStatus,
    ModerationAction,
)
from community.notifications import service as notifications
from community.notifications.models import NotificationKind

# The state machine: which status may follow which.
TRANSITIONS = {
    AppealStatus.OPEN: frozenset({AppealStatus.UPHELD, AppealStatus.OVERTURNED}),
    AppealStatus.UPHELD: frozenset(),
    AppealStatus.OVERTURNED: frozenset(),
}


def get_action_or_404(action_id: int) -> ModerationAction:
    action = db.session.get(ModerationAction, action_id)
    if action is None:
        raise NotFound(_("This moderation act does not exist."))
    return action


def get_appeal_or_404(appeal_id: int) -> Appeal:
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(_("This appeal does not exist."))
    return appeal


def get_readable_appeal(user, appeal_id: int) -> Appeal:
    appeal = get_appeal_or_404(appeal_id)
    if not permissions.can_read_appeal(user, appeal):
        raise NotFound(_("This appeal does not exist."))
    return appeal


def appeal_of(action: ModerationAction) -> Appeal | None:
    return db.session.scalar(select(Appeal).where(Appeal.action_id == action.id))


def window_ends(action: ModerationAction):
    return action.created_at + timedelta(days=current_app.config["APPEAL_WINDOW_DAYS"])


def is_open_for_appeal(user, action: ModerationAction) -> bool:
    return (
        permissions.can_appeal(user, action)
        and utcnow() <= window_ends(action)
        and appeal_of(action) is None
    )


def file_appeal(member, action: ModerationAction, statement: str) -> Appeal:
    if not permissions.can_appeal(member, action):
        raise PermissionDenied(_("Only the member this act affects can appeal it."))
    if appeal_of(action) is not None:
        raise DomainError(_("This act was already appealed: each act can be appealed once."))
    if utcnow() > window_ends(action):
        raise DomainError(
            _(
                "Appeals are possible for %(count)d days after the act; this one is too old.",
                count=current_app.config["APPEAL_WINDOW_DAYS"],
            )
        )
    text = (statement or "").strip()
    minimum = current_app.config["APPEAL_STATEMENT_MIN_CHARS"]
    maximum = current_app.config["MODERATION_TEXT_MAX_CHARS"]
    if len(text) < minimum:
        raise DomainError(
            _(
                "Explain why the decision should change, in at least %(count)d characters.",
                count=minimum,
            )
        )
    if len(text) > maximum:
        raise DomainError(_("A statement has at most %(count)d characters.", count=maximum))
    appeal = Appeal(action_id=action.id, appellant_id=member.id, statement=text)
    try:
        with db.session.begin_nested():
            db.session.add(appeal)
    except IntegrityError as error:
        raise DomainError(
            _("This act was already appealed: each act can be appealed once.")
        ) from error
    db.session.commit()
    return appeal


def _ensure_can_decide(moderator, appeal: Appeal) -> None:
    if not permissions.is_moderator(moderator):
        raise PermissionDenied(_("Only moderators can do this."))
    if appeal.status != AppealStatus.OPEN:
        raise DomainError(_("This appeal was already decided."))
    if appeal.action.moderator_id == moderator.id:
        raise PermissionDenied(
            _("A different moderator decides an appeal: never the one who acted.")
        )
    if appeal.appellant_id == moderator.id:
        raise PermissionDenied(_("Moderators never decide their own appeal."))
    action = appeal.action
    if action.target_kind in items.KINDS:
        item = db.session.get(items.kind(action.target_kind).model, action.target_id)
        if item is not None and permissions.conflicts_with_item(
            moderator, action.target_kind, item
        ):
            raise PermissionDenied(
                _("You reported this item yourself: another moderator must decide on it.")
            )


def _move(appeal: Appeal, status: str) -> None:
    if status not in TRANSITIONS[AppealStatus(appeal.status)]:
        raise DomainError(_("This appeal was already decided."))
    appeal.status = status


def decide(moderator, appeal: Appeal, overturn: bool, reason) -> ModerationAction:
    """Uphold or overturn the act appealed against; the decision is published in the log."""
    lock_row(db.session, appeal)
    _ensure_can_decide(moderator, appeal)
    reason = service.clean_reason(reason)
    action = appeal.action
    _move(appeal, AppealStatus.OVERTURNED if overturn else AppealStatus.UPHELD)
    appeal.decided_by_id = moderator.id
    appeal.decision_reason = reason.text
    appeal.decided_at = utcnow()
    if overturn:
        action.overturned_at = utcnow()
        _undo(action)
    decision = service.record(
        moderator,
        ActionKind.APPEAL_OVERTURNED if overturn else ActionKind.APPEAL_UPHELD,
        action.target_kind,
        action.target_id,
        reason,
        member_id=action.member_id,
        related_action_id=action.id,
    )
    notifications.notify(
        [appeal.appellant_id],
        NotificationKind.APPEAL_DECIDED,
        actor_id=moderator.id,
        subject=appeal.status,
        link=path_for("moderation.appeal", appeal_id=appeal.id),
    )
    db.session.commit()
    return decision


def _undo(action: ModerationAction) -> None:
    if action.action in sanctions.SANCTIONS:
        sanctions.undo(action)
    elif action.action in (ActionKind.HIDE, ActionKind.DELETE):
        item = db.session.get(items.kind(action.target_kind).model, action.target_id)
        if item is not None:
            service.restore_after_appeal(item)


def open_appeals(page: int, per_page: int) -> Page[Appeal]:
    query = (
        select(Appeal)
        .where(Appeal.status == AppealStatus.OPEN)
        .order_by(Appeal.created_at.asc(), Appeal.id.asc())
    )
    return paginate(db.session, query, page, per_page)


def actions_affecting(member, page: int, per_page: int) -> Page[ModerationAction]:
    query = (
        select(ModerationAction)
        .where(ModerationAction.member_id == member.id)
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
    )
    return paginate(db.session, query, page, per_page)


def appeals_by_action(action_ids: list[int]) -> dict[int, Appeal]:
    if not action_ids:
        return {}
    return {
        appeal.action_id: appeal
        for appeal in db.session.scalars(select(Appeal).where(Appeal.action_id.in_(action_ids)))
    }
