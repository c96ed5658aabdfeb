"""Database engine set-up: SQLite tuned for several server processes, and time helpers."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import Flask, has_request_context, request
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY_TIMEOUT_MS = 10_000


def utcnow() -> datetime:
    """Naive UTC, the one way the project stores time (SQLite keeps no time zone)."""
    return datetime.now(UTC).replace(tzinfo=None)


_write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


def _wants_write_lock() -> bool:
    # A transaction that reads and then writes must take the write lock when it begins: in WAL
    # mode a reader that later writes after another process committed fails at once
    # ("database is locked") instead of waiting. Requests that may write (POST...) and code
    # inside `write_transaction()` do so; everything else reads in deferred transactions, which
    # never block anyone.
    if _write_intent.get():
        return True
    return has_request_context() and request.method not in READ_METHODS


@contextmanager
def write_transaction():
    """Outside requests (commands, workers): transactions begun inside take the write lock first."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")


def init_database(app: Flask, engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine)


def lock_row(session, obj) -> None:
    """Hold `obj`'s row until the transaction ends, re-read as committed.

    Anything recomputed from other rows (a thread's next post number, a requester's figures) is
    computed under this lock, so two concurrent writers never both start from the same state.
    On SQLite the write transaction already holds the database lock (BEGIN IMMEDIATE).
    """
    if session.get_bind().dialect.name != "sqlite":
        session.refresh(obj, with_for_update={"of": type(obj)})


def sync_id_sequences(session, *tables) -> None:
    """After rows were inserted with explicit ids: move PostgreSQL's id sequences past them, so
    the next ordinary insert does not collide (SQLite takes max(id) + 1 by itself)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        name = table.name  # from the models, never from input
        statement = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), coalesce(max(id), 0) + 1, false) FROM {name}"  # noqa: E501, S608  # nosec B608 # table names from the models
        session.execute(text(statement))
