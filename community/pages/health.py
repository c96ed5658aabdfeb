"""/health: whether the database and the search index answer, for a load balancer or a monitor.

The answer names which part failed and nothing else: no path, no error message, no figure about
members or content beyond the number of index changes waiting.
"""

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from community.extensions import db
from community.search import service as search

log = logging.getLogger(__name__)


def check() -> tuple[bool, dict]:
    """(healthy, answer): {"status", "database", "search": {"status", "waiting"}, "failed"}."""
    try:  # answers, and holds the schema (a missing SQLite file would open empty)
        db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        database = "ok"
    except SQLAlchemyError:
        log.exception("Health check: the database does not answer")
        db.session.rollback()
        database = "unavailable"

    if database == "ok":
        index = search.health()
        state = "unavailable" if not index.usable else "behind" if index.stuck else "ok"
        found = {"status": state, "waiting": index.waiting}
    else:  # the outbox lives in the database: only whether the index opens is known
        found = {"status": "ok" if _index_opens() else "unavailable", "waiting": None}
    db.session.rollback()

    failed = [
        part
        for part, state in (("database", database), ("search", found["status"]))
        if state != "ok"
    ]
    answer = {"status": "error" if failed else "ok", "database": database, "search": found}
    if failed:
        answer["failed"] = failed
    return not failed, answer


def _index_opens() -> bool:
    try:  # the PostgreSQL backend's index lives in the database that just failed
        return search.backend().is_usable()
    except Exception:  # any failure to open it is the same answer: unavailable
        log.exception("Health check: the search index does not open")
        return False
