"""Reviews of requesters and platforms, and the kept history of their edits."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.catalog.models import Platform, Requester
from community.core.content import ContentMixin
from community.core.database import utcnow
from community.extensions import db
from community.reviews import pay


class Outcome(enum.StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    PENDING = "pending"
    NEVER_PAID = "never_paid"
    RETURNED = "returned"


class Review(ContentMixin, db.Model):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"))
    requester_id: Mapped[int | None] = mapped_column(
        ForeignKey("requesters.id")
    )  # None: reviews the platform
    anonymous: Mapped[bool] = mapped_column(default=False)
    score_pay: Mapped[int] = mapped_column(SmallInteger)
    score_fairness: Mapped[int] = mapped_column(SmallInteger)
    score_communication: Mapped[int] = mapped_column(SmallInteger)
    task_title: Mapped[str | None] = mapped_column(String(200))
    reward_minor: Mapped[int | None]
    bonus_minor: Mapped[int | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    minutes: Mapped[int | None]
    outcome: Mapped[str | None] = mapped_column(String(16))
    hourly_minor: Mapped[int | None]  # effective hourly pay in `currency`, unpaid time included
    hourly_usd_cents: Mapped[int | None]
    days_to_paid: Mapped[int | None]
    estimate_honest: Mapped[bool | None]
    would_work_again: Mapped[bool | None]
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # The author's latest visible review of this target: the only one of theirs that counts.
    # Set by reviews.service after every change (never true for a review that is not visible).
    is_current: Mapped[bool] = mapped_column(default=False)
    reviewer_country: Mapped[str | None] = mapped_column(String(2))
    below_minimum_wage: Mapped[bool | None]
    submission_key: Mapped[str] = mapped_column(String(64))
    edited_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship(lazy="joined")
    platform: Mapped[Platform] = relationship()
    requester: Mapped[Requester | None] = relationship()

    __table_args__ = (
        UniqueConstraint("author_id", "submission_key"),
        # A target's reviews by date: its pages (newest or oldest first, hidden ones folded in,
        # read in order and stopped at the page's end: no visibility between, or the page would
        # sort all of a big requester's reviews) and its counted ones, which the figures read
        # a window of days of (community/reviews/aggregates.py).
        Index("ix_reviews_requester_created", "requester_id", "created_at"),
        Index("ix_reviews_platform_target_created", "platform_id", "requester_id", "created_at"),
        Index("ix_reviews_author_created", "author_id", "created_at"),
        # One member's reviews of one target (which of them counts) or platform (what they
        # say about pay): found from the member, never by walking a requester's fifty thousand
        # reviews.
        Index(
            "ix_reviews_author_target",
            "author_id",
            "platform_id",
            "requester_id",
            "visibility",
            "created_at",
        ),
        Index("ix_reviews_author_outcome", "author_id", "outcome"),
        Index("ix_reviews_visible_created", "visibility", "created_at"),
        # Reports of non-payment on a platform and its requesters ("Is it legit?" card).
        Index(
            "ix_reviews_platform_outcome",
            "platform_id",
            "outcome",
            "visibility",
            "created_at",
            "author_id",
        ),
    )

    @property
    def is_platform_review(self) -> bool:
        return self.requester_id is None

    @property
    def received_minor(self) -> int | None:
        return pay.received(self.outcome, self.reward_minor, self.bonus_minor)


class ReviewTally(db.Model):
    """What a target's stored figures are computed from (community/reviews/aggregates.py): counts,
    sums and histograms of its counted reviews, all time and since `recent_since`."""

    __tablename__ = "review_tallies"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One of the two: a requester's reviews, or a platform's own reviews.
    requester_id: Mapped[int | None] = mapped_column(
        ForeignKey("requesters.id", ondelete="CASCADE")
    )
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    version: Mapped[int]
    recent_since: Mapped[datetime]
    everything: Mapped[dict] = mapped_column(JSON)
    recent: Mapped[dict] = mapped_column(JSON)

    __table_args__ = (
        Index(
            "uq_review_tallies_requester",
            "requester_id",
            unique=True,
            sqlite_where=db.text("requester_id IS NOT NULL"),
            postgresql_where=db.text("requester_id IS NOT NULL"),
        ),
        Index(
            "uq_review_tallies_platform",
            "platform_id",
            unique=True,
            sqlite_where=db.text("platform_id IS NOT NULL"),
            postgresql_where=db.text("platform_id IS NOT NULL"),
        ),
    )


class PaymentReport(db.Model):
    """What one member said about being paid on a platform (and its requesters), from their
    visible reviews: the "Is it legit?" card counts members from these rows, not from reviews.
    Kept in step by every review change (community/reviews/service.py)."""

    __tablename__ = "payment_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_told_at: Mapped[datetime | None]  # latest review saying paid, or never paid
    last_never_paid_at: Mapped[datetime | None]  # latest review saying never paid

    __table_args__ = (
        UniqueConstraint("platform_id", "author_id"),
        Index("ix_payment_reports_platform_told", "platform_id", "last_told_at"),
        Index("ix_payment_reports_platform_never_paid", "platform_id", "last_never_paid_at"),
    )


class ReviewRevision(db.Model):
    """The review as it was before an edit."""

    __tablename__ = "review_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    snapshot: Mapped[dict] = mapped_column(JSON)


class PayMonth(db.Model):
    """Effective hourly pay (converted to US dollars) that the counted reviews of one target
    written in one month report: the stored series behind the "hourly pay over time" chart.
    Kept by `aggregates` with the other figures of the target."""

    __tablename__ = "pay_months"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Exactly one of the two: a requester, or a platform for the reviews of the platform itself.
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    requester_id: Mapped[int | None] = mapped_column(
        ForeignKey("requesters.id", ondelete="CASCADE")
    )
    month: Mapped[date]  # the first day of the month (UTC)
    reviewers: Mapped[int]  # counted reviews of that month that give an hourly pay
    median_hourly_usd_cents: Mapped[int]
    # Their histogram, [cents, reviews, ...]: a write moves it instead of rereading the month.
    # None in months stored before it was kept (recounted at their next write).
    hourly_counts: Mapped[list[int] | None] = mapped_column(JSON)

    __table_args__ = (
        UniqueConstraint("platform_id", "month"),
        UniqueConstraint("requester_id", "month"),
        CheckConstraint("(platform_id IS NULL) <> (requester_id IS NULL)", name="one_target"),
    )
