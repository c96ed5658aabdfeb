"""Task flag pages through real requests: the issue's scenario, every state change seen on the
pages, who may decide, the content warning fold everywhere, the form, and the legit card."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.core.database import utcnow
from community.extensions import db
from community.flags import service as flags
from community.flags.models import Flag, FlagStatus
from community.search import service as search
from tests.conftest import (
    login,
    make_flag,
    make_platform,
    make_proof,
    make_requester,
    make_review,
    make_user,
)

REASON = "Checked it myself: the task sorts people by the origin of their names."
FOLD = re.compile(r'<details class="content-warning">.*?</details>', re.S)


def form(platform, **fields) -> dict:
    return {
        "submission_key": fields.pop("submission_key", "flag-form-1"),
        "platform_id": str(platform.id),
        "requester_external_id": "",
        "requester_name": "",
        "task_title": "Name origin sorting",
        "category": "discriminatory",
        "description": "Sort these applicants by the likely origin of their names, keep some.",
        "seen_on": utcnow().date().isoformat(),
        **fields,
    }


def flag_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Flag))


def member_client(app, user):
    client = app.test_client()
    login(client, user.username)
    return client


def flag_id_from(response) -> int:
    return int(re.search(r"/flags/(\d+)$", response.headers["Location"]).group(1))


def assert_folded(html: str, marker: str) -> None:
    """`marker` (from a disturbing description) is on the page, and only inside a fold."""
    folds = FOLD.findall(html)
    assert any(marker in fold for fold in folds), "the text is not in a content warning fold"
    assert "Content warning" in "".join(folds)
    assert marker not in FOLD.sub("", html), "the text shows outside the fold"


# The scenario


def test_flag_saw_too_confirm_then_the_requester_shows_the_warning(app):
    platform = make_platform("Turkey Tasks")
    requester = make_requester(platform, "A3SORTNAMES001", "Sorting Lab")
    author, first, second = make_user(), make_user(), make_user(trust=0)
    trusted = make_user(trust=2)

    response = member_client(app, author).post(
        "/flags/new",
        data=form(platform, requester_external_id="A3SORTNAMES001", requester_name="Sorting Lab"),
    )
    assert response.status_code == 302
    flag_id = flag_id_from(response)
    flag = db.session.get(Flag, flag_id)
    assert flag.requester_id == requester.id and flag.status == FlagStatus.OPEN

    for witness in (first, second):
        answer = member_client(app, witness).post(f"/flags/{flag_id}/seen-too")
        assert answer.status_code == 302
    page = app.test_client().get(f"/flags/{flag_id}").get_data(as_text=True)
    assert "2 members saw this task too." in page

    client = member_client(app, trusted)
    page = client.get(f"/flags/{flag_id}").get_data(as_text=True)
    assert "Confirm: it is a warning" in page and "Dismiss this flag" in page
    answer = client.post(
        f"/flags/{flag_id}/decision", data={"reason": REASON, "decision": "confirm"}
    )
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "The flag is confirmed" in page and "Confirmed warning." in page and REASON in page

    visitor = app.test_client()
    page = visitor.get(f"/requesters/{requester.id}").get_data(as_text=True)
    panel = page[page.index('class="warnings-panel has-warnings"') :]
    assert "1 confirmed warning about tasks of Sorting Lab." in panel
    assert f'href="/flags/{flag_id}">Name origin sorting</a>' in panel
    assert page.index("warnings-panel") < page.index("What workers report")  # near the top
    make_review(first, requester)
    for url in ("/requesters?q=A3SORTNAMES001", f"/requesters?platform={platform.slug}"):
        listing = visitor.get(url).get_data(as_text=True)
        assert re.search(r"Sorting Lab</a> <span class=\"badge danger warning-mark\"", listing)
        assert "1 warning</span>" in listing
    platforms = visitor.get("/platforms?sort=name").get_data(as_text=True)
    assert re.search(r"Turkey Tasks</a> <span class=\"badge danger warning-mark\"", platforms)
    platform_page = visitor.get(f"/platforms/{platform.slug}").get_data(as_text=True)
    assert "1 confirmed warning about tasks of Turkey Tasks." in platform_page
    home = visitor.get("/").get_data(as_text=True)
    assert "Latest warnings on tasks" in home and f"/flags/{flag_id}" in home


def test_the_form_is_prefilled_from_a_requester_or_a_platform(client):
    requester = make_requester(external_id="A7PREFILLFLAG1", name="Prefill Lab")
    login(client, make_user().username)
    html = client.get(f"/flags/new?requester={requester.id}").get_data(as_text=True)
    assert 'value="A7PREFILLFLAG1"' in html and 'value="Prefill Lab"' in html
    assert f'<option selected value="{requester.platform_id}">' in html
    platform = make_platform()
    html = client.get(f"/flags/new?platform={platform.slug}").get_data(as_text=True)
    assert f'<option selected value="{platform.id}">' in html


def test_the_form_explains_each_category(client):
    login(client, make_user().username)
    html = client.get("/flags/new").get_data(as_text=True)
    for text in (
        "Discriminatory or hateful content",
        "(for example by the origin of their names)",
        "Psychologically harmful or disturbing content",
        "Violence, abuse or graphic imagery given without warning beforehand.",
        "Phishing, fake jobs, paying to get work",
        "Harvesting personal data or identity documents",
        "Unpaid qualification tests or training",
        "Misleading time estimate",
        "Illegal activity",
        "community rules",
    ):
        assert text in html
    assert "<script>" not in html and "style=" not in html


def test_pages_link_to_flagging_and_the_nav_has_task_warnings(client):
    requester = make_requester()
    html = client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    assert f'href="/flags/new?requester={requester.id}"' in html
    html = client.get(f"/platforms/{requester.platform.slug}").get_data(as_text=True)
    assert f'href="/flags/new?platform={requester.platform.slug}"' in html
    assert '<a href="/flags">Task warnings</a>' in html


# The form


def test_bad_input_gets_clear_messages_keeps_the_text_and_stores_nothing(client):
    platform = make_platform()
    login(client, make_user().username)
    bad = form(
        platform,
        category="",
        task_title="Kept <title>",
        description="Too short but <kept>",
        seen_on=(utcnow().date() + timedelta(days=3)).isoformat(),
    )
    response = client.post("/flags/new", data=bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for message in (
        "Choose the category of the problem.",
        "Please describe what is wrong with the task in at least 30 characters.",
        "The date you saw the task cannot be in the future.",
        "Everything you typed is still here.",
    ):
        assert message in html
    assert "Too short but &lt;kept&gt;" in html and 'value="Kept &lt;title&gt;"' in html
    response = client.post(
        "/flags/new", data=form(platform, task_title="", platform_id="0", seen_on="31/12/2025")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in (
        "Choose the platform.",
        "Give the title or identifier of the task.",
        "Give the date as year-month-day",
    ):
        assert message in html
    assert flag_count() == 0


def test_the_same_form_sent_twice_creates_one_flag(client):
    platform = make_platform()
    login(client, make_user().username)
    first = client.post("/flags/new", data=form(platform))
    second = client.post("/flags/new", data=form(platform))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert flag_count() == 1


def test_visitors_are_sent_to_log_in(client):
    platform = make_platform()
    flag = make_flag(platform=platform)
    for url in ("/flags/new", f"/flags/{flag.id}/seen-too", f"/flags/{flag.id}/decision"):
        response = client.post(url, data=form(platform))
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert flag_count() == 1


def test_the_daily_quota_is_a_clear_refusal_and_keeps_the_form(client, app):
    platform = make_platform()
    user = make_user(trust=0)
    for _ in range(app.config["DAILY_QUOTAS"]["flag"][0]):
        make_flag(user, platform=platform)
    login(client, user.username)
    response = client.post("/flags/new", data=form(platform, submission_key="fresh"))
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Please come back tomorrow." in html and 'value="Name origin sorting"' in html


# "I saw this too" and decisions, refused


def test_a_second_i_saw_this_too_is_refused_with_a_clear_message(app):
    flag = make_flag()
    client = member_client(app, make_user())
    assert client.post(f"/flags/{flag.id}/seen-too").status_code == 302
    again = client.post(f"/flags/{flag.id}/seen-too")
    assert again.status_code == 422
    html = again.get_data(as_text=True)
    assert "You already said you saw this task too. Once is enough." in html
    assert "You said you saw this task too." in html
    assert db.session.get(Flag, flag.id).seen_too_count == 1


def test_the_author_cannot_say_they_saw_it_too_nor_decide(app):
    author = make_user(trust=2)
    flag = make_flag(author)
    client = member_client(app, author)
    page = client.get(f"/flags/{flag.id}").get_data(as_text=True)
    assert "you flagged it yourself" in page
    assert "Confirm: it is a warning" not in page
    answer = client.post(f"/flags/{flag.id}/seen-too")
    assert answer.status_code == 403
    answer = client.post(
        f"/flags/{flag.id}/decision", data={"reason": REASON, "decision": "confirm"}
    )
    assert answer.status_code == 403
    assert "You cannot confirm or dismiss your own flag." in answer.get_data(as_text=True)
    db.session.refresh(flag)
    assert flag.status == FlagStatus.OPEN and flag.seen_too_count == 0


@pytest.mark.parametrize("trust", [0, 1])
def test_members_below_trust_level_2_cannot_decide(app, trust):
    flag = make_flag()
    client = member_client(app, make_user(trust=trust))
    page = client.get(f"/flags/{flag.id}").get_data(as_text=True)
    assert "Confirm: it is a warning" not in page
    assert "Trusted members (trust level 2) and moderators confirm or dismiss flags." in page
    for decision in ("confirm", "dismiss"):
        answer = client.post(
            f"/flags/{flag.id}/decision", data={"reason": REASON, "decision": decision}
        )
        assert answer.status_code == 403
    db.session.refresh(flag)
    assert flag.status == FlagStatus.OPEN


def test_a_decision_without_a_reason_is_refused_and_the_flag_stays_open(app):
    flag = make_flag()
    client = member_client(app, make_user(trust=2))
    answer = client.post(f"/flags/{flag.id}/decision", data={"reason": " ", "decision": "dismiss"})
    assert answer.status_code == 422
    assert "Write the reason for your decision." in answer.get_data(as_text=True)
    answer = client.post(f"/flags/{flag.id}/decision", data={"reason": "meh", "decision": "x"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "in at least 10 characters" in html and "meh</textarea>" in html
    assert "Choose whether you confirm or dismiss the flag." in html
    db.session.refresh(flag)
    assert flag.status == FlagStatus.OPEN


# Each state change, on the pages


def test_dismissal_shows_its_reason_and_no_warning(app):
    requester = make_requester()
    flag = make_flag(requester=requester)
    client = member_client(app, make_user(role=Role.MODERATOR))
    answer = client.post(
        f"/flags/{flag.id}/decision",
        data={"reason": "The preview warns about this clearly.", "decision": "dismiss"},
    )
    assert answer.status_code == 302
    page = client.get(f"/flags/{flag.id}").get_data(as_text=True)
    assert "Dismissed." in page and "The preview warns about this clearly." in page
    requester_page = client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    assert "No confirmed warning about tasks here." in requester_page
    assert "warning-mark" not in client.get("/requesters").get_data(as_text=True)


def test_a_moderator_reopens_a_decided_flag_from_its_page(app):
    requester = make_requester()
    flag = make_flag(requester=requester, confirmed=True)
    trusted = member_client(app, make_user(trust=2))
    assert "Reopen this flag" not in trusted.get(f"/flags/{flag.id}").get_data(as_text=True)
    refused = trusted.post(f"/flags/{flag.id}/reopen", data={"reopen-reason": REASON})
    assert refused.status_code == 403
    moderator = member_client(app, make_user(role=Role.MODERATOR))
    page = moderator.get(f"/flags/{flag.id}").get_data(as_text=True)
    assert "Reopen this flag (moderators)" in page
    empty = moderator.post(f"/flags/{flag.id}/reopen", data={"reopen-reason": ""})
    assert empty.status_code == 422
    answer = moderator.post(
        f"/flags/{flag.id}/reopen", data={"reopen-reason": "New facts from the requester."}
    )
    assert answer.status_code == 302
    page = moderator.get(f"/flags/{flag.id}").get_data(as_text=True)
    assert "Open: waiting for a trusted member" in page
    assert "Reopened" in page and "New facts from the requester." in page
    assert "Checked: the description is right." in page  # the earlier decision stays
    db.session.refresh(requester)
    assert requester.warning_count == 0
    assert "warning-mark" not in moderator.get(f"/requesters/{requester.id}").get_data(as_text=True)


def test_the_author_withdraws_a_flag_and_it_leaves_every_page(app):
    author = make_user()
    requester = make_requester()
    flag = make_flag(author, requester=requester, confirmed=True, task_title="Capybara labels")
    search.drain()
    client = member_client(app, author)
    assert "Capybara labels" in client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    assert "Withdraw my flag" in client.get(f"/flags/{flag.id}").get_data(as_text=True)
    refused = member_client(app, make_user()).post(f"/flags/{flag.id}/withdraw")
    assert refused.status_code == 403
    answer = client.post(f"/flags/{flag.id}/withdraw")
    assert answer.status_code == 302
    assert client.get(f"/flags/{flag.id}").status_code == 404
    for url in (f"/requesters/{requester.id}", "/flags", "/", "/search?q=capybara"):
        assert "Capybara labels" not in client.get(url).get_data(as_text=True), url
    db.session.refresh(requester)
    assert requester.warning_count == 0


# The content warning, everywhere a disturbing flag is shown


def test_a_disturbing_flag_stays_folded_on_every_page(app):
    requester = make_requester()
    marker = "Zyxwvut"
    flag = make_flag(
        requester=requester,
        confirmed=True,
        category="disturbing",
        task_title="Quarantine clip batch",
        description=f"Graphic clips of injuries ({marker}) shown without any warning at all.",
    )
    plain = make_flag(requester=requester, confirmed=True, description="Plain words " * 5)
    search.drain()
    client = app.test_client()
    for url in (
        f"/flags/{flag.id}",
        "/flags",
        "/flags?category=disturbing",
        f"/requesters/{requester.id}",
        f"/platforms/{requester.platform.slug}",
        "/",
        "/search?q=quarantine",
        "/search?q=quarantine&kind=flag",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_folded(response.get_data(as_text=True), marker)
    page = client.get(f"/flags/{plain.id}").get_data(as_text=True)
    assert "Plain words" in page and "<details" not in page


# The "Is it legit?" card


def test_a_confirmed_scam_flag_changes_the_legit_card(app):
    platform = make_platform("Shiny Cash App")
    requester = make_requester(platform, "ASHINYSCAM0001", "Shiny Offers")
    for _ in range(3):
        make_proof(make_user(trust=2), platform, confirmed=True)
    client = app.test_client()
    page = client.get(f"/platforms/{platform.slug}").get_data(as_text=True)
    assert "Pays — recent evidence" in page and "0 confirmed scam warnings." in page
    flag = make_flag(requester=requester, category="scam", task_title="Verify your account")
    make_flag(platform=platform, category="unpaid_work", confirmed=True)  # not a scam warning
    page = client.get(f"/platforms/{platform.slug}").get_data(as_text=True)
    assert "Pays — recent evidence" in page  # open flags never decide
    trusted = member_client(app, make_user(trust=2))
    trusted.post(f"/flags/{flag.id}/decision", data={"reason": REASON, "decision": "confirm"})
    page = client.get(f"/platforms/{platform.slug}").get_data(as_text=True)
    assert "Pays — recent evidence" in page  # one requester's scam is not the platform's
    assert "Verify your account" in client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    about_the_app = make_flag(platform=platform, category="scam", task_title="Pay a fee to unlock")
    trusted.post(
        f"/flags/{about_the_app.id}/decision", data={"reason": REASON, "decision": "confirm"}
    )
    page = client.get(f"/platforms/{platform.slug}").get_data(as_text=True)
    assert "Warning — confirmed scam reports" in page
    assert "1 confirmed scam warning." in page
    assert f"/flags?platform={platform.slug}&amp;category=scam&amp;status=confirmed" in page
    assert flags.scam_warnings(platform) == 1
    rules = client.get("/legit-rules").get_data(as_text=True)
    assert "deception or scam" in rules


# The list of flags


def test_the_list_filters_by_category_platform_and_status_and_pages(client):
    first, second = make_platform("Alpha Tasks"), make_platform("Beta Tasks")
    scam = make_flag(platform=first, category="scam", task_title="Phishing login page")
    estimate = make_flag(platform=second, category="misleading_estimate", task_title="Long quiz")
    confirmed = make_flag(platform=second, confirmed=True, task_title="Sorting names")

    def titles(url):
        html = client.get(url).get_data(as_text=True)
        return {t for t in ("Phishing login page", "Long quiz", "Sorting names") if t in html}

    assert titles("/flags") == {"Phishing login page", "Long quiz", "Sorting names"}
    assert titles("/flags?category=scam") == {scam.task_title}
    assert titles(f"/flags?platform={second.slug}") == {estimate.task_title, confirmed.task_title}
    assert titles(f"/flags?platform={second.slug}&status=confirmed") == {confirmed.task_title}
    assert titles("/flags?category=nonsense&status=nonsense") == titles("/flags")
    assert client.get("/flags?platform=unknown").status_code == 404
    for number in range(20):
        make_flag(platform=first, task_title=f"Batch number {number:02d}")
    html = client.get("/flags").get_data(as_text=True)
    assert "Batch number 19" in html and "Phishing login page" not in html
    assert 'rel="next" href="/flags?page=2"' in html
    assert "Phishing login page" in client.get("/flags?page=2").get_data(as_text=True)


def test_flags_are_found_by_search_and_link_to_their_page(client):
    flag = make_flag(task_title="Ocelot transcription", description="Unpaid training " * 4)
    search.drain()
    html = client.get("/search?q=ocelot&kind=flag").get_data(as_text=True)
    assert f'href="/flags/{flag.id}"' in html and "Task warnings" in html
    assert "Discriminatory or hateful content" in html
