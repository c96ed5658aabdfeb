"""Notifying members, listing and clearing their notifications."""

from functools import cache

from flask_babel import gettext as _
from sqlalchemy import DateTime, Integer, bindparam, func, insert, literal, select, update

from community.core.database import utcnow
from community.core.errors import NotFound
from community.core.pagination import Page, paginate
from community.extensions import db
from community.forum.models import Subscription
from community.notifications.models import Notification, NotificationKind


def notify(
    user_ids,
    kind: str,
    actor_id: int | None = None,
    thread_id: int | None = None,
    post_id: int | None = None,
    subject: str | None = None,
    link: str | None = None,
) -> None:
    """Queue one notification per member (never to the actor). The caller commits."""
    for user_id in dict.fromkeys(user_ids):
        if user_id is not None and user_id != actor_id:
            db.session.add(
                Notification(
                    user_id=user_id,
                    kind=kind,
                    actor_id=actor_id,
                    thread_id=thread_id,
                    post_id=post_id,
                    subject=subject,
                    link=link,
                )
            )


@cache
def _notify_statement(followers):
    query = followers.add_columns(
        literal(str(NotificationKind.REPLY)),
        bindparam("actor", type_=Integer),
        bindparam("new_in_thread", type_=Integer),
        bindparam("new_post", type_=Integer),
        bindparam("moment", type_=DateTime),
    )
    columns = ["user_id", "kind", "actor_id", "thread_id", "post_id", "created_at"]
    return insert(Notification.__table__).from_select(columns, query)


def notify_followers(followers, values: dict, thread_id: int, post_id: int, actor_id: int) -> None:
    """A new post: each follower that `followers` selects (user ids of the followers not told
    yet, a select built once, with its `values`) hears of it. One statement, however many
    follow. The caller commits."""
    moment = utcnow()
    new = {"actor": actor_id, "new_in_thread": thread_id, "new_post": post_id, "moment": moment}
    db.session.execute(_notify_statement(followers), {**values, **new})


def unread_count(user) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def notifications_of(user, page: int, per_page: int = 30) -> Page[Notification]:
    query = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return paginate(db.session, query, page, per_page)


def open_notification(user, notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound(_("This notification does not exist."))
    if notification.read_at is None:
        notification.read_at = utcnow()
        if notification.kind == NotificationKind.REPLY:
            _untold(user, Subscription.thread_id == notification.thread_id)
        db.session.commit()
    return notification


def mark_all_read(user) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    _untold(user)
    db.session.commit()


def _untold(user, *where) -> None:
    """The member read the notices of new posts (of the threads `where` picks): the next post
    tells them again."""
    db.session.execute(
        update(Subscription)
        .where(Subscription.user_id == user.id, Subscription.told.is_(True), *where)
        .values(told=False)
    )


def mark_thread_read(user, thread_id: int) -> None:
    """Reading a thread clears its notifications too. The caller commits."""
    _untold(user, Subscription.thread_id == thread_id)
    db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.thread_id == thread_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
    )
