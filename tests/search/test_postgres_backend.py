"""What only the PostgreSQL backend does: language stemming, a bounded count, its own storage."""

import pytest
from sqlalchemy import text

from community.extensions import db
from community.forum import service as forum
from community.search import postgres_backend
from community.search import service as search
from tests.conftest import make_thread, make_user
from tests.search.test_search import keys_for

pytestmark = pytest.mark.parametrize("search_backend", ["postgres"], indirect=True)


def test_english_and_french_words_find_their_other_forms(search_backend):
    english = make_thread(title="Payouts rejected", body="Two rejections this week.")
    french = make_thread(title="Tâches refusées", body="Mes rémunérations arrivent en retard.")
    search.drain()
    assert keys_for("payout") == [f"thread:{english.id}"]
    assert keys_for("rejection") == [f"thread:{english.id}"]
    assert keys_for("tache refusee") == [f"thread:{french.id}"]
    assert keys_for("remuneration") == [f"thread:{french.id}"]


def test_beyond_the_ranked_matches_the_total_says_more_than(search_backend, client, monkeypatch):
    monkeypatch.setattr(postgres_backend, "MATCHES_LIMIT", 3)
    threads = [make_thread(title=f"Heron sighting {n}", body="heron") for n in range(5)]
    search.drain()
    results, *_ = search.search("heron", None, None, None, "newest", 1, 2)
    assert results.total == 3 and results.total_capped
    newest = sorted(threads, key=lambda t: (t.created_at, t.id))[-2:]
    assert {hit.key for hit in results.hits} == {f"thread:{t.id}" for t in newest}
    html = client.get("/search?q=heron").get_data(as_text=True)
    assert "More than 3 results" in html
    exact, *_ = search.search("sighting 4", None, None, None, "relevance", 1, 10)
    assert exact.total == 1 and not exact.total_capped


def test_did_you_mean_never_proposes_a_word_that_finds_nothing(search_backend):
    author = make_user()
    thread = make_thread(author=author, title="Question", body="Asking.")
    post = forum.reply(author, thread, "The cormorant requester paid twice.")
    search.drain()
    results, *_ = search.search("cormarant", None, None, None, "relevance", 1, 10)
    assert results.suggestion == "cormorant"
    forum.delete_post(author, post)
    search.drain()
    results, *_ = search.search("cormarant", None, None, None, "relevance", 1, 10)
    assert results.total == 0 and results.suggestion is None


def test_text_the_engine_cannot_store_is_dropped(search_backend):
    thread = make_thread(title="Odd markers", body="ibis \x02marker\x03 text")
    search.drain()
    (hit,) = search.search("ibis", None, None, None, "relevance", 1, 10)[0].hits
    assert hit.key == f"thread:{thread.id}"
    assert hit.excerpt_html == "<mark>ibis</mark> marker text"


def test_the_index_lives_in_its_own_tables(search_backend):
    make_thread(title="Stored where?", body="puffin")
    search.drain()
    stored = db.session.scalar(text("SELECT count(*) FROM search_documents"))
    assert stored == len(search.backend().indexed_keys()) >= 1
    assert search.backend().is_usable()


@pytest.mark.parametrize("window", [True, False], ids=["newest-window-first", "gin-only"])
def test_both_ways_of_finding_matches_give_the_same_results(search_backend, monkeypatch, window):
    monkeypatch.setattr(postgres_backend, "MATCHES_LIMIT", 3)
    monkeypatch.setattr(postgres_backend, "RECENT_WINDOW", 4)
    monkeypatch.setattr(
        postgres_backend.PostgresBackend, "_window_should_suffice", lambda *_: window
    )
    old = make_thread(title="Egret colony", body="A rare bird: the egret.")
    old.created_at = old.created_at.replace(year=old.created_at.year - 1)
    db.session.commit()
    search.enqueue("thread", old.id)
    db.session.commit()
    herons = [make_thread(title=f"Heron {n}", body="heron heron") for n in range(6)]
    search.drain()
    # Common: the three newest matches, and "more than".
    newest, *_ = search.search("heron", None, None, None, "newest", 1, 10)
    assert [hit.key for hit in newest.hits] == [f"thread:{t.id}" for t in herons[:-4:-1]]
    assert newest.total == 3 and newest.total_capped
    # Rare, and older than the window of the newest documents: still found.
    rare, *_ = search.search("egret", None, None, None, "relevance", 1, 10)
    assert [hit.key for hit in rare.hits] == [f"thread:{old.id}"] and not rare.total_capped
    assert "<mark>egret</mark>" in rare.hits[0].excerpt_html
