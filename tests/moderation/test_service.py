"""Moderation of content through the services: reports and their weights, automatic hiding at
the threshold, hide / restore / delete / dismiss for every kind, the effects on every figure and
on the index, and conflicts of interest."""

import pytest
from sqlalchemy import func, select

from community.core.content import Visibility, can_read
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.extensions import db
from community.flags import service as flags
from community.forum import service as forum
from community.moderation import items, service
from community.moderation.models import ActionKind, ModerationAction, QueueEntry, Report
from community.notifications.models import Notification
from community.proofs import legit
from community.search import service as search
from tests.conftest import (
    first_index,
    make_flag,
    make_proof,
    make_requester,
    make_review,
    make_thread,
    make_user,
    recorded_statements,
)
from tests.moderation.helpers import REASON, assert_figures_exact, moderator, report


def actions(kind: str, item_id: int) -> list[str]:
    return [action.action for action in service.actions_on(kind, item_id)]


# Reports and their weights


def test_weights_follow_the_trust_level_and_the_configuration(app):
    weights = app.config["REPORT_WEIGHTS"]
    review = make_review()
    for level in (0, 1, 2):
        row = report(make_user(trust=level), "review", review.id)
        assert row.weight == weights[level]
    assert report(moderator(), "review", review.id).weight == app.config["REPORT_MODERATOR_WEIGHT"]


def test_three_trusted_members_hide_an_item_at_once(app):
    assert 3 * app.config["REPORT_WEIGHTS"][2] == app.config["REPORT_AUTOHIDE_WEIGHT"]
    review = make_review()
    report(make_user(trust=2), "review", review.id)
    report(make_user(trust=2), "review", review.id)
    assert review.visibility == Visibility.VISIBLE
    report(make_user(trust=2), "review", review.id)
    assert (review.visibility, review.hidden_reason) == (Visibility.HIDDEN, "pending_review")
    assert actions("review", review.id) == [ActionKind.AUTO_HIDE]


def test_just_below_the_threshold_stays_visible_and_at_it_hides(app):
    threshold = app.config["REPORT_AUTOHIDE_WEIGHT"]
    weights = app.config["REPORT_WEIGHTS"]
    review = make_review()
    total = 0
    # Reports of trusted and ordinary members until one more TL0 report reaches the threshold.
    while total + weights[2] <= threshold - weights[0]:
        total += report(make_user(trust=2), "review", review.id).weight
    while total + weights[1] <= threshold - weights[0]:
        total += report(make_user(trust=1), "review", review.id).weight
    while total < threshold - weights[0]:
        total += report(make_user(trust=0), "review", review.id).weight
    assert total == threshold - weights[0]
    db.session.refresh(review)
    assert review.visibility == Visibility.VISIBLE
    entry = db.session.scalar(select(QueueEntry).where(QueueEntry.item_id == review.id))
    assert entry.open_weight == threshold - weights[0] and entry.is_open
    report(make_user(trust=0), "review", review.id)
    assert review.visibility == Visibility.HIDDEN


def test_one_open_report_per_member_per_item(app):
    review = make_review()
    reporter = make_user()
    report(reporter, "review", review.id)
    with pytest.raises(DomainError, match="already reported"):
        report(reporter, "review", review.id, "spam")
    assert db.session.scalar(select(func.count()).select_from(Report)) == 1
    service.dismiss_reports(moderator(), "review", review.id, "Not harassment: a fair review.")
    report(reporter, "review", review.id, "spam")  # a new report once the first was decided


def test_reports_are_checked(app):
    author = make_user()
    review = make_review(author)
    thread = make_thread()
    post = forum.reply(make_user(), thread, "A reply about payouts.")
    with pytest.raises(PermissionDenied, match="own content"):
        report(author, "review", review.id)
    with pytest.raises(DomainError, match="reason"):
        report(make_user(), "review", review.id, "boring")
    with pytest.raises(DomainError, match="few words"):
        report(make_user(), "review", review.id, "other")
    report(make_user(), "review", review.id, "other", "It copies another review word for word.")
    report(make_user(), "review", review.id, "self_review")
    with pytest.raises(DomainError, match="reason"):
        report(make_user(), "post", post.id, "self_review")  # reviews only
    with pytest.raises(NotFound):
        report(make_user(), "review", 99999)
    with pytest.raises(NotFound):
        report(make_user(), "essay", review.id)


def test_a_report_of_personal_information_takes_a_folded_item_out_of_view(app):
    review = make_review()
    for _ in range(3):
        report(make_user(trust=2), "review", review.id)
    assert review.is_folded
    report(make_user(), "review", review.id, "personal_info")
    assert review.hidden_reason == "pending_sensitive" and not review.is_folded
    assert not can_read(make_user(), review)


# Acting on content: one function each, every kind


def every_kind():
    requester = make_requester()
    thread = make_thread(title="Payout times")
    return {
        "review": make_review(target=requester),
        "post": forum.reply(make_user(), thread, "Mine came after three days."),
        "thread": make_thread(title="Another thread"),
        "proof": make_proof(requester=requester),
        "flag": make_flag(requester=requester),
    }


def test_hide_restore_and_delete_work_on_every_kind_and_are_recorded(app):
    mod = moderator()
    for kind, item in every_kind().items():
        service.hide(mod, kind, item.id, "spam", REASON)
        assert (item.visibility, item.hidden_reason) == (Visibility.HIDDEN, "spam"), kind
        assert item.is_folded and can_read(None, item)
        service.restore(mod, kind, item.id, "The author fixed it; it is fine now.")
        assert item.visibility == Visibility.VISIBLE
        service.delete(mod, kind, item.id, "illegal", "Illegal content: removed entirely.")
        assert item.visibility == Visibility.DELETED
        assert actions(kind, item.id) == [ActionKind.HIDE, ActionKind.RESTORE, ActionKind.DELETE]
        assert items.kind(kind).public_url(item).startswith("/")


def test_every_act_needs_a_written_reason(app):
    mod = moderator()
    review = make_review()
    for act in (
        lambda: service.hide(mod, "review", review.id, "spam", ""),
        lambda: service.hide(mod, "review", review.id, "spam", "   too short "),
        lambda: service.delete(mod, "review", review.id, "spam", None),
        lambda: service.request_edit(mod, "review", review.id, "no"),
    ):
        with pytest.raises(DomainError, match="reason"):
            act()
    assert review.visibility == Visibility.VISIBLE
    assert db.session.scalar(select(func.count()).select_from(ModerationAction)) == 0


def test_only_moderators_act(app):
    review = make_review()
    for user in (make_user(trust=2), make_user(trust=0)):
        with pytest.raises(PermissionDenied):
            service.hide(user, "review", review.id, "spam", REASON)


def test_a_moderator_never_acts_on_their_own_content(app):
    mod = moderator()
    review = make_review(mod)
    with pytest.raises(PermissionDenied, match="own content"):
        service.hide(mod, "review", review.id, "spam", REASON)
    with pytest.raises(PermissionDenied, match="own content"):
        service.request_edit(mod, "review", review.id, REASON)


def test_a_moderator_never_decides_on_an_item_they_reported(app):
    mod = moderator()
    review = make_review()
    report(mod, "review", review.id)
    for act in (
        lambda: service.hide(mod, "review", review.id, "spam", REASON),
        lambda: service.dismiss_reports(mod, "review", review.id, REASON),
        lambda: service.delete(mod, "review", review.id, "spam", REASON),
    ):
        with pytest.raises(PermissionDenied, match="reported this item"):
            act()
    service.hide(moderator(), "review", review.id, "spam", REASON)  # another moderator may


def test_state_refusals(app):
    mod = moderator()
    author = make_user()
    review = make_review(author)
    with pytest.raises(DomainError, match="already visible"):
        service.restore(mod, "review", review.id, REASON)
    with pytest.raises(DomainError, match="no open report"):
        service.dismiss_reports(mod, "review", review.id, REASON)
    service.hide(mod, "review", review.id, "spam", REASON)
    with pytest.raises(DomainError, match="already hidden"):
        service.hide(mod, "review", review.id, "harassment", REASON)
    from community.reviews import service as reviews

    reviews.withdraw_review(author, review)
    with pytest.raises(DomainError, match="withdrew"):
        service.restore(mod, "review", review.id, REASON)


def test_dismissing_reports_brings_back_an_automatically_hidden_item(app):
    review = make_review()
    reporters = [make_user(trust=2) for _ in range(3)]
    for reporter in reporters:
        report(reporter, "review", review.id)
    assert review.visibility == Visibility.HIDDEN
    service.dismiss_reports(moderator(), "review", review.id, "A fair review, not harassment.")
    assert review.visibility == Visibility.VISIBLE
    assert set(db.session.scalars(select(Report.status))) == {"dismissed"}
    entry = db.session.scalar(select(QueueEntry))
    assert not entry.is_open and entry.open_weight == 0


def test_confirming_an_automatic_hiding_closes_the_reports_as_upheld(app):
    review = make_review()
    for _ in range(3):
        report(make_user(trust=2), "review", review.id)
    service.hide(moderator(), "review", review.id, "harassment", REASON)
    assert review.hidden_reason == "harassment"
    assert set(db.session.scalars(select(Report.status))) == {"upheld"}


def test_authors_are_told(app):
    author = make_user()
    review = make_review(author)
    mod = moderator()
    service.request_edit(mod, "review", review.id, "Please remove the worker's name in line 2.")
    service.hide(mod, "review", review.id, "personal_info", REASON)
    service.restore(mod, "review", review.id, "The name is gone; published again.")
    kinds = list(
        db.session.scalars(
            select(Notification.kind)
            .where(Notification.user_id == author.id)
            .order_by(Notification.id)
        )
    )
    assert kinds == ["edit_requested", "content_hidden", "content_restored"]


# Effects: figures, counts, the index


def test_figures_stay_exact_through_hide_and_restore(app):
    requester = make_requester()
    kept = make_review(target=requester, score_pay=5, reward_minor=100, currency="USD", minutes=6)
    author = make_user()
    earlier = make_review(author, requester, score_pay=1)
    latest = make_review(author, requester, score_pay=2, outcome="never_paid")
    assert requester.reviewer_count == 2
    assert_figures_exact(requester)
    mod = moderator()
    service.hide(mod, "review", latest.id, "falsified", REASON)
    db.session.refresh(earlier)
    assert earlier.is_current  # the author's earlier review counts again
    assert requester.reviewer_count == 2 and not requester.stats["all"]["nonpayment_share"]
    assert_figures_exact(requester)
    service.hide(mod, "review", earlier.id, "falsified", REASON)
    assert requester.reviewer_count == 1
    assert_figures_exact(requester)
    service.restore(mod, "review", latest.id, "An appeal showed it was genuine.")
    assert requester.reviewer_count == 2
    assert_figures_exact(requester)
    service.delete(mod, "review", kept.id, "spam", REASON)
    assert requester.reviewer_count == 1
    assert_figures_exact(requester)


def test_hidden_content_leaves_the_index_and_comes_back(app):
    review = make_review(body="Quetzalcoatl tasks were paid within the day, every single time.")
    thread = make_thread(title="Axolotl payouts", body="Paid in two days.")
    search.drain()
    keys = search.backend().indexed_keys()
    assert {f"review:{review.id}", f"thread:{thread.id}"} <= keys
    mod = moderator()
    service.hide(mod, "review", review.id, "spam", REASON)
    service.hide(mod, "thread", thread.id, "off_topic", REASON)
    search.drain()
    keys = search.backend().indexed_keys()
    assert f"review:{review.id}" not in keys and f"thread:{thread.id}" not in keys
    service.restore(mod, "review", review.id, "Restored after a second look.")
    service.restore(mod, "thread", thread.id, "Restored after a second look.")
    search.drain()
    assert {f"review:{review.id}", f"thread:{thread.id}"} <= search.backend().indexed_keys()


def test_a_hidden_opening_post_leaves_its_thread_document(app):
    thread = make_thread(title="Capybara", body="Zebulon pays late but pays.")
    search.drain()
    opening = forum.posts_on_page(thread, 1)[0]
    service.hide(moderator(), "post", opening.id, "personal_info", REASON)
    search.drain()
    results, _, _ = search.search("zebulon", None, None, None, "relevance", 1, 10)
    assert results.total == 0


def test_a_hidden_flag_stops_counting_as_a_warning(app):
    requester = make_requester()
    flag = make_flag(requester=requester, confirmed=True)
    assert requester.warning_count == 1 and requester.platform.warning_count == 1
    mod = moderator()
    service.hide(mod, "flag", flag.id, "misleading", REASON)
    assert requester.warning_count == 0 and requester.platform.warning_count == 0
    service.restore(mod, "flag", flag.id, "Checked again: the warning is right.")
    assert requester.warning_count == 1


def test_a_hidden_proof_is_no_evidence_on_the_legit_card(app):
    requester = make_requester()
    proofs = [make_proof(requester=requester, confirmed=True) for _ in range(3)]
    platform = requester.platform
    assert legit.assess(platform).verdict == legit.Verdict.PAYS_RECENT
    service.hide(moderator(), "proof", proofs[0].id, "misleading", REASON)
    assessment = legit.assess(platform)
    assert assessment.verdict == legit.Verdict.PAID_BEFORE or assessment.verdict == (
        legit.Verdict.NOT_ENOUGH
    )
    assert assessment.evidence.windows[-1].proofs == 2


def test_forum_counts_follow_hidden_posts_and_threads(app):
    thread = make_thread()
    post = forum.reply(make_user(), thread, "Second post.")
    category = thread.category
    before = (thread.post_count, category.post_count, category.thread_count)
    mod = moderator()
    service.hide(mod, "post", post.id, "spam", REASON)
    assert thread.post_count == before[0] - 1 and category.post_count == before[1] - 1
    service.restore(mod, "post", post.id, "Not spam after all, sorry.")
    assert (thread.post_count, category.post_count) == before[:2]
    service.hide(mod, "thread", thread.id, "off_topic", REASON)
    assert category.thread_count == before[2] - 1
    assert category.post_count == before[1] - thread.post_count
    service.restore(mod, "thread", thread.id, "On topic after all, sorry.")
    assert (thread.post_count, category.post_count, category.thread_count) == before


def test_flags_service_warning_counts_are_the_hook(app):
    """The registry's hook for flags is the flags service's own recount (nothing re-written)."""
    requester = make_requester()
    flag = make_flag(requester=requester, confirmed=True)
    flag.visibility = Visibility.HIDDEN
    items.kind("flag").after_change(flag, Visibility.VISIBLE)
    assert requester.warning_count == 0
    flags.refresh_warning_counts(requester.platform_id, requester.id)
    assert requester.warning_count == 0


def test_the_queue_lists_heaviest_then_oldest_and_held_items(app):
    light = make_review()
    heavy = make_review()
    report(make_user(trust=0), "review", light.id)
    report(make_user(trust=2), "review", heavy.id)
    report(make_user(trust=1), "review", heavy.id)
    thread = make_thread()
    thread.visibility = Visibility.HELD
    service.hold(thread)
    db.session.commit()
    heaviest = [(e.kind, e.item_id) for e in service.queue("heaviest", 1, 10).items]
    assert heaviest == [("review", heavy.id), ("review", light.id), ("thread", thread.id)]
    oldest = [(e.kind, e.item_id) for e in service.queue("oldest", 1, 10).items]
    assert oldest == [("review", light.id), ("review", heavy.id), ("thread", thread.id)]
    page = service.queue("heaviest", 1, 2)
    assert page.has_next and len(page.items) == 2
    # A held item is published by dismissing (nothing wrong) or hidden like any other.
    service.dismiss_reports(moderator(), "thread", thread.id, "Nothing wrong: publishing it.")
    assert thread.visibility == Visibility.VISIBLE
    assert [e.item_id for e in service.queue("oldest", 1, 10).items] == [light.id, heavy.id]


def test_a_report_locks_its_item_before_counting(app):
    """On PostgreSQL two reports at once would both create the queue entry, or both add their
    weight to the same old total, without the item's row lock."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite: the write transaction holds the whole database from its start")
    review = make_review()
    with recorded_statements() as statements:
        report(make_user(trust=2), "review", review.id)
    locked = first_index(statements, "FOR UPDATE OF reviews")
    assert locked < first_index(statements, "INSERT INTO reports")
    assert locked < first_index(statements, "INSERT INTO moderation_queue")
