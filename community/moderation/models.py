"""Moderation tables: reports and the queue they feed, the public record of every act, appeals,
disputes, requester representatives and their replies, elections and moderator terms, and the
versioned community rules.

Reports, queue entries and actions name their item by kind and id ("review", 12): moderation
works on every kind of content through the registry in items.py, not through a table per kind.
"""

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.catalog.models import Requester
from community.core.content import ContentMixin
from community.core.database import utcnow
from community.extensions import db
from community.reviews.models import Review


class ReportReason(enum.StrEnum):
    SPAM = "spam"
    HARASSMENT = "harassment"
    PERSONAL_INFO = "personal_info"  # doxxing: gone from public view when hidden
    MISLEADING = "misleading"
    OFF_TOPIC = "off_topic"
    ILLEGAL = "illegal"  # gone from public view when hidden
    SELF_REVIEW = "self_review"  # reviews only: the requester reviewing itself
    FALSIFIED = "falsified"  # reviews only
    OTHER = "other"  # with a text


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"  # the item was hidden or deleted
    DISMISSED = "dismissed"


class Report(db.Model):
    """One member's report of one item. Reporters are never shown publicly."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int]
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(16))
    details: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default=ReportStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    reporter: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (
        Index("ix_reports_item_status", "kind", "item_id", "status", "created_at"),
        # One open report per member per item, whatever two clicks at once try.
        Index(
            "uq_reports_open_per_member",
            "reporter_id",
            "kind",
            "item_id",
            unique=True,
            sqlite_where=db.text("status = 'open'"),
            postgresql_where=db.text("status = 'open'"),
        ),
        Index("ix_reports_reporter_created", "reporter_id", "created_at"),
    )


class QueueEntry(db.Model):
    """An item waiting for a moderator (reported, or held before publication), with the stored
    count and weight of its open reports so that the queue is read from an index."""

    __tablename__ = "moderation_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int]
    is_open: Mapped[bool] = mapped_column(default=True)
    held: Mapped[bool] = mapped_column(default=False)
    open_reports: Mapped[int] = mapped_column(default=0)
    open_weight: Mapped[int] = mapped_column(default=0)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("kind", "item_id"),
        Index("ix_moderation_queue_heaviest", "is_open", "open_weight", "opened_at"),
        Index("ix_moderation_queue_oldest", "is_open", "opened_at"),
    )


class ActionKind(enum.StrEnum):
    AUTO_HIDE = "auto_hide"  # no moderator: reports reached the threshold
    DISMISS = "dismiss"
    HIDE = "hide"
    RESTORE = "restore"
    DELETE = "delete"
    REQUEST_EDIT = "request_edit"
    LOCK = "lock"
    UNLOCK = "unlock"
    PIN = "pin"
    UNPIN = "unpin"
    MOVE = "move"
    MERGE = "merge"
    WARN = "warn"
    SUSPEND = "suspend"
    BAN = "ban"
    LIFT = "lift"  # a suspension or ban ends early
    APPEAL_UPHELD = "appeal_upheld"
    APPEAL_OVERTURNED = "appeal_overturned"
    VERIFY_CLAIM = "verify_claim"
    REJECT_CLAIM = "reject_claim"
    TAKE_DISPUTE = "take_dispute"
    RESOLVE_DISPUTE = "resolve_dispute"
    DISMISS_DISPUTE = "dismiss_dispute"
    APPOINT = "appoint"
    REMOVE_MODERATOR = "remove_moderator"
    TERM_ENDED = "term_ended"
    OPEN_ELECTION = "open_election"
    START_VOTING = "start_voting"
    CLOSE_ELECTION = "close_election"


class ModerationAction(db.Model):
    """One moderation act: who, what, on which target, why. The public log is this table."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # None: automatic (reports), or an administrator at the command line.
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(24))
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int]
    reason: Mapped[str] = mapped_column(Text, default="")
    reason_code: Mapped[str | None] = mapped_column(String(32))
    rule_number: Mapped[int | None]
    rules_version: Mapped[int | None]
    # The member the act affects (the author of the content, the sanctioned member): the one who
    # may appeal. Shown publicly for sanctions only, never for content (anonymous authors).
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    ends_at: Mapped[datetime | None]  # end of a suspension
    # An appeal decision points at the act it decided on.
    related_action_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_actions.id", ondelete="SET NULL"), index=True
    )
    overturned_at: Mapped[datetime | None]
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id], lazy="joined")
    member: Mapped[User | None] = relationship(foreign_keys=[member_id])

    __table_args__ = (
        Index("ix_moderation_actions_created", "created_at", "id"),
        Index("ix_moderation_actions_action_created", "action", "created_at", "id"),
        Index("ix_moderation_actions_kind_created", "target_kind", "created_at", "id"),
        Index(
            "ix_moderation_actions_action_kind_created",
            "action",
            "target_kind",
            "created_at",
            "id",
        ),
        Index("ix_moderation_actions_target", "target_kind", "target_id", "created_at"),
        Index("ix_moderation_actions_member_created", "member_id", "created_at"),
    )


class AppealStatus(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    OVERTURNED = "overturned"


class Appeal(db.Model):
    """The affected member asks another moderator to look again at an act, once per act."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_actions.id", ondelete="CASCADE"), unique=True
    )
    appellant_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    statement: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=AppealStatus.OPEN)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    action: Mapped[ModerationAction] = relationship(lazy="joined", innerjoin=True)
    appellant: Mapped[User | None] = relationship(foreign_keys=[appellant_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (Index("ix_appeals_status_created", "status", "created_at"),)


class ClaimStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class RepresentativeClaim(db.Model):
    """A member says they speak for a requester, with evidence a moderator can check."""

    __tablename__ = "representative_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("requesters.id", ondelete="CASCADE"))
    evidence: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=ClaimStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    requester: Mapped[Requester] = relationship(lazy="joined", innerjoin=True)
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        Index("ix_representative_claims_user_status", "user_id", "status"),
        Index("ix_representative_claims_requester_status", "requester_id", "status"),
        Index("ix_representative_claims_status_created", "status", "created_at"),
    )


class ReviewReply(ContentMixin, db.Model):
    """The requester's one public answer under a review, written by a verified representative."""

    __tablename__ = "review_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), unique=True
    )
    requester_id: Mapped[int] = mapped_column(ForeignKey("requesters.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    edited_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship(lazy="joined")
    review: Mapped[Review] = relationship()
    requester: Mapped[Requester] = relationship()


class DisputeKind(enum.StrEnum):
    REVIEW = "review"  # a representative contests a review of their requester
    UNFAIR_REJECTION = "unfair_rejection"  # a worker against a requester
    NON_PAYMENT = "non_payment"  # a worker against a requester


class DisputeStatus(enum.StrEnum):
    OPEN = "open"
    IN_MEDIATION = "in_mediation"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class Dispute(db.Model):
    """A case file for mediation, like an ombuds office. Its summary and outcome are public;
    the parties' statements are read by the parties and the moderators."""

    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    opened_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    requester_id: Mapped[int] = mapped_column(ForeignKey("requesters.id"), index=True)
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    status: Mapped[str] = mapped_column(String(16), default=DisputeStatus.OPEN)
    mediator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    outcome: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None]

    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    mediator: Mapped[User | None] = relationship(foreign_keys=[mediator_id], lazy="joined")
    requester: Mapped[Requester] = relationship(lazy="joined", innerjoin=True)
    review: Mapped[Review | None] = relationship()

    __table_args__ = (
        Index("ix_disputes_created", "created_at", "id"),
        Index("ix_disputes_status_created", "status", "created_at", "id"),
    )


class PartySide(enum.StrEnum):
    OPENER = "opener"
    RESPONDENT = "respondent"
    MEDIATOR = "mediator"


class DisputeStatement(db.Model):
    """A statement, with its evidence, added to a case file. Named by its side, never by the
    author's pseudonym: the author of an anonymous review stays anonymous to the requester."""

    __tablename__ = "dispute_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    side: Mapped[str] = mapped_column(String(12))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_dispute_statements_dispute_created", "dispute_id", "created_at"),)


class ElectionPhase(enum.StrEnum):
    NOMINATIONS = "nominations"
    VOTING = "voting"
    CLOSED = "closed"


class Election(db.Model):
    __tablename__ = "elections"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    seats: Mapped[int]
    term_days: Mapped[int]
    phase: Mapped[str] = mapped_column(String(12), default=ElectionPhase.NOMINATIONS)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    voting_started_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    ballot_count: Mapped[int] = mapped_column(default=0)  # published when the election closes

    __table_args__ = (Index("ix_elections_created", "created_at"),)


class Candidate(db.Model):
    __tablename__ = "election_candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    votes: Mapped[int | None]  # counted when the election closes
    elected: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("election_id", "user_id"),)


class ElectionVoter(db.Model):
    """That a member voted, and nothing else: no time, no link to the ballot."""

    __tablename__ = "election_voters"

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    __table_args__ = (UniqueConstraint("election_id", "user_id"),)


class Ballot(db.Model):
    """The choices of one anonymous ballot. A random key and no row id or time: rows are stored
    in key order, so nothing ties a ballot to the voter who was recorded at the same moment."""

    __tablename__ = "election_ballots"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    election_id: Mapped[int] = mapped_column(
        ForeignKey("elections.id", ondelete="CASCADE"), index=True
    )
    choices: Mapped[list] = mapped_column(JSON)  # candidate ids approved on this ballot

    __table_args__ = {"sqlite_with_rowid": False}


class ModeratorTerm(db.Model):
    """A period as moderator, from an election or an appointment; `ends_at` None: no end date."""

    __tablename__ = "moderator_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    election_id: Mapped[int | None] = mapped_column(
        ForeignKey("elections.id", ondelete="SET NULL"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (
        Index("ix_moderator_terms_user_ended", "user_id", "ended_at"),
        Index("ix_moderator_terms_ended_ends", "ended_at", "ends_at"),
    )


class RulesVersion(db.Model):
    """One dated version of the community rules, kept for ever. `rules` is a list of
    {"title": {"en": ..., "fr": ...}, "text": {"en": ..., "fr": ...}}, numbered from 1."""

    __tablename__ = "rules_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
    rules: Mapped[list] = mapped_column(JSON)
