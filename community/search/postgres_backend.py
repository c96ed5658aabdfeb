"""PostgreSQL full-text search, for a deployment that has outgrown one machine.

The index is two tables of the database (built by migration 0006): `search_documents`, whose
`document` column is a tsvector computed by PostgreSQL from the title and the body, in English and
in French, accents folded (A English title, B French title, C English body, D French body); and
`search_words`, every word seen, for "did you mean". The backend reads and writes them on its own
connections, so the outbox in service.py drives it exactly as it drives Whoosh.

Staying fast at a million documents: a query ranks at most MATCHES_LIMIT matches, the newest,
and the total shown beyond that is "more than MATCHES_LIMIT". They are found in one of two ways,
each bounded whatever the planner's estimates say:
- when the statistics say the words are common, among the RECENT_WINDOW newest documents, read
  backwards along the date index and stopping as soon as enough matched (a common word stops
  after a few hundred rows);
- otherwise, or when the window held too few, through the GIN index alone: a word or phrase
  rare enough to miss the window has few matches to read.
Excerpts (ts_headline, the costly part) are made for the shown page only. statement_timeout
bounds every statement; a query that reaches it answers with the first matches found in the time
left, flagged timed_out.
"""

import html
import json
import re
import time
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from community.search.backend import (
    MAX_STORED_BODY_CHARS,
    SearchHit,
    SearchRequest,
    SearchResults,
)
from community.search.documents import SearchDocument
from community.search.query import MAX_TERM_CHARS, ParsedQuery

TABLES = ("search_documents", "search_words")
MATCHES_LIMIT = 300  # matches ranked per query; beyond, the total says "more than"
RECENT_WINDOW = 20_000  # newest documents a query with common words looks through first
# Held (for the transaction) by whoever changes the index: one writer at a time, as with Whoosh.
INDEX_LOCK_KEY = 0x74736B6F  # any constant; advisory locks are per database
# ts_rank weights of the parts, in PostgreSQL's order {D, C, B, A}: a title counts 2.5 times a body.
RANK_WEIGHTS = "{0.4, 0.4, 1.0, 1.0}"
# Matches are wrapped in two control characters (removed from stored text), then the excerpt is
# escaped and they become <mark>: nothing the author wrote can become markup.
MARK_START, MARK_END = "\x02", "\x03"
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
QUERY_CANCELED = "57014"  # SQLSTATE of a statement stopped by statement_timeout
_LEXEME = re.compile(r"'(?:[^']|'')*'")  # a quoted lexeme in PostgreSQL's text form of a tsquery
_WORD = re.compile(r"\w+", re.UNICODE)
_UNSTORABLE = str.maketrans("", "", f"\x00{MARK_START}{MARK_END}")
SUGGESTION_CANDIDATES = 10
SUGGESTION_MAX_EDITS = 2


def include_name(name, type_, _parent_names) -> bool:
    """For Alembic's comparisons: the backend's tables are built by migration 0006 on PostgreSQL
    only and used through SQL, so they are not models and autogenerate must leave them alone."""
    return not (type_ == "table" and name in TABLES)


def _storable(value: str) -> str:
    return value.translate(_UNSTORABLE)


def document_row(document: SearchDocument) -> dict:
    return {
        "key": document.key,
        "kind": document.kind,
        "platform_id": document.platform_id,
        "created_at": document.created_at,
        "title": _storable(document.title),
        "body": _storable(document.body[:MAX_STORED_BODY_CHARS]),
        "ref": json.dumps(document.ref),
    }


def document_words(document: SearchDocument) -> set[str]:
    """The words "did you mean" may propose (lower case; accents are folded by the database)."""
    words = _WORD.findall(f"{document.title} {document.body[:MAX_STORED_BODY_CHARS]}".lower())
    return {word for word in words if 3 <= len(word) <= MAX_TERM_CHARS and not word.isdigit()}


UPSERT = text(
    "INSERT INTO search_documents (key, kind, platform_id, created_at, title, body, ref) "
    "VALUES (:key, :kind, :platform_id, :created_at, :title, :body, CAST(:ref AS jsonb)) "
    "ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, platform_id = excluded.platform_id, "
    "created_at = excluded.created_at, title = excluded.title, body = excluded.body, "
    "ref = excluded.ref"
)
ADD_WORDS = text(
    "INSERT INTO search_words (word) "
    "SELECT DISTINCT left(unaccent(word), :longest) FROM unnest(CAST(:words AS text[])) AS word "
    "ON CONFLICT DO NOTHING"
)


def _add_words(connection: Connection, words: set[str]) -> None:
    ordered = sorted(words)
    for start in range(0, len(ordered), 10_000):
        connection.execute(
            ADD_WORDS, {"words": ordered[start : start + 10_000], "longest": MAX_TERM_CHARS}
        )


class PostgresBatch:
    def __init__(self, connection: Connection):
        self.connection = connection

    def upsert(self, documents: list[SearchDocument]) -> None:
        if not documents:
            return
        self.connection.execute(UPSERT, [document_row(document) for document in documents])
        _add_words(self.connection, set().union(*(document_words(d) for d in documents)))

    def remove(self, keys: list[str]) -> None:
        # Their words stay in search_words until the next rebuild; a suggestion is only made
        # for a word that still finds something.
        if keys:
            self.connection.execute(
                text("DELETE FROM search_documents WHERE key = ANY(CAST(:keys AS text[]))"),
                {"keys": keys},
            )


def _weighted(tsquery: str, weight: str) -> str:
    """`'never' <-> 'paid'` -> `'never':C <-> 'paid':C`: the phrase inside one part only."""
    return _LEXEME.sub(lambda match: f"{match.group(0)}:{weight}", tsquery)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (both words are at most 40 characters)."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def _cancelled(error: OperationalError) -> bool:
    return getattr(error.orig, "sqlstate", None) == QUERY_CANCELED


# SQL is joined from this module's fixed fragments only (hence S608 off in pyproject.toml); every
# value a member typed is a bound parameter.


class PostgresBackend:
    def __init__(self, engine: Engine, time_limit_seconds: float = 1.0):
        if engine.dialect.name != "postgresql":
            raise RuntimeError("SEARCH_BACKEND=postgres needs a PostgreSQL DATABASE_URL")
        self.engine = engine
        self.time_limit_seconds = time_limit_seconds

    # State of the index

    def is_usable(self) -> bool:
        with self.engine.connect() as connection:
            return all(
                connection.scalar(text("SELECT to_regclass(:name) IS NOT NULL"), {"name": name})
                for name in TABLES
            )

    def reset(self) -> None:
        """Empty the index (the tables themselves belong to the migrations)."""
        if not self.is_usable():
            raise RuntimeError(
                "The PostgreSQL search tables are missing: run `flask --app wsgi db upgrade`."
            )
        with self.engine.begin() as connection:
            connection.execute(text("TRUNCATE search_documents, search_words"))

    def indexed_keys(self) -> set[str]:
        with self.engine.connect() as connection:
            return set(connection.scalars(text("SELECT key FROM search_documents")))

    # Writing

    @contextmanager
    def batch(self):
        with self.engine.connect() as connection, connection.begin():
            held = connection.scalar(
                text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": INDEX_LOCK_KEY}
            )
            yield PostgresBatch(connection) if held else None

    def rebuild(self, documents, progress=None) -> None:
        """Replace every document in one transaction (searches see the old ones until it
        commits), loaded with COPY; then refresh the planner's statistics."""
        words: set[str] = set()
        columns = ("key", "kind", "platform_id", "created_at", "title", "body", "ref")
        with self.engine.connect() as connection, connection.begin():
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INDEX_LOCK_KEY})
            connection.execute(text("DELETE FROM search_documents"))
            connection.execute(text("DELETE FROM search_words"))
            driver = connection.connection.driver_connection
            copy_sql = f"COPY search_documents ({', '.join(columns)}) FROM STDIN"
            with driver.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for document in documents:
                    row = document_row(document)
                    copy.write_row([row[column] for column in columns])
                    words |= document_words(document)
                    if progress:
                        progress(1)
            _add_words(connection, words)
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE) search_documents, search_words"))

    # Searching

    def _settle(self, connection: Connection, started: float, gin_only: bool = False) -> None:
        """Settings of the statements that follow in this transaction: what is left of the time
        limit (at least a millisecond, so an exhausted budget ends in the usual cancel), no JIT
        compilation (it costs more than it saves here), and, with `gin_only`, plans that read
        the GIN index (bitmap scans) instead of walking a whole index hoping to meet matches."""
        left_ms = int((self.time_limit_seconds - (time.monotonic() - started)) * 1000)
        scans = "off" if gin_only else "on"
        connection.execute(
            text(
                "SELECT set_config('statement_timeout', :ms, true), set_config('jit', 'off', true),"
                " set_config('enable_seqscan', :scans, true),"
                " set_config('enable_indexscan', :scans, true)"
            ),
            {"ms": str(max(1, left_ms)), "scans": scans},
        )

    @staticmethod
    def _tsquery(connection: Connection, query: ParsedQuery) -> tuple[str | None, list[str]]:
        """The query in tsquery syntax, built from PostgreSQL's own analysis of each word (so
        nothing typed is ever read as tsquery syntax): a word in either language, a phrase
        inside one part in either language, all of them required. Also each required word on
        its own (a phrase's words too), whose counts bound the count of the whole."""
        phrases = [" ".join(phrase) for phrase in query.phrases]
        words = [*query.terms, *(word for phrase in query.phrases for word in phrase)]
        rows = connection.execute(
            text(
                "SELECT plainto_tsquery('taskopticon_en', t)::text, "
                "plainto_tsquery('taskopticon_fr', t)::text, "
                "phraseto_tsquery('taskopticon_en', t)::text, "
                "phraseto_tsquery('taskopticon_fr', t)::text "
                "FROM unnest(CAST(:texts AS text[])) WITH ORDINALITY AS q(t, n) ORDER BY n"
            ),
            {"texts": [*phrases, *words]},
        ).all()

        def either(choices: list[str]) -> str | None:
            choices = [f"({choice})" for choice in dict.fromkeys(choices) if choice]
            return f"({' | '.join(choices)})" if choices else None

        parts = [
            either(
                [
                    _weighted(english, "A"),
                    _weighted(french, "B"),
                    _weighted(english, "C"),
                    _weighted(french, "D"),
                ]
            )
            for _, _, english, french in rows[: len(phrases)]
        ]
        word_parts = [either([english, french]) for english, french, _, _ in rows[len(phrases) :]]
        parts = [part for part in (*word_parts[: len(query.terms)], *parts) if part]
        return " & ".join(parts) or None, [part for part in word_parts if part]

    @staticmethod
    def _filters(request: SearchRequest) -> tuple[str, dict]:
        sql, values = "", {}
        if request.kind:
            sql += " AND kind = :kind"
            values["kind"] = request.kind
        if request.platform_id is not None:
            sql += " AND platform_id = :platform_id"
            values["platform_id"] = request.platform_id
        if request.since is not None:
            sql += " AND created_at >= :since"
            values["since"] = request.since
        return sql, values

    @staticmethod
    def _shown(rows: str, extra: str = "") -> str:
        """The shown hits of `rows` (a relation with a `key`), each with its excerpt: made in
        English and, when that marks nothing (a French inflection), in French."""
        return (
            f"SELECT d.key, d.kind, d.title, d.platform_id, d.created_at, d.ref{extra}, "  # nosec B608 # fixed SQL fragments, values bound
            "CASE WHEN d.body = '' OR strpos(english.excerpt, :mark) > 0 THEN english.excerpt "
            "ELSE ts_headline('taskopticon_fr', d.body, CAST(:query AS tsquery), :options) "
            "END AS excerpt "
            f"FROM {rows} JOIN search_documents AS d ON d.key = shown.key "
            "CROSS JOIN LATERAL (SELECT ts_headline('taskopticon_en', d.body, "
            "CAST(:query AS tsquery), :options) AS excerpt) AS english"
        )

    @staticmethod
    def _estimated_rows(connection: Connection, where: str, values: dict) -> float:
        plan = connection.scalar(
            text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM search_documents WHERE true{where}"),  # nosec B608 # fixed SQL fragments, values bound
            values,
        )
        return plan[0]["Plan"]["Plan Rows"]

    def _window_should_suffice(self, connection: Connection, words: list[str], request) -> bool:
        """Whether MATCHES_LIMIT matches may be among the newest RECENT_WINDOW documents.

        The planner's statistics count each word well, a phrase or several words badly (it
        multiplies): the rarest required word bounds the matches from above. Below that bound
        the GIN index has few rows to read; above it, the window may do with a few hundred."""
        filters, values = self._filters(request)
        documents = self._estimated_rows(connection, filters, values)
        bound = (
            min(
                self._estimated_rows(
                    connection,
                    f" AND document @@ CAST(:word AS tsquery){filters}",
                    {**values, "word": word},
                )
                for word in words
            )
            if words
            else 0.0
        )
        return bound * min(1.0, RECENT_WINDOW / max(documents, 1.0)) >= MATCHES_LIMIT

    def _page(self, connection: Connection, query: str, request: SearchRequest, recent: bool):
        """(matches counted up to MATCHES_LIMIT + 1, the rows of the requested page), looking
        among the RECENT_WINDOW newest documents only when `recent`."""
        filters, values = self._filters(request)
        if recent:
            source = (
                f"(SELECT key, created_at, document FROM search_documents WHERE true{filters}"  # nosec B608 # fixed SQL fragments, values bound
                " ORDER BY created_at DESC LIMIT :window) AS recent"
            )
            values["window"] = RECENT_WINDOW
            filters = ""
        else:
            source = "search_documents"
        if request.sort == "newest":
            order, page_order = "created_at DESC", "page.created_at DESC"
        else:
            order, page_order = "rank DESC, created_at DESC", "page.rank DESC, page.created_at DESC"
        sql = (
            "WITH matches AS MATERIALIZED ("  # nosec B608 # fixed SQL fragments, values bound
            f" SELECT key, created_at, document FROM {source}"
            f" WHERE document @@ CAST(:query AS tsquery){filters}"
            " ORDER BY created_at DESC LIMIT :matches"
            "), shown AS ("
            " SELECT key, created_at,"
            " ts_rank(CAST(:weights AS real[]), document, CAST(:query AS tsquery), 1) AS rank"
            " FROM (SELECT * FROM matches ORDER BY created_at DESC LIMIT :ranked) AS ranked"
            f" ORDER BY {order} LIMIT :per_page OFFSET :offset"
            ") "
            "SELECT counted.total, page.* FROM (SELECT count(*) AS total FROM matches) AS counted "
            f"LEFT JOIN LATERAL ({self._shown('shown', ', shown.rank')}) AS page ON true "
            f"ORDER BY {page_order}"
        )
        rows = connection.execute(
            text(sql),
            {
                **values,
                "query": query,
                "matches": MATCHES_LIMIT + 1,  # one more tells "more than"
                "ranked": MATCHES_LIMIT,
                "weights": RANK_WEIGHTS,
                "per_page": request.per_page,
                "offset": (request.page - 1) * request.per_page,
                "mark": MARK_START,
                "options": HEADLINE_OPTIONS,
            },
        ).all()
        return rows[0].total, [row for row in rows if row.key is not None]

    def _first_matches(self, connection: Connection, query: str, request, started: float):
        """What can still be given once the ranked query ran out of time: the first matches
        PostgreSQL finds in the time left, in no particular order, for the first page."""
        connection.rollback()  # the cancelled statement ended the transaction
        if request.page > 1:
            return []
        connection.begin()
        self._settle(connection, started)
        filters, values = self._filters(request)
        rows = (
            "(SELECT key FROM search_documents "  # nosec B608 # fixed SQL fragments, values bound
            f"WHERE document @@ CAST(:query AS tsquery){filters} LIMIT :per_page) AS shown"
        )
        try:
            return connection.execute(
                text(self._shown(rows)),
                {
                    **values,
                    "query": query,
                    "per_page": request.per_page,
                    "mark": MARK_START,
                    "options": HEADLINE_OPTIONS,
                },
            ).all()
        except OperationalError as error:
            if not _cancelled(error):
                raise
            return []

    def search(self, request: SearchRequest) -> SearchResults:
        started = time.monotonic()
        timed_out, capped, suggestion = False, False, None
        with self.engine.connect() as connection:
            connection.begin()
            self._settle(connection, started)
            query, words = self._tsquery(connection, request.query)
            if query is None:  # only common words such as "the"
                return SearchResults([], 0, request.page, request.per_page)
            try:
                total, rows = self._ranked(connection, query, words, request, started)
            except OperationalError as error:
                if not _cancelled(error):
                    raise
                timed_out = True
                rows = self._first_matches(connection, query, request, started)
                total = len(rows)
            else:
                capped, total = total > MATCHES_LIMIT, min(total, MATCHES_LIMIT)
                if total == 0:
                    suggestion = self._suggestion(connection, request.query, started)
            connection.rollback()
        hits = [self._hit(row) for row in rows]
        return SearchResults(
            hits, total, request.page, request.per_page, timed_out, suggestion, capped
        )

    def _ranked(self, connection, query: str, words: list[str], request, started: float):
        total = None
        if self._window_should_suffice(connection, words, request):
            total, rows = self._page(connection, query, request, recent=True)
        if total is None or total <= MATCHES_LIMIT:
            self._settle(connection, started, gin_only=True)
            total, rows = self._page(connection, query, request, recent=False)
        return total, rows

    def _suggestion(self, connection: Connection, query: ParsedQuery, started: float):
        self._settle(connection, started)
        try:
            return self._suggest(connection, query)
        except OperationalError as error:
            if not _cancelled(error):
                raise
            return None

    @staticmethod
    def _hit(row) -> SearchHit:
        excerpt = html.escape(row.excerpt or "", quote=False)
        return SearchHit(
            key=row.key,
            kind=row.kind,
            title=row.title,
            excerpt_html=excerpt.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"),
            created_at=row.created_at,
            platform_id=row.platform_id,
            ref=row.ref,
        )

    @staticmethod
    def _suggest(connection: Connection, query: ParsedQuery) -> str | None:
        """'Did you mean': each word that finds nothing replaced by the most similar known word
        (same first letter, at most two edits) that finds something. One statement per word,
        so the planner sees the word: a common one is met at once, a rare one through GIN."""
        finds = text(
            "SELECT EXISTS (SELECT 1 FROM search_documents WHERE document @@ "
            "(plainto_tsquery('taskopticon_en', :word) || "
            "plainto_tsquery('taskopticon_fr', :word)))"
        )
        similar = text(
            "SELECT word FROM search_words WHERE word % unaccent(:word) "
            "ORDER BY word <-> unaccent(:word) LIMIT :limit"
        )
        changed, words = False, []
        for term in query.terms:
            replacement = None
            if not connection.scalar(finds, {"word": term}):
                candidates = connection.scalars(
                    similar, {"word": term, "limit": SUGGESTION_CANDIDATES}
                ).all()
                folded = candidates and connection.scalar(
                    text("SELECT unaccent(:word)"), {"word": term}
                )
                for candidate in candidates:
                    if (
                        candidate[0] == folded[0]
                        and _edits(candidate, folded) <= SUGGESTION_MAX_EDITS
                        and connection.scalar(finds, {"word": candidate})
                    ):
                        replacement = candidate
                        break
            words.append(replacement or term)
            changed |= replacement is not None
        return " ".join(words) if changed else None
