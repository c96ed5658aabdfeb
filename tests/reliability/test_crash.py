"""kill -9 of gunicorn workers in the middle of writes: nothing answered as saved is lost, the
database stays consistent, and the search index is repaired."""

import json
import random
import time

import pytest

from community.extensions import db
from tests.reliability import checks
from tests.reliability.load import populate, run_members
from tests.reliability.site import Instance, Server

# What a kill -9 could break here are SQLite's and Whoosh's files (PostgreSQL rolls back the
# transaction of a connection that drops, by its own design).
pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

WORKERS, MEMBERS, KILLS, KILL_EVERY_SECONDS = 4, 12, 5, 4
SECONDS = KILLS * KILL_EVERY_SECONDS + 4
KINDS_OF_KILL = (
    ("database writer", Server.database_writer),
    ("index writer", Server.index_writer),
)


def test_killing_workers_mid_write_loses_nothing_that_was_answered(tmp_path, capsys):
    instance = Instance(tmp_path / "instance")
    instance.migrate()
    usernames, site = populate(instance, MEMBERS)
    killed = []
    rng = random.Random(9)

    with Server(instance, WORKERS) as server:

        def kill_workers():
            """Every few seconds, kill -9 a worker caught in the middle of a write: inside a
            database transaction (holding SQLite's write lock) and, in turn, applying the search
            outbox (holding the index's lock); else one that has served for a while."""
            serving = set(server.worker_pids())
            for kill in range(KILLS):
                time.sleep(KILL_EVERY_SECONDS)
                kind, find = KINDS_OF_KILL[kill % 2]
                pid, wait_until = None, time.monotonic() + 1
                while pid is None and time.monotonic() < wait_until:
                    pid = find(server)
                    time.sleep(0.002)
                running = server.worker_pids()
                if pid is None:
                    kind, pid = "worker", rng.choice(sorted(serving & set(running)) or running)
                server.kill_worker(pid)
                killed.append(kind)
                serving = set(running) - {pid}

        registry, tally, elapsed = run_members(
            usernames, server.port, site, SECONDS, unanswered_expected=True, during=kill_workers
        )
        log = server.log()

    with instance.app.app_context():
        missing = checks.missing_writes(registry.writes)
        figures = checks.figures_differing_from_a_recount()
        counters = checks.counters_differing_from_a_recount()
        integrity = checks.sqlite_integrity(db.session.connection()) if instance.is_sqlite else []
        db.session.rollback()
        waiting_after_the_kills = checks.search.pending()
        db.session.rollback()
    drained = instance.flask("search", "drain").stdout.strip()
    with instance.app.app_context():
        index_after_drain = checks.index_differences()
    rebuilt = instance.flask("search", "rebuild").stdout.strip().splitlines()[-1]
    with instance.app.app_context():
        index_after_rebuild = checks.index_differences()

    figures_report = {
        "database": "sqlite" if instance.is_sqlite else "postgresql",
        "workers": WORKERS,
        "members": MEMBERS,
        "seconds": round(elapsed, 1),
        "kills": dict((kind, killed.count(kind)) for kind in sorted(set(killed))),
        "requests": tally.requests,
        "writes_cut_off_by_a_kill": tally.cut_writes,
        "writes_accepted": {
            kind: sum(w.kind == kind for w in registry.writes)
            for kind in ("review", "post", "report")
        },
        "lost_writes": len(missing),
        "outbox_after_the_kills": waiting_after_the_kills,
        "drain": drained,
        "rebuild": rebuilt,
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items(), key=str)},
        "latency": tally.latency(),
    }
    with capsys.disabled():
        print(f"\ncrash figures: {json.dumps(figures_report)}")
    checks.keep_figures("crash", figures_report)

    assert len(killed) == KILLS and killed.count("database writer") >= 2
    assert tally.cut_writes >= 1  # writes whose answer never came: some were committed, some not
    assert not tally.unexpected, (tally.unexpected[:10], log)
    assert "database is locked" not in log, log
    assert not missing, missing[:10]
    assert not integrity, integrity
    assert not figures, figures[:3]
    assert not counters, counters[:5]
    assert not index_after_drain, index_after_drain
    assert not index_after_rebuild, index_after_rebuild
