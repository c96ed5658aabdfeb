"""What must hold in an instance after load, a crash or a restore. Each check returns the list of
what is wrong (empty when all is well), so a test shows every problem at once."""

import json
import time
from pathlib import Path

from sqlalchemy import func, select

from community.accounts.models import User
from community.catalog.models import Platform, Requester
from community.core.content import Visibility
from community.extensions import db
from community.flags import service as flags
from community.forum.models import Post, Thread
from community.moderation.models import QueueEntry, Report, ReportStatus
from community.reviews import service as reviews
from community.reviews.models import Review
from community.search import service as search
from community.search.documents import make_key, sources
from tests.reliability.load import Write

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def keep_figures(name: str, report: dict) -> None:
    """test-artifacts/<name>-<database>.json, which CI keeps beside the screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}-{report['database']}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


FIGURES = (
    "reviewer_count",
    "ranking_score",
    "avg_pay",
    "avg_fairness",
    "avg_communication",
    "median_hourly_usd_cents",
    "last_review_at",
    "warning_count",
)


def _comparable(value):
    """Floats summed in another order may differ in the last bits; nothing else may differ."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k != "computed_at"}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


def _figures(target) -> dict:
    figures = {name: getattr(target, name) for name in FIGURES}
    if target.reviewer_count:  # a target never reviewed keeps its empty default stats
        figures["stats"] = dict(target.stats)
    return _comparable(figures)


def missing_writes(writes: list[Write]) -> list[str]:
    """Every write the site answered as saved, found in the database as it was sent."""
    missing = []
    for write in writes:
        if write.kind == "review":
            review = db.session.get(Review, write.item_id)
            where = write.target.split("/")
            if review is None or write.marker not in review.body:
                missing.append(f"review {write.item_id} of {write.username}")
            elif review.author is None or review.author.username != write.username:
                missing.append(f"review {write.item_id} has another author")
            elif where[0] == "requesters" and review.requester_id != int(where[1]):
                missing.append(f"review {write.item_id} is about another requester")
        elif write.kind == "post":
            post = db.session.scalar(
                select(Post).where(
                    Post.thread_id == int(write.target), Post.number == write.item_id
                )
            )
            if post is None or write.marker not in post.body:
                missing.append(f"post {write.target}#{write.item_id} of {write.username}")
            elif post.author is None or post.author.username != write.username:
                missing.append(f"post {write.target}#{write.item_id} has another author")
        else:
            found = db.session.scalar(
                select(func.count())
                .select_from(Report)
                .join(User, User.id == Report.reporter_id)
                .where(Report.kind == write.target, Report.item_id == write.item_id)
                .where(User.username == write.username)
            )
            if not found:
                missing.append(f"report of {write.target} {write.item_id} by {write.username}")
    db.session.rollback()
    return missing


def figures_differing_from_a_recount() -> list[str]:
    """The stored figures of every platform and requester against a recount from scratch (the
    services' own recounts: which review counts per member, the figures, the warnings)."""
    targets = list(db.session.scalars(select(Platform))) + list(
        db.session.scalars(select(Requester))
    )
    stored = {(type(t).__name__, t.id): _figures(t) for t in targets}
    currents = dict(db.session.execute(select(Review.id, Review.is_current)).all())
    for target in targets:
        reviews.recount_target(target)
    flags.recount_all_warnings()
    db.session.flush()
    db.session.expire_all()
    wrong = []
    for target in targets:
        key = (type(target).__name__, target.id)
        before, after = stored[key], _figures(target)
        if before != after:
            changed = {
                name: (before[name], after[name]) for name in after if before[name] != after[name]
            }
            wrong.append(f"{key[0]} {key[1]} (stored, recounted): {changed}")
    recounted = dict(db.session.execute(select(Review.id, Review.is_current)).all())
    wrong += [
        f"review {rid}: is_current {currents[rid]}"
        for rid in currents
        if currents[rid] != recounted[rid]
    ]
    db.session.rollback()
    return wrong


def counters_differing_from_a_recount() -> list[str]:
    """Threads' post counts and last numbers, and the moderation queue's report counts."""
    wrong = []
    for thread in db.session.scalars(select(Thread)):
        visible = db.session.scalar(
            select(func.count())
            .select_from(Post)
            .where(Post.thread_id == thread.id, Post.visibility == Visibility.VISIBLE)
        )
        last = db.session.scalar(select(func.max(Post.number)).where(Post.thread_id == thread.id))
        if (thread.post_count, thread.last_number) != (visible, last):
            wrong.append(
                f"thread {thread.id}: {thread.post_count, thread.last_number} "
                f"stored, {visible, last} counted"
            )
    for entry in db.session.scalars(select(QueueEntry)):
        reports, weight = db.session.execute(
            select(func.count(), func.coalesce(func.sum(Report.weight), 0)).where(
                Report.kind == entry.kind,
                Report.item_id == entry.item_id,
                Report.status == ReportStatus.OPEN,
            )
        ).one()
        if (entry.open_reports, entry.open_weight) != (reports, weight):
            wrong.append(
                f"queue {entry.kind} {entry.item_id}: "
                f"{entry.open_reports, entry.open_weight} stored, {reports, weight} counted"
            )
    db.session.rollback()
    return wrong


def visible_keys() -> set[str]:
    return {
        make_key(kind, item_id)
        for kind, source in sources().items()
        for item_id in source.all_ids()
    }


def wait_for_the_outbox(seconds: float = 20) -> int:
    """Wait for the processes that wrote to apply their index changes; what is left waiting."""
    deadline = time.monotonic() + seconds
    while (waiting := search.pending()) and time.monotonic() < deadline:
        db.session.rollback()
        time.sleep(0.2)
    db.session.rollback()
    return waiting


def index_differences() -> list[str]:
    """The index against every visible item: nothing missing, nothing extra."""
    indexed, visible = search.backend().indexed_keys(), visible_keys()
    db.session.rollback()
    problems = []
    if visible - indexed:
        problems.append(
            f"{len(visible - indexed)} visible items not indexed: {sorted(visible - indexed)[:5]}"
        )
    if indexed - visible:
        problems.append(
            f"{len(indexed - visible)} indexed items not visible: {sorted(indexed - visible)[:5]}"
        )
    return problems


def sqlite_integrity(connection) -> list[str]:
    problems = []
    result = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
    if result != "ok":
        problems.append(f"integrity_check: {result}")
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        problems.append(f"foreign_key_check: {broken[:5]}")
    return problems
