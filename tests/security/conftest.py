"""The security suite attacks the app through its real surface. Each module names the settings
it needs (APP_CONFIG, on top of tests/conftest.py's) and gets an app built like the suite's;
modules that name the same settings share it, and its `world` (tests/security/world.py), built
once. Unlike the rest of the suite, nothing is wiped between tests: data is built once."""

import pytest

from community.extensions import db
from tests.conftest import build_app
from tests.security.world import build_world

_apps: dict = {}
_worlds: dict = {}


@pytest.fixture(scope="module")
def app(request, tmp_path_factory):
    config = getattr(request.module, "APP_CONFIG", {})
    key = repr(sorted(config.items()))
    if key not in _apps:
        _apps[key] = build_app(tmp_path_factory, **config)
    return _apps[key]


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
