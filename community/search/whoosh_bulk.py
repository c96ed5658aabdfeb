"""Writing a whole Whoosh index at once, for rebuilds: the segments Whoosh's own writer makes,
several times faster.

Whoosh's SegmentWriter runs every token through a chain of generator filters and adds each
posting to a pool that it sorts on disk; over a million documents that is most of a rebuild.
Here the text fields are tokenised by `Tokens` (the same terms and positions as the analyzer it
is built from: tests compare both), the postings of a segment are gathered in memory by term,
and written once, in the order Whoosh's writer would, through Whoosh's own codec (stored fields,
lengths, columns, posting blocks and their statistics are Whoosh's code). Worker processes each
write whole segments; the caller commits them all in one table of contents.
"""

import multiprocessing
import queue
from array import array
from collections.abc import Callable, Iterable

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.formats import Positions
from whoosh.util.numeric import byte_to_length, length_to_byte

BATCH_DOCUMENTS = 1000  # sent to a worker at a time
IN_PROCESS_DOCUMENTS = 20_000  # fewer than this: no worker processes
SEGMENT_POSTINGS = 25_000_000  # a worker starts a new segment beyond this (about 0.5 GB)
ENCODED_CACHE_ENTRIES = 200_000
NO_VALUE = b""


class Tokens:
    """What `RegexTokenizer() | LowercaseFilter() | CharsetFilter(map) | StopFilter(...)` yields
    in index mode, as {term: positions}, without a generator per filter."""

    def __init__(self, analyzer):
        if not isinstance(analyzer, CompositeAnalyzer):
            raise TypeError("not a composed analyzer")
        tokenizer, lower, charset, stop = analyzer.items
        if not (
            isinstance(tokenizer, RegexTokenizer)
            and not tokenizer.gaps
            and type(lower) is LowercaseFilter
            and type(charset) is CharsetFilter
            and type(stop) is StopFilter
            and stop.renumber
        ):
            raise TypeError("an analyzer of another shape")
        self.finditer = tokenizer.expression.finditer
        self.charmap = charset.charmap
        self.stops = stop.stops
        self.minsize, self.maxsize = stop.min, stop.max

    def __call__(self, text: str) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        charmap, stops, minsize, maxsize = self.charmap, self.stops, self.minsize, self.maxsize
        kept = None
        for position, match in enumerate(self.finditer(text)):
            word = match.group(0).lower().translate(charmap)
            if len(word) < minsize or (maxsize is not None and len(word) > maxsize):
                continue
            if word in stops:
                continue
            # StopFilter renumbers: the first word kept keeps its place, the next follow it.
            kept = position if kept is None else kept + 1
            positions = found.get(word)
            if positions is None:
                found[word] = [kept]
            else:
                positions.append(kept)
        return found


class SegmentBuilder:
    """Documents in, one or more finished segments out (see `add` and `finish`)."""

    def __init__(self, storage, schema, indexname: str):
        self.storage, self.schema, self.indexname = storage, schema, indexname
        self.codec = W3Codec()
        self.segment_postings = SEGMENT_POSTINGS
        self.fast = {}
        for name in schema.names():
            field = schema[name]
            if field.vector or field.separate_spelling():
                raise TypeError(f"field {name}: vectors and spelling are not written here")
            if type(field.format) is Positions:
                self.fast[name] = Tokens(field.analyzer)
        self.encoded: dict[tuple, bytes] = {}
        self.segments = []
        self._start()

    def _start(self) -> None:
        self.segment = self.codec.new_segment(self.storage, self.indexname)
        self.perdoc = self.codec.per_document_writer(self.storage, self.segment)
        self.docnum = 0
        self.postings_count = 0
        self.postings: dict[str, dict[bytes, tuple]] = {}
        self.lengths: dict[str, dict[int, int]] = {}

    def _post(self, name: str, items, docnum: int, with_values: bool) -> int:
        """Add one field's postings; returns the field's length (its number of tokens)."""
        terms = self.postings.setdefault(name, {})
        length = 0
        for term, freq, weight, encoded in items:
            length += freq
            entry = terms.get(term)
            if entry is None:
                entry = terms[term] = (array("I"), array("d"), [])
            entry[0].append(docnum)
            entry[1].append(weight)
            if with_values:
                entry[2].append(encoded)
        return length

    def _text_items(self, name: str, field, value: str) -> list:
        """(term bytes, frequency, weight, value bytes) as field.index(value) gives them."""
        boost = field.format.field_boost
        encode, cache = field.format.encode, self.encoded
        items = []
        for word, positions in self.fast[name](value).items():
            key = tuple(positions)
            encoded = cache.get(key)
            if encoded is None:
                encoded = encode(positions)
                if len(cache) < ENCODED_CACHE_ENTRIES:
                    cache[key] = encoded
            freq = len(positions)
            items.append((word.encode("utf-8"), freq, float(freq) * boost, encoded))
        return items

    def add(self, fields: dict) -> None:
        """One document, as SegmentWriter.add_document(**fields) would write it."""
        schema, perdoc, docnum = self.schema, self.perdoc, self.docnum
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            if name.startswith("_"):
                raise ValueError("document and field boosts are not written here")
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                if name in self.fast:
                    items = self._text_items(name, field, value)
                else:
                    items = list(field.index(value))
                self.postings_count += len(items)
                length = self._post(name, items, docnum, name in self.fast)
                if not field.scorable:
                    length = 0
                elif length:
                    # The length the writer reads back from the lengths column (one byte).
                    self.lengths.setdefault(name, {})[docnum] = byte_to_length(
                        length_to_byte(length)
                    )
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self.docnum += 1
        if self.postings_count >= self.segment_postings:
            self._finish_segment()
            self._start()

    def _finish_segment(self) -> None:
        self.perdoc.close()
        writer = self.codec.field_writer(self.storage, self.segment)
        for name in sorted(self.postings):
            field = self.schema[name]
            lengths = self.lengths.get(name, {})
            writer.start_field(name, field)
            terms = self.postings[name]
            for term in sorted(terms):
                docs, weights, values = terms[term]
                writer.start_term(term)
                add = writer.add
                for index, docnum in enumerate(docs):
                    add(
                        docnum,
                        weights[index],
                        values[index] if values else NO_VALUE,
                        lengths.get(docnum, 0),
                    )
                writer.finish_term()
            writer.finish_field()
        writer.close()
        # Left as separate files, not assembled into one: Whoosh reads a file of a compound
        # segment wholly into memory when opening it (the stored fields of a big segment are
        # hundreds of MB, in every server process); separate files are read where needed.
        self.segment.set_doc_count(self.docnum)
        self.segments.append(self.segment)

    def finish(self) -> list:
        if self.docnum:
            self._finish_segment()
        else:
            self.perdoc.close()
        return self.segments


def _worker(storage, schema, indexname, jobs, results) -> None:
    try:
        builder = SegmentBuilder(storage, schema, indexname)
        while (batch := jobs.get()) is not None:
            for fields in batch:
                builder.add(fields)
        results.put(("done", builder.finish()))
    except BaseException as error:  # reported to the parent, which stops everything
        results.put(("failed", repr(error)))


def write_segments(
    index,
    documents: Iterable[dict],
    progress: Callable[[int], None] | None = None,
    procs: int = 1,
) -> list:
    """Write `documents` (the keyword arguments of add_document) as new segments of `index`,
    without committing them: the caller lists them in the table of contents (under the lock)."""
    storage, schema, indexname = index.storage, index.schema, index.indexname
    documents = iter(documents)
    first = []
    for fields in documents:
        first.append(fields)
        if len(first) >= IN_PROCESS_DOCUMENTS:
            break
    context = _fork_context()
    if procs < 2 or len(first) < IN_PROCESS_DOCUMENTS or context is None:
        builder = SegmentBuilder(storage, schema, indexname)
        for fields in first:
            builder.add(fields)
        if progress:
            progress(len(first))
        for fields in documents:
            builder.add(fields)
            if progress:
                progress(1)
        return builder.finish()

    jobs, results = context.Queue(procs * 3), context.Queue()
    workers = [
        context.Process(target=_worker, args=(storage, schema, indexname, jobs, results))
        for _ in range(procs)
    ]
    for worker in workers:
        worker.start()
    try:
        batch = first
        for fields in documents:
            if len(batch) >= BATCH_DOCUMENTS:
                _send(jobs, batch, workers, progress)
                batch = []
            batch.append(fields)
        if batch:
            _send(jobs, batch, workers, progress)
        for _ in workers:
            jobs.put(None)
        segments = []
        for _ in workers:
            status, outcome = _result(results, workers)
            if status != "done":
                raise RuntimeError(f"an indexing worker failed: {outcome}")
            segments += outcome
        return segments
    finally:
        for worker in workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.terminate()


def _send(jobs, batch: list, workers, progress) -> None:
    while True:
        try:
            jobs.put(batch, timeout=1)
            break
        except queue.Full:
            if not all(worker.is_alive() for worker in workers):
                raise RuntimeError("an indexing worker stopped") from None
    if progress:
        progress(len(batch))


def _result(results, workers) -> tuple:
    while True:
        try:
            return results.get(timeout=1)
        except queue.Empty:
            if not any(worker.is_alive() for worker in workers):
                return "failed", "every worker stopped"


def _fork_context():
    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: the rebuild runs in one process
        return None
