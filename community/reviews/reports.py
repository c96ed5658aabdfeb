"""What each member says about being paid on each platform, from their visible reviews: the
"Is it legit?" card counts members from these rows (one per member and platform), never from
all of a platform's reviews. Kept in step by every review change (reviews.service)."""

from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, case, delete, func, insert, select

from community.core.content import Visibility
from community.extensions import db
from community.reviews.models import Outcome, PaymentReport, Review

TOLD = frozenset({Outcome.APPROVED, Outcome.NEVER_PAID})  # what says whether one was paid


def refresh_payment_report(platform_id: int, author_id: int | None) -> None:
    """What the member says about being paid on the platform, from their visible reviews of it
    and its requesters (read through the member's index). The caller commits."""
    if author_id is None:
        return
    db.session.flush()
    # Through the member's index: "+ 0" keeps SQLite (without statistics) from reading all of
    # the platform's reviews through ix_reviews_platform_outcome, which holds every column here.
    last_told, last_never_paid = db.session.execute(
        select(
            func.max(case((Review.outcome.in_(TOLD), Review.created_at))),
            func.max(case((Review.outcome == Outcome.NEVER_PAID, Review.created_at))),
        ).where(
            Review.author_id == author_id,
            Review.platform_id + 0 == platform_id,
            Review.visibility == Visibility.VISIBLE,
        )
    ).one()
    report = _stored_report(platform_id, author_id)
    if last_told is None:
        if report is not None:
            db.session.delete(report)
        return
    report = report or _new_report(platform_id, author_id)
    report.last_told_at, report.last_never_paid_at = last_told, last_never_paid


@cache
def _report_query():  # built once: run by every review write
    return select(PaymentReport).where(
        PaymentReport.platform_id == bindparam("platform"),
        PaymentReport.author_id == bindparam("member"),
    )


def _stored_report(platform_id: int, author_id: int) -> PaymentReport | None:
    return db.session.scalar(_report_query(), {"platform": platform_id, "member": author_id})


def _new_report(platform_id: int, author_id: int) -> PaymentReport:
    report = PaymentReport(platform_id=platform_id, author_id=author_id)
    db.session.add(report)
    return report


def note_published(review: Review) -> None:
    """A review just published is its member's newest on the platform: what they say about being
    paid moves to it, without rereading their reviews. The caller commits."""
    if review.author_id is None or review.outcome not in TOLD:
        return
    if review.visibility != Visibility.VISIBLE:
        refresh_payment_report(review.platform_id, review.author_id)
        return
    report = _stored_report(review.platform_id, review.author_id) or _new_report(
        review.platform_id, review.author_id
    )
    report.last_told_at = _later(report.last_told_at, review.created_at)
    if review.outcome == Outcome.NEVER_PAID:
        report.last_never_paid_at = _later(report.last_never_paid_at, review.created_at)


def _later(stored: datetime | None, moment: datetime) -> datetime:
    return moment if stored is None else max(stored, moment)


def recount_payment_reports(platform_id: int) -> None:
    """Every member's report on a platform, from its reviews (after a merge). Caller commits."""
    db.session.flush()
    db.session.execute(delete(PaymentReport).where(PaymentReport.platform_id == platform_id))
    told = Review.outcome.in_((Outcome.APPROVED, Outcome.NEVER_PAID))
    rows = db.session.execute(
        select(
            Review.author_id,
            func.max(Review.created_at),
            func.max(case((Review.outcome == Outcome.NEVER_PAID, Review.created_at))),
        )
        .where(
            Review.platform_id == platform_id,
            Review.visibility == Visibility.VISIBLE,
            Review.author_id.is_not(None),
            told,
        )
        .group_by(Review.author_id)
    ).all()
    if rows:
        db.session.execute(
            insert(PaymentReport),
            [
                {
                    "platform_id": platform_id,
                    "author_id": author_id,
                    "last_told_at": last_told,
                    "last_never_paid_at": last_never_paid,
                }
                for author_id, last_told, last_never_paid in rows
            ],
        )


def payment_reports(platform_id: int, since: datetime) -> tuple[int, int, int]:
    """Members reporting non-payment since `since` and ever, and members who said whether they
    were paid since `since`, on the platform and its requesters."""

    def members(condition) -> int:
        return db.session.scalar(
            select(func.count())
            .select_from(PaymentReport)
            .where(PaymentReport.platform_id == platform_id, condition)
        )

    return (
        members(PaymentReport.last_never_paid_at >= since),
        members(PaymentReport.last_never_paid_at.is_not(None)),
        members(PaymentReport.last_told_at >= since),
    )
