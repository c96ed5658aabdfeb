"""Page-number pagination that never counts a whole table: it fetches one row more than it shows."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

T = TypeVar("T")
MAX_PAGE = 500


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    per_page: int
    has_next: bool
    total: int | None = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def last_number(self) -> int | None:
        if self.total is None:
            return None
        return max(1, -(-self.total // self.per_page))


def page_number(raw: str | None) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def paginate(
    session: Session, query: Select, number: int, per_page: int, total: int | None = None
) -> Page:
    rows = session.scalars(query.limit(per_page + 1).offset((number - 1) * per_page)).all()
    return Page(list(rows[:per_page]), number, per_page, len(rows) > per_page, total)
