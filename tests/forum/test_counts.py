"""A thread's and a category's counts follow moderation while replies come in: the thread's row
is locked before its count changes, and category counts change in SQL."""

import pytest

from community.accounts.models import Role
from community.extensions import db
from community.forum import service as forum
from community.moderation import service as moderation
from tests.conftest import first_index, make_thread, make_user, recorded_statements

REASON = "A reason long enough to pass."


def test_hiding_and_restoring_a_post_keeps_the_counts(app):
    thread = make_thread()
    post = forum.reply(make_user(), thread, "A reply that moderation will hide.")
    moderator = make_user(trust=2, role=Role.MODERATOR)
    category_posts = thread.category.post_count
    moderation.hide(moderator, "post", post.id, "spam", REASON)
    db.session.refresh(thread)
    db.session.refresh(thread.category)
    assert (thread.post_count, thread.category.post_count) == (1, category_posts - 1)
    moderation.restore(moderator, "post", post.id, REASON)
    db.session.refresh(thread)
    db.session.refresh(thread.category)
    assert (thread.post_count, thread.category.post_count) == (2, category_posts)


def test_the_thread_is_locked_before_a_hidden_post_changes_its_count(app):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite: the write transaction holds the whole database from its start")
    thread = make_thread()
    post = forum.reply(make_user(), thread, "A reply that moderation will hide.")
    moderator = make_user(trust=2, role=Role.MODERATOR)
    with recorded_statements() as statements:
        moderation.hide(moderator, "post", post.id, "spam", REASON)
    locked = first_index(statements, "FOR UPDATE OF threads")
    assert locked < first_index(statements, "UPDATE threads SET post_count")
