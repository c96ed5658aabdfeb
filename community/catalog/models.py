"""Platforms and the requesters who post tasks on them, with their stored review figures."""

import enum
import re
import unicodedata
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.database import utcnow
from community.extensions import db


class PlatformKind(enum.StrEnum):
    MICROTASK = "microtask"
    SURVEY = "survey"
    ANNOTATION = "annotation"
    MOBILE_APP = "mobile_app"
    FREELANCE = "freelance"


class PayoutMethod(enum.StrEnum):
    PAYPAL = "paypal"
    BANK_TRANSFER = "bank_transfer"
    GIFT_CARD = "gift_card"
    MOBILE_MONEY = "mobile_money"
    CRYPTO = "crypto"
    OTHER = "other"


class TermsAnswer(enum.StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


def normalise_name(name: str) -> str:
    """'  Acmé  Research, Inc. ' -> 'acme research inc': the key duplicates are found by."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", ascii_only.casefold()).split())[:200]


class RatedMixin:
    """Review figures stored on the target and updated in the transaction of each review change."""

    reviewer_count: Mapped[int] = mapped_column(default=0)
    ranking_score: Mapped[float | None]  # Bayesian average; None until the first review
    avg_pay: Mapped[float | None]
    avg_fairness: Mapped[float | None]
    avg_communication: Mapped[float | None]
    median_hourly_usd_cents: Mapped[int | None]
    last_review_at: Mapped[datetime | None]
    stats: Mapped[dict] = mapped_column(JSON, default=dict)


class WarnedMixin:
    """Confirmed, visible task flags (warnings) about the target, stored so that lists show a
    mark without a query per row. A platform counts those about its requesters too. Kept in step
    by every flag decision, in its transaction (community/flags/service.py)."""

    warning_count: Mapped[int] = mapped_column(default=0, server_default="0")


class Platform(RatedMixin, WarnedMixin, db.Model):
    __tablename__ = "platforms"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    website: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default=PlatformKind.MICROTASK)
    countries: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    payout_methods: Mapped[list] = mapped_column(JSON, default=list)
    min_payout_minor: Mapped[int | None]
    min_payout_currency: Mapped[str | None] = mapped_column(String(3))
    code_of_conduct: Mapped[bool] = mapped_column(default=False)
    code_of_conduct_source: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="active")
    terms_rejection_without_pay: Mapped[str] = mapped_column(String(8), default=TermsAnswer.UNKNOWN)
    terms_change_without_notice: Mapped[str] = mapped_column(String(8), default=TermsAnswer.UNKNOWN)
    terms_contact_allowed: Mapped[str] = mapped_column(String(8), default=TermsAnswer.UNKNOWN)
    terms_source: Mapped[str | None] = mapped_column(String(300))
    founded: Mapped[int | None]
    source: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        Index("ix_platforms_ranking", "ranking_score"),
        Index("ix_platforms_reviewer_count", "reviewer_count"),
        Index("ix_platforms_median_hourly", "median_hourly_usd_cents"),
        Index("ix_platforms_last_review_at", "last_review_at"),
    )


class Requester(RatedMixin, WarnedMixin, db.Model):
    __tablename__ = "requesters"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"))
    external_id: Mapped[str | None] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    platform: Mapped[Platform] = relationship(lazy="joined", innerjoin=True)
    aliases: Mapped[list["RequesterAlias"]] = relationship(
        back_populates="requester", order_by="RequesterAlias.name", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index(
            "uq_requesters_platform_external",
            "platform_id",
            "external_id",
            unique=True,
            sqlite_where=db.text("external_id IS NOT NULL"),
            postgresql_where=db.text("external_id IS NOT NULL"),
        ),
        Index(
            "uq_requesters_platform_name",
            "platform_id",
            "name_key",
            unique=True,
            sqlite_where=db.text("external_id IS NULL"),
            postgresql_where=db.text("external_id IS NULL"),
        ),
        Index("ix_requesters_name_key", "name_key"),
        Index("ix_requesters_external_id", "external_id"),
        Index("ix_requesters_ranking", "ranking_score"),
        Index("ix_requesters_reviewer_count", "reviewer_count"),
        Index("ix_requesters_median_hourly", "median_hourly_usd_cents"),
        Index("ix_requesters_last_review_at", "last_review_at"),
        Index("ix_requesters_platform_ranking", "platform_id", "ranking_score"),
        Index("ix_requesters_platform_reviewer_count", "platform_id", "reviewer_count"),
        Index("ix_requesters_platform_median_hourly", "platform_id", "median_hourly_usd_cents"),
        Index("ix_requesters_platform_last_review_at", "platform_id", "last_review_at"),
    )


class RequesterAlias(db.Model):
    __tablename__ = "requester_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("requesters.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)

    requester: Mapped[Requester] = relationship(back_populates="aliases")


class PlatformRedirect(db.Model):
    """The slug of a platform merged into another: its old address leads to the survivor."""

    __tablename__ = "platform_redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    old_slug: Mapped[str] = mapped_column(String(80), unique=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE"), index=True
    )


class RequesterRedirect(db.Model):
    """A requester merged into another: its old id and its platform identifier lead to the
    survivor (its name became one of the survivor's aliases)."""

    __tablename__ = "requester_redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    old_requester_id: Mapped[int] = mapped_column(unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    external_id: Mapped[str | None] = mapped_column(String(64))
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("requesters.id", ondelete="CASCADE"), index=True
    )

    __table_args__ = (
        Index("ix_requester_redirects_platform_external", "platform_id", "external_id"),
    )
