"""Who may do what with a task flag. Services enforce these; templates use them to show buttons."""

from community.core.content import Visibility, can_read
from community.flags.models import FlagStatus


def _is_author(user, flag) -> bool:
    return bool(user.is_authenticated and flag.author_id is not None and flag.author_id == user.id)


def can_flag(user) -> bool:
    return bool(user.is_authenticated)


def can_see(user, flag) -> bool:
    """Visible flags are public, hidden ones too behind a fold; held flags, and flags hidden for
    personal information or illegality, by the author and moderators only."""
    return flag.visibility != Visibility.DELETED and can_read(user, flag)


def can_see_author(user, flag) -> bool:
    """Flags name no one publicly: a requester could retaliate. The author and moderators see it."""
    return bool(_is_author(user, flag) or (user.is_authenticated and user.is_moderator))


def can_see_decider(user, decider) -> bool:
    """Moderators decide in their own name (they answer for their acts); a trusted member who
    confirmed, dismissed or reopened a flag is named to moderators and to themselves only."""
    if decider is None:
        return False
    if decider.is_moderator:
        return True
    return bool(user.is_authenticated and (user.is_moderator or decider.id == user.id))


def can_say_seen_too(user, flag) -> bool:
    """Any member may say "I saw this too" about a public flag, except its author."""
    return bool(
        user.is_authenticated
        and flag.visibility == Visibility.VISIBLE
        and not _is_author(user, flag)
    )


def can_decide(user, flag) -> bool:
    """Trusted members (TL2) and moderators confirm or dismiss an open flag, never their own."""
    return bool(
        user.is_authenticated
        and user.is_trusted
        and flag.visibility == Visibility.VISIBLE
        and flag.status == FlagStatus.OPEN
        and not _is_author(user, flag)
    )


def can_reopen(user, flag) -> bool:
    """Only a moderator reopens a decided flag, and never their own."""
    return bool(
        user.is_authenticated
        and user.is_moderator
        and flag.visibility == Visibility.VISIBLE
        and flag.status != FlagStatus.OPEN
        and not _is_author(user, flag)
    )


def can_withdraw(user, flag) -> bool:
    return bool(_is_author(user, flag) and flag.visibility != Visibility.DELETED)
