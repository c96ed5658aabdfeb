"""/health: 200 when the database and the index answer, 503 naming the part that failed,
and never anything private (no path, no error text)."""

import shutil
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from community.core.database import utcnow
from community.extensions import db
from community.search import service as search
from community.search.models import SearchOutbox
from tests.conftest import make_thread


@pytest.fixture
def thread(app):
    thread = make_thread()
    search.drain()  # the index exists and follows
    return thread


def answer(client, status: int) -> dict:
    response = client.get("/health")
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "/" not in response.get_data(as_text=True)  # no path, no address of any kind
    return response.get_json()


def test_healthy_when_the_database_and_the_index_answer(client, thread):
    assert answer(client, 200) == {
        "status": "ok",
        "database": "ok",
        "search": {"status": "ok", "waiting": 0},
    }


def test_it_says_how_many_changes_wait_for_the_index(client, thread):
    search.enqueue("thread", thread.id)
    search.enqueue("post", thread.id)
    db.session.commit()
    assert answer(client, 200)["search"] == {"status": "ok", "waiting": 2}


def test_changes_that_wait_too_long_mean_the_index_no_longer_follows(app, client, thread):
    search.enqueue("thread", thread.id)
    db.session.commit()
    row = db.session.query(SearchOutbox).one()
    row.created_at = utcnow() - timedelta(seconds=app.config["SEARCH_OUTBOX_MAX_AGE_SECONDS"] + 5)
    db.session.commit()
    assert answer(client, 503) == {
        "status": "error",
        "failed": ["search"],
        "database": "ok",
        "search": {"status": "behind", "waiting": 1},
    }


def test_a_missing_index_fails(client, thread):
    shutil.rmtree(search.backend().directory)
    assert answer(client, 503) == {
        "status": "error",
        "failed": ["search"],
        "database": "ok",
        "search": {"status": "unavailable", "waiting": 0},
    }


def test_a_broken_index_fails_without_saying_why(client, thread):
    directory = search.backend().directory
    for table_of_contents in directory.glob("*.toc"):
        table_of_contents.write_bytes(b"not an index")
    body = answer(client, 503)
    assert body["failed"] == ["search"] and body["search"]["status"] == "unavailable"


def test_a_database_that_does_not_answer_fails(client, thread, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("unable to open database file /srv/x.db"))

    monkeypatch.setattr(db.session, "execute", refuse)
    body = answer(client, 503)
    assert body == {
        "status": "error",
        "failed": ["database"],
        "database": "unavailable",
        "search": {"status": "ok", "waiting": None},
    }


def test_both_parts_can_fail_at_once(client, thread, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(db.session, "execute", refuse)
    shutil.rmtree(search.backend().directory)
    assert answer(client, 503)["failed"] == ["database", "search"]
