"""A write changes the stored figures by the reviews it touches, and they stay exactly what a
recount from every review gives, whatever happened in between and however time went by: the
figures, the tallies and the monthly hourly-pay series."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from community.accounts.models import Role
from community.core.database import utcnow
from community.extensions import db
from community.moderation import service as moderation
from community.reviews import aggregates
from community.reviews import service as reviews
from community.reviews.models import Review, ReviewTally
from tests.conftest import make_platform, make_requester, make_review, make_user, review_data

REASON = "A reason long enough to pass."


def stored(target) -> dict:
    db.session.refresh(target)
    stats = dict(target.stats)
    stats.pop("computed_at")
    row = aggregates._tally_row(target)
    return {
        "fields": (
            target.reviewer_count,
            target.ranking_score,
            target.avg_pay,
            target.avg_fairness,
            target.avg_communication,
            target.median_hourly_usd_cents,
            target.last_review_at,
        ),
        "stats": stats,
        "tally": (row.everything, row.recent, row.recent_since),
        "pay_months": [
            (month.month, month.reviewers, month.median_hourly_usd_cents, month.hourly_counts)
            for month in aggregates.pay_series(target, months=1000)
        ],
    }


def assert_equal_to_a_recount(target) -> None:
    """Recount at the moment of the last write (its window of days is stored with the tally)."""
    kept = stored(target)
    now = kept["tally"][2] + timedelta(days=target.stats["recent_days"])
    aggregates.refresh(target, now)
    db.session.flush()
    recounted = stored(target)
    db.session.rollback()
    assert kept == recounted


def random_data(rng: random.Random):
    paid = rng.random() < 0.8
    return review_data(
        score_pay=rng.randint(1, 5),
        score_fairness=rng.randint(1, 5),
        score_communication=rng.randint(1, 5),
        reward_minor=rng.choice([None, 50, 120, 300]) if paid else None,
        bonus_minor=rng.choice([None, 10]),
        currency=rng.choice(["USD", "EUR"]) if paid else None,
        minutes=rng.choice([None, 5, 12, 40]),
        outcome=rng.choice([None, "approved", "rejected", "never_paid", "pending", "returned"]),
        days_to_paid=rng.choice([None, 0, 2, 7]),
        estimate_honest=rng.choice([None, True, False]),
        would_work_again=rng.choice([None, True, False]),
    )


@pytest.mark.parametrize("on_platform", [False, True])
def test_every_change_keeps_the_figures_equal_to_a_recount(app, monkeypatch, on_platform):
    rng = random.Random(8)
    clock = [utcnow()]
    monkeypatch.setattr(aggregates, "utcnow", lambda: clock[0])
    platform = make_platform()
    target = platform if on_platform else make_requester(platform)
    members = [make_user(country=rng.choice([None, "FR", "US"])) for _ in range(5)]
    moderator = make_user(trust=2, role=Role.MODERATOR)
    # A history: reviews written over the last six months, then the figures recounted.
    for _ in range(12):
        make_review(rng.choice(members), target, **random_data(rng).__dict__)
    for review in db.session.scalars(select(Review)):
        review.created_at = clock[0] - timedelta(days=rng.randint(0, 180), minutes=review.id)
    aggregates.refresh(target, clock[0])
    db.session.commit()
    for _ in range(50):
        clock[0] += timedelta(days=rng.choice([0, 0, 1, 9, 30]))
        if rng.random() < 0.05:
            clock[0] -= timedelta(days=3)  # the clock went back a little
        live = list(db.session.scalars(select(Review).where(Review.visibility != "deleted")))
        action = rng.choice(["submit", "submit", "edit", "withdraw", "hide", "restore"])
        if action == "submit" or not live:
            make_review(rng.choice(members), target, **random_data(rng).__dict__)
        elif action == "edit":
            review = rng.choice(live)
            reviews.edit_review(review.author, review, random_data(rng))
        elif action == "withdraw":
            review = rng.choice(live)
            reviews.withdraw_review(review.author, review)
        elif action == "hide":
            review = rng.choice([r for r in live if r.visibility == "visible"] or live)
            if review.visibility == "visible":
                moderation.hide(moderator, "review", review.id, "spam", REASON)
        else:
            hidden = [r for r in live if r.visibility == "hidden"]
            if hidden:
                moderation.restore(moderator, "review", rng.choice(hidden).id, REASON)
        assert_equal_to_a_recount(target)


def test_a_write_never_recounts_every_review(app, monkeypatch):
    requester = make_requester()
    for _ in range(5):
        make_review(target=requester)

    def recount(target):
        raise AssertionError("a write read every review of its target")

    monkeypatch.setattr(aggregates, "counted_reviews_of", recount)
    review = make_review(target=requester, score_pay=1)
    reviews.edit_review(review.author, review, review_data(score_pay=2))
    reviews.withdraw_review(review.author, review)
    db.session.refresh(requester)
    assert requester.reviewer_count == 5


def test_figures_stored_before_tallies_existed_are_recounted_at_the_next_write(app):
    requester = make_requester()
    make_review(target=requester, score_pay=1)
    db.session.execute(update(Review).values(score_pay=5))  # as if changed before the upgrade
    db.session.query(ReviewTally).delete()
    db.session.commit()
    make_review(target=requester, score_pay=5)
    db.session.refresh(requester)
    assert requester.reviewer_count == 2
    assert requester.stats["all"]["scores"]["pay"]["avg"] == 5


def test_a_deleted_members_review_still_counts_and_can_be_hidden(app):
    from community.privacy import deletion
    from tests.conftest import PASSWORD

    requester = make_requester()
    leaving = make_user()
    review = make_review(leaving, requester, score_pay=1)
    make_review(target=requester, score_pay=5)
    deletion.delete_account(leaving, PASSWORD, deletion.ContributionChoice.ANONYMISE)
    db.session.refresh(requester)
    assert requester.reviewer_count == 2
    moderation.hide(make_user(trust=2, role=Role.MODERATOR), "review", review.id, "spam", REASON)
    db.session.refresh(requester)
    assert requester.reviewer_count == 1
    assert requester.stats["all"]["scores"]["pay"]["avg"] == 5
    assert_equal_to_a_recount(requester)


def test_refreshing_everything_gives_each_targets_own_recount(app):
    rng = random.Random(4)
    platform = make_platform()
    targets = [platform, *(make_requester(platform, external_id=f"AREFRESH{n}") for n in range(3))]
    empty = make_requester(platform, external_id="AREFRESHEMPTY")
    members = [make_user() for _ in range(4)]
    for _ in range(25):
        make_review(rng.choice(members), rng.choice(targets), **random_data(rng).__dict__)
    now = utcnow()
    each = {}
    for target in [*targets, empty]:
        aggregates.refresh(target, now)
        db.session.flush()
        each[target.id, type(target).__name__] = stored(target)
    db.session.rollback()
    assert aggregates.refresh_all(now, chunk=2) >= len(targets) + 1
    for target in [*targets, empty]:
        assert stored(target) == each[target.id, type(target).__name__]


def test_what_members_say_about_pay_stays_equal_to_a_recount(app):
    from community.reviews import reports
    from community.reviews.models import PaymentReport

    rng = random.Random(2)
    platform = make_platform()
    targets = [platform, make_requester(platform), make_requester(platform, external_id="AOTHER1")]
    members = [make_user() for _ in range(4)]
    moderator = make_user(trust=2, role=Role.MODERATOR)

    def rows():
        db.session.expire_all()
        return sorted(
            (r.author_id, r.last_told_at, r.last_never_paid_at)
            for r in db.session.scalars(select(PaymentReport))
        )

    for _ in range(30):
        live = list(db.session.scalars(select(Review).where(Review.visibility == "visible")))
        roll = rng.random()
        if roll < 0.5 or not live:
            make_review(rng.choice(members), rng.choice(targets), **random_data(rng).__dict__)
        elif roll < 0.7:
            review = rng.choice(live)
            reviews.edit_review(review.author, review, random_data(rng))
        elif roll < 0.85:
            review = rng.choice(live)
            reviews.withdraw_review(review.author, review)
        else:
            moderation.hide(moderator, "review", rng.choice(live).id, "spam", REASON)
        kept = rows()
        reports.recount_payment_reports(platform.id)
        assert rows() == kept
        db.session.rollback()


def test_a_hidden_review_the_window_moves_over_was_never_counted(app):
    """When the last-days window moves, the reviews it leaves behind are taken out of its
    figures: only those that counted, never a hidden one."""
    now = utcnow()
    requester = make_requester()
    hidden = make_review(target=requester, score_pay=1)
    make_review(target=requester, score_pay=5)
    moderation.hide(make_user(trust=2, role=Role.MODERATOR), "review", hidden.id, "spam", REASON)
    recent_days = app.config["STATS_RECENT_DAYS"]
    hidden.created_at = now - timedelta(days=recent_days - 5)
    aggregates.refresh(requester, now)
    db.session.commit()
    later = now + timedelta(days=10)  # the hidden review is now older than the window
    aggregates.apply(requester, {}, {}, later)
    db.session.flush()
    assert requester.stats["recent"]["reviewers"] == 1
    assert_equal_to_a_recount(requester)
