"""Write limits by trust level: daily quotas (counted from the database) and short bursts."""

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from community.core.database import utcnow
from community.core.errors import PermissionDenied, RateLimited
from community.extensions import limiter


def _level_index(user) -> int:
    return 2 if user.is_moderator else min(user.trust_level, 2)


def is_exempt(user) -> bool:
    """A member the operator exempts from write limits (WRITE_LIMITS_EXEMPT_MEMBERS)."""
    exempt = current_app.config["WRITE_LIMITS_EXEMPT_MEMBERS"]
    if not exempt or user is None or not user.is_authenticated:
        return False
    return user.username_key in {name.casefold() for name in exempt}


def daily_quota(user, action: str) -> int:
    return current_app.config["DAILY_QUOTAS"][action][_level_index(user)]


def check_not_suspended(user) -> None:
    """The one check every write makes: a suspended or banned member reads but does not post,
    review, flag, upload or report (sanctions: community/moderation)."""
    if getattr(user, "banned_at", None) is not None:
        raise PermissionDenied(
            _(
                "Your account is banned: you can read, export your data and appeal, "
                "but no longer post."
            )
        )
    until = getattr(user, "suspended_until", None)
    if until is not None and until > utcnow():
        raise PermissionDenied(
            _(
                "Your account is suspended until %(date)s: you can read and appeal, but not post.",
                date=format_date(until, "long"),
            )
        )


def check_daily_quota(user, action: str, used_today: int) -> None:
    """Raise RateLimited when `user` did `action` as often as their trust level allows today.
    A suspended member is refused first (every write with a quota checks it here)."""
    check_not_suspended(user)
    if is_exempt(user):
        return
    quota = daily_quota(user, action)
    if used_today >= quota:
        if quota == 0:
            raise RateLimited(
                _(
                    "Your account is too new for this. "
                    "It will be unlocked after a few days of participation."
                )
            )
        raise RateLimited(
            _(
                "You have reached today's limit (%(quota)d) for this. Please come back tomorrow.",
                quota=quota,
            )
        )


def write_burst_limit() -> str:
    """Flask-Limiter limit string for the current member's writes, by trust level."""
    limits = current_app.config["WRITE_BURST_LIMITS"]
    if not current_user.is_authenticated:
        return limits[0]
    return limits[_level_index(current_user)]


def member_key() -> str:
    if current_user.is_authenticated:
        return f"member:{current_user.id}"
    return f"ip:{get_remote_address()}"


def read_mark_limit() -> str:
    return current_app.config["READ_MARK_RATE_LIMIT"]


# Decorates every view that writes: a burst limit per member, by trust level.
limit_writes = limiter.limit(
    write_burst_limit,
    key_func=member_key,
    methods=["POST"],
    exempt_when=lambda: is_exempt(current_user),
)
# Decorates the writes a page sends by itself as it is read ("read up to here"): many a minute.
limit_read_marks = limiter.limit(
    read_mark_limit,
    key_func=member_key,
    methods=["POST"],
    exempt_when=lambda: is_exempt(current_user),
)
