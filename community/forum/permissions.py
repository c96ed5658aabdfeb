"""Who may do what in the forum. Services enforce these; templates use them to show buttons."""

from community.core.content import Visibility


def can_start_thread(user, category) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_moderator or not category.moderators_only


def can_reply(user, thread) -> bool:
    return bool(
        user.is_authenticated
        and thread.visibility == Visibility.VISIBLE
        and (not thread.locked or user.is_moderator)
    )


def can_edit_post(user, post) -> bool:
    return bool(
        user.is_authenticated
        and post.author_id == user.id
        and post.visibility != Visibility.DELETED
    )


def can_delete_post(user, post) -> bool:
    return can_edit_post(user, post)


def can_see_history(user, post) -> bool:
    return bool(user.is_authenticated and (post.author_id == user.id or user.is_moderator))
