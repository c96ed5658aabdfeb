"""Platforms and requesters as search documents."""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from community.catalog.models import Platform, Requester
from community.extensions import db
from community.search.documents import SearchDocument, SearchSource, make_key


def load_platforms(ids: list[int]) -> list[SearchDocument]:
    return [
        SearchDocument(
            key=make_key("platform", p.id),
            kind="platform",
            title=p.name,
            body=f"{p.description}\n{p.website or ''}",
            created_at=p.created_at,
            platform_id=p.id,
            ref={"slug": p.slug},
        )
        for p in db.session.scalars(select(Platform).where(Platform.id.in_(ids)))
    ]


def load_requesters(ids: list[int]) -> list[SearchDocument]:
    query = select(Requester).where(Requester.id.in_(ids)).options(selectinload(Requester.aliases))
    return [
        SearchDocument(
            key=make_key("requester", r.id),
            kind="requester",
            title=r.display_name,
            body=" ".join([r.external_id or "", r.platform.name, *(a.name for a in r.aliases)]),
            created_at=r.created_at,
            platform_id=r.platform_id,
        )
        for r in db.session.scalars(query)
    ]


def _ids(model):
    return iter(
        db.session.scalars(select(model.id).order_by(model.id).execution_options(yield_per=2000))
    )


SOURCES = [
    SearchSource(
        kind="platform",
        load=load_platforms,
        all_ids=lambda: _ids(Platform),
        count=lambda: db.session.scalar(select(func.count()).select_from(Platform)),
    ),
    SearchSource(
        kind="requester",
        load=load_requesters,
        all_ids=lambda: _ids(Requester),
        count=lambda: db.session.scalar(select(func.count()).select_from(Requester)),
    ),
]
