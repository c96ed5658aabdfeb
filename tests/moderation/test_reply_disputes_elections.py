"""The right of reply (claims, replies), disputes and their state machine, elections and
terms, and the versioned rules, through the services."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.core.database import utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.extensions import db
from community.moderation import disputes, elections, replies, rules, service
from community.moderation.models import (
    ActionKind,
    Ballot,
    ClaimStatus,
    DisputeStatus,
    ElectionPhase,
    ElectionVoter,
    ModerationAction,
)
from community.moderation.permissions import can_reply
from tests.conftest import make_requester, make_review, make_user
from tests.moderation.helpers import REASON, moderator

EVIDENCE = "I write from research@acme.example; the page acme.example/mturk names me."
STATEMENT = disputes.StatementData(
    "The review describes a task we never posted; our logs show no such batch.",
    "Batch list for March attached as text: 3 batches, none with this title.",
)


def verified_representative(requester):
    rep = make_user()
    claim = replies.claim(rep, requester, EVIDENCE)
    replies.decide_claim(moderator(), claim, True, "Checked the email domain: it matches.")
    return rep


# Claims and replies


def test_a_claim_is_verified_or_rejected_by_a_moderator(app):
    requester = make_requester()
    member = make_user()
    claim = replies.claim(member, requester, EVIDENCE)
    assert claim.status == ClaimStatus.PENDING
    with pytest.raises(DomainError, match="waiting"):
        replies.claim(member, requester, EVIDENCE)
    with pytest.raises(PermissionDenied):
        replies.decide_claim(make_user(trust=2), claim, True, REASON)
    replies.decide_claim(moderator(), claim, False, "The domain does not match the requester.")
    assert claim.status == ClaimStatus.REJECTED
    with pytest.raises(DomainError, match="already decided"):
        replies.decide_claim(moderator(), claim, True, REASON)
    replies.claim(member, requester, EVIDENCE)  # may claim again with better evidence
    with pytest.raises(DomainError, match="at least"):
        replies.claim(make_user(), requester, "trust me")


def test_a_moderator_never_verifies_their_own_claim(app):
    mod = moderator()
    claim = replies.claim(mod, make_requester(), EVIDENCE)
    with pytest.raises(PermissionDenied, match="own claim"):
        replies.decide_claim(mod, claim, True, REASON)


def test_a_verified_representative_replies_once_under_each_review(app):
    requester = make_requester()
    rep = verified_representative(requester)
    review = make_review(target=requester)
    other = make_review(target=make_requester(external_id="A1OTHER0000001"))
    assert replies.represented_requesters(rep) == [requester]
    reply = replies.post_reply(rep, review, "We paid this batch on the 3rd; **check again**.")
    assert "<strong>check again</strong>" in reply.body_html
    with pytest.raises(DomainError, match="already replied"):
        replies.post_reply(rep, review, "A second reply.")
    replies.edit_reply(rep, reply, "We paid this batch on the 3rd of March.")
    assert reply.edited_at is not None
    with pytest.raises(PermissionDenied):
        replies.post_reply(rep, other, "Not our requester.")
    with pytest.raises(PermissionDenied):
        replies.post_reply(make_user(), review, "Anyone else.")
    with pytest.raises(PermissionDenied):
        replies.edit_reply(make_user(), reply, "Someone else's edit.")


def test_replies_are_moderated_like_any_content(app):
    requester = make_requester()
    rep = verified_representative(requester)
    review = make_review(target=requester)
    reply = replies.post_reply(rep, review, "This worker never submitted the task at all.")
    service.hide(moderator(), "reply", reply.id, "harassment", REASON)
    assert reply.is_folded


def test_a_reply_is_not_possible_under_a_hidden_review(app):
    requester = make_requester()
    rep = verified_representative(requester)
    review = make_review(target=requester)
    service.hide(moderator(), "review", review.id, "spam", REASON)
    assert not can_reply(rep, review)


# Disputes


def test_a_representative_disputes_a_review_and_a_moderator_mediates(app):
    requester = make_requester()
    rep = verified_representative(requester)
    author = make_user()
    review = make_review(author, requester, anonymous=True)
    dispute = disputes.open_about_review(rep, review, "The task never existed", STATEMENT)
    assert dispute.status == DisputeStatus.OPEN
    disputes.add_statement(
        author,
        dispute,
        disputes.StatementData("I did it on March 2nd, submission 55.", ""),
    )
    statements = disputes.statements_of(dispute)
    assert [s.side for s in statements] == ["opener", "respondent"]
    with pytest.raises(PermissionDenied):
        disputes.add_statement(make_user(), dispute, STATEMENT)
    mediator = moderator()
    disputes.take(mediator, dispute, "Taking this case as mediator.")
    assert (dispute.status, dispute.mediator_id) == (DisputeStatus.IN_MEDIATION, mediator.id)
    disputes.add_statement(
        mediator, dispute, disputes.StatementData("Please both share the dates of the batch.", "")
    )
    assert disputes.statements_of(dispute)[-1].side == "mediator"
    with pytest.raises(PermissionDenied, match="mediator"):
        disputes.close(moderator(), dispute, True, "Not my case to close at all.")
    disputes.close(mediator, dispute, True, "The requester found the batch; the review stands.")
    assert dispute.status == DisputeStatus.RESOLVED and dispute.outcome
    kinds = [a.action for a in db.session.scalars(select(ModerationAction))]
    assert ActionKind.TAKE_DISPUTE in kinds and ActionKind.RESOLVE_DISPUTE in kinds


def test_dispute_state_machine_refuses_every_illegal_transition(app):
    requester = make_requester()
    worker = make_user()
    dispute = disputes.open_against_requester(
        worker, requester, "non_payment", "Approved but never paid", STATEMENT
    )
    mediator = moderator()
    with pytest.raises(DomainError, match="open to mediation"):
        disputes.close(mediator, dispute, True, "Closing without mediation.")
    disputes.take(mediator, dispute, "Taking this case as mediator.")
    with pytest.raises(DomainError, match="open to mediation"):
        disputes.take(moderator(), dispute, "Taking it as well, twice.")
    disputes.close(mediator, dispute, False, "No evidence of the task was ever given.")
    assert dispute.status == DisputeStatus.DISMISSED
    for act in (
        lambda: disputes.take(moderator(), dispute, "Taking a closed case."),
        lambda: disputes.close(mediator, dispute, True, "Resolving a dismissed case."),
    ):
        with pytest.raises(DomainError):
            act()
    with pytest.raises(DomainError, match="closed"):
        disputes.add_statement(worker, dispute, STATEMENT)
    assert disputes.TRANSITIONS[DisputeStatus.OPEN] == {DisputeStatus.IN_MEDIATION}
    assert not disputes.TRANSITIONS[DisputeStatus.RESOLVED]


def test_disputes_conflicts_and_who_may_open_them(app):
    requester = make_requester()
    rep = verified_representative(requester)
    review = make_review(target=requester)
    with pytest.raises(PermissionDenied):
        disputes.open_about_review(make_user(), review, "Not a representative", STATEMENT)
    with pytest.raises(PermissionDenied):
        disputes.open_against_requester(rep, requester, "non_payment", "Against myself", STATEMENT)
    with pytest.raises(DomainError, match="about"):
        disputes.open_against_requester(make_user(), requester, "weather", "Bad kind", STATEMENT)
    # A moderator who is a party never mediates.
    mod_worker = moderator()
    dispute = disputes.open_against_requester(
        mod_worker, requester, "unfair_rejection", "Rejected after an hour", STATEMENT
    )
    with pytest.raises(PermissionDenied, match="party"):
        disputes.take(mod_worker, dispute, "Taking my own case.")
    mod_rep = verified_representative(requester)
    mod_rep.role = Role.MODERATOR
    db.session.commit()
    with pytest.raises(PermissionDenied, match="party"):
        disputes.take(mod_rep, dispute, "Taking my requester's case.")
    with pytest.raises(NotFound):
        disputes.get_dispute_or_404(9999)


# Elections


def run_election(admin, seats=1):
    election = elections.open_election(admin, "Spring moderator election", seats, REASON)
    first, second, third = (make_user(trust=2) for _ in range(3))
    for candidate in (first, second, third):
        elections.nominate(candidate, election, "I have read the rules and the log for a year.")
    elections.advance(admin, election, "Nominations are closed; voting opens.")
    return election, (first, second, third)


def test_an_election_from_nominations_to_published_results(app):
    admin = make_user(trust=2, role=Role.ADMIN)
    election, (first, second, third) = run_election(admin)
    candidates = {c.user_id: c.id for c in elections.candidates_of(election)}
    voters = [make_user(trust=2) for _ in range(4)]
    elections.vote(voters[0], election, [candidates[first.id], candidates[second.id]])
    elections.vote(voters[1], election, [candidates[first.id]])
    elections.vote(voters[2], election, [candidates[second.id], candidates[first.id]])
    elections.vote(voters[3], election, [candidates[third.id]])
    assert elections.results(election) == []  # nothing published before the close
    elections.advance(admin, election, "Voting is over; the results are published.")
    assert election.phase == ElectionPhase.CLOSED and election.ballot_count == 4
    results = elections.results(election)
    assert [(r.candidate.user_id, r.votes, r.elected) for r in results] == [
        (first.id, 3, True),
        (second.id, 2, False),
        (third.id, 1, False),
    ]
    assert first.role == Role.MODERATOR and second.role == Role.MEMBER
    term = elections.current_terms()[first.id]
    assert term.ends_at > utcnow() + timedelta(days=app.config["MODERATOR_TERM_DAYS"] - 1)


def test_ballots_are_secret_and_one_per_member(app):
    admin = make_user(trust=2, role=Role.ADMIN)
    election, (first, *_rest) = run_election(admin)
    candidate_id = elections.candidate_of(first, election).id
    voter = make_user(trust=2)
    elections.vote(voter, election, [candidate_id])
    with pytest.raises(DomainError, match="one ballot"):
        elections.vote(voter, election, [candidate_id])
    # What is stored: that the member voted (no time, no link), and an anonymous ballot.
    assert set(ElectionVoter.__table__.columns.keys()) == {"id", "election_id", "user_id"}
    assert set(Ballot.__table__.columns.keys()) == {"key", "election_id", "choices"}
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 1
    ballot = db.session.scalar(select(Ballot))
    assert len(ballot.key) == 32 and ballot.choices == [candidate_id]


def test_who_may_stand_and_vote_and_when(app):
    admin = make_user(trust=2, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        elections.open_election(moderator(), "Not an admin", 1, REASON)
    election = elections.open_election(admin, "Autumn moderator election", 1, REASON)
    with pytest.raises(PermissionDenied, match="Trusted"):
        elections.nominate(make_user(trust=1), election, "I would like to help out here.")
    with pytest.raises(DomainError, match="Nobody"):
        elections.advance(admin, election, "Voting opens without candidates.")
    candidate = elections.nominate(make_user(trust=2), election, "I would like to help out.")
    with pytest.raises(DomainError, match="Voting is not open"):
        elections.vote(make_user(trust=2), election, [candidate.id])
    elections.advance(admin, election, "Nominations are closed; voting opens.")
    with pytest.raises(DomainError, match="closed"):
        elections.nominate(make_user(trust=2), election, "Too late to stand now, sadly.")
    with pytest.raises(PermissionDenied, match="Trusted"):
        elections.vote(make_user(trust=1), election, [candidate.id])
    with pytest.raises(DomainError, match="among"):
        elections.vote(make_user(trust=2), election, [candidate.id + 100])
    with pytest.raises(DomainError, match="at least one"):
        elections.vote(make_user(trust=2), election, [])


def test_terms_end_and_admins_appoint_and_remove(app):
    member, other = make_user(), make_user()
    elections.appoint(None, member, "Appointed to help with the French forum.", days=30)
    elections.appoint(None, other, "Appointed without an end date for now.")
    assert member.role == other.role == Role.MODERATOR
    assert elections.expire_terms() == 0
    assert elections.expire_terms(utcnow() + timedelta(days=31)) == 1
    assert member.role == Role.MEMBER and other.role == Role.MODERATOR
    elections.remove(None, other, "Stepped down at their own request.")
    assert other.role == Role.MEMBER
    acts = [
        a.action for a in db.session.scalars(select(ModerationAction).order_by(ModerationAction.id))
    ]
    assert acts == ["appoint", "appoint", "term_ended", "remove_moderator"]
    with pytest.raises(DomainError, match="not a moderator"):
        elections.remove(None, other, REASON)


# Rules


def test_rules_are_versioned_and_cited(app):
    first = rules.current()
    assert first.version == 1 and len(first) == 4
    new = rules.publish(
        [
            *first.rules,
            {
                "title": {"en": "Be kind.", "fr": "Soyez aimable."},
                "text": {"en": "Really.", "fr": "Vraiment."},
            },
        ],
        "A fifth rule.",
    )
    assert new.version == 2 and rules.current().version == 2
    assert [v.version for v in rules.versions()] == [2, 1]
    assert rules.get_version(1).rules == first.rules
    assert rules.current().localized("fr")[4].title == "Soyez aimable."
    review = make_review()
    action = service.hide(
        moderator(), "review", review.id, "harassment", service.Reason(REASON, rule_number=5)
    )
    assert (action.rule_number, action.rules_version) == (5, 2)
    with pytest.raises(DomainError, match="1 to 5"):
        service.request_edit(moderator(), "review", review.id, service.Reason(REASON, 9))
    with pytest.raises(DomainError):
        rules.publish([{"title": {"en": "No French"}, "text": {"en": "x"}}], "bad")
