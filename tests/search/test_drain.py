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


def test_a_holder_pauses_before_looking_again_so_a_stream_of_writes_gathers(
    search_backend, monkeypatch
):
    """Under a steady stream of writes something is always waiting when the holder lets go:
    it waits the drain delay before looking again, so the next commit takes them all."""
    from contextlib import contextmanager

    from sqlalchemy import insert

    from community.core.database import utcnow
    from community.search.models import SearchOutbox

    thread = make_thread(title="A steady stream", body="First post.")
    search.drain()
    backend = search.backend()
    real_batch, holds, pauses = backend.batch, [], []
    key = f"thread:{thread.id}"

    @contextmanager
    def batch():
        with real_batch() as held:
            yield held
            holds.append(held)
            if len(holds) == 1:  # a write commits while the index is held
                with db.engine.begin() as connection:
                    connection.execute(
                        insert(SearchOutbox).values(doc_key=key, created_at=utcnow())
                    )

    monkeypatch.setattr(backend, "batch", batch)
    monkeypatch.setattr(search.time, "sleep", pauses.append)
    search.enqueue("thread", thread.id)
    db.session.commit()
    assert search.drain(0.2)
    assert len(holds) == 2 and pauses == [0.2] and search.pending() == 0
