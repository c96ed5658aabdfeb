"""Small helpers shared by the moderation tests."""

from community.accounts.models import Role
from community.extensions import db
from community.moderation import reports
from community.reviews import aggregates
from tests.conftest import make_user

REASON = "Breaks rule 1: it names a worker in full."


def moderator(**kwargs):
    return make_user(trust=2, role=Role.MODERATOR, **kwargs)


def report(user, kind: str, item_id: int, reason: str = "harassment", details: str = ""):
    return reports.report(user, kind, item_id, reports.ReportData(reason, details))


def figures(target) -> tuple:
    return (
        target.reviewer_count,
        target.ranking_score,
        target.avg_pay,
        target.median_hourly_usd_cents,
        target.stats.get("all"),
        target.stats.get("recent"),
        [
            (row.month, row.reviewers, row.median_hourly_usd_cents)
            for row in aggregates.pay_series(target, months=1200)
        ],
    )


def assert_figures_exact(target) -> None:
    """The stored figures equal a recount from the reviews (then the recount is thrown away)."""
    db.session.commit()
    db.session.refresh(target)
    stored = figures(target)
    aggregates.refresh(target)
    recounted = figures(target)
    db.session.rollback()
    assert stored == recounted
