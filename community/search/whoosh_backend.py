"""Whoosh, the embedded default: an index folder beside the database.

Whoosh lets one writer in at a time (a lock file); a process that cannot get the lock leaves the
changes in the outbox for the process that holds it. The searcher is kept open per process and
replaced only when the index changed.
"""

import html
import json
import logging
import os
import shutil
import threading
import time
from bisect import bisect_left
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import bleach
from whoosh import highlight, index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.collectors import FilterCollector, TimeLimit
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import EmptyIndexError
from whoosh.matching import ReadTooFar
from whoosh.query import And, NumericRange, Or, Phrase, Term
from whoosh.support.charset import accent_map
from whoosh.writing import LockError

from community.search import whoosh_bulk
from community.search.backend import (
    MAX_STORED_BODY_CHARS,
    IndexUnavailable,
    SearchHit,
    SearchRequest,
    SearchResults,
)
from community.search.documents import SearchDocument

log = logging.getLogger(__name__)

ENGLISH_STOP_WORDS = (
    "a an and are as at be by for from has have i in is it of on or "
    "that the this to was were will with"
)
FRENCH_STOP_WORDS = (
    "au aux avec ce ces dans de des du elle en et il ils je la le les leur lui ma mais "
    "me mon ne nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu "
    "un une vos votre vous"
)
STOP_WORDS = frozenset(f"{ENGLISH_STOP_WORDS} {FRENCH_STOP_WORDS}".split())
# Lower case, accents folded ("rémunération" and "remuneration" are one word), common words dropped.
ANALYZER = (
    RegexTokenizer()
    | LowercaseFilter()
    | CharsetFilter(accent_map)
    | StopFilter(stoplist=STOP_WORDS, minsize=1)
)
MIN_SEGMENT_SCORED = 500
OPEN_ATTEMPTS = 10


def _skip_to(self, targetid):
    """W3LeafMatcher.skip_to with a binary search inside the block instead of a step per posting.

    Two common words that rarely meet ("paid" in English reviews, "passées" in French ones) make
    Whoosh's intersection skip back and forth hundreds of thousands of times; stepping through
    each block posting by posting was most of such a query's second."""
    if not self.is_active():
        raise ReadTooFar
    if targetid <= self.id():
        return
    if targetid > self._maxid:
        while self.is_active() and targetid > self._maxid:
            self._next_block()
        if not self.is_active():
            return
        if self._ids is None:
            self._read_ids()
    # The block's highest id is at least the target: the search ends inside the block.
    self._i = bisect_left(self._ids, targetid, self._i)


W3LeafMatcher.skip_to = _skip_to


EPOCH = date(1970, 1, 1)


def build_schema() -> Schema:
    # Dates: `created` is read and sorted by (a column), never searched; filters read `day`.
    # Indexing every moment would make several terms of one document each (a large share of
    # a rebuild's time) for filters that only ever ask for days.
    created = DATETIME(stored=True, sortable=True)
    created.indexed = False
    return Schema(
        key=ID(stored=True, unique=True),
        kind=ID(stored=True),
        platform=ID(stored=True),
        title=TEXT(analyzer=ANALYZER, stored=True, field_boost=2.0),
        body=TEXT(analyzer=ANALYZER, stored=True),
        created=created,
        day=NUMERIC(int, bits=16, signed=False, shift_step=4),
        ref=STORED(),
    )


def day_number(moment: datetime) -> int:
    return (moment.date() - EPOCH).days


class MarkFormatter(highlight.Formatter):
    """Matches in <mark>, every other character escaped."""

    between = " … "

    def _text(self, text):
        return html.escape(text, quote=False)

    def format_token(self, text, token, replace=False):
        return f"<mark>{html.escape(highlight.get_text(text, token, replace), quote=False)}</mark>"


class FilteredDeadlineCollector(FilterCollector):
    """Filters and stops at a deadline in one loop.

    Whoosh's FilterCollector and TimeLimitCollector each drive the matcher themselves, so wrapping
    one in the other silently drops the filter or the time check.
    """

    def __init__(self, child, allow, seconds: float, max_scored: int | None = None):
        super().__init__(child, allow=allow)
        self.seconds = seconds
        self.deadline = None
        self.matched = 0  # counted here: Results.__len__ would run the whole query again
        self.max_scored = max_scored
        self.budget = None
        self.capped = False

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.deadline = time.monotonic() + self.seconds
        self.matched = 0
        self.capped = False

    def set_subsearcher(self, subsearcher, offset):
        # Finding a segment's first match can take long (two words that rarely meet): once time
        # is up, the next segments are not opened.
        if time.monotonic() > self.deadline:
            raise TimeLimit
        super().set_subsearcher(subsearcher, offset)
        # Each segment scores at most its share of `max_scored` documents (a small segment, the
        # latest writes, all of its own); a rebuilt segment holds the most recent items first.
        if self.max_scored:
            share = self.max_scored * subsearcher.doc_count_all()
            self.budget = max(
                MIN_SEGMENT_SCORED, share // max(1, self.top_searcher.doc_count_all())
            )

    def collect_matches(self):
        child, allow, deadline, budget = self.child, self._allow, self.deadline, self.budget
        for count, sub_docnum in enumerate(child.matches()):
            if budget is not None and count >= budget:
                self.capped = True
                return
            if time.monotonic() > deadline:  # every match: between two, a matcher may work long
                raise TimeLimit
            if allow is None or self.offset + sub_docnum in allow:
                self.matched += 1
                child.collect(sub_docnum)


class WhooshBatch:
    def __init__(self, writer):
        self.writer = writer

    def upsert(self, documents: list[SearchDocument]) -> None:
        # The old versions go first, then the new ones are added: update_document opens a
        # searcher over every segment for each document (a fifth of a busy drain's time).
        self.remove([document.key for document in documents])
        for document in documents:
            self.writer.add_document(**index_fields(document))

    def remove(self, keys: list[str]) -> None:
        with self.writer.searcher() as searcher:
            for key in keys:
                self.writer.delete_by_term("key", key, searcher=searcher)


def open_existing(directory: Path):
    """Open the index, or raise EmptyIndexError when there is none. A commit in another process
    deletes the table of contents it replaces, which can happen between the moment this one is
    listed and the moment it is read: then the newer one is read, as Whoosh's readers do."""
    for attempt in range(OPEN_ATTEMPTS):
        try:
            return index.open_dir(str(directory))
        except FileNotFoundError:
            if attempt == OPEN_ATTEMPTS - 1:
                raise
            time.sleep(0.05)


def index_fields(document: SearchDocument) -> dict:
    fields = {
        "key": document.key,
        "kind": document.kind,
        "title": document.title,
        "body": document.body[:MAX_STORED_BODY_CHARS],
        "created": document.created_at,
        "day": day_number(document.created_at),
        "ref": json.dumps(document.ref),
    }
    if document.platform_id is not None:
        fields["platform"] = str(document.platform_id)
    return fields


class WhooshBackend:
    def __init__(
        self, directory: str, time_limit_seconds: float = 1.0, max_scored: int | None = None
    ):
        self.directory = Path(directory)
        self.time_limit_seconds = time_limit_seconds
        self.max_scored = max_scored
        self._index = None
        self._searcher = None
        self._lock = threading.Lock()

    # Opening

    def _open(self, create: bool = True):
        if self._index is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            try:
                opened = open_existing(self.directory)
            except EmptyIndexError:
                if not create:
                    raise
                opened = index.create_in(str(self.directory), build_schema())
            if opened.schema.names() != build_schema().names():
                raise IndexUnavailable("the index was built with another schema")
            self._index = opened
        return self._index

    def is_usable(self) -> bool:
        try:
            with self._open(create=False).searcher() as searcher:
                searcher.doc_count()
            return True
        except EmptyIndexError:
            return False
        except Exception:  # a broken index raises many kinds of errors; it is rebuilt either way
            log.exception("The search index at %s cannot be opened", self.directory)
            return False

    def reset(self) -> None:
        """Throw the index away and start an empty one (used when it is broken)."""
        with self._lock:
            self._close_searcher()
            self._index = None
            shutil.rmtree(self.directory, ignore_errors=True)
            self._open()

    def _close_searcher(self):
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def _current_searcher(self):
        with self._lock:
            try:
                # Searcher.refresh() in whoosh-reloaded 2.7.5 re-adds the old reader's segments,
                # so deleted and replaced documents would linger: open a new searcher instead.
                if self._searcher is not None and not self._searcher.up_to_date():
                    self._close_searcher()
                if self._searcher is None:
                    self._searcher = self._open().searcher()
            except Exception as error:  # missing files, a torn table of contents, ...
                self._searcher = None
                raise IndexUnavailable(str(error)) from error
            return self._searcher

    # Writing

    @contextmanager
    def batch(self):
        try:
            writer = self._open().writer(timeout=0.0)
        except LockError:
            yield None
            return
        try:
            yield WhooshBatch(writer)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, documents, progress=None) -> None:
        # Worker processes write whole segments (whoosh_bulk); holding a writer keeps the lock
        # meanwhile, and its commit lists the new segments alone, so searches see the old index
        # until then.
        index_ = self._open()
        writer = index_.writer(timeout=60.0)
        try:
            procs = min(4, os.cpu_count() or 1)
            fields = (index_fields(document) for document in documents)
            segments = whoosh_bulk.write_segments(index_, fields, progress, procs)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=lambda _writer, _old_segments: segments)

    def indexed_keys(self) -> set[str]:
        with self._open().searcher() as searcher:
            return {fields["key"] for fields in searcher.all_stored_fields()}

    # Searching

    @staticmethod
    def _text_query(request: SearchRequest):
        clauses = []
        for term in request.query.terms:
            words = [token.text for token in ANALYZER(term)]
            if words:
                clauses.append(Or([Term("title", words[0]), Term("body", words[0])]))
        for phrase in request.query.phrases:
            words = [token.text for word in phrase for token in ANALYZER(word)]
            if len(words) > 1:
                clauses.append(Or([Phrase("title", words), Phrase("body", words)]))
            elif words:
                clauses.append(Or([Term("title", words[0]), Term("body", words[0])]))
        return And(clauses) if clauses else None

    @staticmethod
    def _filter(request: SearchRequest):
        filters = []
        if request.kind:
            filters.append(Term("kind", request.kind))
        if request.platform_id is not None:
            filters.append(Term("platform", str(request.platform_id)))
        if request.since is not None:
            filters.append(NumericRange("day", day_number(request.since), None))
        return And(filters) if filters else None

    def search(self, request: SearchRequest) -> SearchResults:
        text_query = self._text_query(request)
        if text_query is None:
            return SearchResults([], 0, request.page, request.per_page)
        searcher = self._current_searcher()
        wanted = request.page * request.per_page
        sort = {"sortedby": "created", "reverse": True} if request.sort == "newest" else {}
        collector = FilteredDeadlineCollector(
            searcher.collector(limit=wanted, **sort),
            self._filter(request),
            self.time_limit_seconds,
            self.max_scored,
        )
        timed_out = False
        try:
            searcher.search_with_collector(text_query, collector)
        except TimeLimit:
            timed_out = True
        results = collector.results()
        results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
        results.formatter = MarkFormatter()
        start = (request.page - 1) * request.per_page
        hits = []
        for position in range(start, min(wanted, results.scored_length())):
            hit = results[position]  # list(results) would call len(), which runs the query again
            excerpt = hit.highlights("body", top=2) or html.escape(
                hit.get("body", "")[:240], quote=False
            )
            excerpt = bleach.clean(
                excerpt, tags={"mark"}, attributes={}, strip=True
            )  # only <mark> survives
            hits.append(
                SearchHit(
                    key=hit["key"],
                    kind=hit["kind"],
                    title=hit["title"],
                    excerpt_html=excerpt,
                    created_at=hit["created"],
                    platform_id=int(hit["platform"]) if hit.get("platform") else None,
                    ref=json.loads(hit["ref"]),
                )
            )
        total = collector.matched
        suggestion = self._suggest(searcher, request) if total == 0 else None
        return SearchResults(
            hits, total, request.page, request.per_page, timed_out, suggestion, collector.capped
        )

    @staticmethod
    def _suggest(searcher, request: SearchRequest) -> str | None:
        """'Did you mean': each unknown word replaced by the closest word in the index."""
        changed, words = False, []
        for term in request.query.terms:
            folded = "".join(token.text for token in ANALYZER(term))
            if folded and searcher.doc_frequency("body", folded) == 0:
                found = searcher.suggest("body", folded, limit=1, maxdist=2, prefix=1)
                if found:
                    words.append(found[0])
                    changed = True
                    continue
            words.append(term)
        return " ".join(words) if changed else None
