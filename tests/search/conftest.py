"""Every behaviour test of tests/search runs against each search backend.

Whoosh runs everywhere; PostgreSQL when the suite runs on PostgreSQL (TEST_DATABASE_URL), since
its index lives in the database. A test about one engine's own storage asks for that engine:
`@pytest.mark.parametrize("search_backend", ["whoosh"], indirect=True)`.
"""

from contextlib import contextmanager

import pytest
from sqlalchemy import text

from community.extensions import db
from community.search import service as search
from community.search.postgres_backend import INDEX_LOCK_KEY
from tests.conftest import ON_POSTGRES

BACKENDS = ("whoosh", "postgres")


@pytest.fixture(params=BACKENDS)
def search_backend(request, app):
    """The app searches with this backend for the test, from an empty index."""
    if request.param == "postgres" and not ON_POSTGRES:
        pytest.skip("the PostgreSQL search backend needs the suite on PostgreSQL")
    configured = app.config["SEARCH_BACKEND"]
    app.config["SEARCH_BACKEND"] = request.param
    search.backend().reset()
    try:
        yield request.param
    finally:
        db.session.rollback()
        search.backend().reset()
        app.config["SEARCH_BACKEND"] = configured


@contextmanager
def index_held_elsewhere(app, name: str):
    """Another process is changing the index."""
    if name == "whoosh":
        from whoosh.index import open_dir

        writer = open_dir(app.config["SEARCH_INDEX_DIR"]).writer()
        try:
            yield
        finally:
            writer.cancel()
        return
    with db.engine.connect() as connection, connection.begin():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INDEX_LOCK_KEY})
        yield


@contextmanager
def searches_run_out_of_time(name: str):
    """Every search reaches the time limit: Whoosh gets none, PostgreSQL waits for a lock."""
    engine = search.backend()
    allowed = engine.time_limit_seconds
    if name == "whoosh":
        engine.time_limit_seconds = 0
        try:
            yield
        finally:
            engine.time_limit_seconds = allowed
        return
    engine.time_limit_seconds = 0.2
    try:
        with db.engine.connect() as connection, connection.begin():
            connection.execute(text("LOCK TABLE search_documents IN ACCESS EXCLUSIVE MODE"))
            yield
    finally:
        engine.time_limit_seconds = allowed
