"""Sanctions and the one shared suspension check, appeals and their state machine, thread acts
and merges, through the services."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.catalog import service as catalog
from community.catalog.models import Platform, Requester, RequesterAlias
from community.core.content import Visibility
from community.core.database import utcnow
from community.core.errors import DomainError, PermissionDenied
from community.extensions import db
from community.flags.models import Flag
from community.forum import service as forum
from community.forum.models import Category, Thread
from community.moderation import appeals, merges, sanctions, service, threads
from community.moderation.models import ActionKind, AppealStatus, ModerationAction
from community.proofs import service as proofs
from community.proofs.models import Proof
from community.reviews import service as reviews
from community.reviews.aggregates import pay_series
from community.reviews.models import PayMonth, Review
from community.search import service as search
from tests.conftest import (
    flag_data,
    make_flag,
    make_platform,
    make_proof,
    make_requester,
    make_review,
    make_thread,
    make_user,
    proof_data,
    review_data,
)
from tests.imagefiles import png_bytes
from tests.moderation.helpers import REASON, assert_figures_exact, moderator, report

STATEMENT = "I removed nothing wrong: the name was the requester's, not a worker's."


# Sanctions


def test_a_suspended_member_cannot_post_review_flag_upload_or_report(app):
    member = make_user(trust=2)
    requester = make_requester()
    review = make_review(target=requester)
    thread = make_thread()
    sanctions.suspend(moderator(), member, 7, REASON)
    assert member.is_suspended and member.trust_level < 2
    attempts = [
        lambda: reviews.submit_review(member, requester, review_data(), "s1"),
        lambda: forum.reply(member, thread, "Trying to post anyway."),
        lambda: forum.start_thread(
            member, thread.category, forum.ThreadData("A new thread", "Some text here.")
        ),
        lambda: proofs.submit_proof(
            member, proof_data(requester.platform), io.BytesIO(png_bytes()), "s2"
        ),
        lambda: __import__("community.flags.service", fromlist=["x"]).submit_flag(
            member, flag_data(requester.platform), "s3"
        ),
        lambda: report(member, "review", review.id),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="suspended"):
            attempt()
        db.session.rollback()


def test_a_suspension_ends_by_itself_and_a_ban_does_not(app):
    member = make_user()
    sanctions.suspend(moderator(), member, 3, REASON)
    member.suspended_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert not member.is_suspended
    make_review(member)  # posting again
    sanctions.ban(moderator(), member, REASON)
    with pytest.raises(PermissionDenied, match="banned"):
        make_review(member)


def test_sanctions_set_the_last_sanction_date_and_are_recorded(app):
    member = make_user(trust=2)
    mod = moderator()
    sanctions.warn(mod, member, REASON)
    assert member.last_sanction_at is not None and member.trust_level == 1
    rows = db.session.scalars(select(ModerationAction)).all()
    assert [(r.action, r.target_kind, r.member_id) for r in rows] == [
        (ActionKind.WARN, "member", member.id)
    ]


def test_who_may_sanction_whom(app):
    mod, other_mod = moderator(), moderator()
    admin = make_user(trust=2, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        sanctions.warn(make_user(trust=2), make_user(), REASON)
    with pytest.raises(PermissionDenied, match="themselves"):
        sanctions.warn(mod, mod, REASON)
    with pytest.raises(PermissionDenied, match="Administrators"):
        sanctions.ban(mod, admin, REASON)
    with pytest.raises(PermissionDenied, match="only an administrator"):
        sanctions.suspend(mod, other_mod, 3, REASON)
    sanctions.suspend(admin, other_mod, 3, REASON)
    with pytest.raises(DomainError, match="1 to"):
        sanctions.suspend(mod, make_user(), 0, REASON)


# Appeals


def hidden_review(author):
    review = make_review(author)
    hider = moderator()
    action = service.hide(hider, "review", review.id, "harassment", REASON)
    return review, hider, action


def test_an_overturned_hiding_restores_the_item_and_enters_the_log(app):
    author = make_user()
    review, hider, action = hidden_review(author)
    requester = review.requester
    assert requester.reviewer_count == 0
    appeal = appeals.file_appeal(author, action, STATEMENT)
    decision = appeals.decide(moderator(), appeal, True, "The text is firm but not harassment.")
    assert appeal.status == AppealStatus.OVERTURNED
    assert review.visibility == Visibility.VISIBLE and requester.reviewer_count == 1
    assert_figures_exact(requester)
    assert action.overturned_at is not None
    assert (decision.action, decision.related_action_id) == (
        ActionKind.APPEAL_OVERTURNED,
        action.id,
    )


def test_an_upheld_appeal_changes_nothing(app):
    author = make_user()
    review, _, action = hidden_review(author)
    appeal = appeals.file_appeal(author, action, STATEMENT)
    appeals.decide(moderator(), appeal, False, "It insults the requester's staff by name.")
    assert appeal.status == AppealStatus.UPHELD and review.visibility == Visibility.HIDDEN


def test_appeals_state_machine_and_rules(app):
    author = make_user()
    review, hider, action = hidden_review(author)
    with pytest.raises(PermissionDenied, match="affects"):
        appeals.file_appeal(make_user(), action, STATEMENT)
    with pytest.raises(DomainError, match="at least"):
        appeals.file_appeal(author, action, "unfair")
    appeal = appeals.file_appeal(author, action, STATEMENT)
    with pytest.raises(DomainError, match="once"):
        appeals.file_appeal(author, action, STATEMENT)
    with pytest.raises(PermissionDenied, match="never the one who acted"):
        appeals.decide(hider, appeal, True, REASON)
    with pytest.raises(PermissionDenied):
        appeals.decide(make_user(trust=2), appeal, True, REASON)
    judge = moderator()
    appeals.decide(judge, appeal, False, "Upheld: the review insults a named person.")
    for overturn in (True, False):  # upheld is final: no transition out of it
        with pytest.raises(DomainError, match="already decided"):
            appeals.decide(moderator(), appeal, overturn, REASON)
    assert appeal.status == AppealStatus.UPHELD
    assert set(appeals.TRANSITIONS[AppealStatus.OPEN]) == {"upheld", "overturned"}
    assert not appeals.TRANSITIONS[AppealStatus.UPHELD]
    assert not appeals.TRANSITIONS[AppealStatus.OVERTURNED]


def test_appeals_close_after_the_window_and_only_some_acts_are_appealable(app):
    author = make_user()
    review, _, action = hidden_review(author)
    action.created_at = utcnow() - timedelta(days=app.config["APPEAL_WINDOW_DAYS"] + 1)
    db.session.commit()
    with pytest.raises(DomainError, match="too old"):
        appeals.file_appeal(author, action, STATEMENT)
    request = service.request_edit(moderator(), "review", review.id, REASON)
    with pytest.raises(PermissionDenied):
        appeals.file_appeal(author, request, STATEMENT)


def test_a_moderator_never_decides_the_appeal_of_an_item_they_reported(app):
    author = make_user()
    review, _, action = hidden_review(author)
    reporter_mod = moderator()
    report(reporter_mod, "review", review.id)
    appeal = appeals.file_appeal(author, action, STATEMENT)
    with pytest.raises(PermissionDenied, match="reported"):
        appeals.decide(reporter_mod, appeal, True, REASON)


def test_an_overturned_suspension_ends_and_stops_counting(app):
    member = make_user(trust=2)
    action = sanctions.suspend(moderator(), member, 30, REASON)
    assert member.trust_level == 1
    appeal = appeals.file_appeal(member, action, STATEMENT)
    appeals.decide(moderator(), appeal, True, "The posts were quotes, not the member's words.")
    assert not member.is_suspended
    assert member.last_sanction_at is None and member.trust_level == 2


# Threads


def test_lock_pin_and_move_a_thread(app):
    thread = make_thread()
    mod = moderator()
    threads.lock(mod, thread.id, REASON)
    assert thread.locked
    with pytest.raises(PermissionDenied, match="locked"):
        forum.reply(make_user(), thread, "Still here?")
    with pytest.raises(DomainError, match="already"):
        threads.lock(mod, thread.id, REASON)
    threads.unlock(mod, thread.id, REASON)
    threads.pin(mod, thread.id, REASON)
    assert thread.pinned
    threads.unpin(mod, thread.id, REASON)
    origin = thread.category
    target = forum.get_category_or_404("pay-and-rights")
    counts = (origin.thread_count, origin.post_count, target.thread_count, target.post_count)
    threads.move(mod, thread.id, target.id, REASON)
    assert thread.category_id == target.id
    assert (origin.thread_count, origin.post_count) == (counts[0] - 1, counts[1] - 1)
    assert (target.thread_count, target.post_count) == (counts[2] + 1, counts[3] + 1)
    acts = [a.action for a in service.actions_on("thread", thread.id)]
    assert acts == ["lock", "unlock", "pin", "unpin", "move"]


def test_a_moderator_never_moves_their_own_thread(app):
    mod = moderator()
    thread = make_thread(mod)
    with pytest.raises(PermissionDenied, match="own content"):
        threads.lock(mod, thread.id, REASON)


# Merges


def count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    return db.session.scalar(query)


def test_merging_requesters_keeps_every_row_and_recounts(app):
    platform = make_platform()
    survivor = make_requester(platform, "A1SURVIVOR0001", "Acme Research")
    loser = make_requester(platform, "A1DUPLICATE001", "ACME Research Inc")
    loser.aliases.append(RequesterAlias(name="Acme R.", name_key="acme r"))
    db.session.commit()
    both = make_user()
    make_review(both, survivor, score_pay=5)
    make_review(target=survivor)
    paid = {"reward_minor": 300, "currency": "USD", "minutes": 60, "outcome": "approved"}
    make_review(target=loser, **paid)
    latest = make_review(both, loser, score_pay=1)
    make_proof(requester=loser)
    make_flag(requester=loser, confirmed=True)
    make_thread(requester=loser, platform=platform, category="newcomers")
    loser_id = loser.id
    assert survivor.reviewer_count == 2 and loser.reviewer_count == 2
    merges.merge_requesters(moderator(), loser_id, survivor.id, REASON)
    assert db.session.get(Requester, loser_id) is None
    assert count(Review, requester_id=survivor.id) == 4
    assert count(Proof, requester_id=survivor.id) == 1
    assert count(Flag, requester_id=survivor.id) == 1
    assert count(Thread, requester_id=survivor.id) == 1
    assert {a.name for a in survivor.aliases} == {"ACME Research Inc", "Acme R."}
    assert survivor.reviewer_count == 3  # the member who reviewed both counts once: latest
    assert latest.is_current
    assert survivor.warning_count == 1
    assert_figures_exact(survivor)
    assert [(row.reviewers, row.median_hourly_usd_cents) for row in pay_series(survivor)] == [
        (1, 300)
    ]
    assert count(PayMonth, requester_id=loser_id) == 0
    # The loser's address and identifier lead to the survivor.
    assert catalog.get_requester_or_404(loser_id).id == survivor.id
    assert catalog.find_requester(platform, "A1DUPLICATE001", None).id == survivor.id
    search.drain()
    assert f"requester:{loser_id}" not in search.backend().indexed_keys()


def test_merging_platforms_keeps_every_row_forum_included(app):
    survivor = make_platform("Clickwork")
    loser = make_platform("ClickWork App")
    twin_survivor = make_requester(survivor, "A1TWIN00000001", "Twin Lab")
    twin_loser = make_requester(loser, "A1TWIN00000001", "Twin Lab")
    single = make_requester(loser, "A1SINGLE000001", "Single Lab")
    make_review(target=loser)
    make_review(target=twin_loser)
    make_review(target=twin_survivor)
    make_review(target=single)
    make_proof(platform=loser)
    make_flag(platform=loser, confirmed=True)
    thread = forum.start_thread(
        make_user(), None, forum.ThreadData("Is it paying?", "Asking."), platform=loser
    )
    loser_category = thread.category
    loser_id, loser_slug = loser.id, loser.slug
    before = {model: count(model) for model in (Review, Proof, Flag, Thread)}
    merges.merge_platforms(moderator(), loser_id, survivor.id, REASON)
    assert db.session.get(Platform, loser_id) is None
    assert {model: count(model) for model in (Review, Proof, Flag, Thread)} == before
    for model in (Review, Proof, Flag, Thread):
        assert count(model, platform_id=survivor.id) == before[model], model
    assert db.session.get(Requester, twin_loser.id) is None
    assert single.platform_id == survivor.id
    assert count(Review, requester_id=twin_survivor.id) == 2
    assert loser_category.platform_id == survivor.id and thread.category_id == loser_category.id
    assert survivor.reviewer_count == 1 and survivor.warning_count == 1
    assert_figures_exact(survivor)
    assert_figures_exact(twin_survivor)
    assert catalog.get_platform_by_slug_or_404(loser_slug).id == survivor.id
    assert db.session.scalar(select(func.count()).select_from(Category)) >= 1


def test_merges_are_for_moderators_and_need_a_reason(app):
    first, second = make_requester(external_id="A1FIRST0000001"), None
    second = make_requester(first.platform, "A1SECOND000001", "Other")
    with pytest.raises(PermissionDenied):
        merges.merge_requesters(make_user(trust=2), first.id, second.id, REASON)
    with pytest.raises(DomainError, match="reason"):
        merges.merge_requesters(moderator(), first.id, second.id, "")
    with pytest.raises(DomainError, match="different"):
        merges.merge_requesters(moderator(), first.id, first.id, REASON)
    elsewhere = make_requester(external_id="A1ELSEWHERE001")
    with pytest.raises(DomainError, match="platforms"):
        merges.merge_requesters(moderator(), first.id, elsewhere.id, REASON)
