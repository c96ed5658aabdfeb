"""The userscript, in a real browser: a saved Mechanical Turk task list served from one origin,
the real site (and its API) from another, the script injected as a userscript manager would."""

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from community.catalog.models import Platform
from community.extensions import db
from tests.conftest import build_app, make_flag, make_requester, make_review

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
USERSCRIPT = ROOT / "static" / "userscript" / "taskopticon.user.js"

pytestmark = pytest.mark.browser


@contextmanager
def serving(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@contextmanager
def serving_fixtures() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=FIXTURES))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _site_with_reviews(app) -> dict:
    with app.app_context():
        mturk = Platform(
            slug="amazon-mechanical-turk",
            name="Amazon Mechanical Turk",
            name_key="amazon mechanical turk",
        )
        db.session.add(mturk)
        db.session.commit()
        acme = make_requester(mturk, "A1B2C3D4E5F6G7", "Acme Research Lab")
        tricky = make_requester(mturk, "A9TRICKYREQ001", "Tricky Data Co")
        quiet = make_requester(mturk, "A3QUIETLABS777", "Quiet Labs")
        for score in (5, 4):
            make_review(
                target=acme,
                score_pay=score,
                outcome="approved",
                reward_minor=100,
                currency="USD",
                minutes=10,
            )
        make_review(target=tricky, score_pay=1, score_fairness=1, score_communication=2)
        make_review(target=quiet)
        make_flag(requester=tricky, confirmed=True, task_title="Sort job applicants by name")
        db.session.refresh(acme)
        return {
            "platform_id": mturk.id,
            "acme": (acme.id, f"{acme.ranking_score:.1f}"),
            "tricky": tricky.id,
            "quiet": quiet.id,
        }


def test_the_userscript_annotates_a_task_list_with_one_api_request(tmp_path_factory, browser):
    app = build_app(tmp_path_factory, API_RATE_LIMIT="100/minute")
    site = _site_with_reviews(app)

    with serving(app) as base_url, serving_fixtures() as task_site:
        script = USERSCRIPT.read_text(encoding="utf-8")
        configured = re.sub(
            r'const TASKOPTICON_URL = "[^"]*";',
            f'const TASKOPTICON_URL = "{base_url}";',
            script,
            count=1,
        )
        assert configured != script, "the script's address setting has moved"

        context = browser.new_context(locale="en-US")
        try:
            page = context.new_page()
            api_requests = []
            page.on(
                "request",
                lambda request: "/api/" in request.url and api_requests.append(request.url),
            )
            page.goto(f"{task_site}/mturk_tasks.html")
            page.add_script_tag(content=configured)

            badges = page.locator(".taskopticon")
            badges.nth(4).wait_for(timeout=15_000)
            page.wait_for_timeout(1200)  # time for a second request, were there one

            assert badges.count() == 5  # Acme is listed twice, the others once each
            acme_id, acme_score = site["acme"]
            acme = page.locator('.taskopticon[data-taskopticon-id="A1B2C3D4E5F6G7"]')
            assert acme.count() == 2
            summary = acme.first.locator(".taskopticon-summary")
            assert summary.inner_text() == f"★ {acme_score} · 2 reviews · $6.00/h"
            assert summary.get_attribute("href") == f"{base_url}/requesters/{acme_id}"
            assert acme.first.locator(".taskopticon-warning").count() == 0

            tricky = page.locator('.taskopticon[data-taskopticon-id="A9TRICKYREQ001"]')
            assert "1 review" in tricky.locator(".taskopticon-summary").inner_text()
            warning = tricky.locator(".taskopticon-warning")
            assert warning.inner_text() == "⚠ 1"
            assert "Sort job applicants by name" in warning.get_attribute("title")
            assert warning.get_attribute("href").startswith(f"{base_url}/flags/")

            quiet = page.locator('.taskopticon[data-taskopticon-id="A3QUIETLABS777"]')
            quiet_link = quiet.locator(".taskopticon-summary").get_attribute("href")
            assert quiet_link == f"{base_url}/requesters/{site['quiet']}"

            unknown = page.locator('.taskopticon[data-taskopticon-id="A2NEWCOMER9999"]')
            invite = unknown.locator(".taskopticon-unknown")
            assert invite.inner_text() == "no reviews yet — be the first"
            assert invite.get_attribute("href") == (
                f"{base_url}/reviews/new?platform={site['platform_id']}&id=A2NEWCOMER9999"
            )

            # One request, carrying the requester identifiers and nothing about the worker.
            assert len(api_requests) == 1, api_requests
            sent = api_requests[0]
            assert sent.startswith(
                f"{base_url}/api/v1/platforms/amazon-mechanical-turk/requesters?ids="
            )
            sent_ids = sent.split("ids=", 1)[1].split(",")
            assert sorted(sent_ids) == sorted(
                ["A1B2C3D4E5F6G7", "A9TRICKYREQ001", "A2NEWCOMER9999", "A3QUIETLABS777"]
            )
            assert "A3WORKERSECRET01" not in sent

            # The requester page the badge links to exists.
            assert page.request.get(f"{base_url}/requesters/{acme_id}").status == 200
        finally:
            context.close()
