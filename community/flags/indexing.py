"""Task flags as search documents: visible flags only, their text and target, never the author.

A disturbing flag carries `disturbing` in its reference so that the results page folds its
excerpt behind the content warning, as every other page does.
"""

from flask_babel import force_locale
from sqlalchemy import func, select

from community.core.content import Visibility
from community.extensions import db
from community.flags.forms import CATEGORY_LABELS
from community.flags.models import Flag
from community.search.documents import SearchDocument, SearchSource, make_key

KIND = "flag"


def _title(flag: Flag) -> str:
    if flag.task_title:
        return flag.task_title
    with force_locale("en"):
        return str(CATEGORY_LABELS.get(flag.category, flag.category))


def load_flags(ids: list[int]) -> list[SearchDocument]:
    flags = db.session.scalars(
        select(Flag).where(Flag.id.in_(ids), Flag.visibility == Visibility.VISIBLE)
    )
    return [
        SearchDocument(
            key=make_key(KIND, flag.id),
            kind=KIND,
            title=_title(flag),
            body=flag.description,
            created_at=flag.created_at,
            platform_id=flag.platform_id,
            ref={
                "category": flag.category,
                "status": flag.status,
                "disturbing": bool(flag.disturbing),
            },
        )
        for flag in flags
    ]


def _visible():
    return select(Flag.id).where(Flag.visibility == Visibility.VISIBLE)


SOURCES = [
    SearchSource(
        kind=KIND,
        load=load_flags,
        all_ids=lambda: iter(
            db.session.scalars(_visible().order_by(Flag.id).execution_options(yield_per=2000))
        ),
        count=lambda: db.session.scalar(select(func.count()).select_from(_visible().subquery())),
    ),
]
