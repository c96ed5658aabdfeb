"""The public moderation log, read from the actions table: every act with its date, moderator,
target and reason, filterable by act and by kind. What the log says of a target is what the
public may read of it: never a reporter, never the author of content."""

from dataclasses import dataclass

from sqlalchemy import func, select

from community.accounts.models import User
from community.catalog.models import Platform, Requester
from community.core.content import can_read
from community.core.pagination import Page, paginate
from community.core.views import path_for
from community.extensions import db
from community.moderation import items
from community.moderation.models import (
    Appeal,
    AppealStatus,
    ClaimStatus,
    Dispute,
    DisputeStatus,
    Election,
    ModerationAction,
    RepresentativeClaim,
)


@dataclass(frozen=True)
class Target:
    kind: str
    detail: str  # what it is, as far as the reader may know ("Acme Research", a thread title)
    url: str | None  # a link while the reader can still read it


def entries(action: str | None, kind: str | None, page: int, per_page: int) -> Page:
    query = select(ModerationAction)
    if action:
        query = query.where(ModerationAction.action == action)
    if kind:
        query = query.where(ModerationAction.target_kind == kind)
    query = query.order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
    return paginate(db.session, query, page, per_page)


def _content_detail(kind: str, item) -> str:
    if kind == "review":
        target = item.requester.display_name if item.requester_id else item.platform.name
        return target
    if kind == "post":
        return item.thread.title
    if kind == "thread":
        return item.title
    if kind == "proof":
        return item.platform.name
    if kind == "flag":
        return item.task_title
    if kind == "reply":
        return item.requester.display_name
    return ""


def _by_id(model, ids) -> dict:
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def targets(actions: list[ModerationAction], reader=None) -> dict[int, Target]:
    """What the reader may know of each act's target, loaded with one query per kind.
    `reader` None: the public."""
    ids: dict[str, set[int]] = {}
    for action in actions:
        ids.setdefault(action.target_kind, set()).add(action.target_id)
    loaded = {
        kind: items.get_many(kind, list(found))
        for kind, found in ids.items()
        if kind in items.KINDS
    }
    loaded["member"] = _by_id(User, ids.get("member"))
    loaded["platform"] = _by_id(Platform, ids.get("platform"))
    loaded["requester"] = _by_id(Requester, ids.get("requester"))
    loaded["dispute"] = _by_id(Dispute, ids.get("dispute"))
    loaded["election"] = _by_id(Election, ids.get("election"))
    described = {}
    for action in actions:
        kind, target = action.target_kind, loaded.get(action.target_kind, {}).get(action.target_id)
        described[action.id] = _describe(kind, target, reader)
    return described


def _describe(kind: str, target, reader) -> Target:
    if target is None:
        return Target(kind, "", None)
    if kind in items.KINDS:
        if not can_read(reader, target):
            return Target(kind, "", None)
        return Target(kind, _content_detail(kind, target), items.kind(kind).public_url(target))
    if kind == "member":
        return Target(kind, target.username, path_for("accounts.profile", username=target.username))
    if kind == "platform":
        return Target(kind, target.name, path_for("catalog.platform", slug=target.slug))
    if kind == "requester":
        return Target(
            kind, target.display_name, path_for("catalog.requester", requester_id=target.id)
        )
    if kind == "dispute":
        return Target(kind, target.title, path_for("moderation.dispute", dispute_id=target.id))
    if kind == "election":
        return Target(kind, target.title, path_for("moderation.election", election_id=target.id))
    return Target(kind, "", None)


def waiting_counts() -> dict[str, int]:
    """What waits for moderators besides the queue (shown in the moderator area)."""

    def count(model, condition) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(condition))

    return {
        "appeals": count(Appeal, Appeal.status == AppealStatus.OPEN),
        "claims": count(RepresentativeClaim, RepresentativeClaim.status == ClaimStatus.PENDING),
        "disputes": count(Dispute, Dispute.status == DisputeStatus.OPEN),
    }
