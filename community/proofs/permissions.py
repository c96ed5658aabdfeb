"""Who may do what with a proof. Services enforce these; templates use them to show buttons."""

from community.core.content import Visibility, can_read


def _is_author(user, proof) -> bool:
    return bool(
        user.is_authenticated and proof.author_id is not None and proof.author_id == user.id
    )


def can_post(user) -> bool:
    return bool(user.is_authenticated)


def can_see(user, proof) -> bool:
    """Visible proofs are public, hidden ones too behind a fold (without their screenshot);
    held proofs, and proofs hidden for personal information, by the author and moderators."""
    return proof.visibility != Visibility.DELETED and can_read(user, proof)


def can_mark(user, proof) -> bool:
    """Any member may say "looks genuine" or "looks edited", except about their own proof."""
    return bool(
        user.is_authenticated
        and proof.visibility == Visibility.VISIBLE
        and not _is_author(user, proof)
    )


def can_confirm(user, proof) -> bool:
    """Trusted members (TL2) and moderators confirm proofs, never their own."""
    return bool(
        user.is_authenticated
        and user.is_trusted
        and proof.visibility == Visibility.VISIBLE
        and not proof.is_confirmed
        and not _is_author(user, proof)
    )


def can_remove(user, proof) -> bool:
    """Moderators remove fakes (through moderation: community/moderation/service.py), never
    acting on their own content."""
    return bool(
        user.is_authenticated
        and user.is_moderator
        and proof.visibility in (Visibility.VISIBLE, Visibility.HELD)
        and not _is_author(user, proof)
    )


def can_withdraw(user, proof) -> bool:
    return bool(_is_author(user, proof) and proof.visibility != Visibility.DELETED)
