"""Many members writing at once through gunicorn: nothing accepted is lost, figures stay right,
the index follows, and nobody sees an error page."""

import json

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.forum.models import Post
from community.moderation.models import Report
from community.reviews.models import Review
from tests.reliability import checks
from tests.reliability.load import populate, run_members
from tests.reliability.site import Instance, Server

pytestmark = pytest.mark.slow

WORKERS, MEMBERS, SECONDS = 4, 20, 32


def test_twenty_members_writing_at_once_through_four_workers(tmp_path, capsys):
    instance = Instance(tmp_path / "instance")
    instance.migrate()
    usernames, site = populate(instance, MEMBERS)
    with instance.app.app_context():
        before = {
            "review": db.session.scalar(select(func.count()).select_from(Review)),
            "post": db.session.scalar(select(func.count()).select_from(Post)),
            "report": 0,
        }
        db.session.rollback()

    with Server(instance, WORKERS) as server:
        registry, tally, elapsed = run_members(usernames, server.port, site, SECONDS)
        with instance.app.app_context():
            waiting = checks.wait_for_the_outbox()  # applied by the workers after their answers
        log = server.log()

    accepted = {kind: sum(w.kind == kind for w in registry.writes) for kind in before}
    with instance.app.app_context():
        stored = {
            "review": db.session.scalar(select(func.count()).select_from(Review)),
            "post": db.session.scalar(select(func.count()).select_from(Post)),
            "report": db.session.scalar(select(func.count()).select_from(Report)),
        }
        missing = checks.missing_writes(registry.writes)
        figures = checks.figures_differing_from_a_recount()
        counters = checks.counters_differing_from_a_recount()
        index = checks.index_differences()
        hidden = db.session.scalar(
            select(func.count()).select_from(Review).where(Review.visibility != "visible")
        )
        db.session.rollback()

    report = {
        "database": "sqlite" if instance.is_sqlite else "postgresql",
        "workers": WORKERS,
        "members": MEMBERS,
        "seconds": round(elapsed, 1),
        "requests": tally.requests,
        "requests_per_second": round(tally.requests / elapsed, 1),
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items(), key=str)},
        "writes_accepted": accepted,
        "reviews_hidden_by_reports": hidden,
        "lost_writes": len(missing),
        "latency": tally.latency(),
    }
    with capsys.disabled():
        print(f"\nconcurrency figures: {json.dumps(report)}")
    checks.keep_figures("concurrency", report)

    assert not tally.unexpected, (tally.unexpected[:10], log)
    assert "database is locked" not in log and "Traceback" not in log, log
    assert elapsed >= 30 and min(accepted.values()) > 0
    assert not missing, missing[:10]
    assert {kind: stored[kind] - before[kind] for kind in stored} == accepted  # nothing extra
    assert not figures, figures[:3]
    assert not counters, counters[:5]
    assert waiting == 0
    assert not index, index
