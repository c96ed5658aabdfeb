"""Accessibility in a real browser: axe-core finds no serious or critical violation (colour
contrast included) on the main pages in English and French, and the main forms can be filled
and sent with the keyboard alone.

axe-core comes from the npm registry (tests/e2e/package.json, installed by scripts/test.py into
tests/e2e/node_modules) and is served to the page from the site's own address by Playwright, so
the Content Security Policy ("script-src 'self'") stays as it is in production.
"""

from pathlib import Path

import pytest
from sqlalchemy import select

from community.accounts.models import User
from community.forum.models import Post, Thread
from community.reviews.models import Review
from tests.e2e.conftest import ROOT, screenshot

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__axe__/axe.min.js"  # answered by the test, never by the site
RESULTS = ROOT / "test-artifacts" / "axe-results.txt"
LOCALES = ("en-GB", "fr-FR")


@pytest.fixture(scope="module")
def ids(site) -> dict:
    with site.db():
        from community.extensions import db

        thread = db.session.scalar(
            select(Thread)
            .where(Thread.visibility == "visible", Thread.locked.is_(False))
            .order_by(Thread.post_count.desc())
            .limit(1)
        )
        return {
            "thread": thread.id,
            "thread_title": thread.title,
            "post": db.session.scalar(
                select(Post.id).where(Post.thread_id == thread.id).order_by(Post.id).limit(1)
            ),
            "review": db.session.scalar(  # someone else's: demo reports it
                select(Review.id)
                .join(User, Review.author_id == User.id)
                .where(Review.visibility == "visible", User.username != "demo")
                .order_by(Review.id.desc())
                .limit(1)
            ),
        }


def _main_pages(ids) -> list[tuple[str, str, str | None]]:
    return [
        ("home", "/", None),
        ("platform", "/platforms/amazon-mechanical-turk", None),
        ("requester", "/requesters/1", None),
        ("thread", f"/threads/{ids['thread']}", None),
        ("search", "/search?q=paid", None),
        ("proof-upload", "/proofs/new", "demo"),
        ("review-form", "/requesters/1/reviews/new", "demo"),
        ("moderation-queue", "/moderation", "demo_moderator"),
        ("moderation-log", "/moderation/log", None),
    ]


def _run_axe(page, base_url: str) -> list[dict]:
    page.route(
        f"{base_url}{AXE_PATH}",
        lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"),
    )
    page.add_script_tag(url=f"{base_url}{AXE_PATH}")
    return page.evaluate(
        """async () => {
          const results = await axe.run(document, { resultTypes: ["violations"] });
          return results.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + n.failureSummary),
          }));
        }"""
    )


def test_axe_finds_nothing_serious_on_the_main_pages_in_english_and_french(site, sessions, ids):
    assert AXE.exists(), f"{AXE} is missing: scripts/test.py installs it with npm"
    serious, report = [], []
    for locale in LOCALES:
        for name, path, user in _main_pages(ids):
            context = sessions.new(user, locale=locale)
            page = context.new_page()
            answer = page.goto(site.url + path)
            assert answer.status == 200, path
            lang = page.evaluate("document.documentElement.lang")
            assert lang == locale[:2] or user is not None, (path, lang)
            found = _run_axe(page, site.url)
            report.append(f"{name} ({locale}, {path}): {len(found)} violation(s)")
            for violation in found:
                report.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
                report += [f"      {node}" for node in violation["nodes"]]
                if violation["impact"] in ("serious", "critical"):
                    serious.append((name, locale, violation))
            context.close()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(report) + "\n", encoding="utf-8")
    assert serious == []


# The keyboard alone: Tab to each control, type, arrows for choices, Space and Enter.


def tab_to(page, selector: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_logging_in_with_the_keyboard_alone(site, sessions):
    context = sessions.new()
    page = context.new_page()
    page.goto(f"{site.url}/login")
    tab_to(page, "#username")
    page.keyboard.type("demo")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-password-2026")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url
    assert page.locator(".member-nav").get_by_text("demo", exact=True).is_visible()
    context.close()


def test_writing_a_review_with_the_keyboard_alone(site, sessions):
    context = sessions.new("demo")
    page = context.new_page()
    page.goto(f"{site.url}/requesters/2/reviews/new")
    for name, stars in (("score_pay", 4), ("score_fairness", 3), ("score_communication", 5)):
        tab_to(page, f"input[name={name}]")  # the first star of the group
        for _ in range(stars - 1):
            page.keyboard.press("ArrowRight")
        if stars == 1:
            page.keyboard.press("Space")
    tab_to(page, "#reward")
    page.keyboard.type("1.20")
    tab_to(page, "#minutes")
    page.keyboard.type("12")
    tab_to(page, "#outcome")
    page.keyboard.press("a")  # "approved", chosen by its first letter as in any select
    tab_to(page, "#body")
    page.keyboard.type("Clear instructions and paid within a day: typed with the keyboard only.")
    tab_to(page, "#anonymous")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/requesters/2" in page.url and "/new" not in page.url, page.url
    review = page.locator("article.review").filter(has_text="typed with the keyboard only")
    assert review.count() == 1
    assert "$6.00/h" in review.inner_text()  # 1.20 in 12 minutes
    screenshot(page, "keyboard-review", full_page=False)
    context.close()


def test_replying_in_a_thread_with_the_keyboard_alone(site, sessions, ids):
    context = sessions.new("demo")
    page = context.new_page()
    page.goto(f"{site.url}/threads/{ids['thread']}")
    tab_to(page, ".reply-box textarea", limit=400)
    page.keyboard.type("A reply typed with the keyboard alone, as a screen-reader user would.")
    tab_to(page, ".reply-box button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("A reply typed with the keyboard alone").count() == 1
    context.close()


def test_reporting_with_the_keyboard_alone(site, sessions, ids):
    context = sessions.new("demo")
    page = context.new_page()
    page.goto(f"{site.url}/report/review/{ids['review']}")
    tab_to(page, "input[name=reason]")
    page.keyboard.press("ArrowDown")  # the second reason
    chosen = page.evaluate("document.activeElement.value")
    tab_to(page, "#details")
    page.keyboard.type("Sent with the keyboard only.")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/report/" not in page.url, page.locator("main").inner_text()[:600]
    assert page.locator(".flash-ok").count() == 1
    context.close()
    moderator = sessions.new("demo_moderator")
    queue = moderator.new_page()
    queue.goto(f"{site.url}/moderation/items/review/{ids['review']}")
    assert "Sent with the keyboard only." in queue.content()
    assert chosen
    moderator.close()
