"""Stored review figures of a platform or requester.

`refresh(target)` runs inside the transaction of every change to the target's reviews (add, edit,
withdraw, hide, restore), reading only that target's counted reviews through an index.
Pages read the stored figures and never recompute them: the figures on the target row, and the
monthly hourly-pay series in `pay_months` (`pay_series` reads it for the chart).
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from community.catalog.models import Platform, Requester
from community.core.content import Visibility
from community.core.database import utcnow
from community.extensions import db
from community.reviews import pay
from community.reviews.models import Outcome, PayMonth, Review

SCORES = ("pay", "fairness", "communication")


@dataclass(frozen=True)
class CountedReview:
    score_pay: int
    score_fairness: int
    score_communication: int
    outcome: str | None
    reward_minor: int | None
    bonus_minor: int | None
    currency: str | None
    minutes: int | None
    hourly_minor: int | None
    hourly_usd_cents: int | None
    days_to_paid: int | None
    below_minimum_wage: bool | None
    estimate_honest: bool | None
    would_work_again: bool | None
    created_at: datetime


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _quartiles(values: list[int]) -> tuple[int, int, int]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return round(q1), round(median), round(q3)


def _yes_share(answers: list[bool | None]) -> float | None:
    given = [answer for answer in answers if answer is not None]
    return _share(sum(given), len(given))


def window_figures(rows: list[CountedReview]) -> dict:
    """Every figure of PRODUCT 3 for one set of counted reviews (one per member)."""
    scores = {}
    for name in SCORES:
        values = [getattr(row, f"score_{name}") for row in rows]
        scores[name] = {
            "avg": statistics.fmean(values) if values else None,
            "dist": [values.count(star) for star in range(1, 6)],
        }

    hourly_by_currency: dict[str, list[int]] = defaultdict(list)
    pooled: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        got = pay.received(row.outcome, row.reward_minor, row.bonus_minor)
        if row.hourly_minor is None or got is None or not row.minutes:
            continue
        hourly_by_currency[row.currency].append(row.hourly_minor)
        pooled[row.currency][0] += got
        pooled[row.currency][1] += row.minutes
    hourly = {}
    for currency, values in sorted(hourly_by_currency.items()):
        q1, median, q3 = _quartiles(sorted(values))
        total_received, total_minutes = pooled[currency]
        hourly[currency] = {
            "n": len(values),
            "q1": q1,
            "median": median,
            "q3": q3,
            "pooled": pay.pooled_hourly(total_received, total_minutes),
            "total_minutes": total_minutes,
        }

    with_outcome = [row.outcome for row in rows if row.outcome]
    days = [row.days_to_paid for row in rows if row.days_to_paid is not None]
    below = [row.below_minimum_wage for row in rows if row.below_minimum_wage is not None]
    return {
        "reviewers": len(rows),
        "scores": scores,
        "hourly": hourly,
        "with_outcome": len(with_outcome),
        "rejection_share": _share(with_outcome.count(Outcome.REJECTED), len(with_outcome)),
        "nonpayment_share": _share(with_outcome.count(Outcome.NEVER_PAID), len(with_outcome)),
        "median_days_to_paid": statistics.median(days) if days else None,
        "below_minimum": {"n": len(below), "share": _share(sum(below), len(below))},
        "estimate_honest_share": _yes_share([row.estimate_honest for row in rows]),
        "would_work_again_share": _yes_share([row.would_work_again for row in rows]),
    }


def ranking_score(
    rows: list[CountedReview], prior_mean: float, prior_weight: float
) -> float | None:
    """Bayesian average of each member's mean score: few reviews stay close to the prior."""
    if not rows:
        return None
    total = sum((row.score_pay + row.score_fairness + row.score_communication) / 3 for row in rows)
    return (prior_weight * prior_mean + total) / (prior_weight + len(rows))


def counted_reviews_of(target: Platform | Requester) -> list[CountedReview]:
    columns = [getattr(Review, field) for field in CountedReview.__dataclass_fields__]
    query = select(*columns).where(
        Review.is_current.is_(True), Review.visibility == Visibility.VISIBLE
    )
    if isinstance(target, Requester):
        query = query.where(Review.requester_id == target.id)
    else:
        query = query.where(Review.platform_id == target.id, Review.requester_id.is_(None))
    return [CountedReview(*row) for row in db.session.execute(query)]


def refresh(target: Platform | Requester, now: datetime | None = None) -> None:
    """Recompute and store the target's figures. The caller commits, in the same transaction."""
    db.session.flush()
    config = current_app.config
    now = now or utcnow()
    rows = counted_reviews_of(target)
    recent_days = config["STATS_RECENT_DAYS"]
    recent = [row for row in rows if row.created_at >= now - timedelta(days=recent_days)]
    usd_hourly = sorted(row.hourly_usd_cents for row in rows if row.hourly_usd_cents is not None)

    target.reviewer_count = len(rows)
    target.ranking_score = ranking_score(
        rows, config["RANKING_PRIOR_MEAN"], config["RANKING_PRIOR_WEIGHT"]
    )
    everything = window_figures(rows)
    target.avg_pay = everything["scores"]["pay"]["avg"]
    target.avg_fairness = everything["scores"]["fairness"]["avg"]
    target.avg_communication = everything["scores"]["communication"]["avg"]
    target.median_hourly_usd_cents = round(statistics.median(usd_hourly)) if usd_hourly else None
    target.last_review_at = max((row.created_at for row in rows), default=None)
    _store_pay_months(target, monthly_hourly_usd(rows))
    target.stats = {
        "all": everything,
        "recent": window_figures(recent),
        "recent_days": recent_days,
        "computed_at": now.isoformat(timespec="seconds"),
    }


def monthly_hourly_usd(rows: list[CountedReview]) -> dict[date, tuple[int, int]]:
    """{first day of a month: (reviews giving an hourly pay, their median in US cents)}, by the
    month each counted review was written."""
    by_month: dict[date, list[int]] = defaultdict(list)
    for row in rows:
        if row.hourly_usd_cents is not None:
            by_month[row.created_at.date().replace(day=1)].append(row.hourly_usd_cents)
    return {
        month: (len(values), round(statistics.median(values)))
        for month, values in sorted(by_month.items())
    }


def _owned_by(target: Platform | Requester):
    if isinstance(target, Requester):
        return PayMonth.requester_id == target.id
    return PayMonth.platform_id == target.id


def _store_pay_months(target: Platform | Requester, series: dict[date, tuple[int, int]]) -> None:
    """Write only the months that changed: one review touches one month."""
    stored = {
        row.month: row for row in db.session.scalars(select(PayMonth).where(_owned_by(target)))
    }
    gone = [row.id for month, row in stored.items() if month not in series]
    if gone:
        db.session.execute(delete(PayMonth).where(PayMonth.id.in_(gone)))
    for month, (reviewers, median) in series.items():
        row = stored.get(month)
        if row is None:
            row = PayMonth(month=month)
            if isinstance(target, Requester):
                row.requester_id = target.id
            else:
                row.platform_id = target.id
            db.session.add(row)
        row.reviewers, row.median_hourly_usd_cents = reviewers, median


def pay_series(target: Platform | Requester, months: int = 12) -> list[PayMonth]:
    """The stored months of the `months` calendar months that end with the latest month a
    review gave an hourly pay, oldest first."""
    latest = list(
        db.session.scalars(
            select(PayMonth).where(_owned_by(target)).order_by(PayMonth.month.desc()).limit(months)
        )
    )
    if not latest:
        return []
    first = month_shift(latest[0].month, 1 - months)
    return [row for row in reversed(latest) if row.month >= first]


def month_shift(month: date, count: int) -> date:
    """The first day of the month `count` months after (or before) `month`."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)
