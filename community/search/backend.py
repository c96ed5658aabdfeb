"""The small interface every search engine implements (Whoosh by default; PostgreSQL at scale)."""

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from community.search.documents import SearchDocument
from community.search.query import ParsedQuery

SORTS = ("relevance", "newest")
MAX_STORED_BODY_CHARS = 4000  # what an index keeps of a body (for excerpts and matching)


class IndexUnavailable(Exception):
    """The index is missing or broken: it has to be rebuilt."""


@dataclass(frozen=True)
class SearchRequest:
    query: ParsedQuery
    kind: str | None = None
    platform_id: int | None = None
    since: datetime | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10


@dataclass(frozen=True)
class SearchHit:
    key: str
    kind: str
    title: str
    excerpt_html: str  # escaped text with <mark> around matches
    created_at: datetime
    platform_id: int | None
    ref: dict


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    timed_out: bool = False
    suggestion: str | None = None
    total_capped: bool = False  # more matched than `total`, which is then a lower bound

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total


class IndexBatch(Protocol):
    def upsert(self, documents: list[SearchDocument]) -> None: ...

    def remove(self, keys: list[str]) -> None: ...


class SearchBackend(Protocol):
    def batch(self) -> AbstractContextManager[IndexBatch | None]:
        """Exclusive access to change the index, committed on exit; None when another process
        holds it. Whatever is read from the database inside is applied in the order read."""

    def rebuild(self, documents, progress=None) -> None:
        """Replace the whole index with `documents` (an iterable)."""

    def search(self, request: SearchRequest) -> SearchResults: ...

    def indexed_keys(self) -> set[str]:
        """Every key in the index (for checks and tests)."""

    def is_usable(self) -> bool:
        """False when the index is missing or broken and must be rebuilt."""

    def reset(self) -> None:
        """Throw the whole index away and start an empty one."""
