"""Database engine set-up: SQLite tuned for several server processes, and time helpers."""

import fcntl
import os
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import wraps

import orjson
from flask import Flask, has_request_context, request
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from community.extensions import db

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY_TIMEOUT_MS = 10_000


def dump_json(value) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


# JSON columns through orjson: a big requester's tally (40 KB) is read and written again by each
# of its reviews, in a fifth of the time the standard library takes (about 1.2 ms of 12).
ENGINE_OPTIONS = {"json_serializer": dump_json, "json_deserializer": orjson.loads}


def utcnow() -> datetime:
    """Naive UTC, the one way the project stores time (SQLite keeps no time zone)."""
    return datetime.now(UTC).replace(tzinfo=None)


_write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)
_reads_first: ContextVar[bool] = ContextVar("reads_first", default=False)


def _wants_write_lock() -> bool:
    # A transaction that reads and then writes must take the write lock when it begins: in WAL
    # mode a reader that later writes after another process committed fails at once
    # ("database is locked") instead of waiting. Requests that may write (POST...) and code
    # inside `write_transaction()` do so; everything else reads in deferred transactions, which
    # never block anyone.
    if _write_intent.get():
        return True
    return has_request_context() and request.method not in READ_METHODS and not _reads_first.get()


def reads_first(view):
    """A write view whose service is marked `@writes`: its other transactions (the member,
    the form, the page it redirects to) only read, and take no write lock. Otherwise a request
    holds SQLite's write lock from its first read to its end, and writers queue for each
    other's whole request instead of for their writes alone."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        token = _reads_first.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _reads_first.reset(token)

    return wrapped


def writes(service):
    """A service that writes. In a `@reads_first` view, the transaction that read ends first
    (nothing was written in it), so what the write relies on is read again under the lock."""

    @wraps(service)
    def wrapped(*args, **kwargs):
        if _reads_first.get():
            db.session.commit()
        reads = _reads_first.set(False)
        try:
            with write_transaction():
                return service(*args, **kwargs)
        finally:
            _reads_first.reset(reads)

    return wrapped


@contextmanager
def write_transaction():
    """Outside requests (commands, workers): transactions begun inside take the write lock first."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


class WriterQueue:
    """Writers of every process wait for the SQLite write lock in the kernel (flock on a file
    beside the database), woken the moment the writer before them is done.

    SQLite's own wait polls, sleeping up to 100 ms between tries: a writer that waits while
    another process takes the lock again and again can wait for seconds (seen in the bench: p50
    35 ms, p95 0.9 s with just two writers). The lock dies with its process, so a killed worker
    never blocks the others; SQLite's busy timeout still guards the moment of a commit."""

    def __init__(self, database: str):
        self.path = f"{database}.writers"

    # Each database connection has its own open file (in `info`, the pool's dictionary of that
    # connection): the lock then also orders the threads of one process.

    def open(self, info: dict) -> None:
        info["writer_queue"] = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        info["writer_queue_held"] = False

    def enter(self, info: dict) -> None:
        if "writer_queue" in info and not info["writer_queue_held"]:
            fcntl.flock(info["writer_queue"], fcntl.LOCK_EX)
            info["writer_queue_held"] = True

    def leave(self, info: dict) -> None:
        if info.get("writer_queue_held"):
            fcntl.flock(info["writer_queue"], fcntl.LOCK_UN)
            info["writer_queue_held"] = False

    def close(self, info: dict) -> None:
        if "writer_queue" in info:
            os.close(info.pop("writer_queue"))  # releases the lock too


def configure_sqlite(engine: Engine) -> None:
    database = engine.url.database
    queue = WriterQueue(database) if database and database != ":memory:" else None

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        if queue:
            queue.open(record.info)

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if _wants_write_lock():
            if queue:
                queue.enter(connection.connection.info)
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            except Exception:
                if queue:
                    queue.leave(connection.connection.info)
                raise
        else:
            connection.exec_driver_sql("BEGIN")

    if queue:
        # Released as the transaction ends: a writer woken before the COMMIT is through waits
        # that moment in SQLite's own busy handler (its first tries come within milliseconds).
        for name in ("commit", "rollback"):
            event.listen(engine, name, lambda connection: queue.leave(connection.connection.info))

        @event.listens_for(engine.pool, "reset")
        def on_reset(_dbapi_connection, record, _reset_state):
            queue.leave(record.info)

        event.listen(engine.pool, "close", lambda _dbapi, record: queue.close(record.info))


def configure_postgres(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # The default cost of a random read (4) is a spinning disk's. Rows bulk-loaded in date
        # order then made PostgreSQL read a month of every requester's reviews by date rather
        # than the month of one requester through its own index: 18 ms instead of 4 on every
        # review of a big requester. The site's working set is in memory or on an SSD.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET random_page_cost = 1.1")
        dbapi_connection.commit()


def init_database(app: Flask, engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine)
    elif engine.dialect.name == "postgresql":
        configure_postgres(engine)


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
