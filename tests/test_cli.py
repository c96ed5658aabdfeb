from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.catalog.models import Platform, Requester
from community.extensions import db
from community.forum import service as forum
from community.forum.models import Post
from community.reviews import aggregates
from community.reviews.models import Review
from community.search import service as search
from tests.conftest import make_thread, make_user


def test_create_admin_creates_then_promotes(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "chief", "--password", "a long admin password"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.username == "chief")).role == Role.ADMIN
    runner.invoke(args=["create-admin", "chief"])
    assert "now an admin" in runner.invoke(args=["create-admin", "chief"]).output


def test_load_platforms_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["load-platforms"])
    assert first.exit_code == 0
    count = db.session.scalar(select(func.count()).select_from(Platform))
    runner.invoke(args=["load-platforms"])
    assert db.session.scalar(select(func.count()).select_from(Platform)) == count >= 15


def test_demo_data_is_believable_and_its_figures_equal_a_recount(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo-data", "--seed", "7", "--scale", "0.1"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Review)) == 500
    assert db.session.scalar(select(func.count()).select_from(User)) == 30
    assert db.session.scalar(select(func.count()).select_from(Requester)) == 50
    assert db.session.scalar(select(func.count()).select_from(Post)) == 2000
    assert search.backend().indexed_keys() and search.pending() == 0
    outcomes = set(db.session.scalars(select(Review.outcome).distinct()))
    assert {"rejected", "never_paid", "approved", "pending"} <= outcomes
    stored = {
        r.id: (r.reviewer_count, r.ranking_score, r.stats["all"])
        for r in db.session.scalars(select(Requester))
    }
    for requester in db.session.scalars(select(Requester)):
        aggregates.refresh(requester)
        assert (requester.reviewer_count, requester.ranking_score) == stored[requester.id][:2]
        assert requester.stats["all"] == stored[requester.id][2]
    db.session.rollback()
    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert "already has members" in again.output
    # The demo inserts rows with their ids; on PostgreSQL the id sequences must follow.
    thread = make_thread(make_user(trust=2))
    assert forum.reply(thread.author, thread, "A first reply after the demo.").number == 2


def test_refresh_stats_recomputes_everything(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["load-platforms"])
    assert runner.invoke(args=["refresh-stats"]).exit_code == 0
