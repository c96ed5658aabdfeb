"""In-site notifications: what happened, for whom, and whether they have seen it."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.database import utcnow
from community.extensions import db


class NotificationKind(enum.StrEnum):
    MENTION = "mention"  # someone @mentioned you in a post
    REPLY = "reply"  # a new post in a thread you follow
    QUOTE = "quote"  # someone replied to or quoted your post
    # Moderation (community/moderation): `subject` says what, `link` where.
    CONTENT_HIDDEN = "content_hidden"  # moderators (or reports) hid your content
    CONTENT_RESTORED = "content_restored"
    CONTENT_DELETED = "content_deleted"
    EDIT_REQUESTED = "edit_requested"  # a moderator asks you to edit your content
    SANCTION = "sanction"  # a warning, a suspension or a ban (subject: which)
    APPEAL_DECIDED = "appeal_decided"  # subject: upheld or overturned
    DISPUTE_UPDATED = "dispute_updated"  # a case file you are party to changed
    CLAIM_DECIDED = "claim_decided"  # subject: verified or rejected
    REVIEW_REPLY = "review_reply"  # the requester answered your review


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str | None] = mapped_column(String(40))
    link: Mapped[str | None] = mapped_column(String(300))  # a path on this site
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    actor = relationship("User", foreign_keys=[actor_id], lazy="joined")
    thread = relationship("Thread", lazy="joined")
    post = relationship("Post")

    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at", "created_at"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
        # Whether a follower already has an unread notice of a thread (one until they read).
        Index("ix_notifications_thread_user_unread", "thread_id", "user_id", "read_at"),
    )
