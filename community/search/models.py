"""Index changes waiting to be applied, written in the same transaction as the content change."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from community.core.database import utcnow
from community.extensions import db


class SearchOutbox(db.Model):
    __tablename__ = "search_outbox"
    # Ids are never reused: a drain deletes the ids it applied, and a reused id would be a newer,
    # unapplied change.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_key: Mapped[str] = mapped_column(
        String(40)
    )  # "post:123": re-read from the database when drained
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
