from datetime import timedelta

import pytest

from community.accounts import service
from community.accounts.models import Role
from community.accounts.trust import trust_level
from community.core.database import utcnow
from community.core.errors import DomainError
from community.extensions import db
from tests.conftest import PASSWORD, make_user


def test_passwords_are_hashed_with_argon2id(app):
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_production_hash_cost_meets_owasp(app):
    from argon2 import PasswordHasher

    from community.accounts.passwords import DEFAULT_MEMORY_KIB, DEFAULT_TIME_COST

    assert DEFAULT_MEMORY_KIB >= 19 * 1024 and DEFAULT_TIME_COST >= 2
    assert (
        PasswordHasher(time_cost=DEFAULT_TIME_COST, memory_cost=DEFAULT_MEMORY_KIB).type.name
        == "ID"
    )


def test_pseudonyms_are_unique_whatever_their_case(app):
    make_user(username="NightOwl")
    with pytest.raises(DomainError):
        service.register(service.Registration("nightowl", PASSWORD))


@pytest.mark.parametrize("name", ["admin", "Moderator", "deleted"])
def test_reserved_pseudonyms_are_refused(app, name):
    with pytest.raises(DomainError):
        service.register(service.Registration(name, PASSWORD))


def test_unknown_pseudonym_and_wrong_password_fail_alike(app):
    make_user(username="known")
    with pytest.raises(service.LoginFailed) as unknown:
        service.authenticate("unknown", PASSWORD)
    with pytest.raises(service.LoginFailed) as wrong:
        service.authenticate("known", "wrong password")
    assert unknown.value.message == wrong.value.message


def test_repeated_failures_lock_the_pseudonym_even_with_the_right_password(app):
    make_user(username="target")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        with pytest.raises(service.LoginFailed):
            service.authenticate("target", "guess")
    with pytest.raises(service.LoginFailed) as locked:
        service.authenticate("target", PASSWORD)
    assert "Too many failed attempts" in locked.value.message


def test_lockout_answers_the_same_for_pseudonyms_nobody_has(app):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        with pytest.raises(service.LoginFailed):
            service.authenticate("ghost", "guess")
    with pytest.raises(service.LoginFailed) as locked:
        service.authenticate("ghost", "guess")
    assert "Too many failed attempts" in locked.value.message


def test_success_clears_earlier_failures(app):
    make_user(username="forgetful")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        with pytest.raises(service.LoginFailed):
            service.authenticate("forgetful", "guess")
    service.authenticate("forgetful", PASSWORD)
    with pytest.raises(service.LoginFailed) as failed:
        service.authenticate("forgetful", "guess")
    assert "Too many" not in failed.value.message


def test_changing_the_password_rotates_the_session_token(app):
    user = make_user()
    before = user.session_token
    service.change_password(user, PASSWORD, "a brand new password")
    assert user.session_token != before
    assert service.authenticate(user.username, "a brand new password") == user


def test_changing_the_password_needs_the_current_one(app):
    user = make_user()
    with pytest.raises(DomainError):
        service.change_password(user, "not it", "a brand new password")


@pytest.mark.parametrize(
    "age_days, contributions, sanction_days_ago, level",
    [
        (0, 0, None, 0),
        (2, 50, None, 0),
        (3, 3, None, 1),
        (29, 100, None, 1),
        (30, 20, None, 2),
        (400, 500, 10, 1),
        (400, 500, 91, 2),
    ],
)
def test_trust_levels_follow_the_record_and_the_configured_thresholds(
    app, age_days, contributions, sanction_days_ago, level
):
    now = utcnow()
    user = make_user(trust=0)
    user.created_at = now - timedelta(days=age_days)
    user.contribution_count = contributions
    user.last_sanction_at = now - timedelta(days=sanction_days_ago) if sanction_days_ago else None
    assert trust_level(user, now) == level


def test_thresholds_come_from_the_configuration(app):
    user = make_user(trust=1)
    app.config["TRUST_TL1_MIN_DAYS"] = 100
    try:
        assert user.trust_level == 0
    finally:
        app.config["TRUST_TL1_MIN_DAYS"] = 3


def test_moderators_are_trusted(app):
    moderator = make_user(trust=0, role=Role.MODERATOR)
    assert moderator.is_trusted
    db.session.commit()


def test_the_slow_password_work_holds_no_transaction_open(app, monkeypatch):
    """Hashing and checking a password take a while on purpose: meanwhile no transaction (and
    so, on SQLite, no write lock that every other writer would wait for) may be open."""
    from community.accounts import passwords

    seen = []

    def spy(real):
        def measured(*args):
            seen.append((real.__name__, db.session().in_transaction()))
            return real(*args)

        return measured

    for name in ("hash_password", "verify_password", "burn_time_like_a_verification"):
        monkeypatch.setattr(passwords, name, spy(getattr(passwords, name)))
    user = make_user()
    db.session.commit()
    service.authenticate(user.username, PASSWORD)
    for username in (user.username, "nobody-by-this-name"):
        with pytest.raises(service.LoginFailed):
            service.authenticate(username, "not the password")
    assert [open_ for _name, open_ in seen] == [False] * len(seen)
    assert {name for name, _open in seen} == {
        "hash_password",
        "verify_password",
        "burn_time_like_a_verification",
    }
