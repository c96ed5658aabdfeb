"""Forum threads and posts as search documents (public text of visible items only)."""

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from community.core.content import Visibility
from community.extensions import db
from community.forum.models import Post, Thread
from community.search.documents import SearchDocument, SearchSource, make_key

VISIBLE = Visibility.VISIBLE


def _stream(query):
    return iter(db.session.scalars(query.execution_options(yield_per=2000)))


def load_threads(ids: list[int]) -> list[SearchDocument]:
    opening = aliased(Post)
    rows = db.session.execute(
        select(Thread, opening.body, opening.visibility)
        .join(opening, (opening.thread_id == Thread.id) & (opening.number == 1))
        .where(Thread.id.in_(ids), Thread.visibility == VISIBLE)
    )
    return [
        SearchDocument(
            key=make_key("thread", thread.id),
            kind="thread",
            title=thread.title,
            body=body if body and opening_visibility == VISIBLE else "",  # hidden: title only
            created_at=thread.created_at,
            platform_id=thread.platform_id,
        )
        for thread, body, opening_visibility in rows
    ]


def load_posts(ids: list[int]) -> list[SearchDocument]:
    rows = db.session.execute(
        select(Post.id, Post.body, Post.created_at, Thread.title, Thread.platform_id)
        .join(Thread)
        .where(
            Post.id.in_(ids),
            Post.number > 1,
            Post.visibility == VISIBLE,
            Thread.visibility == VISIBLE,
        )
    )
    return [
        SearchDocument(
            key=make_key("post", post_id),
            kind="post",
            title=title,
            body=body,
            created_at=created_at,
            platform_id=platform_id,
        )
        for post_id, body, created_at, title, platform_id in rows
    ]


def _visible_posts():
    return (
        select(Post.id)
        .join(Thread)
        .where(Post.number > 1, Post.visibility == VISIBLE, Thread.visibility == VISIBLE)
    )


SOURCES = [
    SearchSource(
        kind="thread",
        load=load_threads,
        all_ids=lambda: _stream(
            select(Thread.id).where(Thread.visibility == VISIBLE).order_by(Thread.id)
        ),
        count=lambda: db.session.scalar(
            select(func.count()).select_from(Thread).where(Thread.visibility == VISIBLE)
        ),
    ),
    SearchSource(
        kind="post",
        load=load_posts,
        all_ids=lambda: _stream(_visible_posts().order_by(Post.id)),
        count=lambda: db.session.scalar(
            select(func.count()).select_from(_visible_posts().subquery())
        ),
    ),
]
