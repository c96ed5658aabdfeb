"""Password hashing with argon2id (argon2-cffi's default type), cost from the configuration."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# OWASP's argon2id baseline is m=19 MiB, t=2; argon2-cffi's defaults (64 MiB, t=3) exceed it.
DEFAULT_TIME_COST = 3
DEFAULT_MEMORY_KIB = 65536


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config.get("ARGON2_TIME_COST", DEFAULT_TIME_COST),
        memory_cost=current_app.config.get("ARGON2_MEMORY_KIB", DEFAULT_MEMORY_KIB),
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def burn_time_like_a_verification(password: str) -> None:
    """Spend the time of a real check so an unknown pseudonym answers as slowly as a known one."""
    verify_password(_dummy_hash(), password)


def _dummy_hash() -> str:
    cached = current_app.extensions.get("dummy_password_hash")
    if cached is None:
        cached = current_app.extensions["dummy_password_hash"] = hash_password(
            "not-a-real-password"
        )
    return cached
