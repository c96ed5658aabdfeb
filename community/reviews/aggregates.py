"""Stored review figures of a platform or requester.

Every figure is computed from a `Tally` of the target's counted reviews (one per member): counts,
integer sums and histograms, kept for all time and for the last days. A write changes the
tally by the few reviews it touches (`apply`, in the transaction of the change), so a review of
a requester with fifty thousand reviewers costs what a review of a new one does; `refresh`
recounts everything from the reviews (daily, and after merges). Both give the same figures:
the tally of the same reviews is the same integers, whatever order they came in.
The monthly hourly-pay series behind the chart (`pay_months`, read by `pay_series`) is kept the
same way: each month keeps the histogram of its hourly pays, which a write moves by the reviews
it touches.
Pages read the stored figures and never recompute them.
"""

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, delete, func, insert, select, update

from community.catalog.models import Platform, Requester
from community.core.content import Visibility
from community.core.database import lock_row, utcnow, write_transaction
from community.extensions import db
from community.reviews import pay, reports
from community.reviews.models import Outcome, PayMonth, Review, ReviewTally

SCORES = ("pay", "fairness", "communication")
TALLY_VERSION = 2
REFRESH_CHUNK = 500  # requesters recounted in one transaction


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


COUNTED_COLUMNS = [getattr(Review, name) for name in CountedReview.__dataclass_fields__]


def counted(review: Review) -> CountedReview:
    return CountedReview(*(getattr(review, name) for name in CountedReview.__dataclass_fields__))


class Histogram:
    """How many times each integer value occurs, as the flat list [value, count, value, count,
    ...] sorted by value that the tallies store: changed in place by bisection, never sorted
    again nor converted (a big requester's holds thousands of values)."""

    __slots__ = ("flat",)

    def __init__(self, flat: list[int] | None = None):
        self.flat = flat if flat is not None else []

    @classmethod
    def of(cls, counts: Counter) -> "Histogram":
        return cls([number for pair in sorted(counts.items()) if pair[1] for number in pair])

    def add(self, value: int, sign: int = 1) -> None:
        if not sign:  # a review moved within its month and value: nothing to keep
            return
        flat = self.flat
        values = flat[0::2]
        index = bisect_left(values, value)
        if index < len(values) and values[index] == value:
            count = flat[2 * index + 1] + sign
            if count:
                flat[2 * index + 1] = count
            else:
                del flat[2 * index : 2 * index + 2]
        else:
            flat[2 * index : 2 * index] = [value, sign]

    def pairs(self):
        return zip(self.flat[0::2], self.flat[1::2], strict=True)

    def total(self) -> int:
        return sum(self.flat[1::2])

    def __bool__(self) -> bool:
        return bool(self.flat)

    def __eq__(self, other) -> bool:
        return isinstance(other, Histogram) and self.flat == other.flat

    def __repr__(self) -> str:
        return f"Histogram({self.flat})"


@dataclass
class Tally:
    """What the figures of a set of reviews are computed from. `add(row, -1)` takes one out."""

    reviewers: int = 0
    score_sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORES, 0))
    dists: dict[str, list[int]] = field(default_factory=lambda: {s: [0] * 5 for s in SCORES})
    hourly: dict[str, Histogram] = field(default_factory=dict)  # currency -> hourly pays
    received: Counter = field(default_factory=Counter)  # currency -> minor units received
    minutes: Counter = field(default_factory=Counter)  # currency -> minutes of those
    with_outcome: int = 0
    rejected: int = 0
    never_paid: int = 0
    days_to_paid: Histogram = field(default_factory=Histogram)
    below: list[int] = field(default_factory=lambda: [0, 0])  # [answered, yes]
    honest: list[int] = field(default_factory=lambda: [0, 0])
    again: list[int] = field(default_factory=lambda: [0, 0])
    usd_hourly: Histogram = field(default_factory=Histogram)

    def add(self, row: CountedReview, sign: int = 1) -> None:
        self.reviewers += sign
        for name in SCORES:
            score = getattr(row, f"score_{name}")
            self.score_sums[name] += sign * score
            self.dists[name][score - 1] += sign
        got = pay.received(row.outcome, row.reward_minor, row.bonus_minor)
        if row.hourly_minor is not None and got is not None and row.minutes:
            currency = row.currency or ""
            values = self.hourly.setdefault(currency, Histogram())
            values.add(row.hourly_minor, sign)
            if not values:
                del self.hourly[currency]
            self.received[currency] += sign * got
            self.minutes[currency] += sign * row.minutes
        if row.outcome:
            self.with_outcome += sign
            self.rejected += sign * (row.outcome == Outcome.REJECTED)
            self.never_paid += sign * (row.outcome == Outcome.NEVER_PAID)
        if row.days_to_paid is not None:
            self.days_to_paid.add(row.days_to_paid, sign)
        for pair, answer in (
            (self.below, row.below_minimum_wage),
            (self.honest, row.estimate_honest),
            (self.again, row.would_work_again),
        ):
            if answer is not None:
                pair[0] += sign
                pair[1] += sign * bool(answer)
        if row.hourly_usd_cents is not None:
            self.usd_hourly.add(row.hourly_usd_cents, sign)

    def to_json(self) -> dict:
        """JSON-ready: histograms as their flat lists."""
        return {
            "reviewers": self.reviewers,
            "score_sums": self.score_sums,
            "dists": self.dists,
            "hourly": {currency: values.flat for currency, values in self.hourly.items()},
            "received": {currency: amount for currency, amount in self.received.items() if amount},
            "minutes": {currency: amount for currency, amount in self.minutes.items() if amount},
            "with_outcome": self.with_outcome,
            "rejected": self.rejected,
            "never_paid": self.never_paid,
            "days_to_paid": self.days_to_paid.flat,
            "below": self.below,
            "honest": self.honest,
            "again": self.again,
            "usd_hourly": self.usd_hourly.flat,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Tally":
        """Copies what it changes: the lists of `data` stay as the database holds them."""
        return cls(
            reviewers=data["reviewers"],
            score_sums=dict(data["score_sums"]),
            dists={name: list(counts) for name, counts in data["dists"].items()},
            hourly={currency: Histogram(list(flat)) for currency, flat in data["hourly"].items()},
            received=Counter(data["received"]),
            minutes=Counter(data["minutes"]),
            with_outcome=data["with_outcome"],
            rejected=data["rejected"],
            never_paid=data["never_paid"],
            days_to_paid=Histogram(list(data["days_to_paid"])),
            below=list(data["below"]),
            honest=list(data["honest"]),
            again=list(data["again"]),
            usd_hourly=Histogram(list(data["usd_hourly"])),
        )


def tally_of(rows) -> Tally:
    tally = Tally()
    for row in rows:
        tally.add(row)
    return tally


# Figures from a tally


def _values_at(histogram: Histogram, indices: list[int]) -> list[int]:
    """The values at `indices` (ascending) of the sorted values a histogram stands for, in one
    pass (a big requester's histogram holds thousands of values)."""
    found, seen, wanted = [], 0, iter(indices)
    index = next(wanted, None)
    for value, amount in histogram.pairs():
        seen += amount
        while index is not None and index < seen:
            found.append(value)
            index = next(wanted, None)
        if index is None:
            return found
    raise IndexError(index)


def _median(histogram: Histogram, count: int):
    """statistics.median of the values."""
    if count % 2:
        return _values_at(histogram, [count // 2])[0]
    low, high = _values_at(histogram, [count // 2 - 1, count // 2])
    return (low + high) / 2


def _quartiles(histogram: Histogram, count: int) -> tuple[int, int, int]:
    """statistics.quantiles(n=4, method="inclusive"), rounded; one value is its own quartiles."""
    if count == 1:
        value = histogram.flat[0]
        return value, value, value
    last = count - 1
    cuts = [divmod(i * last, 4) for i in range(1, 4)]
    wanted = sorted({j + step for j, _delta in cuts for step in (0, 1)})
    at = dict(zip(wanted, _values_at(histogram, wanted), strict=True))
    return tuple(round((at[j] * (4 - delta) + at[j + 1] * delta) / 4) for j, delta in cuts)


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def figures_of(tally: Tally) -> dict:
    """Every figure of PRODUCT 3 for one set of counted reviews (one per member)."""
    n = tally.reviewers
    scores = {
        name: {
            "avg": tally.score_sums[name] / n if n else None,
            "dist": list(tally.dists[name]),
        }
        for name in SCORES
    }
    hourly = {}
    for currency in sorted(tally.hourly):
        histogram = tally.hourly[currency]
        count = histogram.total()
        q1, median, q3 = _quartiles(histogram, count)
        hourly[currency] = {
            "n": count,
            "q1": q1,
            "median": median,
            "q3": q3,
            "pooled": pay.pooled_hourly(tally.received[currency], tally.minutes[currency]),
            "total_minutes": tally.minutes[currency],
        }
    days = tally.days_to_paid
    days_count = days.total()
    return {
        "reviewers": n,
        "scores": scores,
        "hourly": hourly,
        "with_outcome": tally.with_outcome,
        "rejection_share": _share(tally.rejected, tally.with_outcome),
        "nonpayment_share": _share(tally.never_paid, tally.with_outcome),
        "median_days_to_paid": _median(days, days_count) if days_count else None,
        "below_minimum": {"n": tally.below[0], "share": _share(tally.below[1], tally.below[0])},
        "estimate_honest_share": _share(tally.honest[1], tally.honest[0]),
        "would_work_again_share": _share(tally.again[1], tally.again[0]),
    }


def window_figures(rows: list[CountedReview]) -> dict:
    return figures_of(tally_of(rows))


def _ranking(tally: Tally, prior_mean: float, prior_weight: float) -> float | None:
    """Bayesian average of each member's mean score: few reviews stay close to the prior."""
    if not tally.reviewers:
        return None
    total = sum(tally.score_sums.values()) / 3
    return (prior_weight * prior_mean + total) / (prior_weight + tally.reviewers)


def ranking_score(
    rows: list[CountedReview], prior_mean: float, prior_weight: float
) -> float | None:
    return _ranking(tally_of(rows), prior_mean, prior_weight)


# Reading reviews
# The statements of every review write are built once per kind of target and run with their
# values (bindparam): building a select of the review's columns costs more than running it.


def _kind(target: Platform | Requester) -> str:
    return "requester" if isinstance(target, Requester) else "platform"


def _of_kind(kind: str):
    """The reviews of one target of this kind (bind `target`)."""
    if kind == "requester":
        return Review.requester_id == bindparam("target")
    return (Review.platform_id == bindparam("target")) & Review.requester_id.is_(None)


def _owned_by(model, kind: str):
    """The rows of one target of this kind in a table kept per target (bind `target`)."""
    owner = model.requester_id if kind == "requester" else model.platform_id
    return owner == bindparam("target")


def counted_reviews_of(target: Platform | Requester) -> list[CountedReview]:
    query = select(*COUNTED_COLUMNS).where(
        _of_kind(_kind(target)),
        Review.is_current.is_(True),
        Review.visibility == Visibility.VISIBLE,
    )
    return [CountedReview(*row) for row in db.session.execute(query, {"target": target.id})]


@cache
def _counted_between_query(kind: str):
    return select(Review.id, *COUNTED_COLUMNS).where(
        _of_kind(kind),
        Review.is_current.is_(True),
        Review.created_at >= bindparam("start"),
        Review.created_at < bindparam("end"),
    )


def _counted_between(
    target: Platform | Requester, start: datetime, end: datetime, leave_out: set[int]
) -> list[CountedReview]:
    values = {"target": target.id, "start": start, "end": end}
    return [
        CountedReview(*row[1:])
        for row in db.session.execute(_counted_between_query(_kind(target)), values)
        if row[0] not in leave_out
    ]


@cache
def _latest_counted_query(kind: str):
    return select(func.max(Review.created_at)).where(_of_kind(kind), Review.is_current.is_(True))


def _latest_counted(target: Platform | Requester) -> datetime | None:
    return db.session.scalar(_latest_counted_query(_kind(target)), {"target": target.id})


# Storing


@cache
def _tally_query(kind: str):
    query = select(ReviewTally).where(_owned_by(ReviewTally, kind))
    return query.execution_options(populate_existing=True)


def _tally_row(target: Platform | Requester) -> ReviewTally | None:
    return db.session.scalar(_tally_query(_kind(target)), {"target": target.id})


def figures_values(everything: Tally, recent: Tally, latest: datetime | None, now: datetime):
    """The stored columns of a target, from the tallies of its counted reviews."""
    config = current_app.config
    all_figures = figures_of(everything)
    usd = everything.usd_hourly
    usd_count = usd.total()
    return {
        "reviewer_count": everything.reviewers,
        "ranking_score": _ranking(
            everything, config["RANKING_PRIOR_MEAN"], config["RANKING_PRIOR_WEIGHT"]
        ),
        "avg_pay": all_figures["scores"]["pay"]["avg"],
        "avg_fairness": all_figures["scores"]["fairness"]["avg"],
        "avg_communication": all_figures["scores"]["communication"]["avg"],
        "median_hourly_usd_cents": round(_median(usd, usd_count)) if usd_count else None,
        "last_review_at": latest,
        "stats": {
            "all": all_figures,
            "recent": figures_of(recent),
            "recent_days": config["STATS_RECENT_DAYS"],
            "computed_at": now.isoformat(timespec="seconds"),
        },
    }


def _tally_values(everything: Tally, recent: Tally, since: datetime) -> dict:
    return {
        "version": TALLY_VERSION,
        "recent_since": since,
        "everything": everything.to_json(),
        "recent": recent.to_json(),
    }


def _store(
    target: Platform | Requester,
    row: ReviewTally | None,
    everything: Tally,
    recent: Tally,
    since: datetime,
    latest: datetime | None,
    now: datetime,
) -> None:
    if row is None:
        if isinstance(target, Requester):
            row = ReviewTally(requester_id=target.id)
        else:
            row = ReviewTally(platform_id=target.id)
        db.session.add(row)
    for name, value in _tally_values(everything, recent, since).items():
        setattr(row, name, value)
    for name, value in figures_values(everything, recent, latest, now).items():
        setattr(target, name, value)


def _recent_start(now: datetime) -> datetime:
    return now - timedelta(days=current_app.config["STATS_RECENT_DAYS"])


def _tallies(rows, since: datetime) -> tuple[Tally, Tally, datetime | None]:
    everything, recent, latest = Tally(), Tally(), None
    for row in rows:
        everything.add(row)
        if row.created_at >= since:
            recent.add(row)
        if latest is None or row.created_at > latest:
            latest = row.created_at
    return everything, recent, latest


def refresh(target: Platform | Requester, now: datetime | None = None) -> None:
    """Recount the target's figures from all its counted reviews. The caller commits, in the
    same transaction."""
    db.session.flush()
    now = now or utcnow()
    since = _recent_start(now)
    rows = counted_reviews_of(target)
    everything, recent, latest = _tallies(rows, since)
    _store(target, _tally_row(target), everything, recent, since, latest, now)
    _store_pay_months(target, monthly_hourly_usd(rows))


def refresh_all(
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    chunk: int = REFRESH_CHUNK,
) -> int:
    """Recount the figures of every platform and requester, as `refresh` does for one (and what
    members say about being paid on each platform), by
    chunks of requesters, each in one short transaction that takes the write lock (the site
    keeps writing meanwhile). Returns how many targets were recounted."""
    now = now or utcnow()
    since = _recent_start(now)
    done = 0
    db.session.commit()  # each chunk below begins its own transaction, with the write lock
    with write_transaction():
        for platform in db.session.scalars(select(Platform).order_by(Platform.id)):
            lock_row(db.session, platform)
            refresh(platform, now)
            reports.recount_payment_reports(platform.id)
            db.session.commit()
            done += 1
            if progress:
                progress(1)
        last = 0
        while ids := list(
            db.session.scalars(
                select(Requester.id).where(Requester.id > last).order_by(Requester.id).limit(chunk)
            )
        ):
            last = ids[-1]
            _refresh_requesters(ids, since, now)
            db.session.commit()
            done += len(ids)
            if progress:
                progress(len(ids))
    return done


def _refresh_requesters(ids: list[int], since: datetime, now: datetime) -> None:
    """Recount these requesters in bulk: their counted reviews in one read, the figures and
    tallies written by executemany. The caller commits."""
    if db.session.get_bind().dialect.name != "sqlite":  # the write lock is per row there
        db.session.execute(
            select(Requester.id).where(Requester.id.in_(ids)).with_for_update()
        ).all()
    rows: dict[int, list[CountedReview]] = {requester_id: [] for requester_id in ids}
    # Visibility is checked here, not in SQL: with it there, SQLite (without statistics) read
    # every visible review rather than these requesters' own through their index.
    query = select(Review.requester_id, Review.visibility, *COUNTED_COLUMNS).where(
        Review.requester_id.in_(ids), Review.is_current.is_(True)
    )
    for row in db.session.execute(query):
        if row[1] == Visibility.VISIBLE:
            rows[row[0]].append(CountedReview(*row[2:]))
    figures, tallies = [], []
    for requester_id, counted_rows in rows.items():
        everything, recent, latest = _tallies(counted_rows, since)
        figures.append(
            {"target_id": requester_id, **figures_values(everything, recent, latest, now)}
        )
        tallies.append({"requester_id": requester_id, **_tally_values(everything, recent, since)})
    table = Requester.__table__
    db.session.execute(
        update(table).where(table.c.id == bindparam("target_id")),
        figures,
    )
    db.session.execute(delete(ReviewTally).where(ReviewTally.requester_id.in_(ids)))
    db.session.execute(insert(ReviewTally), tallies)
    months = [
        {"requester_id": requester_id, "month": month, **month_values(counts)}
        for requester_id, counted_rows in rows.items()
        for month, counts in monthly_hourly_usd(counted_rows).items()
    ]
    db.session.execute(delete(PayMonth).where(PayMonth.requester_id.in_(ids)))
    if months:
        db.session.execute(insert(PayMonth), months)


def apply(
    target: Platform | Requester,
    removed: dict[int, CountedReview],
    added: dict[int, CountedReview],
    now: datetime | None = None,
) -> None:
    """Change the figures by the reviews that stopped counting (`removed`, as they were counted)
    and those that started (`added`), by review id. The rows of `added` are counted in the
    database already. The caller holds the target's row lock and commits."""
    db.session.flush()
    now = now or utcnow()
    row = _tally_row(target)
    if row is None or row.version != TALLY_VERSION:
        refresh(target, now)  # the first write since figures were stored without a tally
        return
    everything, recent = Tally.from_json(row.everything), Tally.from_json(row.recent)
    before, since = row.recent_since, _recent_start(now)
    for review in removed.values():
        everything.add(review, -1)
        if review.created_at >= before:
            recent.add(review, -1)
    # Reviews counted before and still counted that the window left (or, if the clock went
    # back, came back into it): the window moves over them.
    if since > before:
        for review in _counted_between(target, before, since, set(added)):
            recent.add(review, -1)
    elif since < before:
        for review in _counted_between(target, since, before, set(added)):
            recent.add(review)
    for review in added.values():
        everything.add(review)
        if review.created_at >= since:
            recent.add(review)
    latest = target.last_review_at
    if any(review.created_at == latest for review in removed.values()):
        latest = _latest_counted(target)
    for review in added.values():
        if latest is None or review.created_at > latest:
            latest = review.created_at
    _store(target, row, everything, recent, since, latest, now)
    _move_pay_months(target, removed.values(), added.values())


# The monthly hourly-pay series


def _month_of(moment: datetime) -> date:
    return moment.date().replace(day=1)


def monthly_hourly_usd(rows: Iterable[CountedReview]) -> dict[date, Histogram]:
    """{first day of a month: histogram of the hourly pays in US cents}, by the month each
    counted review that gives one was written."""
    by_month: dict[date, Counter] = defaultdict(Counter)
    for row in rows:
        if row.hourly_usd_cents is not None:
            by_month[_month_of(row.created_at)][row.hourly_usd_cents] += 1
    return {month: Histogram.of(counts) for month, counts in sorted(by_month.items())}


def month_values(counts: Histogram) -> dict:
    """The stored columns of a month, from the histogram of its hourly pays."""
    reviewers = counts.total()
    return {
        "reviewers": reviewers,
        "median_hourly_usd_cents": round(_median(counts, reviewers)),
        "hourly_counts": counts.flat,
    }


def _move_pay_months(
    target: Platform | Requester,
    removed: Iterable[CountedReview],
    added: Iterable[CountedReview],
) -> None:
    """Move the histograms of the months of the reviews that stopped and started counting.
    A month stored without its histogram (before it was kept), or out of step, is recounted."""
    moves: dict[date, Counter] = defaultdict(Counter)
    for sign, rows in ((-1, removed), (1, added)):
        for row in rows:
            if row.hourly_usd_cents is not None:
                moves[_month_of(row.created_at)][row.hourly_usd_cents] += sign
    if not moves:
        return
    values = {"target": target.id, "months": list(moves)}
    stored = {row.month: row for row in db.session.scalars(_months_query(_kind(target)), values)}
    for month, move in moves.items():
        row = stored.get(month)
        counts = _kept_counts(row)
        if counts is not None:
            for value, sign in move.items():
                counts.add(value, sign)
        if counts is None or min(counts.flat[1::2], default=0) < 0:
            counts = _month_counts(target, month)
        _store_month(target, month, row, counts)


@cache
def _months_query(kind: str):
    return select(PayMonth).where(
        _owned_by(PayMonth, kind), PayMonth.month.in_(bindparam("months", expanding=True))
    )


def _kept_counts(row: PayMonth | None) -> Histogram | None:
    """The histogram a stored month keeps (a copy), or None when there is none to trust."""
    if row is None:
        return Histogram()
    if row.hourly_counts is None or sum(row.hourly_counts[1::2]) != row.reviewers:
        return None
    return Histogram(list(row.hourly_counts))


def _month_counts(target: Platform | Requester, month: date) -> Histogram:
    """The month's histogram from its counted reviews."""
    query = select(Review.hourly_usd_cents).where(
        _of_kind(_kind(target)),
        Review.is_current.is_(True),
        Review.hourly_usd_cents.is_not(None),
        Review.created_at >= datetime.combine(month, datetime.min.time()),
        Review.created_at < datetime.combine(month_shift(month, 1), datetime.min.time()),
    )
    return Histogram.of(Counter(db.session.scalars(query, {"target": target.id})))


def _store_month(
    target: Platform | Requester, month: date, row: PayMonth | None, counts: Histogram
) -> None:
    if not counts:
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        row = PayMonth(month=month)
        if isinstance(target, Requester):
            row.requester_id = target.id
        else:
            row.platform_id = target.id
        db.session.add(row)
    for name, value in month_values(counts).items():
        setattr(row, name, value)


def _store_pay_months(target: Platform | Requester, series: dict[date, Histogram]) -> None:
    query = select(PayMonth).where(_owned_by(PayMonth, _kind(target)))
    stored = {row.month: row for row in db.session.scalars(query, {"target": target.id})}
    for month in stored.keys() | series.keys():
        _store_month(target, month, stored.get(month), series.get(month, Histogram()))


def pay_series(target: Platform | Requester, months: int = 12) -> list[PayMonth]:
    """The stored months of the `months` calendar months that end with the latest month a
    review gave an hourly pay, oldest first."""
    query = select(PayMonth).where(_owned_by(PayMonth, _kind(target)))
    latest = list(
        db.session.scalars(
            query.order_by(PayMonth.month.desc()).limit(months), {"target": target.id}
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
