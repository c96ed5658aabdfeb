"""The shape every piece of member content shares, so moderation can act on all of it alike."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from community.core.database import utcnow


class Visibility(enum.StrEnum):
    VISIBLE = "visible"
    HELD = "held"  # waiting for a moderator before anyone else sees it
    HIDDEN = "hidden"  # hidden by moderation or by reports; readable behind a fold
    DELETED = "deleted"  # withdrawn by its author or removed; gone from public view


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
