"""The stored figures after every kind of review change, checked against hand-computed values."""

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from community.core.database import utcnow
from community.extensions import db
from community.reviews import aggregates
from community.reviews import service as reviews
from community.reviews.aggregates import (
    CountedReview,
    Histogram,
    month_shift,
    month_values,
    monthly_hourly_usd,
    pay_series,
    ranking_score,
    window_figures,
)
from community.reviews.models import PayMonth
from tests.conftest import (
    first_index,
    make_platform,
    make_requester,
    make_review,
    make_user,
    recorded_statements,
    review_data,
)


def figures(target):
    db.session.refresh(target)
    return target.stats["all"]


def test_first_review_sets_every_figure(app):
    requester = make_requester()
    make_review(
        target=requester,
        score_pay=2,
        score_fairness=3,
        score_communication=5,
        reward_minor=100,
        currency="USD",
        minutes=10,
        outcome="approved",
        days_to_paid=3,
    )
    stats = figures(requester)
    assert requester.reviewer_count == 1
    assert stats["scores"]["pay"] == {"avg": 2, "dist": [0, 1, 0, 0, 0]}
    assert stats["scores"]["communication"]["dist"] == [0, 0, 0, 0, 1]
    assert stats["hourly"]["USD"] == {
        "n": 1,
        "q1": 600,
        "median": 600,
        "q3": 600,
        "pooled": 600,
        "total_minutes": 10,
    }
    assert stats["rejection_share"] == 0 and stats["nonpayment_share"] == 0
    assert stats["median_days_to_paid"] == 3
    assert requester.median_hourly_usd_cents == 600
    assert requester.avg_pay == 2
    assert requester.last_review_at is not None


def test_a_member_counts_once_with_their_latest_review(app):
    requester = make_requester()
    author = make_user()
    first = make_review(author, requester, score_pay=1, score_fairness=1, score_communication=1)
    latest = make_review(author, requester, score_pay=5, score_fairness=5, score_communication=5)
    make_review(make_user(), requester, score_pay=3, score_fairness=3, score_communication=3)
    stats = figures(requester)
    assert requester.reviewer_count == 2
    assert stats["scores"]["pay"]["avg"] == 4  # (5 + 3) / 2: the first review no longer counts
    db.session.refresh(first)
    db.session.refresh(latest)
    assert (first.is_current, latest.is_current) == (False, True)


def test_withdrawing_the_latest_review_brings_back_the_previous_one(app):
    requester = make_requester()
    author = make_user()
    make_review(author, requester, score_pay=1, score_fairness=1, score_communication=1)
    latest = make_review(author, requester, score_pay=5, score_fairness=5, score_communication=5)
    reviews.withdraw_review(author, latest)
    stats = figures(requester)
    assert requester.reviewer_count == 1
    assert stats["scores"]["pay"]["avg"] == 1


def test_withdrawing_the_only_review_empties_the_figures(app):
    requester = make_requester()
    author = make_user()
    review = make_review(author, requester)
    reviews.withdraw_review(author, review)
    db.session.refresh(requester)
    assert requester.reviewer_count == 0
    assert requester.ranking_score is None
    assert requester.stats["all"]["reviewers"] == 0


def test_editing_a_review_updates_every_figure(app):
    requester = make_requester()
    author = make_user()
    review = make_review(
        author, requester, reward_minor=100, currency="USD", minutes=10, outcome="pending"
    )
    assert figures(requester)["hourly"] == {}  # pending pay is not a fact yet
    reviews.edit_review(
        author,
        review,
        review_data(score_pay=1, reward_minor=100, currency="USD", minutes=10, outcome="rejected"),
    )
    stats = figures(requester)
    assert stats["scores"]["pay"]["avg"] == 1
    assert stats["rejection_share"] == 1
    assert stats["hourly"]["USD"]["median"] == 0  # rejected: the ten minutes were unpaid


def test_shares_are_out_of_the_reviews_that_give_an_outcome(app):
    requester = make_requester()
    for outcome in ["approved", "approved", "rejected", "never_paid", None]:
        make_review(target=requester, outcome=outcome)
    stats = figures(requester)
    assert stats["with_outcome"] == 4
    assert stats["rejection_share"] == pytest.approx(0.25)
    assert stats["nonpayment_share"] == pytest.approx(0.25)


def test_hourly_quartiles_and_pooled_rate_are_per_currency(app):
    requester = make_requester()
    for reward, minutes in [(100, 60), (200, 60), (300, 60), (400, 60), (500, 60)]:
        make_review(
            target=requester,
            reward_minor=reward,
            currency="USD",
            minutes=minutes,
            outcome="approved",
        )
    make_review(target=requester, reward_minor=1000, currency="EUR", minutes=30, outcome="approved")
    make_review(target=requester, reward_minor=1000, currency="EUR", minutes=90, outcome="returned")
    stats = figures(requester)
    usd = stats["hourly"]["USD"]
    assert (usd["q1"], usd["median"], usd["q3"]) == (200, 300, 400)
    assert usd["pooled"] == 300  # 15.00 over five hours
    eur = stats["hourly"]["EUR"]
    assert eur["n"] == 2
    assert eur["pooled"] == 500  # 10.00 over two hours: the returned task's time counts


def test_last_90_days_figures_sit_beside_all_time(app):
    requester = make_requester()
    old = make_review(target=requester, score_pay=1)
    old.created_at = old.created_at - timedelta(days=200)
    make_review(target=requester, score_pay=5)
    aggregates.refresh(requester)
    db.session.commit()
    assert requester.stats["all"]["reviewers"] == 2
    assert requester.stats["recent"]["reviewers"] == 1
    assert requester.stats["recent"]["scores"]["pay"]["avg"] == 5


def test_below_minimum_wage_share(app):
    requester = make_requester()
    make_review(
        make_user(country="FR"),
        requester,
        reward_minor=100,
        currency="USD",
        minutes=60,
        outcome="approved",
    )
    make_review(
        make_user(country="IN"),
        requester,
        reward_minor=500,
        currency="USD",
        minutes=60,
        outcome="approved",
    )
    make_review(
        make_user(country=None),
        requester,
        reward_minor=100,
        currency="USD",
        minutes=60,
        outcome="approved",
    )
    below = figures(requester)["below_minimum"]
    assert below == {"n": 2, "share": 0.5}


def test_platform_reviews_and_requester_reviews_have_separate_figures(app):
    platform = make_platform()
    requester = make_requester(platform)
    make_review(target=platform, score_pay=1)
    make_review(target=requester, score_pay=5)
    assert figures(platform)["scores"]["pay"]["avg"] == 1
    assert figures(requester)["scores"]["pay"]["avg"] == 5


def _rows(*overall_scores):
    return [
        CountedReview(
            s, s, s, None, None, None, None, None, None, None, None, None, None, None, None
        )
        for s in overall_scores
    ]


def test_one_five_star_review_does_not_outrank_fifty_four_star_ones():
    one_perfect = ranking_score(_rows(5), prior_mean=3.0, prior_weight=5)
    fifty_good = ranking_score(_rows(*[4] * 50), prior_mean=3.0, prior_weight=5)
    assert fifty_good > one_perfect
    assert one_perfect == pytest.approx((5 * 3 + 5) / 6)


def test_ranking_orders_the_requester_list(app):
    from community.catalog import service as catalog

    platform = make_platform()
    lonely_star = make_requester(platform, "AONE00000001", "One Star Fan")
    steady = make_requester(platform, "ASTEADY00001", "Steady Payer")
    poor = make_requester(platform, "APOOR0000001", "Poor Payer")
    make_review(target=lonely_star, score_pay=5, score_fairness=5, score_communication=5)
    for _ in range(8):
        make_review(target=steady, score_pay=4, score_fairness=4, score_communication=4)
    for _ in range(3):
        make_review(target=poor, score_pay=1, score_fairness=2, score_communication=1)
    best = catalog.list_requesters("best", platform, 1, 10).items
    assert [r.display_name for r in best] == ["Steady Payer", "One Star Fan", "Poor Payer"]
    worst = catalog.list_requesters("worst", platform, 1, 10).items
    assert worst[0].display_name == "Poor Payer"


def test_window_figures_of_nothing_are_empty():
    empty = window_figures([])
    assert empty["reviewers"] == 0
    assert empty["scores"]["pay"] == {"avg": None, "dist": [0, 0, 0, 0, 0]}
    assert empty["rejection_share"] is None


def test_the_target_is_locked_before_a_new_review_points_to_it(app):
    """On PostgreSQL the new row's foreign key takes a share lock on the target; two reviews
    that then both ask for the row lock would deadlock, so the lock comes first."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite: the write transaction holds the whole database from its start")
    requester = make_requester()
    with recorded_statements() as statements:
        make_review(make_user(), requester)
    locked = first_index(statements, "FOR UPDATE OF requesters")
    assert locked < first_index(statements, "INSERT INTO reviews")


def _paid_review(target, cents_per_hour: int, days_ago: int = 0, author=None):
    review = make_review(
        author, target, reward_minor=cents_per_hour, currency="USD", minutes=60, outcome="approved"
    )
    if days_ago:
        review.created_at = review.created_at - timedelta(days=days_ago)
        aggregates.refresh(target)
        db.session.commit()
    return review


def _series(target):
    return [(row.month, row.reviewers, row.median_hourly_usd_cents) for row in pay_series(target)]


def test_hourly_pay_by_month_is_stored_with_each_review(app):
    requester = make_requester()
    now = utcnow()
    this_month = now.date().replace(day=1)
    _paid_review(requester, 300)
    _paid_review(requester, 500)
    _paid_review(requester, 800)
    assert _series(requester) == [(this_month, 3, 500)]

    older = _paid_review(requester, 100, days_ago=70)
    month = older.created_at.date().replace(day=1)
    assert _series(requester)[0] == (month, 1, 100)
    assert _series(requester)[-1] == (this_month, 3, 500)


def test_a_review_without_pay_facts_adds_no_month(app):
    requester = make_requester()
    make_review(target=requester)  # scores only
    make_review(target=requester, reward_minor=100, currency="USD", minutes=10, outcome="pending")
    assert _series(requester) == []
    assert db.session.scalar(select(func.count()).select_from(PayMonth)) == 0


def test_the_series_follows_withdrawals_and_counts_each_member_once(app):
    requester = make_requester()
    author = make_user()
    _paid_review(requester, 200, author=author)
    latest = _paid_review(requester, 1000, author=author)  # replaces the first in every figure
    _paid_review(requester, 400)
    this_month = utcnow().date().replace(day=1)
    assert _series(requester) == [(this_month, 2, 700)]
    reviews.withdraw_review(author, latest)  # the first review counts again
    assert _series(requester) == [(this_month, 2, 300)]


def test_a_month_without_counted_reviews_leaves_the_series(app):
    requester = make_requester()
    author = make_user()
    old = _paid_review(requester, 100, days_ago=70, author=author)
    _paid_review(requester, 500)
    assert len(_series(requester)) == 2
    reviews.withdraw_review(author, old)
    assert [row[1:] for row in _series(requester)] == [(1, 500)]


@pytest.mark.parametrize("stored_counts", [None, [999, 5]], ids=["not kept yet", "out of step"])
def test_a_month_without_its_true_histogram_is_recounted_at_its_next_write(app, stored_counts):
    requester = make_requester()
    _paid_review(requester, 300)
    _paid_review(requester, 500)
    month = db.session.scalars(select(PayMonth)).one()
    month.hourly_counts = stored_counts  # as migration 0008 left it, or damaged
    db.session.commit()
    _paid_review(requester, 800)
    db.session.refresh(month)
    assert (month.reviewers, month.median_hourly_usd_cents) == (3, 500)
    assert month.hourly_counts == [300, 1, 500, 1, 800, 1]


def test_platform_and_requester_series_are_separate_and_read_twelve_months(app):
    platform = make_platform()
    requester = make_requester(platform)
    _paid_review(platform, 900)
    for months_ago in range(14):
        _paid_review(requester, 100 + months_ago, days_ago=months_ago * 31)
    assert [row[1:] for row in _series(platform)] == [(1, 900)]
    series = _series(requester)
    assert len(series) <= 12
    assert series[-1][0] == utcnow().date().replace(day=1)
    assert series[0][0] >= month_shift(series[-1][0], -11)


def test_month_shift_crosses_years():
    assert month_shift(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert month_shift(date(2025, 11, 1), 14) == date(2027, 1, 1)
    assert month_shift(date(2026, 5, 1), 0) == date(2026, 5, 1)


def test_monthly_hourly_usd_takes_the_median_of_each_month():
    def row(cents, day):
        return CountedReview(
            *([3] * 3), None, None, None, None, None, None, cents, None, None, None, None, day
        )

    rows = [
        row(100, datetime(2026, 3, 31, 23, 59)),
        row(300, datetime(2026, 3, 1)),
        row(None, datetime(2026, 3, 2)),
        row(250, datetime(2026, 4, 1)),
        row(350, datetime(2026, 4, 9)),
    ]
    series = monthly_hourly_usd(rows)
    assert series == {
        date(2026, 3, 1): Histogram([100, 1, 300, 1]),
        date(2026, 4, 1): Histogram([250, 1, 350, 1]),
    }
    assert [month_values(counts)["median_hourly_usd_cents"] for counts in series.values()] == [
        200,
        300,
    ]
    assert month_values(Histogram.of(Counter({500: 1, 120: 2}))) == {
        "reviewers": 3,
        "median_hourly_usd_cents": 120,
        "hourly_counts": [120, 2, 500, 1],
    }
    assert monthly_hourly_usd([]) == {}


def test_medians_and_quartiles_of_histograms_are_those_of_the_values():
    import random
    import statistics

    from community.reviews.aggregates import _median, _quartiles

    rng = random.Random(8)
    for _ in range(2000):
        values = [rng.randint(0, rng.choice([3, 30, 3000])) for _ in range(rng.randint(1, 40))]
        histogram, count = Histogram.of(Counter(values)), len(values)
        assert _median(histogram, count) == statistics.median(values)
        if count > 1:
            expected = statistics.quantiles(values, n=4, method="inclusive")
            assert _quartiles(histogram, count) == tuple(round(value) for value in expected)


def test_a_histogram_changed_value_by_value_is_the_histogram_of_the_values():
    import random

    rng = random.Random(3)
    for _ in range(300):
        histogram, counts = Histogram(), Counter()
        for _ in range(rng.randint(0, 60)):
            value = rng.randint(0, rng.choice([3, 300]))
            sign = -1 if counts[value] > 0 and rng.random() < 0.4 else 1
            histogram.add(value, sign)
            counts[value] += sign
        assert histogram == Histogram.of(counts)
        assert histogram.total() == counts.total()
        assert bool(histogram) == any(counts.values())


def test_a_change_of_nothing_leaves_no_value_behind():
    histogram = Histogram([120, 2])
    histogram.add(500, 0)
    assert histogram == Histogram([120, 2])
