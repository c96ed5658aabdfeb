import fcntl
import multiprocessing
import os
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from community import create_app
from community.catalog.models import Requester
from community.core.database import SQLITE_BUSY_TIMEOUT_MS, write_transaction
from community.extensions import db

pytestmark = pytest.mark.sqlite_only


def pragmas(connection) -> dict:
    return {
        name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
        for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
    }


SET_UP = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
    "synchronous": 1,  # NORMAL: in WAL mode a commit survives a crash of the process
}


def test_every_sqlite_connection_is_set_up_for_several_processes(app):
    with db.engine.connect() as connection:
        assert pragmas(connection) == SET_UP


def test_a_connection_opened_after_the_pool_let_go_is_set_up_too(app):
    with db.engine.connect() as connection:
        first = connection.connection.dbapi_connection
        connection.invalidate()  # what a recycle or a lost connection does
    db.engine.dispose()
    with db.engine.connect() as connection:
        assert connection.connection.dbapi_connection is not first
        assert pragmas(connection) == SET_UP


def _pragmas_in_another_process(config: dict, answers) -> None:
    app = create_app(config)
    with app.app_context(), db.engine.connect() as connection:
        answers.put(pragmas(connection))


def test_a_second_process_sets_up_its_connections_the_same_way(app):
    config = {key: app.config[key] for key in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI")}
    config["INSTANCE_PATH"] = app.instance_path
    spawn = multiprocessing.get_context("spawn")
    answers = spawn.Queue()
    process = spawn.Process(target=_pragmas_in_another_process, args=(config, answers))
    process.start()
    try:
        assert answers.get(timeout=60) == SET_UP
    finally:
        process.join(timeout=60)
    assert process.exitcode == 0


def test_foreign_keys_are_enforced(app):
    db.session.add(Requester(platform_id=987654, display_name="Nobody", name_key="nobody"))
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        db.session.flush()
    db.session.rollback()


def test_a_writer_waits_for_the_other_instead_of_failing(app):
    """The busy timeout: a second writer queues behind the first, it is never told "locked"."""
    holding, release = threading.Event(), threading.Event()
    engine = db.engine

    def first_writer():
        with write_transaction(), engine.begin() as connection:
            connection.exec_driver_sql("SELECT 1")  # BEGIN IMMEDIATE: holds the write lock
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=first_writer)
    thread.start()
    assert holding.wait(10)
    threading.Timer(0.3, release.set).start()
    with write_transaction(), engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")  # waits until the first writer is done
        assert release.is_set()
        connection.rollback()
    thread.join()


def _queue_is_free(database: str) -> bool:
    fd = os.open(f"{database}.writers", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # releases it, when taken


def test_writers_queue_in_the_kernel_from_begin_to_commit_or_rollback(app):
    """While a write transaction runs, the queue's file lock is taken (another process, opening
    the file for itself, would wait); it is free again the moment the transaction ends."""
    database = db.engine.url.database
    for end in ("commit", "rollback"):
        with write_transaction(), db.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
            assert not _queue_is_free(database)
            getattr(connection, end)()
            assert _queue_is_free(database)
    with db.engine.connect() as connection:  # readers never queue
        connection.exec_driver_sql("SELECT 1")
        assert _queue_is_free(database)
        connection.rollback()


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


def test_a_reply_reads_without_the_lock_and_takes_it_for_its_write_alone(app, client):
    """@reads_first views: the member and the thread are read, then read again under the lock by
    the service, whose transaction alone holds it; the page it redirects to is read without it."""
    from sqlalchemy import event

    from tests.conftest import login, make_thread, make_user

    thread = make_thread()
    login(client, make_user().username)
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement.split()[0] + (" IMMEDIATE" if "IMMEDIATE" in statement else ""))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        response = client.post(
            f"/threads/{thread.id}/reply", data={"body": "Paid today, all of it."}
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert response.status_code == 302
    write = statements.index("BEGIN IMMEDIATE")
    assert "SELECT" in statements[:write] and "INSERT" not in statements[:write]
    redirect = statements.index("BEGIN", write + 1)  # reads the page it redirects to
    assert "INSERT" in statements[write:redirect]
    drain = statements.index("BEGIN IMMEDIATE", redirect)  # the search outbox, after the answer
    assert set(statements[redirect:drain]) == {"BEGIN", "SELECT"}
    assert _queue_is_free(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
