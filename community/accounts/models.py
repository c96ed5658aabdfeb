"""Members and the record their trust level is computed from."""

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from community.accounts.trust import trust_level
from community.core.database import utcnow
from community.extensions import db


class Role(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32))
    username_key: Mapped[str] = mapped_column(String(32), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Flask-Login stores this token, not the id, in the session and the remember cookie:
    # rotating it on logout or password change ends every copy of both.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER)
    country: Mapped[str | None] = mapped_column(String(2))
    locale: Mapped[str | None] = mapped_column(String(5))
    anonymous_by_default: Mapped[bool] = mapped_column(default=False)
    contribution_count: Mapped[int] = mapped_column(default=0)
    last_sanction_at: Mapped[datetime | None]
    # Sanctions (community/moderation): no writing until then; a ban has no end.
    suspended_until: Mapped[datetime | None]
    banned_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def trust_level(self) -> int:
        return trust_level(self)

    @property
    def is_suspended(self) -> bool:
        return self.banned_at is not None or (
            self.suspended_until is not None and self.suspended_until > utcnow()
        )

    @property
    def is_trusted(self) -> bool:
        return self.is_moderator or self.trust_level >= 2


class LoginThrottle(db.Model):
    """Failed logins per pseudonym, whether or not an account has it (so answers reveal nothing)."""

    __tablename__ = "login_throttles"

    username_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
