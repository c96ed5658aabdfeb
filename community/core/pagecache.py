"""Whole pages for visitors who are not logged in, kept by each server process and served again
while nothing changed.

What is kept: the HTML of the GET pages whose views say so (`@cached_page`), and the JSON
answers of the read API, per address (path and query string) and per language, for visitors
who are not logged in and have no message waiting (the API reads no cookie: always so). Nothing
of a visitor is in it: the CSRF token of the language switcher (the only form those pages show
a visitor) is written into each answer as it leaves, the visitor's own.

Parts of pages that show nobody's own things (a requester's figures and charts) are kept the
same way for every visitor, logged in or not (`cached_fragment`).

When it goes stale: every transaction that changes a row (the search outbox aside) raises the
content version in the same transaction, and a page is served again only under the version
it was made under, read at the start of each request; and never longer than
PAGE_CACHE_SECONDS, for what changes with time alone (trust levels by age, the "Is it legit?"
windows of days).
"""

import os
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import TextClause, event, select, update
from sqlalchemy.orm import Mapped, mapped_column

from community.extensions import db

# Tables whose changes no page shows: the search outbox is the index's bookkeeping.
UNSEEN_TABLES = frozenset({"search_outbox", "content_versions"})
KEPT_TYPES = frozenset({"text/html", "application/json"})  # pages, and answers of the read API
_cached_views: set = set()


class ContentVersion(db.Model):
    """One row: raised by every transaction that changes what pages show."""

    __tablename__ = "content_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


def cached_page(view):
    """Mark a GET view whose page a visitor who is not logged in may be served from the cache."""
    _cached_views.add(view)
    return view


@dataclass
class Entry:
    version: int
    expires: float
    html: str
    size: int
    mimetype: str


class PageCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple, version: int) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry.version != version or entry.expires < time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry

    def put(
        self, key: tuple, version: int, html: str, seconds: float, mimetype: str = "text/html"
    ) -> None:
        size = len(html)
        if size > self.max_bytes // 8:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = Entry(version, time.monotonic() + seconds, html, size, mimetype)
            self.size += size
            while self.size > self.max_bytes:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: tuple) -> None:
        self.size -= self.entries.pop(key).size


VERSION_QUERY = "SELECT version FROM content_versions WHERE id = 1"


def current_version() -> int | None:
    """None when the row is missing: then nothing is kept (nothing could say it went stale)."""
    return db.session.scalar(select(ContentVersion.version).where(ContentVersion.id == 1))


class VersionReader:
    """The version, read on a connection of its own that reads nothing else and commits after
    each read: a tenth of a millisecond less than through the session, for every page served.
    Versions only grow, so a page made after this read shows data at least as new as it."""

    def __init__(self):
        self.connection = None
        self.pid = None

    def read(self) -> int | None:
        try:
            if self.connection is None or self.pid != os.getpid():
                self.connection, self.pid = db.engine.raw_connection(), os.getpid()
            cursor = self.connection.cursor()
            try:
                cursor.execute(VERSION_QUERY)
                row = cursor.fetchone()
            finally:
                cursor.close()
            self.connection.commit()
            return row[0] if row else None
        except Exception:  # a lost connection: the next request opens another
            self.connection = None
            return None


def ensure_content_version() -> None:
    """The row the migration seeds (tests empty every table between tests)."""
    if db.session.get(ContentVersion, 1) is None:
        db.session.add(ContentVersion(id=1, version=0))
        db.session.commit()


# Raising the version with every change


def _touches_pages(table) -> bool:
    return getattr(table, "name", None) not in UNSEEN_TABLES


def _after_flush(session, _context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(_touches_pages(type(item).__table__) for item in changed):
        session.info["content_changed"] = True


def _on_execute(state) -> None:
    statement = state.statement
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(statement, "table", None)
        if table is None or _touches_pages(table):
            state.session.info["content_changed"] = True
    elif isinstance(statement, TextClause) and not statement.text.lstrip().upper().startswith(
        "SELECT"
    ):
        state.session.info["content_changed"] = True


@cache
def _raise_version():  # built once: run by every write
    return (
        update(ContentVersion)
        .where(ContentVersion.id == 1)
        .values(version=ContentVersion.version + 1)
    )


def _before_commit(session) -> None:
    if session.info.pop("content_changed", False):
        session.execute(_raise_version())


def index_changed(session) -> None:
    """The search index changed (outside the database, for Whoosh): search pages went stale."""
    session.info["content_changed"] = True


def _after_rollback(session) -> None:
    session.info.pop("content_changed", None)


def watch_changes() -> None:
    """Listen to every session of the app (once per process)."""
    if event.contains(db.session, "before_commit", _before_commit):
        return
    event.listen(db.session, "after_flush", _after_flush)
    event.listen(db.session, "do_orm_execute", _on_execute)
    event.listen(db.session, "before_commit", _before_commit)
    event.listen(db.session, "after_rollback", _after_rollback)


# Serving


def _keeps_fragments() -> bool:
    if request.method != "GET" or current_app.config["PAGE_CACHE_SECONDS"] <= 0:
        return False
    return current_app.view_functions.get(request.endpoint) in _cached_views


def _cacheable() -> bool:
    if not _keeps_fragments():
        return False
    return not current_user.is_authenticated and not session.get("_flashes")


def _cache() -> PageCache:
    extensions = current_app.extensions
    if "page_cache" not in extensions:
        extensions["page_cache"] = PageCache(current_app.config["PAGE_CACHE_MAX_BYTES"])
    return extensions["page_cache"]


def _placeholder() -> str:
    extensions = current_app.extensions
    if "page_cache_token" not in extensions:
        extensions["page_cache_token"] = "csrf" + secrets.token_hex(16)
    return extensions["page_cache_token"]


def _with_token(html: str) -> str:
    """Each visitor's own token in place of the placeholder; an answer without one (the JSON of
    the API) makes no token."""
    placeholder = _placeholder()
    if placeholder not in html:
        return html
    return html.replace(placeholder, generate_csrf())


def _read_version() -> int | None:
    return current_app.extensions.setdefault("page_cache_version", VersionReader()).read()


def serve_from_cache():
    """before_request: the kept page, when there is one for this address, language and version.
    For a logged-in member, the version its kept fragments may be served under: read before the
    view reads anything, so that nothing older is kept under it."""
    if not _cacheable():
        if _keeps_fragments():
            g.content_version = _read_version()
        return None
    key = (request.full_path, str(get_locale()))
    version = g.content_version = _read_version()
    if version is None:
        return None
    entry = _cache().get(key, version)
    if entry is not None:
        g.page_cache_hit = True
        return current_app.response_class(_with_token(entry.html), mimetype=entry.mimetype)
    g.page_cache_key = (key, version)
    return None


def do_not_keep() -> None:
    """For a view, before it renders: this answer is not for everyone."""
    g.pop("page_cache_key", None)


def csrf_token_for_page() -> str:
    """The template's csrf_token(): a placeholder in a page being kept, swapped at each answer."""
    if g.get("page_cache_key") is not None:
        return _placeholder()
    return generate_csrf()


def cached_fragment(*key, caller):
    """`{% call cached_fragment("figures", "requester", requester.id) %}…{% endcall %}` in the
    template of a `@cached_page` view: the part between is made once per language and content
    version and served again to everyone. It must show nobody's own things and hold no form."""
    version = g.get("content_version")
    if version is None:
        return caller()
    full_key = ("fragment", *key, str(get_locale()))
    entry = _cache().get(full_key, version)
    if entry is not None:
        return entry.html  # the Markup that caller() made, kept as it is
    html = caller()
    _cache().put(full_key, version, html, current_app.config["PAGE_CACHE_SECONDS"])
    return html


def keep_page(response):
    """after_request: keep a page just made for a visitor who is not logged in."""
    found = g.pop("page_cache_key", None)
    if found is None or g.get("page_cache_hit") or response.is_streamed:
        return response
    key, version = found
    html = response.get_data(as_text=True)
    # A form of WTForms put a real token in the page: it is this visitor's, never kept.
    real_token = g.get(current_app.config["WTF_CSRF_FIELD_NAME"]) is not None
    if response.status_code == 200 and response.mimetype in KEPT_TYPES and not real_token:
        seconds = current_app.config["PAGE_CACHE_SECONDS"]
        _cache().put(key, version, html, seconds, response.mimetype)
    response.set_data(_with_token(html))  # error pages too: each visitor's own token
    return response


def init_page_cache(app: Flask) -> None:
    watch_changes()
    app.before_request(serve_from_cache)
    app.after_request(keep_page)
    app.context_processor(lambda: {"csrf_token": csrf_token_for_page})
    app.jinja_env.globals["cached_fragment"] = cached_fragment
