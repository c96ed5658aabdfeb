"""One small site with a member of every role and an object of every kind, built once per module
through the services: the authorisation matrix and the object-access tests request it by id.

The member `tl1` owns the contributions (so the matrix shows the owner's answer beside everyone
else's); objects a request may destroy (withdraw, delete, confirm) have their own copy, used by
one route only.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from community.accounts.models import Role, User
from community.extensions import db
from community.forum import service as forum
from community.moderation import appeals, disputes, elections, replies, reports, sanctions
from community.moderation import service as moderation
from community.notifications.models import Notification
from community.search import service as search
from tests.conftest import (
    make_flag,
    make_platform,
    make_proof,
    make_requester,
    make_review,
    make_thread,
    make_user,
)

ROLES = ("anonymous", "tl0", "tl1", "tl2", "representative", "moderator", "admin")
REASON = "Checked against rule 1 of the community rules."


@dataclass
class World:
    user_ids: dict[str, int | None]
    ids: dict[str, object] = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        """The member of `role`, read afresh (None for a visitor)."""
        user_id = self.user_ids[role]
        return db.session.get(User, user_id) if user_id is not None else None


def build_world() -> World:
    users: dict[str, User | None] = {
        "anonymous": None,
        "tl0": make_user(trust=0, username="role_tl0"),
        "tl1": make_user(trust=1, username="role_tl1"),
        "tl2": make_user(trust=2, username="role_tl2"),
        "representative": make_user(trust=1, username="role_rep"),
        "moderator": make_user(trust=2, role=Role.MODERATOR, username="role_moderator"),
        "admin": make_user(trust=2, role=Role.ADMIN, username="role_admin"),
    }
    owner, mod, admin = users["tl1"], users["moderator"], users["admin"]
    world = World({role: user.id if user else None for role, user in users.items()})
    ids = world.ids

    platform = make_platform(name="Matrix Platform", slug="matrix-platform")
    other_platform = make_platform(name="Matrix Duplicate", slug="matrix-duplicate")
    requester = make_requester(platform, external_id="AMATRIX0001", name="Matrix Labs")
    other_requester = make_requester(platform, external_id="AMATRIX0002", name="Matrix Labs Two")
    ids.update(
        platform=platform.slug,
        other_platform=other_platform.slug,
        platform_id=platform.id,
        requester=requester.id,
        external_id=requester.external_id,
        other_requester=other_requester.id,
    )

    claim = replies.claim(users["representative"], requester, "I write from the lab's domain.")
    replies.decide_claim(mod, claim, True, REASON)
    pending = replies.claim(users["tl2"], other_requester, "My staff page names me as lead.")
    ids["claim"] = pending.id

    review = make_review(owner, requester, body="The owner's review, long enough to be kept.")
    ids["review"] = review.id
    ids["withdraw_review"] = make_review(owner, other_requester).id
    ids["platform_review"] = make_review(owner, platform).id
    reply = replies.post_reply(users["representative"], review, "We answer every message.")
    ids["reply"] = reply.id

    thread = make_thread(owner, title="The owner's thread", body="The owner's opening post.")
    ids["thread"] = thread.id
    post = forum.reply(owner, thread, "The owner's reply in the thread.")
    ids["post"] = post.id
    ids["delete_post"] = forum.reply(owner, thread, "A reply the owner may delete.").id
    forum.reply(users["tl2"], thread, "Someone mentions @role_tl1 here.")
    ids["notification"] = db.session.scalar(
        select(Notification.id).where(Notification.user_id == owner.id).limit(1)
    )

    ids["proof"] = make_proof(owner, platform, requester).id
    ids["withdraw_proof"] = make_proof(owner, platform).id
    ids["confirm_proof"] = {role: make_proof(owner, platform).id for role in ROLES}
    ids["flag"] = make_flag(owner, platform, requester).id
    ids["withdraw_flag"] = make_flag(owner, platform).id
    ids["decided_flag"] = make_flag(owner, platform, confirmed=True, decider=users["tl2"]).id

    hidden = forum.reply(owner, thread, "A reply a moderator hid and its owner appealed.")
    act = moderation.hide(mod, "post", hidden.id, "off_topic", REASON)
    ids["appeal"] = appeals.file_appeal(owner, act, "It was on topic: it answers the thread.").id
    ids["warning"] = sanctions.warn(mod, owner, REASON).id  # an act the owner may still appeal
    reports.report(users["tl2"], "review", review.id, reports.ReportData("misleading", ""))

    ids["dispute"] = disputes.open_about_review(
        users["representative"],
        review,
        "We contest this review",
        disputes.StatementData("We have no record of any message from this worker at all."),
    ).id
    mediated = disputes.open_against_requester(
        users["tl2"],
        requester,
        "non_payment",
        "Never paid for my work",
        disputes.StatementData("Forty tasks approved in May and not one of them was paid."),
    )
    disputes.take(mod, mediated, REASON)
    ids["mediated_dispute"] = mediated.id
    ids["election"] = elections.open_election(admin, "Moderators of the matrix", 2, REASON).id
    voting = elections.open_election(admin, "Moderators, second round", 1, REASON)
    candidate = elections.nominate(make_user(trust=2), voting, "I read every report, every day.")
    elections.advance(admin, voting, REASON)
    ids.update(voting_election=voting.id, candidate=candidate.id)
    ids["report_review"] = make_review(owner, other_requester).id
    ids["rules_version"] = 1
    search.drain()
    return world
