"""Review rules: submit once, edit with history, withdraw, and keep the target's figures in step."""

from dataclasses import asdict, dataclass
from datetime import timedelta
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import Integer, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError

from community.accounts import service as accounts
from community.catalog.models import Platform, Requester
from community.core.content import Visibility, publicly_listed
from community.core.database import lock_row, utcnow, writes
from community.core.errors import NotFound, PermissionDenied
from community.core.limits import check_daily_quota, check_not_suspended
from community.core.markup import render_markdown
from community.core.money import to_usd_cents
from community.core.pagination import Page, paginate
from community.extensions import db
from community.reviews import aggregates, fairpay, pay, permissions, reports
from community.reviews.models import Outcome, Review, ReviewRevision
from community.search import service as search

EDITABLE_FIELDS = (
    "score_pay",
    "score_fairness",
    "score_communication",
    "task_title",
    "reward_minor",
    "bonus_minor",
    "currency",
    "minutes",
    "outcome",
    "days_to_paid",
    "estimate_honest",
    "would_work_again",
    "body",
    "anonymous",
)
REVIEW_SORTS = ("newest", "oldest")


@dataclass(frozen=True)
class ReviewData:
    score_pay: int
    score_fairness: int
    score_communication: int
    body: str
    anonymous: bool = False
    task_title: str | None = None
    reward_minor: int | None = None
    bonus_minor: int | None = None
    currency: str | None = None
    minutes: int | None = None
    outcome: str | None = None
    days_to_paid: int | None = None
    estimate_honest: bool | None = None
    would_work_again: bool | None = None


def get_review_or_404(review_id: int) -> Review:
    review = db.session.get(Review, review_id)
    if review is None or review.visibility == Visibility.DELETED:
        raise NotFound(_("This review does not exist or was withdrawn."))
    return review


def target_of(review: Review) -> Platform | Requester:
    return review.requester if review.requester_id else review.platform


@cache
def _written_since_query():
    return (
        select(func.count())
        .select_from(Review)
        .where(Review.author_id == bindparam("member"), Review.created_at >= bindparam("since"))
    )


def reviews_written_today(user) -> int:
    since = utcnow() - timedelta(days=1)
    return db.session.scalar(_written_since_query(), {"member": user.id, "since": since})


@cache
def _submitted_query():
    return select(Review).where(
        Review.author_id == bindparam("member"), Review.submission_key == bindparam("key")
    )


def _apply(review: Review, data: ReviewData, author) -> None:
    for field in EDITABLE_FIELDS:
        setattr(review, field, getattr(data, field))
    review.task_title = (data.task_title or "").strip() or None
    review.body_html = render_markdown(data.body)
    review.hourly_minor = pay.effective_hourly(review.received_minor, review.minutes)
    review.hourly_usd_cents = (
        to_usd_cents(review.hourly_minor, review.currency)
        if review.hourly_minor is not None
        else None
    )
    review.reviewer_country = author.country if author else None
    review.below_minimum_wage = fairpay.is_below_minimum_wage(
        review.hourly_usd_cents, review.reviewer_country
    )


# The statements of a review write are built once and run with their values (bindparam):
# building a select of the review's columns costs SQLAlchemy more than running it.


def _same_target(platform_review: bool):
    """The reviews of one member of one target (values: `_target_values`)."""
    return (
        (Review.author_id == bindparam("member"))
        & (Review.platform_id == bindparam("platform"))
        & (
            Review.requester_id.is_(None)
            if platform_review
            else Review.requester_id == bindparam("requester")
        )
    )


def _target_values(author_id: int, platform_id: int, requester_id: int | None) -> dict:
    # Named apart from the columns: an UPDATE reserves the names of its table's columns.
    return {"member": author_id, "platform": platform_id, "requester": requester_id}


@cache
def _latest_visible_query(platform_review: bool):
    return (
        select(Review.id, *aggregates.COUNTED_COLUMNS)
        .where(_same_target(platform_review), Review.visibility == Visibility.VISIBLE)
        .order_by(Review.created_at.desc(), Review.id.desc())
        .limit(1)
    )


@cache
def _make_current_statement(platform_review: bool):
    latest = bindparam("latest", type_=Integer)
    return (
        update(Review)
        # Only the rows that change: the one counted until now and the one counted from now.
        .where(_same_target(platform_review), Review.is_current.is_(True) | (Review.id == latest))
        .values(is_current=func.coalesce(Review.id == latest, False))
        .execution_options(synchronize_session="fetch")
    )


def _refresh_current(
    author_id: int, platform_id: int, requester_id: int | None
) -> dict[int, aggregates.CountedReview]:
    """Only the author's latest visible review of a target counts in its figures. Returns that
    review as it counts, by id (empty when none does)."""
    values = _target_values(author_id, platform_id, requester_id)
    platform_review = requester_id is None
    db.session.flush()
    latest = db.session.execute(_latest_visible_query(platform_review), values).first()
    latest_id = latest[0] if latest else None
    db.session.execute(_make_current_statement(platform_review), {**values, "latest": latest_id})
    return {latest_id: aggregates.CountedReview(*latest[1:])} if latest else {}


@cache
def _counted_query(of: str):
    """A member's counted reviews of a target (`of` "platform" or "requester"), or the one
    review of a deleted member (`of` "review")."""
    query = select(Review.id, Review.is_current, *aggregates.COUNTED_COLUMNS)
    if of == "review":
        return query.where(Review.id == bindparam("review_id"))
    return query.where(_same_target(of == "platform"), Review.is_current.is_(True))


def _counted_of(review: Review) -> dict[int, aggregates.CountedReview]:
    """The reviews of `review`'s author that count for its target, as the database has them
    (the flag alone says so: a change of visibility is flushed before the flag follows)."""
    db.session.flush()
    if review.author_id is None:  # a deleted member's review: only itself
        rows = db.session.execute(_counted_query("review"), {"review_id": review.id})
    else:  # the member's reviews of the target, through the member's index
        of = "requester" if review.requester_id else "platform"
        values = _target_values(review.author_id, review.platform_id, review.requester_id)
        rows = db.session.execute(_counted_query(of), values)
    return {row[0]: aggregates.CountedReview(*row[2:]) for row in rows if row[1]}


def refresh_target(review: Review, counted_as: aggregates.CountedReview | None = None) -> None:
    """Change the target's figures after any change of `review` (content or visibility): by the
    author's reviews that counted before and those that count now. `counted_as`: the review as
    it was before an edit. The caller commits."""
    _refresh_figures(review, counted_as)
    reports.refresh_payment_report(review.platform_id, review.author_id)


def _refresh_figures(review: Review, counted_as: aggregates.CountedReview | None = None) -> None:
    target = target_of(review)
    db.session.flush()
    lock_row(db.session, target)
    before = _counted_of(review)
    if counted_as is not None and review.id in before:
        before[review.id] = counted_as
    if review.author_id is None:
        review.is_current = review.visibility == Visibility.VISIBLE
        counted_now = _counted_of(review)
    else:
        counted_now = _refresh_current(review.author_id, review.platform_id, review.requester_id)
    aggregates.apply(target, removed=before, added=counted_now)


def recount_target(target: Platform | Requester) -> None:
    """Recount which review of each member counts, then the figures, for a whole target (after
    a merge brought reviews of two targets together). The caller commits."""
    db.session.flush()
    query = select(Review.author_id).where(Review.author_id.is_not(None)).distinct()
    if isinstance(target, Requester):
        query = query.where(Review.requester_id == target.id)
        platform_id, requester_id = target.platform_id, target.id
    else:
        query = query.where(Review.platform_id == target.id, Review.requester_id.is_(None))
        platform_id, requester_id = target.id, None
    for author_id in list(db.session.scalars(query)):
        _refresh_current(author_id, platform_id, requester_id)
    aggregates.refresh(target)
    if isinstance(target, Platform):
        reports.recount_payment_reports(target.id)


@writes
def submit_review(
    author, target: Platform | Requester, data: ReviewData, submission_key: str
) -> Review:
    """Publish a review. The same form sent twice (same submission key) returns the first."""
    submitted = {"member": author.id, "key": submission_key}
    existing = db.session.scalar(_submitted_query(), submitted)
    if existing is not None:
        return existing
    check_daily_quota(author, "review", reviews_written_today(author))
    # Locked before the review row points to it: on PostgreSQL inserting that row takes a share
    # lock on the target, and two reviews upgrading their share locks deadlock each other.
    lock_row(db.session, target)
    review = Review(author_id=author.id, submission_key=submission_key)
    if isinstance(target, Requester):
        review.platform_id, review.requester_id = target.platform_id, target.id
    else:
        review.platform_id, review.requester_id = target.id, None
    _apply(review, data, author)
    try:
        with db.session.begin_nested():
            db.session.add(review)
    except IntegrityError:  # the same form, sent twice at the same moment
        return db.session.scalar(_submitted_query(), submitted)
    _refresh_figures(review)
    reports.note_published(review)
    accounts.count_contribution(author, +1)
    search.enqueue("review", review.id)
    db.session.commit()
    return review


def _snapshot(review: Review) -> dict:
    return {field: getattr(review, field) for field in EDITABLE_FIELDS}


def edit_review(editor, review: Review, data: ReviewData) -> Review:
    if not permissions.can_edit(editor, review):
        raise PermissionDenied(_("Only the author can edit this review."))
    check_not_suspended(editor)
    if _snapshot(review) == asdict(data):
        return review
    db.session.add(
        ReviewRevision(review_id=review.id, editor_id=editor.id, snapshot=_snapshot(review))
    )
    counted_as = aggregates.counted(review)
    _apply(review, data, editor)
    review.edited_at = utcnow()
    refresh_target(review, counted_as)
    search.enqueue("review", review.id)
    db.session.commit()
    return review


def withdraw_review(user, review: Review) -> None:
    if not permissions.can_withdraw(user, review):
        raise PermissionDenied(_("Only the author can withdraw this review."))
    review.visibility = Visibility.DELETED
    review.hidden_reason = "withdrawn"
    refresh_target(review)
    accounts.count_contribution(user, -1)
    search.enqueue("review", review.id)
    db.session.commit()


def history(user, review: Review) -> list[ReviewRevision]:
    if not permissions.can_see_history(user, review):
        raise PermissionDenied(_("Only the author and moderators can see the history of a review."))
    return list(
        db.session.scalars(
            select(ReviewRevision)
            .where(ReviewRevision.review_id == review.id)
            .order_by(ReviewRevision.created_at.desc())
        )
    )


def reviews_of(
    target: Platform | Requester, sort: str, page: int, per_page: int, folded_too: bool = True
) -> Page[Review]:
    """Public reviews. With `folded_too` (the site's pages), hidden ones are included: they stay
    readable behind a fold that says why (except those hidden for personal information or
    illegality). Without it (the API), only visible ones."""
    shown = publicly_listed(Review) if folded_too else Review.visibility == Visibility.VISIBLE
    query = select(Review).where(shown)
    if isinstance(target, Requester):
        query = query.where(Review.requester_id == target.id)
    else:
        query = query.where(Review.platform_id == target.id, Review.requester_id.is_(None))
    if sort == "oldest":
        query = query.order_by(Review.created_at.asc(), Review.id.asc())
    else:
        query = query.order_by(Review.created_at.desc(), Review.id.desc())
    return paginate(db.session, query, page, per_page)


def reviews_by(author, page: int, per_page: int) -> Page[Review]:
    query = (
        select(Review)
        .where(Review.author_id == author.id, Review.visibility != Visibility.DELETED)
        .order_by(Review.created_at.desc(), Review.id.desc())
    )
    return paginate(db.session, query, page, per_page)


def waiting_for_outcome(author) -> list[Review]:
    return list(
        db.session.scalars(
            select(Review)
            .where(
                Review.author_id == author.id,
                Review.outcome == Outcome.PENDING,
                Review.visibility != Visibility.DELETED,
            )
            .order_by(Review.created_at.asc())
            .limit(100)
        )
    )


def public_review_count(author) -> int:
    """Signed reviews only: counting anonymous ones on a profile would help unmask them."""
    return db.session.scalar(
        select(func.count())
        .select_from(Review)
        .where(
            Review.author_id == author.id,
            Review.anonymous.is_(False),
            Review.visibility == Visibility.VISIBLE,
        )
    )


def recently_reviewed_requesters(limit: int = 8) -> list[Requester]:
    return list(
        db.session.scalars(
            select(Requester)
            .where(Requester.last_review_at.is_not(None))
            .order_by(Requester.last_review_at.desc())
            .limit(limit)
        )
    )
