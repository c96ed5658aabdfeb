"""Proofs of payment (a screenshot and its facts) and the community's marks on them."""

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


class MarkVerdict(enum.StrEnum):
    GENUINE = "genuine"
    EDITED = "edited"


class RemovalReason(enum.StrEnum):
    FAKE = "fake"
    PERSONAL_INFO = "personal_info"
    NOT_A_PROOF = "not_a_proof"
    SPAM = "spam"


class Proof(ContentMixin, db.Model):
    __tablename__ = "proofs"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"))
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("requesters.id"))
    amount_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    received_on: Mapped[date]
    payout_method: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    note_html: Mapped[str] = mapped_column(Text, default="")
    # Random names of the re-encoded screenshot and its thumbnail in UPLOAD_DIR (never a path).
    image_name: Mapped[str] = mapped_column(String(64))
    image_width: Mapped[int]
    image_height: Mapped[int]
    thumb_name: Mapped[str] = mapped_column(String(64))
    thumb_width: Mapped[int]
    thumb_height: Mapped[int]
    is_confirmed: Mapped[bool] = mapped_column(default=False)
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Stored counts of the marks, kept in step by every mark.
    genuine_marks: Mapped[int] = mapped_column(default=0)
    edited_marks: Mapped[int] = mapped_column(default=0)
    submission_key: Mapped[str] = mapped_column(String(64))

    author: Mapped[User | None] = relationship(foreign_keys="Proof.author_id", lazy="joined")
    platform: Mapped[Platform] = relationship(lazy="joined", innerjoin=True)
    requester: Mapped[Requester | None] = relationship(lazy="selectin")

    __table_args__ = (
        UniqueConstraint("author_id", "submission_key"),
        Index("ix_proofs_visible_created", "visibility", "created_at"),
        Index("ix_proofs_platform_visible_created", "platform_id", "visibility", "created_at"),
        Index("ix_proofs_requester_visible_created", "requester_id", "visibility", "created_at"),
        Index("ix_proofs_author_created", "author_id", "created_at"),
        # The "Is it legit?" counts and the totals by currency, each read from one index alone.
        Index(
            "ix_proofs_platform_evidence",
            "platform_id",
            "visibility",
            "is_confirmed",
            "received_on",
            "author_id",
        ),
        Index(
            "ix_proofs_platform_totals",
            "platform_id",
            "visibility",
            "currency",
            "amount_minor",
            "is_confirmed",
        ),
        Index(
            "ix_proofs_requester_totals",
            "requester_id",
            "visibility",
            "currency",
            "amount_minor",
            "is_confirmed",
        ),
    )

    def public_url(self) -> str:
        return url_for("proofs.show", proof_id=self.id)


class ProofMark(db.Model):
    """One member's opinion of one proof: "looks genuine" or "looks edited". Changeable."""

    __tablename__ = "proof_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    proof_id: Mapped[int] = mapped_column(ForeignKey("proofs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("proof_id", "user_id"),
        Index("ix_proof_marks_proof_verdict", "proof_id", "verdict"),
    )
