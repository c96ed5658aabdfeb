"""Flags on ethically problematic tasks, the members who saw the same task, and every decision."""

import enum
from datetime import date, datetime

from flask import url_for
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.catalog.models import Platform, Requester
from community.core.content import ContentMixin
from community.core.database import utcnow
from community.extensions import db


class FlagCategory(enum.StrEnum):
    DISCRIMINATORY = "discriminatory"
    DISTURBING = "disturbing"
    SCAM = "scam"
    PERSONAL_DATA = "personal_data"
    UNPAID_WORK = "unpaid_work"
    MISLEADING_ESTIMATE = "misleading_estimate"
    ILLEGAL = "illegal"
    OTHER = "other"


class FlagStatus(enum.StrEnum):
    OPEN = "open"  # waiting for a trusted member or a moderator
    CONFIRMED = "confirmed"  # a warning: shown on the requester and platform pages
    DISMISSED = "dismissed"


class DecisionAction(enum.StrEnum):
    CONFIRM = "confirm"
    DISMISS = "dismiss"
    REOPEN = "reopen"


class Flag(ContentMixin, db.Model):
    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"))
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("requesters.id"))
    task_title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(24))
    description: Mapped[str] = mapped_column(Text)
    description_html: Mapped[str] = mapped_column(Text)
    excerpt: Mapped[str] = mapped_column(String(300))  # plain text, for lists
    seen_on: Mapped[date]
    # Disturbing flags keep their description folded behind a content warning on every page.
    disturbing: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default=FlagStatus.OPEN)
    # The current decision (its history is in flag_decisions).
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # Stored count of "I saw this too", kept in step by each one.
    seen_too_count: Mapped[int] = mapped_column(default=0)
    submission_key: Mapped[str] = mapped_column(String(64))

    author: Mapped[User | None] = relationship(foreign_keys="Flag.author_id", lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys="Flag.decided_by_id")
    platform: Mapped[Platform] = relationship(lazy="joined", innerjoin=True)
    requester: Mapped[Requester | None] = relationship(lazy="selectin")

    __table_args__ = (
        UniqueConstraint("author_id", "submission_key"),
        # The list of flags and its filters, newest first.
        Index("ix_flags_visible_created", "visibility", "created_at"),
        Index("ix_flags_category_visible_created", "category", "visibility", "created_at"),
        Index("ix_flags_platform_visible_created", "platform_id", "visibility", "created_at"),
        Index("ix_flags_requester_visible_created", "requester_id", "visibility", "created_at"),
        # Warnings (confirmed flags): home page, platform and requester pages, latest first.
        Index("ix_flags_status_visible_decided", "status", "visibility", "decided_at"),
        Index(
            "ix_flags_platform_status_visible_decided",
            "platform_id",
            "status",
            "visibility",
            "decided_at",
        ),
        Index(
            "ix_flags_requester_status_visible_decided",
            "requester_id",
            "status",
            "visibility",
            "decided_at",
        ),
        # Confirmed scam warnings of a platform ("Is it legit?" card), from the index alone.
        Index("ix_flags_platform_evidence", "platform_id", "category", "status", "visibility"),
        Index("ix_flags_author_created", "author_id", "created_at"),
    )

    @property
    def is_open(self) -> bool:
        return self.status == FlagStatus.OPEN

    @property
    def is_warning(self) -> bool:
        return self.status == FlagStatus.CONFIRMED and self.is_public

    def public_url(self) -> str:
        return url_for("flags.show", flag_id=self.id)


class FlagSeenToo(db.Model):
    """One member saying "I saw this too" about one flag. One each, never on one's own flag."""

    __tablename__ = "flag_seen_too"

    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("flag_id", "user_id"),
        Index("ix_flag_seen_too_flag_created", "flag_id", "created_at"),
    )


class FlagDecision(db.Model):
    """Every confirmation, dismissal and reopening, with its reason: a reopened flag keeps the
    decision it had."""

    __tablename__ = "flag_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (Index("ix_flag_decisions_flag_created", "flag_id", "created_at"),)
