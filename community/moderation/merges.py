"""Merging duplicate platforms or requesters. A merge keeps every dependent row (reviews,
proofs, flags, threads, aliases, the forum category, claims, replies, disputes), moves it to the
survivor, recounts the survivor's figures, warning counts and search documents, and leaves the
loser's address as a redirect (and its name as an alias)."""

from flask_babel import gettext as _
from sqlalchemy import select, update

from community.catalog.models import (
    Platform,
    PlatformRedirect,
    Requester,
    RequesterAlias,
    RequesterRedirect,
)
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.extensions import db
from community.flags import service as flags
from community.flags.models import Flag
from community.forum.models import Category, Post, Thread
from community.moderation import permissions
from community.moderation.models import (
    ActionKind,
    Dispute,
    ModerationAction,
    RepresentativeClaim,
    ReviewReply,
)
from community.moderation.service import Reason, clean_reason, record
from community.proofs.models import Proof
from community.reviews import service as reviews
from community.reviews.models import Review
from community.search import service as search

CONTENT_WITH_REQUESTER = (Review, Proof, Flag, Thread, ReviewReply, RepresentativeClaim, Dispute)
CONTENT_WITH_PLATFORM = (Review, Proof, Flag, Thread)


def _ensure_moderator(moderator) -> None:
    if not permissions.is_moderator(moderator):
        raise PermissionDenied(_("Only moderators can merge duplicates."))


def _ids(model, column, value) -> list[int]:
    return list(db.session.scalars(select(model.id).where(column == value)))


def _move(models, column_name: str, old: int, new: int) -> None:
    for model in models:
        db.session.execute(
            update(model)
            .where(getattr(model, column_name) == old)
            .values({column_name: new})
            .execution_options(synchronize_session="fetch")
        )


def _reindex(kind: str, ids) -> None:
    for item_id in ids:
        search.enqueue(kind, item_id)


def _merge_requester_rows(loser: Requester, survivor: Requester) -> None:
    """Move everything of `loser` to `survivor` and delete `loser`. The caller recounts."""
    moved_reviews = _ids(Review, Review.requester_id, loser.id)
    moved_flags = _ids(Flag, Flag.requester_id, loser.id)
    moved_threads = _ids(Thread, Thread.requester_id, loser.id)
    _move(CONTENT_WITH_REQUESTER, "requester_id", loser.id, survivor.id)
    if loser.platform_id != survivor.platform_id:
        for model in (Review, Proof, Flag):
            db.session.execute(
                update(model)
                .where(model.requester_id == survivor.id)
                .values(platform_id=survivor.platform_id)
                .execution_options(synchronize_session="fetch")
            )
    known = {survivor.name_key, *(alias.name_key for alias in survivor.aliases)}
    for alias in list(loser.aliases):
        if alias.name_key in known:
            db.session.delete(alias)
        else:
            alias.requester = survivor
            known.add(alias.name_key)
    if loser.name_key not in known:
        survivor.aliases.append(RequesterAlias(name=loser.display_name, name_key=loser.name_key))
    db.session.execute(
        update(RequesterRedirect)
        .where(RequesterRedirect.requester_id == loser.id)
        .values(requester_id=survivor.id, platform_id=survivor.platform_id)
        .execution_options(synchronize_session="fetch")
    )
    db.session.add(
        RequesterRedirect(
            old_requester_id=loser.id,
            platform_id=survivor.platform_id,
            external_id=loser.external_id,
            requester_id=survivor.id,
        )
    )
    db.session.flush()
    db.session.expire(loser, ["aliases"])
    db.session.delete(loser)
    db.session.flush()
    search.enqueue("requester", loser.id)  # leaves the index
    search.enqueue("requester", survivor.id)
    _reindex("review", moved_reviews)
    _reindex("flag", moved_flags)
    _reindex("thread", moved_threads)


def _recount_requester(requester: Requester) -> None:
    reviews.recount_target(requester)
    flags.refresh_warning_counts(requester.platform_id, requester.id)


def merge_requesters(
    moderator, loser_id: int, survivor_id: int, reason: Reason | str
) -> ModerationAction:
    _ensure_moderator(moderator)
    reason = clean_reason(reason)
    loser = db.session.get(Requester, loser_id)
    survivor = db.session.get(Requester, survivor_id)
    if loser is None or survivor is None:
        raise NotFound(_("Both requesters must be in the catalog."))
    if loser.id == survivor.id:
        raise DomainError(_("Choose two different requesters."))
    if loser.platform_id != survivor.platform_id:
        raise DomainError(
            _("Requesters of different platforms cannot be merged: merge the platforms first.")
        )
    name = loser.display_name
    _merge_requester_rows(loser, survivor)
    _recount_requester(survivor)
    action = record(
        moderator,
        ActionKind.MERGE,
        "requester",
        survivor.id,
        reason,
        details={"merged_id": loser_id, "merged_name": name},
    )
    db.session.commit()
    return action


def _matching_requester(platform: Platform, requester: Requester) -> Requester | None:
    query = select(Requester).where(Requester.platform_id == platform.id)
    if requester.external_id:
        query = query.where(Requester.external_id == requester.external_id)
    else:
        query = query.where(
            Requester.external_id.is_(None), Requester.name_key == requester.name_key
        )
    return db.session.scalar(query)


def _merge_categories(loser: Platform, survivor: Platform) -> None:
    lost = db.session.scalar(select(Category).where(Category.platform_id == loser.id))
    if lost is None:
        return
    kept = db.session.scalar(select(Category).where(Category.platform_id == survivor.id))
    if kept is None:  # the loser's forum becomes the survivor's
        lost.platform_id = survivor.id
        lost.slug = f"platform-{survivor.slug}"
        return
    db.session.execute(
        update(Thread)
        .where(Thread.category_id == lost.id)
        .values(category_id=kept.id)
        .execution_options(synchronize_session="fetch")
    )
    kept.thread_count += lost.thread_count
    kept.post_count += lost.post_count
    if lost.last_post_at and (kept.last_post_at is None or lost.last_post_at > kept.last_post_at):
        kept.last_post_at = lost.last_post_at
    db.session.delete(lost)


def merge_platforms(
    moderator, loser_id: int, survivor_id: int, reason: Reason | str
) -> ModerationAction:
    _ensure_moderator(moderator)
    reason = clean_reason(reason)
    loser = db.session.get(Platform, loser_id)
    survivor = db.session.get(Platform, survivor_id)
    if loser is None or survivor is None:
        raise NotFound(_("Both platforms must be in the catalog."))
    if loser.id == survivor.id:
        raise DomainError(_("Choose two different platforms."))
    name, slug = loser.name, loser.slug

    recount = []
    for requester in list(
        db.session.scalars(select(Requester).where(Requester.platform_id == loser.id))
    ):
        twin = _matching_requester(survivor, requester)
        if twin is None:
            requester.platform_id = survivor.id
            search.enqueue("requester", requester.id)
        else:
            _merge_requester_rows(requester, twin)
            recount.append(twin)
    db.session.flush()

    moved = {
        "review": _ids(Review, Review.platform_id, loser.id),
        "flag": _ids(Flag, Flag.platform_id, loser.id),
        "thread": _ids(Thread, Thread.platform_id, loser.id),
    }
    _move(CONTENT_WITH_PLATFORM, "platform_id", loser.id, survivor.id)
    _merge_categories(loser, survivor)
    db.session.execute(
        update(RequesterRedirect)
        .where(RequesterRedirect.platform_id == loser.id)
        .values(platform_id=survivor.id)
        .execution_options(synchronize_session="fetch")
    )
    db.session.execute(
        update(PlatformRedirect)
        .where(PlatformRedirect.platform_id == loser.id)
        .values(platform_id=survivor.id)
        .execution_options(synchronize_session="fetch")
    )
    db.session.add(PlatformRedirect(old_slug=slug, platform_id=survivor.id))
    db.session.flush()
    db.session.delete(loser)
    db.session.flush()

    for kind, ids in moved.items():
        _reindex(kind, ids)
    _reindex(
        "post",
        db.session.scalars(select(Post.id).where(Post.thread_id.in_(moved["thread"] or [0]))),
    )
    search.enqueue("platform", loser_id)
    search.enqueue("platform", survivor.id)
    reviews.recount_target(survivor)
    for twin in recount:
        _recount_requester(twin)
    flags.refresh_warning_counts(survivor.id, None)
    action = record(
        moderator,
        ActionKind.MERGE,
        "platform",
        survivor.id,
        reason,
        details={"merged_id": loser_id, "merged_name": name, "merged_slug": slug},
    )
    db.session.commit()
    return action
