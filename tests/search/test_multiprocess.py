"""Several processes writing at once neither corrupt the index nor lose an update."""

import multiprocessing

import pytest
from sqlalchemy import select

from community.core.content import Visibility
from community.extensions import db
from community.forum.models import Post
from community.search import service as search
from tests.conftest import make_thread, make_user
from tests.search.concurrent_writers import write_posts

PROCESSES, POSTS_EACH = 4, 15


@pytest.mark.slow
def test_concurrent_writers_leave_the_index_equal_to_the_database(search_backend, app):
    thread = make_thread(title="Many hands", body="Opening post")
    authors = [make_user(trust=2) for _ in range(PROCESSES)]
    search.drain()
    config = {
        key: app.config[key]
        for key in (
            "TESTING",
            "SECRET_KEY",
            "SQLALCHEMY_DATABASE_URI",
            "SEARCH_BACKEND",
            "SEARCH_INDEX_DIR",
            "ARGON2_TIME_COST",
            "ARGON2_MEMORY_KIB",
        )
    }
    config["INSTANCE_PATH"] = app.instance_path
    spawn = multiprocessing.get_context("spawn")
    workers = [
        spawn.Process(target=write_posts, args=(config, thread.id, author.id, POSTS_EACH, f"w{n}"))
        for n, author in enumerate(authors)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0] * PROCESSES

    waiting_before = search.pending()
    db.session.rollback()
    drained = search.drain()
    db.session.expire_all()
    posts = db.session.scalars(
        select(Post).where(Post.thread_id == thread.id, Post.number > 1)
    ).all()
    assert len(posts) == PROCESSES * POSTS_EACH
    visible = {f"post:{post.id}" for post in posts if post.visibility == Visibility.VISIBLE}
    indexed = {key for key in search.backend().indexed_keys() if key.startswith("post:")}
    assert indexed == visible, (waiting_before, drained, search.pending())
    assert search.pending() == 0
    numbers = sorted(post.number for post in posts)
    assert numbers == list(range(2, 2 + PROCESSES * POSTS_EACH))  # no number given twice
