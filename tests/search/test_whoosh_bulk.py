"""The bulk writer of rebuilds makes the index Whoosh's own writer makes, term for term."""

import random
from datetime import datetime, timedelta

import pytest
from whoosh import index
from whoosh.qparser import QueryParser

from community.search import whoosh_bulk
from community.search.whoosh_backend import ANALYZER, build_schema

TRICKY = [
    "",
    "the a of",
    "The requester PAID within two days, the bonus too.",
    "Rémunération horaire : 2,50 € — payé après 3 jours ; c'est l'été!",
    "e.g. a.b.c 3.14 x*y *star* under_score __init__ 12345 A1B2C3D4E5F6G7",
    "Œuvre, straße, naïve café, São Paulo, İstanbul, ǅemal, ﬁnance",
    "e\u0301te\u0301 (combining accents) and the the the paid paid",
    "Ne payez jamais : c'est une arnaque. Le le la les des!",
    "word " * 40 + "end",
]


def analyzer_output(text: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for token in ANALYZER(text, positions=True, mode="index"):
        found.setdefault(token.text, []).append(token.pos)
    return found


@pytest.mark.parametrize("text", TRICKY)
def test_the_tokens_are_the_analyzers(text):
    assert whoosh_bulk.Tokens(ANALYZER)(text) == analyzer_output(text)


def test_the_tokens_are_the_analyzers_on_generated_text():
    rng = random.Random(3)
    alphabet = "aàbcçdeéèêfghiîjklmnoôpqrstuùvwxyz AÉ.,;:'’-_*!?0123456789\u0301œß"
    tokens = whoosh_bulk.Tokens(ANALYZER)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        assert tokens(text) == analyzer_output(text), text


def documents(count: int) -> list[dict]:
    rng = random.Random(11)
    words = ["paid", "payé", "bonus", "the", "rejected", "time", "estimate", "rémunération", "zu"]
    words += [f"w{n}" for n in range(300)]
    start = datetime(2024, 1, 1)
    docs = []
    for number in range(count):
        fields = {
            "key": f"review:{number}",
            "kind": rng.choice(["review", "post", "thread"]),
            "title": " ".join(rng.choices(words, k=rng.randint(0, 6))),
            "body": " ".join(rng.choices(words, k=rng.randint(0, 200))),
            "created": start + timedelta(minutes=rng.randint(0, 10**6)),
            "ref": '{"thread": 1}',
        }
        if rng.random() < 0.7:
            fields["platform"] = str(rng.randint(1, 20))
        docs.append(fields)
    return docs


def contents(ix) -> dict:
    """Everything a search can read: stored fields, lengths, terms with their statistics, and
    each posting by document key."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        keys = {docnum: stored["key"] for docnum, stored in reader.iter_docs()}
        stored = {stored["key"]: stored for _, stored in reader.iter_docs()}
        terms = {}
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            matcher = reader.postings(fieldname, text)
            postings = {}
            while matcher.is_active():
                postings[keys[matcher.id()]] = (matcher.weight(), matcher.value())
                matcher.next()
            terms[(fieldname, text)] = (
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
                postings,
            )
        lengths = {
            (keys[docnum], name): reader.doc_field_length(docnum, name)
            for docnum in keys
            for name in ("title", "body")
        }
        totals = {name: reader.field_length(name) for name in ("title", "body")}
        created = {keys[d]: v for d, v in enumerate(reader.column_reader("created"))}
        parser = QueryParser("body", ix.schema)
        scores = {
            query: [
                (hit["key"], round(hit.score, 9))
                for hit in searcher.search(parser.parse(query), limit=None)
            ]
            for query in ("paid", "w7 w8", '"time estimate"', "rémunération", "zu")
        }
    return {
        "stored": stored,
        "terms": terms,
        "lengths": lengths,
        "totals": totals,
        "created": created,
        "scores": scores,
    }


def whoosh_index(folder, docs):
    folder.mkdir()
    ix = index.create_in(str(folder), build_schema())
    writer = ix.writer()
    for fields in docs:
        writer.add_document(**fields)
    writer.commit()
    return ix


def bulk_index(folder, docs, **options):
    folder.mkdir()
    ix = index.create_in(str(folder), build_schema())
    writer = ix.writer()
    segments = whoosh_bulk.write_segments(ix, docs, **options)
    writer.commit(mergetype=lambda _writer, _old: segments)
    return index.open_dir(str(folder))


def test_one_segment_in_process_equals_whooshs_writer(tmp_path):
    docs = documents(400)
    expected = contents(whoosh_index(tmp_path / "whoosh", docs))
    assert contents(bulk_index(tmp_path / "bulk", docs)) == expected


def test_several_segments_from_worker_processes_hold_the_same_documents(tmp_path, monkeypatch):
    monkeypatch.setattr(whoosh_bulk, "IN_PROCESS_DOCUMENTS", 50)
    monkeypatch.setattr(whoosh_bulk, "BATCH_DOCUMENTS", 40)
    monkeypatch.setattr(whoosh_bulk, "SEGMENT_POSTINGS", 5000)
    docs = documents(400)
    counted = []
    built = bulk_index(tmp_path / "bulk", docs, procs=2, progress=counted.append)
    assert sum(counted) == len(docs)
    assert len(built._segments()) > 2
    expected = contents(whoosh_index(tmp_path / "whoosh", docs))
    found = contents(built)
    for part in ("stored", "lengths", "totals", "created"):
        assert found[part] == expected[part], part
    # Docnums and block statistics differ between segments; postings by key do not.
    assert {term: entry[-1] for term, entry in found["terms"].items()} == {
        term: entry[-1] for term, entry in expected["terms"].items()
    }
    assert {q: sorted(hits) for q, hits in found["scores"].items()} == {
        q: sorted(hits) for q, hits in expected["scores"].items()
    }


@pytest.mark.parametrize("search_backend", ["whoosh"], indirect=True)
def test_an_index_of_an_older_schema_is_rebuilt_not_an_error_page(app, client, search_backend):
    from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

    from community.search import service as search
    from tests.conftest import make_thread

    make_thread(title="Older schema", body="pangolin")
    search.backend().reset()
    search.backend()._close_searcher()
    search.backend()._index = None
    older = Schema(
        key=ID(stored=True, unique=True),
        title=TEXT(stored=True),
        body=TEXT(),
        created=DATETIME(stored=True, sortable=True),
        ref=STORED(),
    )
    index.create_in(app.config["SEARCH_INDEX_DIR"], older)
    assert search.backend().is_usable() is False
    assert "being rebuilt" in client.get("/search?q=pangolin").get_data(as_text=True)
    assert "Older schema" in client.get("/search?q=pangolin").get_data(as_text=True)


@pytest.mark.parametrize("search_backend", ["whoosh"], indirect=True)
def test_a_search_matching_too_many_documents_ranks_the_most_recent_and_says_so(
    app, client, search_backend
):
    from community.search import service as search
    from tests.conftest import make_thread

    threads = [make_thread(title=f"Payout story {n}", body="payout payout") for n in range(30)]
    search.backend().reset()
    search.rebuild()
    backend = search.backend()
    monkeypatched = backend.max_scored
    backend.max_scored = 5
    try:
        import community.search.whoosh_backend as whoosh_backend

        floor = whoosh_backend.MIN_SEGMENT_SCORED
        whoosh_backend.MIN_SEGMENT_SCORED = 5
        results, _notices, _complete = search.search("payout", None, None, None, "newest", 1, 3)
        page = client.get("/search?q=payout").get_data(as_text=True)
    finally:
        backend.max_scored = monkeypatched
        whoosh_backend.MIN_SEGMENT_SCORED = floor
    assert results.total_capped
    # The rebuilt index starts with the latest items: those are the ones ranked.
    assert [hit.key for hit in results.hits] == [f"thread:{t.id}" for t in threads[::-1][:3]]
    assert "most recent are ranked and shown" in page
