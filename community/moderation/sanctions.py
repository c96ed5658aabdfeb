"""Sanctions on members: warn, suspend for a period, ban, and lift. Each sets
`User.last_sanction_at` (a trusted member drops below trust level 2 for TRUST_TL2_CLEAN_DAYS).
A suspended or banned member reads, exports and appeals, but every write refuses them
(core.limits.check_not_suspended)."""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from community.accounts.models import User
from community.core.database import utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.views import path_for
from community.extensions import db
from community.moderation import permissions
from community.moderation.models import ActionKind, ModerationAction
from community.moderation.service import Reason, clean_reason, record
from community.notifications import service as notifications
from community.notifications.models import NotificationKind

SANCTIONS = frozenset({ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN})
MEMBER = "member"  # the target kind of acts on a member


def get_member_or_404(member_id: int) -> User:
    member = db.session.get(User, member_id)
    if member is None:
        raise NotFound(_("No member has this pseudonym."))
    return member


def _ensure_can_sanction(moderator, member: User) -> None:
    if permissions.can_sanction(moderator, member):
        return
    if not permissions.is_moderator(moderator):
        raise PermissionDenied(_("Only moderators can do this."))
    if member.id == moderator.id:
        raise PermissionDenied(_("Moderators never act on themselves."))
    raise PermissionDenied(
        _("Administrators cannot be sanctioned, and only an administrator sanctions a moderator.")
    )


def _notify(member: User, moderator, what: str, action: ModerationAction) -> None:
    notifications.notify(
        [member.id],
        NotificationKind.SANCTION,
        actor_id=moderator.id,
        subject=what,
        link=path_for("moderation.my_actions", _anchor=f"a{action.id}"),
    )


def warn(moderator, member: User, reason: Reason | str) -> ModerationAction:
    _ensure_can_sanction(moderator, member)
    reason = clean_reason(reason)
    member.last_sanction_at = utcnow()
    action = record(moderator, ActionKind.WARN, MEMBER, member.id, reason, member_id=member.id)
    _notify(member, moderator, ActionKind.WARN, action)
    db.session.commit()
    return action


def suspend(moderator, member: User, days: int, reason: Reason | str) -> ModerationAction:
    _ensure_can_sanction(moderator, member)
    reason = clean_reason(reason)
    maximum = current_app.config["SUSPENSION_MAX_DAYS"]
    if not isinstance(days, int) or not 1 <= days <= maximum:
        raise DomainError(
            _("A suspension lasts from 1 to %(count)d days; a longer one is a ban.", count=maximum)
        )
    now = utcnow()
    member.suspended_until = max(member.suspended_until or now, now + timedelta(days=days))
    member.last_sanction_at = now
    action = record(
        moderator,
        ActionKind.SUSPEND,
        MEMBER,
        member.id,
        reason,
        member_id=member.id,
        ends_at=member.suspended_until,
        details={"days": days},
    )
    _notify(member, moderator, ActionKind.SUSPEND, action)
    db.session.commit()
    return action


def ban(moderator, member: User, reason: Reason | str) -> ModerationAction:
    _ensure_can_sanction(moderator, member)
    reason = clean_reason(reason)
    if member.banned_at is not None:
        raise DomainError(_("This member is already banned."))
    member.banned_at = member.last_sanction_at = utcnow()
    action = record(moderator, ActionKind.BAN, MEMBER, member.id, reason, member_id=member.id)
    _notify(member, moderator, ActionKind.BAN, action)
    db.session.commit()
    return action


def lift(moderator, member: User, reason: Reason | str) -> ModerationAction:
    """End a suspension or a ban early."""
    _ensure_can_sanction(moderator, member)
    reason = clean_reason(reason)
    if not member.is_suspended:
        raise DomainError(_("This member is neither suspended nor banned."))
    member.suspended_until = None
    member.banned_at = None
    action = record(moderator, ActionKind.LIFT, MEMBER, member.id, reason, member_id=member.id)
    db.session.commit()
    return action


def undo(action: ModerationAction) -> None:
    """An appeal overturned this sanction: it ends, and no longer counts against the member's
    trust level. The caller commits (after marking the act overturned)."""
    member = db.session.get(User, action.target_id)
    if member is None:
        return
    if action.action == ActionKind.BAN:
        member.banned_at = None
    elif action.action == ActionKind.SUSPEND:
        member.suspended_until = None
    db.session.flush()
    member.last_sanction_at = db.session.scalar(
        select(func.max(ModerationAction.created_at)).where(
            ModerationAction.member_id == member.id,
            ModerationAction.target_kind == MEMBER,
            ModerationAction.action.in_(SANCTIONS),
            ModerationAction.overturned_at.is_(None),
        )
    )
