"""The shape every piece of member content shares, so moderation can act on all of it alike,
and who may read it in each visibility state."""

import enum
from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, String, and_, func, or_
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from community.core.database import utcnow


class Visibility(enum.StrEnum):
    VISIBLE = "visible"
    HELD = "held"  # waiting for a moderator before anyone else sees it
    HIDDEN = "hidden"  # hidden by moderation or by reports; readable behind a fold
    DELETED = "deleted"  # withdrawn by its author or removed; gone from public view


# Content hidden for these reasons is gone from public view: only its author and the moderators
# can read it. Everything else hidden stays readable behind a fold that says why.
SENSITIVE_REASONS = frozenset({"personal_info", "illegal", "pending_sensitive"})


class ContentMixin:
    """Author, visibility state and timestamps. Models add `public_url()`."""

    visibility: Mapped[str] = mapped_column(String(16), default=Visibility.VISIBLE, index=True)
    hidden_reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @declared_attr
    def author_id(cls) -> Mapped[int | None]:  # noqa: N805 - SQLAlchemy declared_attr
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.VISIBLE

    @property
    def is_folded(self) -> bool:
        """Hidden, but readable by everyone behind a fold that says why."""
        return self.visibility == Visibility.HIDDEN and self.hidden_reason not in SENSITIVE_REASONS


def is_author(user, item) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and item.author_id is not None
        and item.author_id == user.id
    )


def can_read(user, item) -> bool:
    """Visible and folded content is public; held content and content hidden for personal
    information or illegality are read by their author and the moderators only; deleted content
    by the moderators only."""
    if item.visibility == Visibility.VISIBLE or item.is_folded:
        return True
    moderator = bool(user is not None and user.is_authenticated and user.is_moderator)
    if item.visibility == Visibility.DELETED:
        return moderator
    return moderator or is_author(user, item)


def publicly_listed(model) -> ColumnElement[bool]:
    """SQL condition: the rows of `model` a list shows to everyone (visible, or folded)."""
    return or_(
        model.visibility == Visibility.VISIBLE,
        and_(
            model.visibility == Visibility.HIDDEN,
            func.coalesce(model.hidden_reason, "").not_in(SENSITIVE_REASONS),
        ),
    )
