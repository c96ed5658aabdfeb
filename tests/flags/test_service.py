"""Task flag rules through the service: flagging, "I saw this too", decisions and their effect on
the warning counts, the search index and the "Is it legit?" card."""

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from community.accounts.models import Role
from community.core.content import Visibility
from community.core.database import utcnow
from community.core.errors import DomainError, PermissionDenied, RateLimited
from community.extensions import db
from community.flags import permissions
from community.flags import service as flags
from community.flags.models import Flag, FlagDecision, FlagSeenToo, FlagStatus
from community.search import service as search
from tests.conftest import (
    FLAG_TEXT,
    flag_data,
    make_flag,
    make_platform,
    make_requester,
    make_user,
)

REASON = "Checked with two other members: the task does exactly this."


def flag_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Flag))


def keys_for(text: str, kind: str | None = "flag") -> list[str]:
    results, _notices, _complete = search.search(text, kind, None, None, "relevance", 1, 50)
    return [hit.key for hit in results.hits]


def hit_for(text: str, key: str):
    results, _notices, _complete = search.search(text, "flag", None, None, "relevance", 1, 50)
    return next(hit for hit in results.hits if hit.key == key)


def counts(*targets) -> list[int]:
    for target in targets:
        db.session.refresh(target)
    return [target.warning_count for target in targets]


# Flagging


def test_a_member_flags_a_task_with_every_field(app):
    platform = make_platform()
    author = make_user()
    contributions = author.contribution_count
    flag = flags.submit_flag(
        author,
        flag_data(
            platform,
            task_title="  Sort CVs by name  ",
            description="Sorting applicants by **origin** of their names, for a landlord.",
            requester_external_id="a9flagged00001",
            requester_name="Landlord Lab",
            seen_on=utcnow().date() - timedelta(days=3),
            disturbing=True,
        ),
        submission_key="k1",
    )
    assert flag.task_title == "Sort CVs by name"
    assert flag.requester.external_id == "A9FLAGGED00001"
    assert flag.requester.platform_id == flag.platform_id == platform.id
    assert "<strong>origin</strong>" in flag.description_html
    assert flag.excerpt.startswith("Sorting applicants by origin")
    assert flag.status == FlagStatus.OPEN and flag.visibility == Visibility.VISIBLE
    assert flag.disturbing and flag.seen_too_count == 0
    assert author.contribution_count == contributions + 1


def test_a_flag_without_requester_is_about_the_platform(app):
    platform = make_platform()
    flag = make_flag(platform=platform)
    assert flag.requester_id is None and flag.platform_id == platform.id


def test_the_same_form_sent_twice_creates_one_flag(app):
    author, platform = make_user(), make_platform()
    first = flags.submit_flag(author, flag_data(platform), "same-key")
    second = flags.submit_flag(author, flag_data(platform), "same-key")
    assert first.id == second.id and flag_count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"category": "rude"}, "Choose the category"),
        ({"task_title": "   "}, "title or identifier"),
        ({"task_title": "x" * 201}, "at most 200 characters"),
        ({"description": "Too short."}, "at least 30 characters"),
        ({"description": "x" * 5001}, "at most 5000 characters"),
        ({"seen_on": utcnow().date() + timedelta(days=2)}, "cannot be in the future"),
        ({"seen_on": utcnow().date().replace(year=1999)}, "after the year 2000"),
    ],
)
def test_bad_flags_are_refused_and_nothing_is_stored(app, fields, message):
    platform = make_platform()
    with pytest.raises(DomainError, match=message):
        flags.submit_flag(make_user(), flag_data(platform, **fields), "k")
    db.session.rollback()
    assert flag_count() == 0


def test_a_day_ahead_is_allowed_for_time_zones(app):
    flag = make_flag(seen_on=utcnow().date() + timedelta(days=1))
    assert flag.id


def test_flags_about_disturbing_content_are_always_folded(app):
    flag = make_flag(category="disturbing", disturbing=False)
    assert flag.disturbing


def test_new_members_have_a_daily_quota(app):
    author, platform = make_user(trust=0), make_platform()
    quota = app.config["DAILY_QUOTAS"]["flag"][0]
    for number in range(quota):
        flags.submit_flag(author, flag_data(platform), f"q{number}")
    with pytest.raises(RateLimited):
        flags.submit_flag(author, flag_data(platform), "one-more")
    assert flag_count() == quota


# "I saw this too"


def test_members_say_they_saw_it_too_once_each(app):
    flag = make_flag()
    first, second = make_user(trust=0), make_user()
    flags.say_seen_too(first, flag)
    flags.say_seen_too(second, flag)
    assert flag.seen_too_count == 2
    with pytest.raises(DomainError, match="already said you saw this task"):
        flags.say_seen_too(first, flag)
    db.session.rollback()
    assert db.session.get(Flag, flag.id).seen_too_count == 2
    assert db.session.scalar(select(func.count()).select_from(FlagSeenToo)) == 2


def test_the_author_cannot_say_they_saw_their_own_flag_too(app):
    author = make_user()
    flag = make_flag(author)
    with pytest.raises(PermissionDenied, match="flagged this task yourself"):
        flags.say_seen_too(author, flag)
    with pytest.raises(PermissionDenied, match="Log in"):
        flags.say_seen_too(AnonymousUserMixin(), flag)
    db.session.rollback()
    assert db.session.get(Flag, flag.id).seen_too_count == 0


# Decisions and the warning counts


def test_confirming_makes_a_warning_on_the_requester_and_its_platform(app):
    requester = make_requester()
    platform = requester.platform
    flag = make_flag(requester=requester, description=f"{FLAG_TEXT} Quetzalcoatl batch.")
    search.drain()
    assert hit_for("quetzalcoatl", f"flag:{flag.id}").ref["status"] == "open"
    decider = make_user(trust=2)
    flags.confirm_flag(decider, flag, REASON)
    assert flag.status == FlagStatus.CONFIRMED
    assert flag.decided_by_id == decider.id and flag.decision_reason == REASON
    assert flag.decided_at is not None
    assert counts(requester, platform) == [1, 1]
    assert [d.action for d in flags.decisions_of(flag)] == ["confirm"]
    assert flags.warnings_of(requester).latest == [flag]
    assert flags.latest_warnings() == [flag]
    search.drain()
    assert hit_for("quetzalcoatl", f"flag:{flag.id}").ref["status"] == "confirmed"


def test_dismissing_keeps_the_reason_and_makes_no_warning(app):
    requester = make_requester()
    flag = make_flag(requester=requester)
    flags.dismiss_flag(make_user(role=Role.MODERATOR), flag, "Nothing wrong: the preview says it.")
    assert flag.status == FlagStatus.DISMISSED
    assert flag.decision_reason == "Nothing wrong: the preview says it."
    assert counts(requester, requester.platform) == [0, 0]
    assert flags.warnings_of(requester).latest == []
    search.drain()
    assert hit_for("origin", f"flag:{flag.id}").ref["status"] == "dismissed"


def test_a_platform_counts_the_warnings_about_its_requesters_too(app):
    platform = make_platform()
    requester = make_requester(platform)
    other = make_requester(platform, external_id="AOTHER0000001", name="Other Lab")
    make_flag(requester=requester, confirmed=True)
    make_flag(requester=requester, confirmed=True)
    make_flag(platform=platform, confirmed=True)
    make_flag(requester=other)  # open: not a warning
    assert counts(platform, requester, other) == [3, 2, 0]
    assert flags.warnings_of(platform).open_flags == 1


def test_a_moderator_reopens_a_decided_flag_and_its_history_stays(app):
    requester = make_requester()
    flag = make_flag(requester=requester, confirmed=True)
    assert counts(requester) == [1]
    moderator = make_user(role=Role.MODERATOR)
    flags.reopen_flag(moderator, flag, "New facts: the requester fixed the task.")
    assert flag.status == FlagStatus.OPEN
    assert flag.decided_by_id is None and flag.decision_reason is None
    assert counts(requester, requester.platform) == [0, 0]
    assert [d.action for d in flags.decisions_of(flag)] == ["confirm", "reopen"]
    search.drain()
    assert hit_for("origin", f"flag:{flag.id}").ref["status"] == "open"
    flags.dismiss_flag(make_user(trust=2), flag, "Fixed by the requester since then.")
    assert [d.action for d in flags.decisions_of(flag)] == ["confirm", "reopen", "dismiss"]


def test_only_moderators_reopen_and_never_their_own_flag(app):
    moderator = make_user(role=Role.MODERATOR)
    own = make_flag(moderator, confirmed=True)
    other = make_flag(confirmed=True)
    with pytest.raises(PermissionDenied, match="Only moderators"):
        flags.reopen_flag(make_user(trust=2), other, REASON)
    db.session.rollback()
    with pytest.raises(PermissionDenied, match="their own flag"):
        flags.reopen_flag(moderator, own, REASON)
    db.session.rollback()
    fresh = make_flag()
    with pytest.raises(DomainError, match="already open"):
        flags.reopen_flag(moderator, fresh, REASON)
    db.session.rollback()
    with pytest.raises(DomainError, match="at least 10 characters"):
        flags.reopen_flag(moderator, other, "because")
    db.session.rollback()
    assert db.session.get(Flag, other.id).status == FlagStatus.CONFIRMED


def test_the_author_withdraws_a_confirmed_flag_and_the_warning_goes(app):
    author = make_user()
    requester = make_requester()
    flag = make_flag(author, requester=requester, confirmed=True, task_title="Axolotl survey")
    search.drain()
    assert keys_for("axolotl") == [f"flag:{flag.id}"]
    contributions = author.contribution_count
    with pytest.raises(PermissionDenied):
        flags.withdraw_flag(make_user(role=Role.MODERATOR), flag)
    db.session.rollback()
    flags.withdraw_flag(author, flag)
    assert flag.visibility == Visibility.DELETED
    assert counts(requester, requester.platform) == [0, 0]
    assert author.contribution_count == contributions - 1
    assert flags.latest_warnings() == []
    search.drain()
    assert keys_for("axolotl") == []


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("anonymous", False),
        ("tl0", False),
        ("tl1", False),
        ("author_tl2", False),
        ("tl2", True),
        ("moderator", True),
    ],
)
def test_who_may_confirm_or_dismiss(app, who, allowed):
    author = make_user(trust=2)
    user = {
        "anonymous": lambda: AnonymousUserMixin(),
        "tl0": lambda: make_user(trust=0),
        "tl1": lambda: make_user(trust=1),
        "author_tl2": lambda: author,
        "tl2": lambda: make_user(trust=2),
        "moderator": lambda: make_user(trust=0, role=Role.MODERATOR),
    }[who]()
    requester = make_requester()
    for decide in (flags.confirm_flag, flags.dismiss_flag):
        flag = make_flag(author, requester=requester)
        assert permissions.can_decide(user, flag) is allowed
        if allowed:
            decide(user, flag, REASON)
            assert flag.status != FlagStatus.OPEN
        else:
            with pytest.raises(PermissionDenied):
                decide(user, flag, REASON)
            db.session.rollback()
            assert db.session.get(Flag, flag.id).status == FlagStatus.OPEN
    assert counts(requester) == [1 if allowed else 0]


def test_a_decision_needs_a_written_reason(app):
    flag = make_flag()
    decider = make_user(trust=2)
    for reason in ("", "   ", "ok", "x" * 2001):
        with pytest.raises(DomainError):
            flags.confirm_flag(decider, flag, reason)
        db.session.rollback()
    assert db.session.get(Flag, flag.id).status == FlagStatus.OPEN
    assert db.session.scalar(select(func.count()).select_from(FlagDecision)) == 0


def test_a_decided_flag_is_not_decided_again(app):
    flag = make_flag(confirmed=True)
    with pytest.raises(DomainError, match="already decided"):
        flags.dismiss_flag(make_user(trust=2), flag, REASON)
    db.session.rollback()
    assert db.session.get(Flag, flag.id).status == FlagStatus.CONFIRMED


def test_a_recount_finds_the_stored_warning_counts(app):
    platform = make_platform()
    requester = make_requester(platform)
    make_flag(requester=requester, confirmed=True)
    make_flag(platform=platform, confirmed=True)
    withdrawn = make_flag(requester=requester, confirmed=True)
    flags.withdraw_flag(withdrawn.author, withdrawn)
    stored = counts(platform, requester)
    platform.warning_count = requester.warning_count = 99
    db.session.commit()
    flags.recount_all_warnings()
    db.session.commit()
    assert counts(platform, requester) == stored == [2, 1]


# The search index


def test_flags_are_found_without_their_author_and_with_their_fold(app):
    author = make_user(username="secretflagger")
    flag = make_flag(
        author,
        category="disturbing",
        task_title="Moderation batch twelve",
        description="Graphic injuries shown without any warning, no way to skip the clips.",
    )
    search.drain()
    hit = hit_for("injuries", f"flag:{flag.id}")
    assert hit.title == "Moderation batch twelve"
    assert hit.ref == {"category": "disturbing", "status": "open", "disturbing": True}
    assert keys_for("secretflagger", kind=None) == []
