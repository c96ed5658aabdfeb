"""The security suite attacks the app through its real surface. Its modules share one app, built
like tests/conftest.py's with SHARED_CONFIG on top, and one `world` (tests/security/world.py),
built once; a module that needs other settings names them (APP_CONFIG) and gets an app of its
own. Unlike the rest of the suite, nothing is wiped between tests: data is built once."""

import pytest

from community.extensions import db, limiter
from tests.conftest import build_app
from tests.security.world import build_world

# No burst limits (test_rate_limits.py has its own app for them) and daily quotas no test meets
# by accident (the XSS corpus writes a lot); the matrix's refusals never depend on a quota.
QUOTAS = ("review", "platform", "thread", "post", "proof", "flag", "report", "dispute")
SHARED_CONFIG = {
    "RATELIMIT_ENABLED": False,
    "DAILY_QUOTAS": {action: (1000, 1000, 1000) for action in QUOTAS},
}
_apps: dict = {}
_worlds: dict = {}


@pytest.fixture(scope="module")
def app(request, tmp_path_factory):
    config = getattr(request.module, "APP_CONFIG", SHARED_CONFIG)
    key = repr(sorted(config.items()))
    if key not in _apps:
        _apps[key] = build_app(tmp_path_factory, **config)
    before = limiter.enabled
    _limits_of(_apps[key])
    yield _apps[key]
    limiter.enabled = before


def _limits_of(app) -> None:
    """Flask-Limiter is one object for every app of the process, switched on or off by the last
    app built: each module's app gets its own setting back, with its counters at zero."""
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    if limiter.enabled:
        limiter.reset()


@pytest.fixture(scope="module")
def world(app):
    """A member of every role and an object of every kind, in this app."""
    if id(app) not in _worlds:
        with app.app_context():
            _worlds[id(app)] = build_world()
    return _worlds[id(app)]


@pytest.fixture(autouse=True)
def clean_database(app):
    """Replaces the suite's per-test wipe: every test runs in an app context, data stays."""
    _limits_of(app)
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()


def client_as(app, user):
    """A test client logged in as `user` (None: a visitor), as the login form would leave it."""
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
    return client
