"""The security suite attacks the app through its real surface. Each module gets its own app
(built like tests/conftest.py's, with the module's APP_CONFIG on top) and builds its data once:
unlike the rest of the suite, nothing is wiped between the tests of a module."""

import pytest

from community.extensions import db
from tests.conftest import build_app


@pytest.fixture(scope="module")
def app(request, tmp_path_factory):
    return build_app(tmp_path_factory, **getattr(request.module, "APP_CONFIG", {}))


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
