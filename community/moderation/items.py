"""The one shared notion moderation works on: an item of member content.

Every kind of content has an author (`author_id`), a visibility state (`visibility`,
`hidden_reason`, from core.content.ContentMixin) and a public URL. The registry below maps each
kind to its model, to what a moderator reads of it, and to the hook that keeps everything derived
from it exact after its visibility changes (figures, warning counts, forum counts, the index).
Nothing else in the moderation package branches on the kind of an item.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from community.core.errors import NotFound
from community.core.formatting import money
from community.core.markup import plain_excerpt
from community.core.views import path_for
from community.extensions import db
from community.flags import service as flags
from community.flags.models import Flag
from community.forum import service as forum
from community.forum.models import Post, Thread
from community.moderation.models import ReportReason, ReviewReply
from community.proofs.models import Proof
from community.reviews import service as reviews
from community.reviews.models import Review
from community.search import service as search

COMMON_REASONS = (
    ReportReason.SPAM,
    ReportReason.HARASSMENT,
    ReportReason.PERSONAL_INFO,
    ReportReason.MISLEADING,
    ReportReason.OFF_TOPIC,
    ReportReason.ILLEGAL,
)
REVIEW_REASONS = (ReportReason.SELF_REVIEW, ReportReason.FALSIFIED)


@dataclass(frozen=True)
class ItemKind:
    name: str
    model: type
    label: str  # lazy: "review", "forum post"...
    # Runs after the item's visibility changed, in the same transaction (the caller commits):
    # receives the item and its visibility before the change.
    after_change: Callable[[object, str], None]
    public_url: Callable[[object], str]
    summary: Callable[[object], str]  # a line of plain text for the queue and the item page
    body_html: Callable[[object], str | None]  # the content as its readers see it
    extra_reasons: tuple[str, ...] = ()  # more reasons to report it (and to hide it)
    extra_hide_reasons: tuple[str, ...] = ()  # more reasons only a moderator gives

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why members may report it."""
        return (*COMMON_REASONS, *self.extra_reasons, ReportReason.OTHER)

    @property
    def hide_reasons(self) -> tuple[str, ...]:
        """Why moderators may hide or delete it."""
        return (*COMMON_REASONS, *self.extra_reasons, *self.extra_hide_reasons, ReportReason.OTHER)


# Hooks


def _review_changed(review: Review, before: str) -> None:
    reviews.refresh_target(review)  # the member's counted review and the target's figures
    search.enqueue("review", review.id)


def _post_changed(post: Post, before: str) -> None:
    forum.post_visibility_changed(post, before)


def _thread_changed(thread: Thread, before: str) -> None:
    forum.thread_visibility_changed(thread, before)


def _flag_changed(flag: Flag, before: str) -> None:
    flags.refresh_warning_counts(flag.platform_id, flag.requester_id)
    search.enqueue("flag", flag.id)


def _nothing_stored(item, before: str) -> None:
    """Proofs: the "Is it legit?" card and the totals are read from visible proofs at page
    time, nothing is stored on the platform. Replies: counted nowhere, not indexed."""


# What a moderator reads


def _review_summary(review: Review) -> str:
    target = review.requester.display_name if review.requester_id else review.platform.name
    return f"{target} — {plain_excerpt(review.body, 160)}"


def _proof_summary(proof: Proof) -> str:
    return _(
        "%(amount)s from %(platform)s",
        amount=money(proof.amount_minor, proof.currency),
        platform=proof.platform.name,
    ) + (f" — {plain_excerpt(proof.note, 120)}" if proof.note else "")


KINDS: dict[str, ItemKind] = {
    kind.name: kind
    for kind in (
        ItemKind(
            name="review",
            model=Review,
            label=_l("review"),
            after_change=_review_changed,
            public_url=lambda review: path_for("reviews.show", review_id=review.id),
            summary=_review_summary,
            body_html=lambda review: review.body_html,
            extra_reasons=REVIEW_REASONS,
        ),
        ItemKind(
            name="post",
            model=Post,
            label=_l("forum post"),
            after_change=_post_changed,
            public_url=lambda post: path_for("forum.post", post_id=post.id),
            summary=lambda post: f"{post.thread.title} — {plain_excerpt(post.body, 160)}",
            body_html=lambda post: post.body_html,
        ),
        ItemKind(
            name="thread",
            model=Thread,
            label=_l("forum thread"),
            after_change=_thread_changed,
            public_url=lambda thread: path_for("forum.thread", thread_id=thread.id),
            summary=lambda thread: thread.title,
            body_html=lambda thread: None,
        ),
        ItemKind(
            name="proof",
            model=Proof,
            label=_l("proof of payment"),
            after_change=_nothing_stored,
            public_url=lambda proof: path_for("proofs.show", proof_id=proof.id),
            summary=_proof_summary,
            body_html=lambda proof: proof.note_html or None,
            extra_hide_reasons=("fake", "not_a_proof"),  # proofs.models.RemovalReason
        ),
        ItemKind(
            name="flag",
            model=Flag,
            label=_l("task flag"),
            after_change=_flag_changed,
            public_url=lambda flag: path_for("flags.show", flag_id=flag.id),
            summary=lambda flag: f"{flag.task_title} — {flag.excerpt}",
            body_html=lambda flag: flag.description_html,
        ),
        ItemKind(
            name="reply",
            model=ReviewReply,
            label=_l("requester's reply"),
            after_change=_nothing_stored,
            public_url=lambda reply: path_for("reviews.show", review_id=reply.review_id),
            summary=lambda reply: plain_excerpt(reply.body, 160),
            body_html=lambda reply: reply.body_html,
        ),
    )
}


def kind(name: str) -> ItemKind:
    if name not in KINDS:
        raise NotFound(_("Moderation knows no such kind of content."))
    return KINDS[name]


def kind_of(item) -> ItemKind:
    for candidate in KINDS.values():
        if isinstance(item, candidate.model):
            return candidate
    raise TypeError(f"not a moderatable item: {item!r}")


def get(kind_name: str, item_id: int):
    """The item, whatever its visibility, or NotFound."""
    item = db.session.get(kind(kind_name).model, item_id)
    if item is None:
        raise NotFound(_("This content does not exist."))
    return item


def get_many(kind_name: str, ids: list[int]) -> dict[int, object]:
    """Items of one kind by id, in one query (queue and log pages)."""
    if not ids:
        return {}
    model = kind(kind_name).model
    return {
        item.id: item for item in db.session.scalars(db.select(model).where(model.id.in_(set(ids))))
    }
