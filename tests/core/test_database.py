import pytest
from sqlalchemy import text

from community.core.database import write_transaction
from community.extensions import db

pytestmark = pytest.mark.sqlite_only


def test_every_sqlite_connection_is_set_up_for_several_processes(app):
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_write_requests_take_the_lock_when_they_begin(app, client):
    from tests.conftest import login, make_user

    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    from sqlalchemy import event

    login(client, make_user().username)
    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        client.post("/language", data={"lang": "fr"})
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert "BEGIN IMMEDIATE" in statements


def test_declared_write_transactions_take_the_lock_when_they_begin(app):
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    from sqlalchemy import event

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        with db.engine.connect() as connection:  # a command reading: no lock
            connection.execute(text("SELECT 1"))
            connection.rollback()
        assert "BEGIN IMMEDIATE" not in statements
        with write_transaction(), db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            connection.rollback()
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert "BEGIN IMMEDIATE" in statements


def test_read_requests_use_deferred_transactions(app, client):
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    from sqlalchemy import event

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        assert client.get("/platforms").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert "BEGIN" in statements
    assert "BEGIN IMMEDIATE" not in statements
