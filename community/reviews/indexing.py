"""Reviews as search documents: the text and its target, never the author."""

from sqlalchemy import func, select

from community.catalog.models import Platform, Requester
from community.core.content import Visibility
from community.extensions import db
from community.reviews.models import Review
from community.search.documents import SearchDocument, SearchSource, make_key


def load_reviews(ids: list[int]) -> list[SearchDocument]:
    rows = db.session.execute(
        select(
            Review.id,
            Review.body,
            Review.task_title,
            Review.created_at,
            Review.platform_id,
            Requester.display_name,
            Platform.name,
        )
        .join(Platform, Platform.id == Review.platform_id)
        .outerjoin(Requester, Requester.id == Review.requester_id)
        .where(Review.id.in_(ids), Review.visibility == Visibility.VISIBLE)
    )
    return [
        SearchDocument(
            key=make_key("review", review_id),
            kind="review",
            title=requester_name or platform_name,
            body=f"{task_title or ''}\n{body}",
            created_at=created_at,
            platform_id=platform_id,
        )
        for review_id, body, task_title, created_at, platform_id, requester_name, platform_name in (
            rows
        )
    ]


def _visible():
    return select(Review.id).where(Review.visibility == Visibility.VISIBLE)


SOURCES = [
    SearchSource(
        kind="review",
        load=load_reviews,
        all_ids=lambda: iter(
            db.session.scalars(_visible().order_by(Review.id).execution_options(yield_per=2000))
        ),
        count=lambda: db.session.scalar(select(func.count()).select_from(_visible().subquery())),
    ),
]
