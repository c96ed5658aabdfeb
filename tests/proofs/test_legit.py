"""The "Is it legit?" rules, each at its threshold, and the evidence read from the database."""

from datetime import timedelta

import pytest

from community.accounts.models import Role
from community.core.content import Visibility
from community.core.database import utcnow
from community.extensions import db
from community.moderation import service as moderation
from community.proofs import legit
from community.proofs.legit import Evidence, Rules, Verdict, Window
from community.reviews import reports
from tests.conftest import make_platform, make_proof, make_requester, make_review, make_user

REASON = "A reason long enough to pass."
RULES = Rules(
    recent_days=(30, 90, 365),
    pays_window_days=90,
    min_members_for_pays=3,
    nonpayment_min_members=3,
    nonpayment_warning_share=0.25,
    scam_warnings_min=1,
)


def evidence(members_90=0, members_365=None, unpaid=0, told=0, scam=0) -> Evidence:
    members_365 = members_90 if members_365 is None else members_365
    return Evidence(
        windows=(
            Window(30, members_90, members_90),
            Window(90, members_90, members_90),
            Window(365, members_365, members_365),
        ),
        latest_confirmed_on=None,
        waiting_proofs=0,
        waiting_members=0,
        nonpayment_members=unpaid,
        paid_or_not_members=told,
        nonpayment_members_all_time=unpaid,
        scam_warnings=scam,
    )


# The rules alone


def test_no_evidence_is_not_enough_evidence():
    assert legit.decide(evidence(), RULES) == Verdict.NOT_ENOUGH


def test_pays_recent_needs_the_minimum_of_distinct_members_within_the_window():
    assert legit.decide(evidence(members_90=2), RULES) == Verdict.NOT_ENOUGH
    assert legit.decide(evidence(members_90=3), RULES) == Verdict.PAYS_RECENT


def test_older_evidence_only_says_paid_before():
    assert legit.decide(evidence(members_90=2, members_365=3), RULES) == Verdict.PAID_BEFORE
    assert legit.decide(evidence(members_90=0, members_365=2), RULES) == Verdict.NOT_ENOUGH


def test_non_payment_warning_at_its_share_and_member_thresholds():
    assert legit.decide(evidence(unpaid=3, told=12), RULES) == Verdict.NONPAYMENT  # 25%
    assert legit.decide(evidence(unpaid=3, told=13), RULES) == Verdict.NOT_ENOUGH  # 23%
    assert legit.decide(evidence(unpaid=2, told=2), RULES) == Verdict.NOT_ENOUGH  # too few


def test_a_few_reports_among_many_paid_members_do_not_warn():
    assert legit.decide(evidence(members_90=5, unpaid=4, told=100), RULES) == Verdict.PAYS_RECENT


def test_strong_non_payment_and_recent_payments_are_mixed():
    assert legit.decide(evidence(members_90=3, unpaid=3, told=6), RULES) == Verdict.MIXED
    assert legit.decide(evidence(members_90=2, unpaid=3, told=6), RULES) == Verdict.NONPAYMENT


def test_a_confirmed_scam_warning_outranks_everything():
    assert legit.decide(evidence(members_90=50, scam=1), RULES) == Verdict.SCAM_WARNING
    assert legit.decide(evidence(members_90=50, scam=0), RULES) == Verdict.PAYS_RECENT


def test_every_verdict_has_words_and_a_tone():
    for verdict in Verdict:
        assert legit.LABELS[verdict] and legit.SUMMARIES[verdict] and legit.TONES[verdict]


def test_the_rules_come_from_the_configuration(app):
    rules = Rules.from_config(app.config)
    assert rules.recent_days == (30, 90, 365) and rules.longest_days == 365
    with pytest.raises(ValueError):
        Rules.from_config({**app.config, "LEGIT_PAYS_WINDOW_DAYS": 60})


# The evidence, from the database


def days_ago(days: int):
    return (utcnow() - timedelta(days=days)).date()


def test_one_member_with_ten_proofs_counts_as_one_member(app):
    platform = make_platform()
    keen = make_user(trust=2)
    for _ in range(10):
        make_proof(keen, platform, confirmed=True)
    assessment = legit.assess(platform)
    assert assessment.evidence.windows[0] == Window(30, 10, 1)
    assert assessment.verdict == Verdict.NOT_ENOUGH
    make_proof(make_user(trust=2), platform, confirmed=True)
    assert legit.assess(platform).verdict == Verdict.NOT_ENOUGH  # two members
    make_proof(make_user(trust=2), platform, confirmed=True)
    assessment = legit.assess(platform)
    assert assessment.evidence.windows[0] == Window(30, 12, 3)
    assert assessment.verdict == Verdict.PAYS_RECENT


def test_windows_follow_the_date_the_payment_was_received(app):
    platform = make_platform()
    make_proof(platform=platform, confirmed=True, received_on=days_ago(5))
    make_proof(platform=platform, confirmed=True, received_on=days_ago(31))
    make_proof(platform=platform, confirmed=True, received_on=days_ago(100))
    make_proof(platform=platform, confirmed=True, received_on=days_ago(400))
    found = legit.assess(platform).evidence
    assert [(w.days, w.proofs, w.members) for w in found.windows] == [
        (30, 1, 1),
        (90, 2, 2),
        (365, 3, 3),
    ]
    assert found.latest_confirmed_on == days_ago(5)


def test_three_members_paid_long_ago_say_paid_before(app):
    platform = make_platform()
    for age in (100, 200, 300):
        make_proof(platform=platform, confirmed=True, received_on=days_ago(age))
    assert legit.assess(platform).verdict == Verdict.PAID_BEFORE


def test_unconfirmed_hidden_and_other_platforms_proofs_never_decide(app):
    platform = make_platform()
    for _ in range(3):
        make_proof(platform=platform)  # unconfirmed
    hidden = make_proof(platform=platform, confirmed=True)
    hidden.visibility = Visibility.HIDDEN
    db.session.commit()
    for _ in range(3):
        make_proof(platform=make_platform(), confirmed=True)
    found = legit.assess(platform)
    assert found.verdict == Verdict.NOT_ENOUGH
    assert found.evidence.windows[-1].proofs == 0
    assert (found.evidence.waiting_proofs, found.evidence.waiting_members) == (3, 3)
    assert found.evidence.latest_confirmed_on is None


def test_non_payment_reports_of_the_platform_and_its_requesters_count_once_per_member(app):
    platform = make_platform()
    requester = make_requester(platform)
    other = make_requester(platform, external_id="A9OTHER0000001", name="Other Lab")
    stubborn = make_user()
    make_review(stubborn, requester, outcome="never_paid")
    make_review(stubborn, other, outcome="never_paid")  # same member: counts once
    make_review(make_user(), platform, outcome="never_paid")  # the platform itself
    hidden = make_review(make_user(), requester, outcome="never_paid")
    moderation.hide(make_user(trust=2, role=Role.MODERATOR), "review", hidden.id, "spam", REASON)
    make_review(make_user(), make_requester(), outcome="never_paid")  # another platform
    for _ in range(5):
        make_review(make_user(), requester, outcome="approved")
    make_review(make_user(), requester, outcome="pending")  # says nothing about payment
    found = legit.assess(platform).evidence
    assert found.nonpayment_members == 2
    assert found.paid_or_not_members == 7
    assert legit.assess(platform).verdict == Verdict.NOT_ENOUGH  # 2 < 3 members
    make_review(make_user(), other, outcome="never_paid")
    assessment = legit.assess(platform)
    assert assessment.evidence.nonpayment_members == 3
    assert assessment.nonpayment_share == pytest.approx(3 / 8)
    assert assessment.verdict == Verdict.NONPAYMENT


def test_old_non_payment_reports_show_but_do_not_warn(app):
    platform = make_platform()
    for _ in range(3):
        review = make_review(make_user(), platform, outcome="never_paid")
        review.created_at = utcnow() - timedelta(days=400)
    reports.recount_payment_reports(platform.id)  # as if written then: recounted from the reviews
    db.session.commit()
    found = legit.assess(platform)
    assert found.evidence.nonpayment_members == 0
    assert found.evidence.nonpayment_members_all_time == 3
    assert found.verdict == Verdict.NOT_ENOUGH


def test_confirmed_scam_warnings_are_an_input(app):
    platform = make_platform()
    assert legit.assess(platform).verdict == Verdict.NOT_ENOUGH
    assert legit.assess(platform, scam_warnings=1).verdict == Verdict.SCAM_WARNING
