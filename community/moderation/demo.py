"""Demo moderation, written through the services so that every figure stays exact: reports (one
review hidden automatically), a few acts in the public log, an appeal waiting, a verified
requester representative with a reply and a dispute in mediation, and an election open for
nominations."""

import random

from sqlalchemy import select

from community.accounts.models import Role, User
from community.catalog.models import Requester
from community.core.content import Visibility
from community.extensions import db
from community.forum.models import Thread
from community.moderation import (
    appeals,
    disputes,
    elections,
    replies,
    reports,
    sanctions,
    service,
    threads,
)
from community.reviews.models import Review


def _reviews_of_others(moderators: set[int], limit: int) -> list[Review]:
    return list(
        db.session.scalars(
            select(Review)
            .where(
                Review.visibility == Visibility.VISIBLE,
                Review.requester_id.is_not(None),
                Review.author_id.not_in(moderators),
            )
            .order_by(Review.id)
            .limit(limit)
        )
    )


def load_demo_moderation(rng: random.Random) -> None:
    members = list(db.session.scalars(select(User).order_by(User.id)))
    first = next(user for user in members if user.role == Role.MODERATOR)
    trusted = [u for u in members if u.trust_level == 2 and u.role == Role.MEMBER]
    rng.shuffle(trusted)
    if len(trusted) < 8:
        return
    second, representative, *others = trusted
    elections.appoint(None, second, "Appointed to share the moderation of the demo forum.")
    moderators = {first.id, second.id}
    candidates = _reviews_of_others(
        moderators | {representative.id} | {u.id for u in others[:5]}, 40
    )
    if len(candidates) < 4:
        return
    hidden, dismissed, reported, replied = rng.sample(candidates, 4)

    # Three trusted members report a review: hidden at once; a moderator confirms.
    for reporter in others[:3]:
        reports.report(reporter, "review", hidden.id, reports.ReportData("harassment"))
    action = service.hide(
        first,
        "review",
        hidden.id,
        "harassment",
        service.Reason("Insults a named member of the requester's staff.", rule_number=4),
    )
    if hidden.author is not None:
        appeals.file_appeal(
            hidden.author, action, "I named the company, not a person: please read it again."
        )
    # Reports dismissed on another; one still waiting in the queue.
    reports.report(others[3], "review", dismissed.id, reports.ReportData("misleading"))
    service.dismiss_reports(second, "review", dismissed.id, "The facts given match the others'.")
    reports.report(
        others[4], "review", reported.id, reports.ReportData("other", "Looks copied from another.")
    )
    # A thread locked, a member warned.
    thread = db.session.scalar(
        select(Thread).where(Thread.author_id.not_in(moderators)).order_by(Thread.id).limit(1)
    )
    if thread is not None:
        threads.lock(second, thread.id, "The question is answered; please open a new thread.")
    sanctions.warn(first, others[5], "Shared a screener's answers in a thread (rule 2).")

    # A verified representative answers a review and contests it.
    requester = db.session.get(Requester, replied.requester_id)
    claim = replies.claim(
        representative, requester, "I write from the requester's own domain name."
    )
    replies.decide_claim(second, claim, True, "Checked: the email domain is the requester's.")
    replies.post_reply(
        representative, replied, "Thank you for the feedback: we paid the whole batch on Friday."
    )
    case = disputes.open_about_review(
        representative,
        replied,
        "The batch was paid",
        disputes.StatementData(
            "Our records show this batch approved and paid in full within two days."
        ),
    )
    disputes.take(first, case, "Taking this case as mediator.")

    # An election open for nominations.
    admins = [u for u in members if u.role == Role.ADMIN]
    if admins:
        election = elections.open_election(
            admins[0], "Moderator election", 2, "Two seats to fill for a year."
        )
        elections.nominate(others[6], election, "I have read the forum every day for a year.")
