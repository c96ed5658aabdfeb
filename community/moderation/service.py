"""Moderation of content: hide, restore and delete any item (one function each, for every
kind), dismiss its reports, ask its author for an edit; the queue; and the record of every act.

Every act writes one ModerationAction row (the public log is that table) and needs a written
reason. Visibility changes go through `set_visibility`, which runs the kind's hook in the same
transaction, so figures, warning counts, forum counts and the search index follow at once.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from community.core.content import Visibility
from community.core.database import utcnow
from community.core.errors import DomainError, PermissionDenied
from community.core.pagination import Page, paginate
from community.core.views import path_for
from community.extensions import db
from community.moderation import items, permissions, rules
from community.moderation.models import (
    ActionKind,
    ModerationAction,
    QueueEntry,
    Report,
    ReportStatus,
)
from community.notifications import service as notifications
from community.notifications.models import NotificationKind

PENDING_REVIEW = "pending_review"  # hidden by reports, waiting for a moderator
PENDING_SENSITIVE = "pending_sensitive"  # the same, reported for personal information or illegality
REMOVED = "removed"  # deleted by a moderator (authors' own deletions say "withdrawn")
WITHDRAWN = "withdrawn"
PENDING = frozenset({PENDING_REVIEW, PENDING_SENSITIVE})


@dataclass(frozen=True)
class Reason:
    """The written reason every act needs, and the rule it cites (optional)."""

    text: str
    rule_number: int | None = None


# Reasons and the record


def clean_reason(reason: Reason | str | None) -> Reason:
    if not isinstance(reason, Reason):
        reason = Reason(reason or "")
    text = (reason.text or "").strip()
    minimum = current_app.config["MODERATION_REASON_MIN_CHARS"]
    maximum = current_app.config["MODERATION_REASON_MAX_CHARS"]
    if len(text) < minimum:
        raise DomainError(
            _(
                "Write the reason for this decision, in at least %(count)d characters: "
                "it is published in the moderation log.",
                count=minimum,
            )
        )
    if len(text) > maximum:
        raise DomainError(_("A reason has at most %(count)d characters.", count=maximum))
    return Reason(text, reason.rule_number or None)


def record(
    moderator,
    action: str,
    target_kind: str,
    target_id: int,
    reason: Reason | None = None,
    *,
    member_id: int | None = None,
    reason_code: str | None = None,
    ends_at=None,
    related_action_id: int | None = None,
    details: dict | None = None,
) -> ModerationAction:
    """One row of the public log. The caller commits."""
    rule_number, rules_version = rules.cited_rule(reason.rule_number if reason else None)
    row = ModerationAction(
        moderator_id=moderator.id if moderator is not None else None,
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        reason=reason.text if reason else "",
        reason_code=reason_code,
        rule_number=rule_number,
        rules_version=rules_version,
        member_id=member_id,
        ends_at=ends_at,
        related_action_id=related_action_id,
        details=details or {},
    )
    db.session.add(row)
    db.session.flush()
    return row


def actions_on(kind: str, item_id: int) -> list[ModerationAction]:
    return list(
        db.session.scalars(
            select(ModerationAction)
            .where(ModerationAction.target_kind == kind, ModerationAction.target_id == item_id)
            .order_by(ModerationAction.created_at, ModerationAction.id)
        )
    )


# Visibility


def set_visibility(item, visibility: str, hidden_reason: str | None) -> None:
    """Change an item's visibility and run its kind's hook. The caller commits."""
    before = item.visibility
    item.visibility = visibility
    item.hidden_reason = hidden_reason
    db.session.flush()
    items.kind_of(item).after_change(item, before)


def notify_author(item, kind: str, notification: str, moderator, action=None) -> None:
    """Tell the author; an act they may appeal or must read links to "Moderation about me"."""
    if item.author_id is None:
        return
    if action is not None:
        link = path_for("moderation.my_actions", _anchor=f"a{action.id}")
    else:
        link = items.kind(kind).public_url(item)
    notifications.notify(
        [item.author_id],
        notification,
        actor_id=moderator.id if moderator is not None else None,
        subject=kind,
        link=link,
    )


# The queue


def _entry(kind: str, item_id: int) -> QueueEntry:
    entry = db.session.scalar(
        select(QueueEntry).where(QueueEntry.kind == kind, QueueEntry.item_id == item_id)
    )
    if entry is None:
        entry = QueueEntry(kind=kind, item_id=item_id, open_reports=0, open_weight=0)
        db.session.add(entry)
    return entry


def open_entry(kind: str, item_id: int, held: bool = False) -> QueueEntry:
    """Put an item in the queue (or keep it there). The caller commits."""
    entry = _entry(kind, item_id)
    if not entry.is_open:
        entry.is_open, entry.opened_at, entry.closed_at = True, utcnow(), None
    entry.held = entry.held or held
    return entry


def hold(item) -> None:
    """Content held before publication (Visibility.HELD) waits in the queue. Caller commits."""
    open_entry(items.kind_of(item).name, item.id, held=True)


def _close(kind: str, item_id: int, report_status: str) -> int:
    """Close the item's open reports and take it out of the queue. Returns how many closed."""
    closed = db.session.execute(
        update(Report)
        .where(Report.kind == kind, Report.item_id == item_id, Report.status == ReportStatus.OPEN)
        .values(status=report_status, closed_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    entry = db.session.scalar(
        select(QueueEntry).where(QueueEntry.kind == kind, QueueEntry.item_id == item_id)
    )
    if entry is not None:
        entry.is_open, entry.held, entry.closed_at = False, False, utcnow()
        entry.open_reports = entry.open_weight = 0
    return closed


def queue(sort: str, page: int, per_page: int) -> Page[QueueEntry]:
    """Reported and held items: heaviest first (then oldest), or oldest first."""
    query = select(QueueEntry).where(QueueEntry.is_open.is_(True))
    if sort == "oldest":
        query = query.order_by(QueueEntry.opened_at.asc(), QueueEntry.id.asc())
    else:
        query = query.order_by(
            QueueEntry.open_weight.desc(), QueueEntry.opened_at.asc(), QueueEntry.id.asc()
        )
    return paginate(db.session, query, page, per_page)


def open_reports_of(kind: str, ids: list[int]) -> dict[int, list[Report]]:
    if not ids:
        return {}
    found: dict[int, list[Report]] = {}
    for report in db.session.scalars(
        select(Report)
        .where(Report.kind == kind, Report.item_id.in_(ids), Report.status == ReportStatus.OPEN)
        .order_by(Report.created_at)
    ):
        found.setdefault(report.item_id, []).append(report)
    return found


def reports_of(kind: str, item_id: int) -> list[Report]:
    return list(
        db.session.scalars(
            select(Report)
            .where(Report.kind == kind, Report.item_id == item_id)
            .order_by(Report.created_at.desc())
        )
    )


# Acting on content


def ensure_can_moderate(moderator, kind: str, item) -> None:
    if not permissions.is_moderator(moderator):
        raise PermissionDenied(_("Only moderators can do this."))
    if item.author_id is not None and item.author_id == moderator.id:
        raise PermissionDenied(
            _("Moderators never act on their own content: another moderator will.")
        )
    if permissions.has_reported(moderator, kind, item.id):
        raise PermissionDenied(
            _("You reported this item yourself: another moderator must decide on it.")
        )


def hide(moderator, kind: str, item_id: int, reason_code: str, reason: Reason | str):
    """Hide an item for a reason: readable behind a fold, or gone from public view for
    personal information and illegality. Confirms an automatic hiding, too."""
    item = items.get(kind, item_id)
    ensure_can_moderate(moderator, kind, item)
    if reason_code not in items.kind(kind).hide_reasons:
        raise DomainError(_("Choose why this content is hidden."))
    reason = clean_reason(reason)
    if item.visibility == Visibility.DELETED:
        raise DomainError(_("This content is deleted: restore it first."))
    if item.visibility == Visibility.HIDDEN and item.hidden_reason not in PENDING:
        raise DomainError(_("This content is already hidden."))
    set_visibility(item, Visibility.HIDDEN, reason_code)
    _close(kind, item.id, ReportStatus.UPHELD)
    action = record(
        moderator,
        ActionKind.HIDE,
        kind,
        item.id,
        reason,
        member_id=item.author_id,
        reason_code=reason_code,
    )
    notify_author(item, kind, NotificationKind.CONTENT_HIDDEN, moderator, action)
    db.session.commit()
    return action


def _restorable(item) -> None:
    if item.visibility == Visibility.VISIBLE:
        raise DomainError(_("This content is already visible."))
    if item.hidden_reason == WITHDRAWN:
        raise DomainError(_("Its author withdrew this content: only they could publish it again."))


def restore(moderator, kind: str, item_id: int, reason: Reason | str):
    """Make a hidden, held or deleted item public again."""
    item = items.get(kind, item_id)
    ensure_can_moderate(moderator, kind, item)
    reason = clean_reason(reason)
    _restorable(item)
    set_visibility(item, Visibility.VISIBLE, None)
    _close(kind, item.id, ReportStatus.DISMISSED)
    action = record(moderator, ActionKind.RESTORE, kind, item.id, reason, member_id=item.author_id)
    notify_author(item, kind, NotificationKind.CONTENT_RESTORED, moderator)
    db.session.commit()
    return action


def restore_after_appeal(item) -> None:
    """An appeal overturned the hiding or deletion: the item is public again. Caller commits."""
    if item.visibility != Visibility.VISIBLE and item.hidden_reason != WITHDRAWN:
        set_visibility(item, Visibility.VISIBLE, None)


def delete(moderator, kind: str, item_id: int, reason_code: str, reason: Reason | str):
    """Remove an item from public view entirely (the moderators still see it; an appeal can
    bring it back)."""
    item = items.get(kind, item_id)
    ensure_can_moderate(moderator, kind, item)
    if reason_code not in items.kind(kind).hide_reasons:
        raise DomainError(_("Choose why this content is deleted."))
    reason = clean_reason(reason)
    if item.visibility == Visibility.DELETED:
        raise DomainError(_("This content is already deleted."))
    set_visibility(item, Visibility.DELETED, REMOVED)
    _close(kind, item.id, ReportStatus.UPHELD)
    action = record(
        moderator,
        ActionKind.DELETE,
        kind,
        item.id,
        reason,
        member_id=item.author_id,
        reason_code=reason_code,
    )
    notify_author(item, kind, NotificationKind.CONTENT_DELETED, moderator, action)
    db.session.commit()
    return action


def dismiss_reports(moderator, kind: str, item_id: int, reason: Reason | str):
    """The reports were wrong: close them, and bring back an item they hid automatically."""
    item = items.get(kind, item_id)
    ensure_can_moderate(moderator, kind, item)
    reason = clean_reason(reason)
    entry = db.session.scalar(
        select(QueueEntry).where(QueueEntry.kind == kind, QueueEntry.item_id == item.id)
    )
    if entry is None or not entry.is_open:
        raise DomainError(_("This item has no open report."))
    restored = item.visibility == Visibility.HIDDEN and item.hidden_reason in PENDING
    held = item.visibility == Visibility.HELD
    if restored or held:
        set_visibility(item, Visibility.VISIBLE, None)
    _close(kind, item.id, ReportStatus.DISMISSED)
    action = record(
        moderator,
        ActionKind.DISMISS,
        kind,
        item.id,
        reason,
        member_id=item.author_id,
        details={"restored": restored or held},
    )
    if restored or held:
        notify_author(item, kind, NotificationKind.CONTENT_RESTORED, moderator)
    db.session.commit()
    return action


def request_edit(moderator, kind: str, item_id: int, reason: Reason | str):
    """Ask the author to edit their content (the reason says what to change)."""
    item = items.get(kind, item_id)
    ensure_can_moderate(moderator, kind, item)
    reason = clean_reason(reason)
    if item.author_id is None:
        raise DomainError(_("The author of this content deleted their account."))
    action = record(
        moderator, ActionKind.REQUEST_EDIT, kind, item.id, reason, member_id=item.author_id
    )
    notify_author(item, kind, NotificationKind.EDIT_REQUESTED, moderator, action)
    db.session.commit()
    return action
