"""Database engine set-up: SQLite tuned for several server processes, and time helpers."""

from datetime import UTC, datetime

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY_TIMEOUT_MS = 10_000


def utcnow() -> datetime:
    """Naive UTC, the one way the project stores time (SQLite keeps no time zone)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _wants_write_lock() -> bool:
    # Reads run in deferred transactions (WAL readers never block); anything that may write
    # takes the write lock when it begins, so two processes never deadlock upgrading a read lock.
    return not (has_request_context() and request.method in READ_METHODS)


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
