"""Every page of the site a visitor can open with GET, with real ids from the demo data and the
member who sees it (every demo member has the demo password).

`every_page` fails when the URL map has a page that is neither listed here nor among the
answers that are not pages, so that a new page cannot slip past the browser tests."""

from dataclasses import dataclass

from flask import Flask
from sqlalchemy import exists, select

from community.accounts.models import User
from community.catalog.models import Platform, Requester
from community.core.content import Visibility
from community.extensions import db
from community.flags.models import Flag
from community.forum.models import Post, Thread
from community.moderation import rules as community_rules
from community.moderation.models import (
    Appeal,
    Dispute,
    Election,
    ModerationAction,
    ReviewReply,
)
from community.moderation.permissions import APPEALABLE
from community.proofs.models import Proof
from community.reviews.models import Review

MODERATOR = "demo_moderator"
MEMBER = "demo"

# Answers that are not pages: data, files, the members' own screenshots.
NOT_PAGES = {"static", "pages.health", "proofs.image", "proofs.thumbnail"}


@dataclass(frozen=True)
class PageVisit:
    endpoint: str
    path: str
    user: str | None  # None: a visitor who is not logged in


def _first(query):
    value = db.session.scalar(query.limit(1))
    assert value is not None, f"the demo data has nothing for {query}"
    return value


def _username(user_id: int) -> str:
    return db.session.get(User, user_id).username


def every_page(app: Flask) -> list[PageVisit]:
    """Call inside an app context of the site's database."""
    visible = Visibility.VISIBLE
    platform = _first(select(Platform).order_by(Platform.reviewer_count.desc()))
    requester = _first(select(Requester).order_by(Requester.reviewer_count.desc()))
    review = _first(
        select(Review)
        .where(Review.requester_id == requester.id, Review.visibility == visible)
        .order_by(Review.id)
    )
    thread = _first(
        select(Thread)
        .where(Thread.visibility == visible, Thread.locked.is_(False))
        .order_by(Thread.post_count.desc())
    )
    post = _first(
        select(Post)
        .where(Post.thread_id == thread.id, Post.visibility == visible)
        .order_by(Post.id)
    )
    category = "newcomers"  # open to every member (announcements are for moderators)
    flag = _first(select(Flag).where(Flag.visibility == visible).order_by(Flag.disturbing.desc()))
    proof = _first(select(Proof).where(Proof.visibility == visible).order_by(Proof.id))
    reply = _first(select(ReviewReply).where(ReviewReply.visibility == visible))
    appeal = _first(select(Appeal.id))
    dispute = _first(select(Dispute.id))
    election = _first(select(Election.id))
    unappealed = _first(
        select(ModerationAction)
        .where(
            ModerationAction.member_id.is_not(None),
            ModerationAction.action.in_(APPEALABLE),
            ~exists().where(Appeal.action_id == ModerationAction.id),
        )
        .order_by(ModerationAction.id)
    )
    representative = _username(reply.author_id)
    replied_review = db.session.get(Review, reply.review_id)
    other_review = _first(
        select(Review.id).where(
            Review.requester_id == replied_review.requester_id,
            Review.visibility == visible,
            Review.id != replied_review.id,
        )
    )
    rules_version = community_rules.versions()[-1].version  # the first, built in or published

    anyone, member, moderator = None, MEMBER, MODERATOR
    paths = {
        "pages.home": ("/", anyone),
        "pages.check": (f"/check?q={platform.name}", anyone),
        "pages.fair_pay": ("/fair-pay", anyone),
        "pages.rules": ("/rules", anyone),
        "pages.rules_version": (f"/rules/{rules_version}", anyone),
        "api_pages.terms": ("/api", anyone),
        "api_pages.userscript": ("/userscript", anyone),
        "accounts.login": ("/login", anyone),
        "accounts.register": ("/register", anyone),
        "accounts.profile": (f"/members/{MEMBER}", anyone),
        "accounts.settings": ("/settings", member),
        "privacy.my_data": ("/me/data", member),
        "notifications.index": ("/notifications", member),
        "catalog.platforms": ("/platforms", anyone),
        "catalog.platform": (f"/platforms/{platform.slug}", anyone),
        "catalog.new_platform": ("/platforms/new", member),
        "catalog.requesters": ("/requesters", anyone),
        "catalog.requester": (f"/requesters/{requester.id}", anyone),
        "reviews.review_by_identifier": ("/reviews/new", member),
        "reviews.review_platform": (f"/platforms/{platform.slug}/reviews/new", member),
        "reviews.review_requester": (f"/requesters/{requester.id}/reviews/new", member),
        "reviews.show": (f"/reviews/{review.id}", anyone),
        "reviews.edit": (f"/reviews/{review.id}/edit", _username(review.author_id)),
        "reviews.history": (f"/reviews/{review.id}/history", _username(review.author_id)),
        "reviews.mine": ("/me/reviews", member),
        "proofs.index": ("/proofs", anyone),
        "proofs.show": (f"/proofs/{proof.id}", anyone),
        "proofs.new": ("/proofs/new", member),
        "proofs.platform_proofs": (f"/platforms/{platform.slug}/proofs", anyone),
        "proofs.requester_proofs": (f"/requesters/{requester.id}/proofs", anyone),
        "proofs.legit_rules": ("/legit-rules", anyone),
        "flags.index": ("/flags", anyone),
        "flags.show": (f"/flags/{flag.id}", anyone),
        "flags.new": ("/flags/new", member),
        "forum.index": ("/forum", anyone),
        "forum.category": (f"/forum/{category}", anyone),
        "forum.new_thread": (f"/forum/{category}/new", member),
        "forum.platform_forum": (f"/forum/platforms/{platform.slug}", anyone),
        "forum.new_platform_thread": (f"/forum/platforms/{platform.slug}/new", member),
        "forum.thread": (f"/threads/{thread.id}", anyone),
        "forum.reply": (f"/threads/{thread.id}/reply?quote={post.id}", member),
        "forum.post": (f"/posts/{post.id}", anyone),
        "forum.edit_post": (f"/posts/{post.id}/edit", _username(post.author_id)),
        "forum.post_history": (f"/posts/{post.id}/history", anyone),
        "search.search": ("/search?q=paid", anyone),
        "moderation.queue": ("/moderation", moderator),
        "moderation.item": (f"/moderation/items/review/{review.id}", moderator),
        "moderation.member": (f"/moderation/members/{MEMBER}", moderator),
        "moderation.merge": ("/moderation/merge", moderator),
        "moderation.appeals_list": ("/moderation/appeals", moderator),
        "moderation.appeal": (f"/appeals/{appeal}", moderator),
        "moderation.appeal_new": (
            f"/moderation/actions/{unappealed.id}/appeal",
            _username(unappealed.member_id),
        ),
        "moderation.claims": ("/moderation/claims", moderator),
        "moderation.claim": (f"/requesters/{requester.id}/claim", member),
        "moderation.disputes_to_mediate": ("/moderation/disputes", moderator),
        "moderation.disputes_list": ("/disputes", anyone),
        "moderation.dispute": (f"/disputes/{dispute}", anyone),
        "moderation.new_dispute": (f"/disputes/new?requester={requester.id}", member),
        "moderation.public_log": ("/moderation/log", anyone),
        "moderation.my_actions": ("/me/moderation", member),
        "moderation.moderators": ("/moderators", anyone),
        "moderation.election": (f"/elections/{election}", member),
        "moderation.report": (f"/report/review/{review.id}", member),
        "moderation.reply": (f"/reviews/{other_review}/reply", representative),
        "moderation.edit_reply": (f"/replies/{reply.id}/edit", representative),
    }
    pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.endpoint not in NOT_PAGES
        and not rule.endpoint.startswith("api.")
    }
    assert pages - set(paths) == set(), "pages missing from tests/e2e/pages.py"
    assert set(paths) - pages == set(), "tests/e2e/pages.py names pages that are gone"
    return [PageVisit(endpoint, path, user) for endpoint, (path, user) in sorted(paths.items())]
