"""With a drain delay, the process's drain thread applies the outbox shortly after the answer,
several writes in one index commit."""

import time

from community.extensions import db
from community.search import service as search
from tests.conftest import login, make_thread, make_user


def test_writes_reach_the_index_shortly_after_the_answer(app, client, monkeypatch, search_backend):
    monkeypatch.setitem(app.config, "SEARCH_DRAIN_DELAY_SECONDS", 0.05)
    thread = make_thread(title="Drained later")
    search.drain()
    login(client, make_user().username)
    for word in ("heron", "egret", "bittern"):
        response = client.post(f"/threads/{thread.id}/reply", data={"body": f"A {word} here."})
        assert response.status_code == 302
    deadline = time.monotonic() + 10
    while search.pending() and time.monotonic() < deadline:
        db.session.rollback()
        time.sleep(0.05)
    assert search.pending() == 0
    for word in ("heron", "egret", "bittern"):
        results, _notices, _complete = search.search(word, "post", None, None, "relevance", 1, 5)
        assert len(results.hits) == 1, word
