"""No page a requester representative or an anonymous visitor can reach names the author of an
anonymous review, or a member who reported something. The test builds a full story (reports, an
automatic hiding, a moderator's decision, an appeal, a reply, a dispute with the author's
statement, notifications) and then follows every link from the home page, as each reader."""

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

from community.moderation import appeals, disputes, replies, service
from community.search import service as search
from tests.conftest import login, make_flag, make_proof, make_requester, make_review, make_user
from tests.moderation.helpers import REASON, moderator, report

SECRET_AUTHOR = "zz_secret_author"
REPORTERS = ("zz_reporter_one", "zz_reporter_two", "zz_reporter_three", "zz_reporter_four")
LINK = re.compile(r'href="([^"#][^"]*)"')
SKIP = ("/static/", "/language", "/logout")
IMAGES = re.compile(r"^/proofs/\d+/(image|thumbnail)")
MAX_PAGES = 250


def build_story():
    requester = make_requester(name="Privacy Labs")
    rep = make_user(username="zz_representative")
    claim = replies.claim(rep, requester, "I write from the requester's own domain.")
    replies.decide_claim(moderator(), claim, True, "The domain matches the requester's site.")
    author = make_user(trust=2, username=SECRET_AUTHOR)
    review = make_review(
        author,
        requester,
        anonymous=True,
        body="Anonymous words: rejected after two hours, no message answered.",
    )
    make_review(target=requester)  # a signed review by someone else
    reporters = [make_user(trust=2, username=name) for name in REPORTERS]
    for reporter in reporters[:3]:
        report(reporter, "review", review.id, "misleading")
    hide = service.hide(moderator(), "review", review.id, "misleading", REASON)
    appeal = appeals.file_appeal(author, hide, "It is true: my dashboard shows the rejection.")
    appeals.decide(moderator(), appeal, True, "Overturned: the author showed the rejection.")
    report(reporters[3], "review", review.id, "other", "Reported again, with details.")
    replies.post_reply(rep, review, "We answer every message within a day; please write again.")
    case = disputes.open_about_review(
        rep,
        review,
        "We contest this review",
        disputes.StatementData("We have no record of any message from this worker at all."),
    )
    disputes.add_statement(
        author,
        case,
        disputes.StatementData("I wrote three times through the platform, on three days."),
    )
    disputes.take(moderator(), case, "Taking this case as its mediator.")
    make_proof(requester=requester)
    make_flag(requester=requester)
    search.drain()
    return requester, rep, review, case


def crawl(client, start: list[str]) -> dict[str, str]:
    """Every same-site page reachable by GET from `start`, with its text."""
    seen: dict[str, str] = {}
    waiting = deque(start)
    while waiting and len(seen) < MAX_PAGES:
        url = waiting.popleft()
        if url in seen:
            continue
        response = client.get(url)
        if response.status_code in (301, 302):
            location = response.headers["Location"]
            seen[url] = ""
            if location.startswith("/") and not location.startswith("/login"):
                waiting.append(urldefrag(location)[0])
            continue
        body = response.get_data(as_text=True)
        seen[url] = body
        if response.mimetype != "text/html":
            continue
        for link in LINK.findall(body):
            link = urldefrag(unescape(link))[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link.startswith("/"):
                continue
            if link.startswith(SKIP) or IMAGES.match(link) or link in seen:
                continue
            waiting.append(link)
    return seen


def assert_nobody_named(pages: dict[str, str]) -> None:
    for url, body in pages.items():
        assert SECRET_AUTHOR not in body, url
        for name in REPORTERS:
            assert name not in body, (url, name)


def test_no_page_a_representative_reaches_names_the_anonymous_author_or_a_reporter(app):
    requester, rep, review, case = build_story()
    client = app.test_client()
    login(client, rep.username)
    start = [
        "/",
        f"/requesters/{requester.id}",
        f"/requesters/{requester.id}?sort=oldest",
        f"/disputes/{case.id}",
        f"/disputes/new?review={review.id}",
        f"/report/review/{review.id}",
        "/notifications",
        "/me/moderation",
        "/moderation/log",
        "/moderation/log?kind=review",
        "/moderation/log?action=appeal_overturned",
        "/search?q=anonymous",
        "/search?q=rejected&kind=review",
    ]
    pages = crawl(client, start)
    assert len(pages) > 40
    case_page = pages[f"/disputes/{case.id}"]
    assert "I wrote three times" in case_page  # the representative reads the statement...
    assert "the author of the review" in case_page  # ...named by its side only
    assert "Anonymous words" in pages[f"/requesters/{requester.id}"]
    assert_nobody_named(pages)


def test_no_page_an_anonymous_visitor_reaches_names_them_either(app):
    requester, rep, review, case = build_story()
    pages = crawl(
        app.test_client(),
        [
            "/",
            f"/requesters/{requester.id}",
            f"/disputes/{case.id}",
            "/disputes",
            "/moderation/log",
            "/moderators",
            "/rules",
            "/search?q=anonymous",
            f"/members/{rep.username}",
        ],
    )
    assert len(pages) > 40
    assert "verified requester representative" in pages[f"/members/{rep.username}"]
    assert "I wrote three times" not in pages[f"/disputes/{case.id}"]
    assert_nobody_named(pages)


def test_moderators_do_see_reporters_and_the_author_where_they_handle_reports(app):
    requester, rep, review, case = build_story()
    client = app.test_client()
    login(client, moderator().username)
    item = client.get(f"/moderation/items/review/{review.id}").get_data(as_text=True)
    assert SECRET_AUTHOR in item and "zz_reporter_four" in item
    queue = client.get("/moderation").get_data(as_text=True)
    assert "zz_reporter_four" in queue
