"""What moderators do to forum threads besides hiding them: lock, pin, move."""

from flask_babel import gettext as _

from community.core.errors import DomainError
from community.extensions import db
from community.forum import service as forum
from community.forum.models import Category
from community.moderation import items
from community.moderation.models import ActionKind, ModerationAction
from community.moderation.service import Reason, clean_reason, ensure_can_moderate, record

THREAD = "thread"


def _thread(moderator, thread_id: int):
    thread = items.get(THREAD, thread_id)
    ensure_can_moderate(moderator, THREAD, thread)
    return thread


def _switch(moderator, thread_id: int, field: str, value: bool, action: str, reason) -> object:
    thread = _thread(moderator, thread_id)
    reason = clean_reason(reason)
    if getattr(thread, field) == value:
        raise DomainError(_("Nothing to change: the thread is already so."))
    setattr(thread, field, value)
    row = record(moderator, action, THREAD, thread.id, reason, member_id=thread.author_id)
    db.session.commit()
    return row


def lock(moderator, thread_id: int, reason: Reason | str) -> ModerationAction:
    return _switch(moderator, thread_id, "locked", True, ActionKind.LOCK, reason)


def unlock(moderator, thread_id: int, reason: Reason | str) -> ModerationAction:
    return _switch(moderator, thread_id, "locked", False, ActionKind.UNLOCK, reason)


def pin(moderator, thread_id: int, reason: Reason | str) -> ModerationAction:
    return _switch(moderator, thread_id, "pinned", True, ActionKind.PIN, reason)


def unpin(moderator, thread_id: int, reason: Reason | str) -> ModerationAction:
    return _switch(moderator, thread_id, "pinned", False, ActionKind.UNPIN, reason)


def move(moderator, thread_id: int, category_id: int, reason: Reason | str) -> ModerationAction:
    thread = _thread(moderator, thread_id)
    reason = clean_reason(reason)
    category = db.session.get(Category, category_id)
    if category is None:
        raise DomainError(_("Choose the category to move the thread to."))
    if category.id == thread.category_id:
        raise DomainError(_("The thread is already in this category."))
    origin = thread.category_id
    forum.move_thread(thread, category)
    row = record(
        moderator,
        ActionKind.MOVE,
        THREAD,
        thread.id,
        reason,
        member_id=thread.author_id,
        details={"from": origin, "to": category.id},
    )
    db.session.commit()
    return row
