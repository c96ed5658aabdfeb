"""Every list the site shows is served by an index: no page makes SQLite scan a whole table."""

import re

import pytest
from sqlalchemy import event, text

from community.catalog import service as catalog
from community.extensions import db
from tests.conftest import (
    login,
    make_flag,
    make_proof,
    make_requester,
    make_review,
    make_thread,
    make_user,
)

pytestmark = pytest.mark.sqlite_only

FULL_SCAN = re.compile(r"\bSCAN (\w+)(?! USING (?:COVERING )?INDEX)(?!\w)")


READS = ("SELECT",)
READS_AND_WRITES = ("SELECT", "UPDATE", "DELETE", "INSERT")


@pytest.fixture
def captured_selects(app):
    yield from _capture(READS)


@pytest.fixture
def captured_statements(app):
    """Reads, and the writes that look rows up (UPDATE, DELETE, INSERT ... SELECT)."""
    yield from _capture(READS_AND_WRITES)


def _capture(kinds):
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        upper = statement.lstrip().upper()
        if executemany or not upper.startswith(kinds):
            return
        if upper.startswith("INSERT") and "SELECT" not in upper:
            return
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", remember)
    yield statements
    event.remove(db.engine, "before_cursor_execute", remember)


def _bounded_by_limit(statement: str, plan: list) -> bool:
    """No filter, a LIMIT and no sort: SQLite reads rows in order and stops after a few."""
    sorted_in_memory = any("TEMP B-TREE" in row[-1] for row in plan)
    upper = statement.upper()
    return " WHERE " not in upper and "LIMIT" in upper and not sorted_in_memory


# Tables that grow with the community: a page of them must be read in index order, never sorted
# whole (a requester with fifty thousand reviews would sort them all for each page).
GROWING = ("reviews", "posts", "threads", "flags", "proofs", "notifications", "moderation_actions")


def sorted_whole(statements) -> list[str]:
    problems = []
    with db.engine.connect() as connection:
        for statement, parameters in statements:
            upper = " ".join(statement.upper().split())
            if " LIMIT " not in upper or not any(f"FROM {t.upper()}" in upper for t in GROWING):
                continue
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            if any("TEMP B-TREE FOR ORDER BY" in row[-1] for row in plan):
                problems.append(f"{[row[-1] for row in plan]}  <-  {statement}")
    return problems


def full_scans(statements) -> list[str]:
    problems = []
    with db.engine.connect() as connection:
        for statement, parameters in statements:
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            if _bounded_by_limit(statement, plan):
                continue
            for row in plan:
                match = FULL_SCAN.search(row[-1])
                if match and match.group(1) != "CONSTANT":
                    problems.append(f"{row[-1]}  <-  {statement}")
    return problems


def test_pages_never_scan_a_table(client, captured_selects):
    catalog.load_starter_platforms()
    platform = catalog.get_platform_by_slug_or_404("amazon-mechanical-turk")
    requester = catalog.find_or_create_requester(platform, "AQUERYPLAN0001", "Plan Lab")
    db.session.commit()
    author = make_user(username="planner")
    make_review(author, requester, outcome="pending", reward_minor=50, currency="USD", minutes=5)
    make_review(author, platform)
    make_review(make_user(), requester, outcome="never_paid")
    proof = make_proof(author, requester=requester, confirmed=True)
    make_proof(author, platform=platform)
    flag = make_flag(author, requester=requester, confirmed=True, category="scam")
    make_flag(make_user(), platform=platform, category="disturbing")
    moderation_urls = _moderation_story(client, requester, author)
    login(client, "planner")
    urls = [
        "/",
        "/platforms",
        "/platforms/amazon-mechanical-turk",
        "/platforms/amazon-mechanical-turk?sort=oldest",
        f"/requesters/{requester.id}",
        f"/requesters/{requester.id}?sort=oldest&page=2",
        "/requesters?q=plan",
        "/requesters?q=AQUERYPLAN0001&platform=amazon-mechanical-turk",
        "/check?q=app",
        "/members/planner",
        "/me/reviews",
        "/requesters?platform=amazon-mechanical-turk",
        "/proofs",
        "/proofs?page=2",
        "/proofs/new",
        "/proofs/new?platform=amazon-mechanical-turk",
        f"/proofs/new?requester={requester.id}",
        f"/proofs/{proof.id}",
        f"/proofs/{proof.id}/image",
        f"/proofs/{proof.id}/thumbnail",
        "/platforms/amazon-mechanical-turk/proofs",
        "/platforms/amazon-mechanical-turk/proofs?page=2",
        f"/requesters/{requester.id}/proofs",
        "/legit-rules",
        "/flags",
        "/flags?page=2",
        "/flags?category=scam",
        "/flags?status=confirmed",
        "/flags?platform=amazon-mechanical-turk",
        "/flags?platform=amazon-mechanical-turk&category=disturbing&status=open",
        f"/flags?requester={requester.id}",
        f"/flags?requester={requester.id}&status=confirmed",
        "/flags/new",
        "/flags/new?platform=amazon-mechanical-turk",
        f"/flags/new?requester={requester.id}",
        f"/flags/{flag.id}",
        "/forum",
        "/forum/newcomers",
        "/forum/platforms/amazon-mechanical-turk",
        "/notifications",
        "/search?q=plan",
        "/search?q=plan&kind=review&platform=amazon-mechanical-turk&since=month&sort=newest",
    ]
    urls += moderation_urls
    for sort in catalog.SORTS + ("name",):
        urls += [
            f"/platforms?sort={sort}",
            f"/requesters?sort={sort}",
            f"/requesters?sort={sort}&platform=amazon-mechanical-turk",
        ]
    captured_selects.clear()
    for url in urls:
        assert client.get(url).status_code in (200, 302), url
    assert captured_selects
    problems = (
        full_scans(captured_selects)
        + sorted_whole(captured_selects)
        + by_visibility_alone(captured_selects)
    )
    assert not problems, "\n\n".join(problems)


def _moderation_story(client, requester, author) -> list[str]:
    """Reports, acts, an appeal, a claim, a reply, a dispute and an election; the pages of each,
    seen by "planner", who is a moderator, an admin, and the requester's representative."""
    from community.accounts.models import Role
    from community.moderation import appeals, disputes, elections, replies, reports, service

    planner = author
    planner.role = Role.ADMIN
    db.session.commit()
    other = make_user(trust=2, role=Role.MODERATOR)
    review = make_review(make_user(), requester, anonymous=True)
    thread = make_thread(title="Plans for the queue")
    reports.report(make_user(trust=2), "review", review.id, reports.ReportData("spam"))
    reports.report(make_user(), "thread", thread.id, reports.ReportData("off_topic"))
    hide = service.hide(other, "review", review.id, "spam", "A reason long enough to pass.")
    appeal = appeals.file_appeal(review.author, hide, "A statement long enough to be read.")
    claim = replies.claim(planner, requester, "Evidence a moderator can check, really.")
    replies.decide_claim(other, claim, True, "A reason long enough to pass.")
    service.restore(other, "review", review.id, "A reason long enough to pass.")
    reply = replies.post_reply(planner, review, "Our reply to this review.")
    case = disputes.open_about_review(
        planner,
        review,
        "About this review",
        disputes.StatementData("A statement long enough for a dispute to open."),
    )
    election = elections.open_election(planner, "Plans election", 1, "A reason long enough.")
    replies.claim(make_user(), requester, "Evidence a moderator can check, really.")
    return [
        "/moderation",
        "/moderation?sort=oldest",
        f"/moderation/items/review/{review.id}",
        f"/moderation/items/thread/{thread.id}",
        f"/moderation/members/{review.author.username}",
        "/moderation/appeals",
        "/moderation/claims",
        "/moderation/disputes",
        "/moderation/merge",
        "/moderation/log",
        "/moderation/log?page=2",
        "/moderation/log?action=hide",
        "/moderation/log?kind=review",
        "/moderation/log?action=hide&kind=review",
        "/me/moderation",
        f"/appeals/{appeal.id}",
        f"/report/review/{review.id}",
        f"/report/thread/{thread.id}",
        f"/requesters/{requester.id}/claim",
        f"/replies/{reply.id}/edit",
        "/disputes",
        "/disputes?status=open",
        f"/disputes/{case.id}",
        f"/disputes/new?review={review.id}",
        f"/disputes/new?requester={requester.id}",
        "/moderators",
        f"/elections/{election.id}",
        "/rules",
        "/rules/1",
        f"/threads/{thread.id}",
    ]


def test_the_checker_does_see_a_full_scan(app):
    assert full_scans([("SELECT * FROM reviews WHERE body = ?", ("x",))])
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def test_writes_never_scan_a_table(client, captured_statements):
    """Reviews of a requester and replies in a thread read only the rows they change, through
    indexes (the stored figures change by the reviews a write touches)."""
    from community.forum import service as forum

    requester = make_requester()
    author = make_user(username="writer", trust=2)
    for _ in range(3):
        make_review(make_user(), requester)
    review = make_review(author, requester)
    platform_review = make_review(author, requester.platform)
    thread = make_thread(title="Writes")
    forum.reply(make_user(), thread, "A first reply to follow.")
    login(client, "writer")
    form = {
        "score_pay": "4",
        "score_fairness": "3",
        "score_communication": "5",
        "currency": "USD",
        "reward": "0.50",
        "minutes": "5",
        "body": "Paid within two days, clear instructions, no unfair rejection.",
    }
    captured_statements.clear()
    posts = [
        (f"/requesters/{requester.id}/reviews/new", {**form, "submission_key": "plan-1"}),
        (f"/platforms/{requester.platform.slug}/reviews/new", {**form, "submission_key": "p-2"}),
        (f"/reviews/{review.id}/edit", {**form, "score_pay": "1"}),
        (f"/reviews/{platform_review.id}/withdraw", {}),
        (f"/threads/{thread.id}/reply", {"body": "Same here, rejected without a word."}),
    ]
    for url, data in posts:
        assert client.post(url, data=data).status_code == 302, url
    assert any(s.startswith("INSERT INTO notifications") for s, _ in captured_statements)
    problems = (
        full_scans(captured_statements)
        + by_target_not_member(captured_statements)
        + by_visibility_alone(captured_statements)
    )
    assert not problems, "\n\n".join(problems)


TARGETED = re.compile(r"\b(requester_id|platform_id|author_id|thread_id) (=|IN) ")
BY_VISIBILITY = re.compile(r"USING (?:COVERING )?INDEX \w+ \(visibility=\?\)")


def by_visibility_alone(statements) -> list[str]:
    """A query about one requester (or platform, member, thread) must not walk every visible
    row: SQLite, without statistics, may prefer a visibility index to an IN over ids."""
    problems = []
    with db.engine.connect() as connection:
        for statement, parameters in statements:
            if not TARGETED.search(statement):
                continue
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            if any(BY_VISIBILITY.search(row[-1]) for row in plan):
                problems.append(f"{[row[-1] for row in plan]}  <-  {statement}")
    return problems


def test_recounting_every_figure_reads_each_target_through_its_index(app, captured_selects):
    from community.reviews import aggregates

    requesters = [make_requester(external_id=f"ARECOUNT{n:04d}") for n in range(3)]
    for requester in requesters:
        make_review(make_user(), requester, outcome="never_paid")
    captured_selects.clear()
    aggregates.refresh_all(chunk=2)
    problems = by_visibility_alone(captured_selects)  # a batch job: it reads every platform
    assert not problems, "\n\n".join(problems)


def by_target_not_member(statements) -> list[str]:
    """A query for one member's reviews of a target must start from the member: the target's
    own indexes would walk all of a big requester's reviews (SQLite has no statistics to tell)."""
    problems = []
    with db.engine.connect() as connection:
        for statement, parameters in statements:
            if "reviews.author_id = " not in statement or "reviews.platform_id = " not in statement:
                continue
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            if not any("ix_reviews_author" in row[-1] for row in plan):
                problems.append(f"{plan}  <-  {statement}")
    return problems


def test_the_checker_does_see_a_page_sorted_whole(app):
    statement = "SELECT id FROM reviews WHERE requester_id = ? ORDER BY score_pay LIMIT 10"
    assert sorted_whole([(statement, (1,))])
