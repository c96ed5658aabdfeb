"""Who may do what with a review. Services enforce these; templates use them to show buttons."""

from community.core.content import Visibility


def can_edit(user, review) -> bool:
    return bool(
        user.is_authenticated
        and review.author_id == user.id
        and review.visibility != Visibility.DELETED
    )


def can_withdraw(user, review) -> bool:
    return can_edit(user, review)


def can_see_history(user, review) -> bool:
    return bool(user.is_authenticated and (review.author_id == user.id or user.is_moderator))


def can_see_author(user, review) -> bool:
    """Anonymous reviews name their author to the author only (and to moderators on reports)."""
    if not review.anonymous:
        return True
    return bool(user.is_authenticated and review.author_id == user.id)
