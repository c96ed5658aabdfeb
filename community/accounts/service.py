"""Account rules: registration, authentication with lockout, sessions that really end, settings."""

import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, select

from community.accounts import passwords
from community.accounts.models import LoginThrottle, Role, User, new_session_token
from community.core.database import utcnow
from community.core.errors import DomainError, NotFound
from community.extensions import db

RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "moderator",
        "moderators",
        "taskopticon",
        "system",
        "deleted",
        "anonymous",
        "member",
        "root",
        "support",
        "staff",
    }
)


class LoginFailed(DomainError):
    status_code = 401


def username_key(username: str) -> str:
    return unicodedata.normalize("NFKC", username).casefold().strip()


def find_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username_key == username_key(username)))


def get_member_or_404(username: str) -> User:
    user = find_by_username(username)
    if user is None:
        raise NotFound(_("No member has this pseudonym."))
    return user


@cache
def _session_query():  # built once: run by every request of a member
    return select(User).where(User.session_token == bindparam("token"))


def load_by_session_token(token: str) -> User | None:
    return db.session.scalar(_session_query(), {"token": token})


@dataclass(frozen=True)
class Registration:
    username: str
    password: str
    email: str | None = None
    locale: str | None = None


def register(data: Registration, role: Role = Role.MEMBER) -> User:
    # Hashed first: the deliberately slow hash must not run inside the write transaction that
    # the first query of a POST opens (it would hold every other writer back meanwhile).
    password_hash = passwords.hash_password(data.password)
    key = username_key(data.username)
    taken = db.session.scalar(select(User.id).where(User.username_key == key))
    if key in RESERVED_USERNAMES or taken is not None:
        raise DomainError(_("This pseudonym is not available. Please choose another one."))
    user = User(
        username=data.username.strip(),
        username_key=key,
        email=(data.email or "").strip() or None,
        password_hash=password_hash,
        role=role,
        locale=data.locale,
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(username: str, password: str) -> User:
    """The member, or LoginFailed with one message whether or not the pseudonym exists."""
    key = username_key(username)
    now = utcnow()
    throttle = db.session.get(LoginThrottle, key)
    if throttle and throttle.locked_until and throttle.locked_until > now:
        minutes = max(1, int((throttle.locked_until - now).total_seconds() // 60) + 1)
        raise LoginFailed(
            ngettext(
                "Too many failed attempts. Please wait %(num)d minute and try again.",
                "Too many failed attempts. Please wait %(num)d minutes and try again.",
                minutes,
            )
        )
    user = db.session.scalar(select(User).where(User.username_key == key))
    password_hash = user.password_hash if user is not None else None
    # The check is slow on purpose: it runs outside any transaction, so that it never holds
    # the database's write lock (a POST takes it with its first query) while others wait.
    db.session.rollback()
    if password_hash is None:
        passwords.burn_time_like_a_verification(password)
        ok = False
    else:
        ok = passwords.verify_password(password_hash, password)
    throttle = db.session.get(LoginThrottle, key)  # as it is now, under the write lock
    if not ok:
        _record_failure(key, throttle, now)
        raise LoginFailed(_("Wrong pseudonym or password."))
    if throttle:
        db.session.delete(throttle)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    db.session.commit()
    return user


def _record_failure(key: str, throttle: LoginThrottle | None, now) -> None:
    if throttle is None:
        throttle = LoginThrottle(username_key=key, failures=0)
        db.session.add(throttle)
    throttle.failures += 1
    if throttle.failures >= current_app.config["LOGIN_MAX_FAILURES"]:
        throttle.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])
        throttle.failures = 0
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Logging out ends every session and remember cookie of the account, on every device."""
    user.session_token = new_session_token()
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    if not passwords.verify_password(user.password_hash, current):
        raise DomainError(_("Your current password is not correct."))
    user.password_hash = passwords.hash_password(new)
    user.session_token = new_session_token()
    db.session.commit()


@dataclass(frozen=True)
class Settings:
    email: str | None
    country: str | None
    locale: str | None
    anonymous_by_default: bool


def update_settings(user: User, data: Settings) -> None:
    user.email = (data.email or "").strip() or None
    user.country = data.country or None
    user.locale = data.locale or None
    user.anonymous_by_default = data.anonymous_by_default
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.commit()


def set_role(user: User, role: Role) -> None:
    user.role = role
    db.session.commit()


def count_contribution(user: User, delta: int = 1) -> None:
    """Keep the member's contribution count (part of their trust level) in step; caller commits."""
    user.contribution_count = max(0, user.contribution_count + delta)
