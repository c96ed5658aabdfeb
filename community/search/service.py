"""Search: the outbox that keeps the index in step with every write, rebuilds, and queries.

Services call `enqueue(kind, id)` before they commit a change to something searchable; the row
commits (or rolls back) with the change. `drain()` applies the outbox to the index: the process
that gets the index lock applies everything waiting, so several processes never fight over the
index and a crash between commit and indexing loses nothing.
"""

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import delete, func, insert, select

from community.core import pagecache
from community.core.database import utcnow, write_transaction
from community.extensions import db
from community.search.backend import IndexUnavailable, SearchBackend, SearchRequest, SearchResults
from community.search.documents import load_documents, make_key, sources
from community.search.models import SearchOutbox
from community.search.postgres_backend import PostgresBackend
from community.search.query import parse
from community.search.whoosh_backend import WhooshBackend

log = logging.getLogger(__name__)
DRAIN_BATCH = 500
SINCE_DAYS = {"week": 7, "month": 31, "year": 366}


def _make_backend(name: str) -> SearchBackend:
    time_limit = current_app.config["SEARCH_TIME_LIMIT_SECONDS"]
    if name == "whoosh":
        return WhooshBackend(
            current_app.config["SEARCH_INDEX_DIR"],
            time_limit,
            current_app.config["SEARCH_MAX_SCORED"],
        )
    if name == "postgres":
        return PostgresBackend(db.engine, time_limit)
    raise RuntimeError(f"Unknown SEARCH_BACKEND {name!r} (whoosh or postgres)")


def backend() -> SearchBackend:
    """One backend object per process and configured engine (Whoosh keeps its searcher open)."""
    backends = current_app.extensions.setdefault("search_backends", {})
    name = current_app.config["SEARCH_BACKEND"]
    if name not in backends:
        backends[name] = _make_backend(name)
    return backends[name]


def enqueue(kind: str, item_id: int) -> None:
    """Record that `kind:item_id` changed; it is re-read from the database when drained."""
    db.session.add(SearchOutbox(doc_key=make_key(kind, item_id)))
    if has_app_context():
        g.search_outbox_touched = True


def _backlog() -> bool:
    """More than a batch of changes waiting: results may miss recent changes. Reads at most a
    batch of ids, however long the outbox is."""
    query = select(SearchOutbox.id).order_by(SearchOutbox.id).offset(DRAIN_BATCH).limit(1)
    return db.session.scalar(query) is not None


def pending() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutbox))


@dataclass(frozen=True)
class IndexHealth:
    usable: bool  # the index opens and answers
    waiting: int  # changes in the outbox, not yet applied
    stuck: bool  # the oldest waiting change is older than SEARCH_OUTBOX_MAX_AGE_SECONDS


def health() -> IndexHealth:
    """Whether the index answers and follows the writes (for /health). Reads only."""
    oldest = db.session.scalar(select(func.min(SearchOutbox.created_at)))
    limit = timedelta(seconds=current_app.config["SEARCH_OUTBOX_MAX_AGE_SECONDS"])
    return IndexHealth(
        usable=backend().is_usable(),
        waiting=pending(),
        stuck=oldest is not None and utcnow() - oldest > limit,
    )


def _drain_once() -> bool:
    """Apply what is waiting while holding the index. False if another process holds it.

    The outbox is read only while the index is held; then each changed item is read once, as it
    is now, and applied once (Whoosh cannot delete a document added earlier in the same writer).
    Rows are deleted only once the index has committed them.
    """
    with backend().batch() as batch:
        if batch is None:
            return False
        applied, keys, last_id = [], {}, 0
        while rows := db.session.execute(
            select(SearchOutbox.id, SearchOutbox.doc_key)
            .where(SearchOutbox.id > last_id)
            .order_by(SearchOutbox.id)
            .limit(DRAIN_BATCH)
        ).all():
            applied += [row_id for row_id, _ in rows]
            keys.update(dict.fromkeys(key for _, key in rows))
            last_id = rows[-1][0]
        changed = list(keys)
        for start in range(0, len(changed), DRAIN_BATCH):
            chunk = changed[start : start + DRAIN_BATCH]
            documents = load_documents(chunk)
            batch.upsert(list(documents.values()))
            batch.remove([key for key in chunk if key not in documents])
        db.session.rollback()  # end the reads before the index commits
    with write_transaction():  # a short write that takes the lock first, never a stale read
        for start in range(0, len(applied), DRAIN_BATCH):
            chunk = applied[start : start + DRAIN_BATCH]
            db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(chunk)))
        if applied:
            pagecache.index_changed(db.session)
        db.session.commit()
    return True


def drain(pause_seconds: float = 0) -> bool:
    """Apply the outbox to the index. Returns False when another process is applying it.

    The holder looks again each time it lets go of the index, until it finds nothing waiting: a
    change committed while it held the index (whose own drain found the index busy) is never
    left behind, however many such holds follow one another. If another process takes the index
    in between, that process looks again in turn. `pause_seconds` between looks lets the writes
    of that moment gather: under a steady stream of writes, looking again at once committed
    one or two documents at a time, and an index commit costs about ten documents.
    """
    while _drain_once():
        waiting = db.session.scalar(select(SearchOutbox.id).limit(1)) is not None
        db.session.rollback()  # never leave a transaction (and the database's write lock) open
        if not waiting:
            return True
        time.sleep(pause_seconds)
    return False


class Drainer:
    """A thread per process that applies the outbox shortly after writes, several writes in one
    index commit (a Whoosh commit costs about as much as the write that asked for it)."""

    def __init__(self, app, delay_seconds: float):
        self.app, self.delay_seconds = app, delay_seconds
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None
        self.pid = None
        self.lock = threading.Lock()

    def request(self) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive() or self.pid != os.getpid():
                self.pid = os.getpid()  # a forked process starts its own thread
                self.thread = threading.Thread(target=self._run, name="search-drain", daemon=True)
                self.thread.start()
                atexit.register(self._last_drain)
        self.wake.set()

    def _last_drain(self) -> None:
        """A process that stops applies what its last writes left (else the next write does)."""
        if self.pid == os.getpid() and self.wake.is_set():
            with self.app.app_context():
                try:
                    drain()
                finally:
                    db.session.remove()

    def _run(self) -> None:
        while True:
            self.wake.wait()
            time.sleep(self.delay_seconds)  # the writes of this moment go in one commit
            self.wake.clear()
            with self.app.app_context():
                try:
                    if not drain(self.delay_seconds):  # another process applies them
                        continue
                except Exception:  # the outbox keeps everything; the next write tries again
                    log.exception("Applying the search outbox failed")
                finally:
                    db.session.remove()


def drain_after_request(response):
    """Apply the request's index changes (or repair the index) once the answer has been sent:
    at once, or after SEARCH_DRAIN_DELAY_SECONDS by the process's drain thread, together with
    the other writes of that moment."""
    if g.get("search_outbox_touched") or g.get("search_index_broken"):
        app = current_app._get_current_object()
        if g.get("search_index_broken"):
            work = _repair
        else:
            delay = app.config["SEARCH_DRAIN_DELAY_SECONDS"]
            if delay > 0:
                drainer = app.extensions.setdefault("search_drainer", Drainer(app, delay))
                response.call_on_close(drainer.request)
                return response
            work = drain

        def drain_later():
            with app.app_context():
                work()

        response.call_on_close(drain_later)
    return response


def enqueue_everything() -> int:
    """Queue every visible item of every kind (used when the index is missing or broken)."""
    total = 0
    for kind, source in sources().items():
        rows = [
            {"doc_key": make_key(kind, item_id), "created_at": utcnow()}
            for item_id in source.all_ids()
        ]
        if rows:
            db.session.execute(insert(SearchOutbox), rows)
        total += len(rows)
    db.session.commit()
    return total


def repair_index() -> None:
    """A missing or broken index repairs itself instead of showing an error page: after the
    answer of the request that found it (which only reads), or at once outside requests."""
    if has_request_context():
        g.search_index_broken = True
    else:
        _repair()


def _repair() -> None:
    """Start again from an empty index, queue everything, and apply it; unless the index
    opens fine by now (another process was repairing it, or replacing a file being read)."""
    if backend().is_usable():
        drain()
        return
    backend().reset()
    with write_transaction():  # reads every id, then writes: the lock first
        enqueue_everything()
    drain()


def rebuild(progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the database. Returns the number of documents indexed."""
    if not backend().is_usable():
        backend().reset()
    db.session.execute(delete(SearchOutbox))  # everything is read afresh below
    db.session.commit()
    count = 0

    def documents():
        """Most recent first, every kind interleaved in proportion to its size: the rebuilt
        index holds the latest items of each kind at its start, where a search that matches
        too many documents to rank them all ranks the first ones (SEARCH_MAX_SCORED)."""
        nonlocal count
        ids = {kind: list(source.all_ids())[::-1] for kind, source in sources().items()}
        rounds = max(1, -(-max(map(len, ids.values()), default=0) // DRAIN_BATCH))
        for round_ in range(rounds):
            for kind, source in sources().items():
                share = ids[kind][
                    len(ids[kind]) * round_ // rounds : len(ids[kind]) * (round_ + 1) // rounds
                ]
                for start in range(0, len(share), DRAIN_BATCH):
                    batch = share[start : start + DRAIN_BATCH]
                    place = {make_key(kind, item_id): n for n, item_id in enumerate(batch)}
                    loaded = sorted(source.load(batch), key=lambda d: place[d.key])
                    count += len(loaded)
                    yield from loaded

    backend().rebuild(documents(), progress)
    drain()
    return count


def document_count() -> int:
    return sum(source.count() for source in sources().values())


def search(
    raw_query: str,
    kind: str | None,
    platform_id: int | None,
    since: str | None,
    sort: str,
    page: int,
    per_page: int,
) -> tuple[SearchResults | None, tuple[str, ...], bool]:
    """Results (None for an empty query), notices about the query, and whether the index is whole"""
    parsed = parse(raw_query)
    if parsed.is_empty:
        return None, parsed.notices, True
    days = SINCE_DAYS.get(since or "")
    request = SearchRequest(
        query=parsed,
        kind=kind or None,
        platform_id=platform_id,
        since=utcnow() - timedelta(days=days) if days else None,
        sort=sort if sort in ("relevance", "newest") else "relevance",
        page=page,
        per_page=per_page,
    )
    try:
        results = backend().search(request)
    except IndexUnavailable:
        repair_index()
        return SearchResults([], 0, page, per_page), parsed.notices, False
    return results, parsed.notices, not _backlog()
