"""Forum: categories, threads and posts, their edit history, and who follows which thread."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.catalog.models import Platform, Requester
from community.core.content import ContentMixin
from community.core.database import utcnow
from community.extensions import db

# The general categories, in the order they are shown; each platform gets one more when its
# first thread is opened. Their names are translated in forum/views.py.
GENERAL_CATEGORIES = ("announcements", "newcomers", "pay-and-rights", "disputes", "off-topic")
MODERATORS_ONLY = frozenset({"announcements"})


class Category(db.Model):
    __tablename__ = "forum_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id"), unique=True)
    position: Mapped[int] = mapped_column(default=100)
    thread_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    last_post_at: Mapped[datetime | None]

    platform: Mapped[Platform | None] = relationship()

    @property
    def moderators_only(self) -> bool:
        return self.slug in MODERATORS_ONLY


class Thread(ContentMixin, db.Model):
    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("forum_categories.id"))
    title: Mapped[str] = mapped_column(String(160))
    # A thread linked to a platform or requester shows on that page.
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id"))
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("requesters.id"))
    pinned: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    post_count: Mapped[int] = mapped_column(default=0)  # visible posts
    last_number: Mapped[int] = mapped_column(
        default=0
    )  # number of the latest post, deleted ones included
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    category: Mapped[Category] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys="Thread.author_id")
    last_author: Mapped[User | None] = relationship(foreign_keys="Thread.last_author_id")
    platform: Mapped[Platform | None] = relationship()
    requester: Mapped[Requester | None] = relationship()

    __table_args__ = (
        Index("ix_threads_category_listing", "category_id", "visibility", "pinned", "last_post_at"),
        Index("ix_threads_platform_listing", "platform_id", "visibility", "last_post_at"),
        Index("ix_threads_requester_listing", "requester_id", "visibility", "last_post_at"),
        Index("ix_threads_visible_last_post", "visibility", "last_post_at"),
    )


class Post(ContentMixin, db.Model):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1 for the opening post; pages are ranges of numbers
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    edited_at: Mapped[datetime | None]

    thread: Mapped[Thread] = relationship()
    author: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("thread_id", "number"),
        Index("ix_posts_author_created", "author_id", "created_at"),
    )


class PostRevision(db.Model):
    """A post as it was before an edit."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Subscription(db.Model):
    """A member follows a thread: notified of new posts, with their reading position."""

    __tablename__ = "thread_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    last_read_number: Mapped[int] = mapped_column(default=0)
    # An unread notice of new posts in the thread waits for the member (who is not told again
    # until they read it): a new post tells only the followers not told yet, however many follow.
    told: Mapped[bool] = mapped_column(default=False, server_default=false())

    __table_args__ = (
        UniqueConstraint("user_id", "thread_id"),
        Index("ix_thread_subscriptions_thread_told", "thread_id", "told"),
    )
