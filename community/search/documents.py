"""What the index holds: public text of visible content, never an author's identity or an email.

Each feature registers a source for its kinds of document (see community/__init__.py). The search
package itself imports no feature.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class SearchDocument:
    key: str  # "kind:id"
    kind: str
    title: str
    body: str
    created_at: datetime
    platform_id: int | None = None
    # Whatever the results page needs to link to the item, e.g. {"thread": 5, "number": 12}.
    ref: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SearchSource:
    kind: str
    load: Callable[[list[int]], list[SearchDocument]]  # documents of the ids still visible
    all_ids: Callable[[], Iterator[int]]  # every visible id, for a rebuild
    count: Callable[[], int]


_sources: dict[str, SearchSource] = {}


def register_source(source: SearchSource) -> None:
    _sources[source.kind] = source


def sources() -> dict[str, SearchSource]:
    return dict(_sources)


def make_key(kind: str, item_id: int) -> str:
    return f"{kind}:{item_id}"


def split_key(key: str) -> tuple[str, int]:
    kind, _, item_id = key.partition(":")
    return kind, int(item_id)


def load_documents(keys: Iterable[str]) -> dict[str, SearchDocument]:
    """The current document of each key, or nothing for keys whose item is gone or not visible."""
    ids_by_kind: dict[str, list[int]] = {}
    for key in keys:
        kind, item_id = split_key(key)
        ids_by_kind.setdefault(kind, []).append(item_id)
    documents = {}
    for kind, ids in ids_by_kind.items():
        source = _sources.get(kind)
        if source is None:
            continue
        for document in source.load(ids):
            documents[document.key] = document
    return documents
