"""A member's whole record as one archive, streamed: nothing is built in memory.

The archive holds `data.json` (every section, machine-readable), `schema.json` (a JSON Schema of
data.json, generated from the tables so it always matches), one CSV file per section, a readable
`index.html`, and the stored screenshot of each proof under `proofs/`.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Select, or_, select

from community.accounts.models import User
from community.core.database import utcnow
from community.extensions import db
from community.flags.models import Flag, FlagDecision, FlagSeenToo
from community.forum.models import Post, PostRevision, Subscription, Thread
from community.moderation.models import (
    Appeal,
    Candidate,
    Dispute,
    DisputeStatement,
    ElectionVoter,
    ModerationAction,
    ModeratorTerm,
    Report,
    RepresentativeClaim,
    ReviewReply,
)
from community.notifications.models import Notification
from community.proofs.models import Proof, ProofMark
from community.proofs.service import upload_dir
from community.reviews.models import Review, ReviewRevision

SCHEMA_VERSION = "taskopticon-export/1"
# Internal secrets are not "data about the member": they would only help whoever steals the file.
NEVER_EXPORTED = frozenset({"password_hash", "session_token", "username_key", "submission_key"})
BATCH = 500


def _disputes_of(user_id: int):
    """The disputes a member is party to: those they opened, and those about their reviews."""
    return or_(
        Dispute.opened_by_id == user_id,
        Dispute.review_id.in_(select(Review.id).where(Review.author_id == user_id)),
    )


def owned_by(column) -> Callable[[int], Select]:
    """The rows whose `column` is the member."""
    return lambda user_id: select(column.class_).where(column == user_id)


@dataclass(frozen=True)
class Section:
    name: str
    model: type
    rows: Callable[[int], Select]  # the member's rows, given their id


SECTIONS = [
    Section("profile", User, owned_by(User.id)),
    Section("reviews", Review, owned_by(Review.author_id)),
    Section(
        "review_revisions",
        ReviewRevision,
        lambda uid: select(ReviewRevision).where(
            ReviewRevision.review_id.in_(select(Review.id).where(Review.author_id == uid))
        ),
    ),
    Section("threads", Thread, owned_by(Thread.author_id)),
    Section("posts", Post, owned_by(Post.author_id)),
    Section(
        "post_revisions",
        PostRevision,
        lambda uid: select(PostRevision).where(
            PostRevision.post_id.in_(select(Post.id).where(Post.author_id == uid))
        ),
    ),
    Section(
        "thread_subscriptions",
        Subscription,
        owned_by(Subscription.user_id),
    ),
    Section(
        "notifications",
        Notification,
        owned_by(Notification.user_id),
    ),
    Section("proofs", Proof, owned_by(Proof.author_id)),
    Section("proof_marks", ProofMark, owned_by(ProofMark.user_id)),
    Section("flags", Flag, owned_by(Flag.author_id)),
    Section(
        "flags_seen_too",
        FlagSeenToo,
        owned_by(FlagSeenToo.user_id),
    ),
    Section(
        "flag_decisions_made",
        FlagDecision,
        owned_by(FlagDecision.actor_id),
    ),
    Section("reports_made", Report, owned_by(Report.reporter_id)),
    Section(
        "moderation_actions_about_me",
        ModerationAction,
        owned_by(ModerationAction.member_id),
    ),
    Section(
        "moderation_actions_taken",
        ModerationAction,
        owned_by(ModerationAction.moderator_id),
    ),
    Section("appeals", Appeal, owned_by(Appeal.appellant_id)),
    Section(
        "representative_claims",
        RepresentativeClaim,
        owned_by(RepresentativeClaim.user_id),
    ),
    Section(
        "review_replies",
        ReviewReply,
        owned_by(ReviewReply.author_id),
    ),
    Section("disputes", Dispute, lambda uid: select(Dispute).where(_disputes_of(uid))),
    Section(
        "dispute_statements",
        DisputeStatement,
        lambda uid: select(DisputeStatement).where(
            DisputeStatement.dispute_id.in_(select(Dispute.id).where(_disputes_of(uid)))
        ),
    ),
    Section(
        "election_candidacies",
        Candidate,
        owned_by(Candidate.user_id),
    ),
    # That they voted, never how: ballots are not linked to voters.
    Section(
        "elections_voted_in",
        ElectionVoter,
        owned_by(ElectionVoter.user_id),
    ),
    Section(
        "moderator_terms",
        ModeratorTerm,
        owned_by(ModeratorTerm.user_id),
    ),
]


def _columns(model) -> list:
    return [column for column in model.__table__.columns if column.name not in NEVER_EXPORTED]


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _json_type(column) -> dict:
    kind = column.type
    if isinstance(kind, Boolean):
        base = "boolean"
    elif isinstance(kind, Integer):
        base = "integer"
    elif isinstance(kind, Float):
        base = "number"
    elif isinstance(kind, JSON):
        return {}
    else:
        base = "string"
    schema = {"type": [base, "null"] if column.nullable else base}
    if isinstance(kind, DateTime):
        schema["format"] = "date-time"
    elif isinstance(kind, Date):
        schema["format"] = "date"
    return schema


def json_schema() -> dict:
    """The JSON Schema of data.json: one array of objects per section, fields from the tables."""
    sections = {
        section.name: {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    column.name: _json_type(column) for column in _columns(section.model)
                },
                "additionalProperties": False,
            },
        }
        for section in SECTIONS
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Taskopticon personal data export",
        "type": "object",
        "required": ["schema", "exported_at", "sections"],
        "properties": {
            "schema": {"const": SCHEMA_VERSION},
            "exported_at": {"type": "string", "format": "date-time"},
            "sections": {"type": "object", "properties": sections, "additionalProperties": False},
        },
    }


def _rows(section: Section, user_id: int) -> Iterator[dict]:
    columns = _columns(section.model)
    query = section.rows(user_id).execution_options(yield_per=BATCH)
    for item in db.session.scalars(query):
        yield {column.name: _value(getattr(item, column.key)) for column in columns}


class _Pipe(io.RawIOBase):
    """Where the zip is written; the response takes what accumulated after each step."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def archive(user: User) -> Iterator[bytes]:
    """The zip archive of `user`'s record, as chunks of bytes."""
    pipe = _Pipe()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive_file:
        with archive_file.open("data.json", "w") as member:
            text = io.TextIOWrapper(member, encoding="utf-8")
            text.write(
                f'{{"schema": "{SCHEMA_VERSION}", "exported_at": "{utcnow().isoformat()}", '
                '"sections": {'
            )
            for position, section in enumerate(SECTIONS):
                text.write(f'{", " if position else ""}"{section.name}": [')
                count = 0
                for count, row in enumerate(_rows(section, user.id), start=1):
                    text.write((", " if count > 1 else "") + json.dumps(row, ensure_ascii=False))
                    if count % BATCH == 0:
                        text.flush()
                        yield pipe.take()
                text.write("]")
                counts[section.name] = count
            text.write("}}")
            text.flush()
            text.detach()
        yield pipe.take()
        archive_file.writestr("schema.json", json.dumps(json_schema(), indent=2))
        for section in SECTIONS:
            with archive_file.open(f"csv/{section.name}.csv", "w") as member:
                text = io.TextIOWrapper(member, encoding="utf-8", newline="")
                writer = csv.writer(text)
                writer.writerow([column.name for column in _columns(section.model)])
                for number, row in enumerate(_rows(section, user.id), start=1):
                    writer.writerow(
                        [json.dumps(v) if isinstance(v, dict | list) else v for v in row.values()]
                    )
                    if number % BATCH == 0:
                        text.flush()
                        yield pipe.take()
                text.flush()
                text.detach()
            yield pipe.take()
        for proof in db.session.scalars(select(Proof).where(Proof.author_id == user.id)):
            path = Path(upload_dir()) / proof.image_name
            if path.is_file():
                archive_file.write(path, f"proofs/proof-{proof.id}.webp")
                yield pipe.take()
        archive_file.writestr("index.html", _readable_index(user, counts))
    yield pipe.take()


def _readable_index(user: User, counts: dict[str, int]) -> str:
    rows = "".join(
        f'<tr><td>{escape(name)}</td><td>{count}</td><td><a href="csv/{escape(name)}.csv">'
        f"csv/{escape(name)}.csv</a></td></tr>"
        for name, count in counts.items()
    )
    title = escape(_("Everything Taskopticon holds about %(name)s", name=user.username))
    explanation = escape(
        _(
            "Exported on %(date)s (UTC). data.json holds every section (its format is described in "
            "schema.json); each section is also a CSV file; your screenshots are in the proofs "
            "folder.",
            date=utcnow().isoformat(timespec="seconds"),
        )
    )
    headings = "".join(f"<th>{escape(text)}</th>" for text in (_("Section"), _("Items"), _("File")))
    return (
        f'<!doctype html><html lang="{escape(str(get_locale()))}"><meta charset="utf-8">'
        f"<title>{title}</title><h1>{title}</h1><p>{explanation}</p>"
        f"<table><tr>{headings}</tr>{rows}</table></html>"
    )
