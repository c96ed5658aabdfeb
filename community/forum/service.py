"""Forum rules: threads and posts, mentions, subscriptions and reading positions."""

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update

from community.accounts import service as accounts
from community.accounts.models import User
from community.catalog import service as catalog
from community.catalog.models import Platform, Requester
from community.core.content import Visibility
from community.core.database import lock_row, utcnow, writes
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.limits import check_daily_quota, check_not_suspended
from community.core.markup import render_markdown
from community.core.pagination import Page, paginate
from community.extensions import db
from community.forum import permissions
from community.forum.models import (
    GENERAL_CATEGORIES,
    Category,
    Post,
    PostRevision,
    Subscription,
    Thread,
)
from community.notifications import service as notifications
from community.notifications.models import NotificationKind
from community.search import service as search

POSTS_PER_PAGE = 20
MAX_MENTIONS = 10
MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9À-ÿ_.-]{3,32})")


# Categories


def general_categories() -> list[Category]:
    return list(
        db.session.scalars(
            select(Category).where(Category.platform_id.is_(None)).order_by(Category.position)
        )
    )


def platform_forums() -> list[tuple[Platform, Category | None]]:
    query = (
        select(Platform, Category)
        .outerjoin(Category, Category.platform_id == Platform.id)
        .order_by(Platform.name)
    )
    return [(platform, category) for platform, category in db.session.execute(query)]


def get_category_or_404(slug: str) -> Category:
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        raise NotFound(_("This forum category does not exist."))
    return category


def category_of_platform(platform: Platform) -> Category | None:
    return db.session.scalar(select(Category).where(Category.platform_id == platform.id))


def _platform_category(platform: Platform) -> Category:
    """The platform's own category, opened with its first thread. The caller commits."""
    category = category_of_platform(platform)
    if category is None:
        category = Category(
            slug=f"platform-{platform.slug}", platform_id=platform.id, position=1000
        )
        db.session.add(category)
        db.session.flush()
    return category


def ensure_general_categories() -> None:
    existing = set(db.session.scalars(select(Category.slug)))
    for position, slug in enumerate(GENERAL_CATEGORIES):
        if slug not in existing:
            db.session.add(Category(slug=slug, position=position))
    db.session.commit()


# Reading


def get_thread_or_404(thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id)
    if thread is None or thread.visibility == Visibility.DELETED:
        raise NotFound(_("This thread does not exist or was deleted."))
    return thread


def get_post_or_404(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None:
        raise NotFound(_("This post does not exist."))
    return post


def _listing(query, page: int, per_page: int) -> Page[Thread]:
    query = query.where(Thread.visibility == Visibility.VISIBLE)
    return paginate(db.session, query, page, per_page)


def threads_in(category: Category, page: int, per_page: int = 25) -> Page[Thread]:
    query = (
        select(Thread)
        .where(Thread.category_id == category.id)
        .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
    )
    return _listing(query, page, per_page)


def threads_about(target: Platform | Requester, limit: int = 8) -> list[Thread]:
    column = Thread.requester_id if isinstance(target, Requester) else Thread.platform_id
    query = (
        select(Thread)
        .where(column == target.id, Thread.visibility == Visibility.VISIBLE)
        .order_by(Thread.last_post_at.desc(), Thread.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def active_threads(limit: int = 8) -> list[Thread]:
    query = (
        select(Thread)
        .where(Thread.visibility == Visibility.VISIBLE)
        .order_by(Thread.last_post_at.desc(), Thread.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def page_count(thread: Thread) -> int:
    return max(1, -(-thread.last_number // POSTS_PER_PAGE))


def page_of(number: int) -> int:
    return (number - 1) // POSTS_PER_PAGE + 1


def posts_on_page(thread: Thread, page: int) -> list[Post]:
    """A page is a range of post numbers: as fast on page 250 as on page 1."""
    first = (page - 1) * POSTS_PER_PAGE + 1
    query = (
        select(Post)
        .where(
            Post.thread_id == thread.id, Post.number >= first, Post.number < first + POSTS_PER_PAGE
        )
        .order_by(Post.number)
    )
    return list(db.session.scalars(query))


@cache
def _subscription_query():
    return select(Subscription).where(
        Subscription.user_id == bindparam("member"), Subscription.thread_id == bindparam("thread")
    )


def subscription_of(user, thread: Thread) -> Subscription | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(_subscription_query(), {"member": user.id, "thread": thread.id})


def history(user, post: Post) -> list[PostRevision]:
    if not permissions.can_see_history(user, post):
        raise PermissionDenied(_("Only the author and moderators can see the history of a post."))
    return list(
        db.session.scalars(
            select(PostRevision)
            .where(PostRevision.post_id == post.id)
            .order_by(PostRevision.created_at.desc())
        )
    )


def quote_of(post: Post) -> str:
    name = post.author.username if post.author else _("a deleted member")
    quoted = "\n".join(f"> {line}" for line in post.body.strip().splitlines())
    return f"> **@{name}** {_('wrote')}:\n{quoted}\n\n"


# Writing


@dataclass(frozen=True)
class ThreadData:
    title: str
    body: str
    platform_id: int | None = None  # linked platform
    requester_id: int | None = None  # linked requester


# The statements of every reply are built once and run with their values (bindparam):
# building a statement costs SQLAlchemy about as much as running it.


@cache
def _posts_since_query():
    return (
        select(func.count())
        .select_from(Post)
        .where(Post.author_id == bindparam("member"), Post.created_at >= bindparam("since"))
    )


def _posts_today(user) -> int:
    since = utcnow() - timedelta(days=1)
    return db.session.scalar(_posts_since_query(), {"member": user.id, "since": since})


def _threads_today(user) -> int:
    since = utcnow() - timedelta(days=1)
    return db.session.scalar(
        select(func.count())
        .select_from(Thread)
        .where(Thread.author_id == user.id, Thread.created_at >= since)
    )


def _mentioned_users(body: str, author) -> list[User]:
    """Members @mentioned in the post's own words (not in the lines it quotes)."""
    own_words = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith(">"))
    names = list(dict.fromkeys(accounts.username_key(name) for name in MENTION.findall(own_words)))
    names = names[:MAX_MENTIONS]
    if not names:
        return []
    return [
        user
        for user in db.session.scalars(select(User).where(User.username_key.in_(names)))
        if user.id != author.id
    ]


def _render(body: str, mentioned: list[User]) -> str:
    """Markdown with each @mention of an existing member linked to their profile."""
    known = {user.username_key: user.username for user in mentioned}

    def link(match: re.Match) -> str:
        name = known.get(accounts.username_key(match.group(1)))
        return f"[@{name}](/members/{name})" if name else match.group(0)

    return render_markdown(MENTION.sub(link, body))


@cache
def _category_count_statement(with_last_post: bool):
    categories = Category.__table__
    values = {
        "post_count": categories.c.post_count + bindparam("posts"),
        "thread_count": categories.c.thread_count + bindparam("threads"),
    }
    if with_last_post:
        values["last_post_at"] = bindparam("moment")
    return update(categories).where(categories.c.id == bindparam("category")).values(**values)


def _count_in_category(
    category_id: int | None, posts: int = 0, threads: int = 0, last_post_at=None
):
    """Category counters change in SQL (a category takes many writers at once). Caller commits."""
    values = {"category": category_id, "posts": posts, "threads": threads, "moment": last_post_at}
    db.session.execute(_category_count_statement(last_post_at is not None), values)


def _untold_condition():
    """The followers of a thread not told of its new posts yet, but those told otherwise
    (values: thread, told_otherwise)."""
    return (
        (Subscription.thread_id == bindparam("thread"))
        & Subscription.told.is_(False)
        & Subscription.user_id.not_in(bindparam("told_otherwise", expanding=True))
    )


@cache
def _untold_followers():
    return select(Subscription.user_id).where(_untold_condition())


@cache
def _tell_followers_statement():
    return update(Subscription).where(_untold_condition()).values(told=True)


def _add_post(author, thread: Thread, body: str, reply_to: Post | None = None) -> Post:
    mentioned = _mentioned_users(body, author)
    if thread.id is not None:
        lock_row(db.session, thread)
    thread.last_number += 1
    post = Post(
        thread=thread,
        number=thread.last_number,
        author_id=author.id,
        body=body,
        body_html=_render(body, mentioned),
        reply_to_id=reply_to.id if reply_to else None,
    )
    db.session.add(post)
    now = utcnow()
    post.created_at = post.updated_at = now
    thread.post_count += 1
    thread.last_post_at = now
    thread.last_author_id = author.id
    _count_in_category(thread.category_id, posts=+1, last_post_at=now)
    db.session.flush()

    mentioned_ids = [user.id for user in mentioned]
    quoted_ids = [reply_to.author_id] if reply_to and reply_to.author_id else []
    notifications.notify(mentioned_ids, NotificationKind.MENTION, author.id, thread.id, post.id)
    notifications.notify(
        [u for u in quoted_ids if u not in mentioned_ids],
        NotificationKind.QUOTE,
        author.id,
        thread.id,
        post.id,
    )
    # Mentioned and quoted members have their own notice of this post.
    untold = {"thread": thread.id, "told_otherwise": [author.id, *mentioned_ids, *quoted_ids]}
    notifications.notify_followers(_untold_followers(), untold, thread.id, post.id, author.id)
    db.session.execute(_tell_followers_statement(), untold)
    _subscribe(author, thread, read_up_to=post.number)
    accounts.count_contribution(author, +1)
    if post.number == 1:
        search.enqueue("thread", thread.id)
    else:
        search.enqueue("post", post.id)
    return post


def start_thread(
    author, category: Category | None, data: ThreadData, platform: Platform | None = None
) -> Thread:
    """Open a thread in a general category, or in a platform's own category (`platform`)."""
    if platform is not None:
        category = _platform_category(platform)
    if category is None or not permissions.can_start_thread(author, category):
        raise PermissionDenied(_("Only moderators can open threads in this category."))
    check_daily_quota(author, "thread", _threads_today(author))
    check_daily_quota(author, "post", _posts_today(author))
    thread = Thread(
        category=category,
        title=data.title.strip(),
        author_id=author.id,
        post_count=0,
        last_number=0,
        platform_id=category.platform_id or data.platform_id,
        requester_id=data.requester_id,
    )
    db.session.add(thread)
    _count_in_category(category.id, threads=+1)
    _add_post(author, thread, data.body.strip())
    db.session.commit()
    return thread


@writes
def reply(author, thread: Thread, body: str, reply_to: Post | None = None) -> Post:
    if not permissions.can_reply(author, thread):
        raise PermissionDenied(_("This thread is locked: it takes no more replies."))
    if reply_to is not None and reply_to.thread_id != thread.id:
        reply_to = None
    check_daily_quota(author, "post", _posts_today(author))
    post = _add_post(author, thread, body.strip(), reply_to)
    db.session.commit()
    return post


def edit_post(editor, post: Post, body: str) -> Post:
    if not permissions.can_edit_post(editor, post):
        raise PermissionDenied(_("Only the author can edit this post."))
    check_not_suspended(editor)
    body = body.strip()
    if body == post.body:
        return post
    db.session.add(PostRevision(post_id=post.id, editor_id=editor.id, body=post.body))
    mentioned = _mentioned_users(body, editor)
    post.body, post.body_html, post.edited_at = body, _render(body, mentioned), utcnow()
    search.enqueue(
        "thread" if post.number == 1 else "post", post.thread_id if post.number == 1 else post.id
    )
    db.session.commit()
    return post


def delete_post(user, post: Post) -> None:
    """The author withdraws a post; its place in the thread stays, marked as deleted."""
    if not permissions.can_delete_post(user, post):
        raise PermissionDenied(_("Only the author can delete this post."))
    post.visibility = Visibility.DELETED
    post.hidden_reason = "withdrawn"
    thread = post.thread
    lock_row(db.session, thread)
    thread.post_count = max(0, thread.post_count - 1)
    _count_in_category(thread.category_id, posts=-1)
    accounts.count_contribution(user, -1)
    search.enqueue(
        "thread" if post.number == 1 else "post", post.thread_id if post.number == 1 else post.id
    )
    db.session.commit()


def _counted(visibility: str) -> int:
    return 1 if visibility == Visibility.VISIBLE else 0


def post_visibility_changed(post: Post, before: str) -> None:
    """Keep the stored counts and the index in step after moderation changed a post's
    visibility (hidden, restored, deleted). The caller commits."""
    delta = _counted(post.visibility) - _counted(before)
    thread = post.thread
    db.session.flush()
    lock_row(db.session, thread)  # a reply may be counting at the same moment
    thread.post_count = max(0, thread.post_count + delta)
    _count_in_category(thread.category_id, posts=delta)
    if post.number == 1:
        search.enqueue("thread", post.thread_id)
    else:
        search.enqueue("post", post.id)


def thread_visibility_changed(thread: Thread, before: str) -> None:
    """The same for a whole thread: its category's counts, its document and its posts'."""
    delta = _counted(thread.visibility) - _counted(before)
    db.session.flush()
    lock_row(db.session, thread)  # its post count, as replies leave it
    _count_in_category(thread.category_id, threads=delta, posts=delta * thread.post_count)
    _reindex_thread(thread)


def _reindex_thread(thread: Thread) -> None:
    search.enqueue("thread", thread.id)
    for post_id in db.session.scalars(
        select(Post.id).where(Post.thread_id == thread.id, Post.number > 1)
    ):
        search.enqueue("post", post_id)


def move_thread(thread: Thread, category: Category) -> None:
    """Move a thread and its counts to another category (moderators). The caller commits."""
    if category.id == thread.category_id:
        return
    db.session.flush()
    lock_row(db.session, thread)  # its post count, as replies leave it
    counted = _counted(thread.visibility)
    posts = counted * thread.post_count
    _count_in_category(thread.category_id, threads=-counted, posts=-posts)
    _count_in_category(category.id, threads=counted, posts=posts)
    if category.last_post_at is None or thread.last_post_at > category.last_post_at:
        category.last_post_at = thread.last_post_at
    thread.category = category
    if category.platform_id is not None:
        thread.platform_id = category.platform_id
    _reindex_thread(thread)


def _subscribe(user, thread: Thread, read_up_to: int | None = None) -> Subscription:
    subscription = subscription_of(user, thread)
    if subscription is None:
        subscription = Subscription(user_id=user.id, thread_id=thread.id, last_read_number=0)
        db.session.add(subscription)
    if read_up_to is not None:
        subscription.last_read_number = max(subscription.last_read_number, read_up_to)
    return subscription


def subscribe(user, thread: Thread) -> None:
    _subscribe(user, thread, read_up_to=thread.last_number)
    db.session.commit()


def unsubscribe(user, thread: Thread) -> None:
    subscription = subscription_of(user, thread)
    if subscription is not None:
        db.session.delete(subscription)
        db.session.commit()


def mark_read(user, thread: Thread, number: int) -> None:
    """The member has read the thread up to post `number` (sent by the page, never by a GET)."""
    subscription = subscription_of(user, thread)
    if subscription is not None:
        subscription.last_read_number = max(
            subscription.last_read_number, min(number, thread.last_number)
        )
    notifications.mark_thread_read(user, thread.id)
    db.session.commit()


def unread_counts(user, threads: list[Thread]) -> dict[int, int]:
    """Posts not yet read in each followed thread of a listing."""
    if not user.is_authenticated or not threads:
        return {}
    rows = db.session.execute(
        select(Subscription.thread_id, Subscription.last_read_number).where(
            Subscription.user_id == user.id, Subscription.thread_id.in_([t.id for t in threads])
        )
    )
    last = {thread.id: thread.last_number for thread in threads}
    return {thread_id: last[thread_id] - read for thread_id, read in rows if last[thread_id] > read}


def validate_link(platform_id: int | None, requester_external_id: str | None):
    """The platform and requester a thread should be linked to, found or created."""
    platform = catalog.get_platform_or_404(platform_id) if platform_id else None
    requester = None
    if (requester_external_id or "").strip():
        if platform is None:
            raise DomainError(_("Choose the requester's platform too."))
        requester = catalog.find_or_create_requester(platform, requester_external_id, None)
        db.session.flush()
    return platform, requester
