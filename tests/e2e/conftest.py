"""The real site in a real browser: a fresh instance with the demo data, served by gunicorn on
127.0.0.1, driven through Debian's Chromium with Playwright.

The demo instance is built once per test session (migrations, starter platforms, demo data, as
scripts/serve.py does) and copied for each test module, which starts its own gunicorn on it.
Screenshots go to test-artifacts/screenshots/ (CI keeps that folder).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from community import create_app
from community.demo import DEMO_PASSWORD
from community.extensions import db

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The demo data at a quarter of its size: every kind of page, in a third of the time.
DEMO_SCALE = os.environ.get("E2E_DEMO_SCALE", "0.25")
ADMIN = ("e2e_admin", "e2e-admin-password-2026")
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def instance_env(folder: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")}
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'taskopticon.db'}",
        SEARCH_INDEX_DIR=str(folder / "search-index"),
        UPLOAD_DIR=str(folder / "uploads"),
        SECRET_KEY="e2e-secret-key-not-for-production",
        PYTHONUNBUFFERED="1",
    )
    return env


def _flask(folder: Path, *args: str) -> None:
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=instance_env(folder),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


def _open_an_election(folder: Path) -> None:
    """The demo opens its election only when an administrator exists: one is made here, so
    that the election page is one of the pages tested."""
    _flask(folder, "create-admin", ADMIN[0], "--password", ADMIN[1])
    from community.accounts import service as accounts
    from community.moderation import elections

    with reading(folder):
        admin = accounts.find_by_username(ADMIN[0])
        election = elections.open_election(admin, "Moderator election", 2, "Two seats to fill.")
        candidate = accounts.find_by_username("demo")
        elections.nominate(candidate, election, "I read the forum every day and answer newcomers.")
        db.session.commit()


@contextmanager
def reading(folder: Path):
    """An app context on the instance's database, for the test to find ids and check results."""
    app = create_app(
        {
            "INSTANCE_PATH": str(folder),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'taskopticon.db'}",
            "SEARCH_INDEX_DIR": str(folder / "search-index"),
            "UPLOAD_DIR": str(folder / "uploads"),
            "SECRET_KEY": "e2e-secret-key-not-for-production",
        }
    )
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def demo_instance(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo-instance")
    _flask(folder, "db", "upgrade")
    _flask(folder, "load-platforms")
    _flask(folder, "demo-data", "--scale", DEMO_SCALE)
    _open_an_election(folder)
    return folder


def _free_socket() -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    return listener


@dataclass
class LiveSite:
    url: str
    folder: Path
    log: Path

    @contextmanager
    def db(self):
        with reading(self.folder) as app:
            yield app


@contextmanager
def serve(folder: Path) -> Iterator[LiveSite]:
    """gunicorn (two workers, as scripts/serve.py) on a socket bound here to a free port."""
    listener = _free_socket()
    port = listener.getsockname()[1]
    log = folder / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                "2",
                "--bind",
                f"fd://{listener.fileno()}",
                "--access-logfile",
                "-",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=instance_env(folder),
            pass_fds=[listener.fileno()],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    listener.close()
    site = LiveSite(f"http://127.0.0.1:{port}", folder, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{site.url}/health", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"gunicorn did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield site
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def site(demo_instance, tmp_path_factory) -> Iterator[LiveSite]:
    """A fresh copy of the demo instance, served for the tests of one module."""
    folder = tmp_path_factory.mktemp("site") / "instance"
    shutil.copytree(demo_instance, folder)
    with serve(folder) as live:
        yield live


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: scripts/test.py installs Debian's chromium, "
        "or set CHROMIUM_PATH to a Chromium binary"
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Sessions:
    """Browser contexts of one module, logged in once per member (every demo member has the
    demo password) and reused."""

    def __init__(self, browser: Browser, site: LiveSite):
        self.browser, self.site = browser, site
        self._states: dict[str, dict] = {}

    def new(self, username: str | None = None, **options) -> BrowserContext:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "en-GB")
        if username is not None:
            options["storage_state"] = self._state(username)
        context = self.browser.new_context(**options)
        context.set_default_timeout(15_000)
        return context

    def _state(self, username: str) -> dict:
        if username not in self._states:
            context = self.browser.new_context(locale="en-GB")
            page = context.new_page()
            log_in(page, self.site.url, username)
            self._states[username] = context.storage_state()
            context.close()
        return self._states[username]


def log_in(page: Page, base_url: str, username: str, password: str | None = None) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", password or (ADMIN[1] if username == ADMIN[0] else DEMO_PASSWORD))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{username} could not log in"


@pytest.fixture(scope="module")
def sessions(browser, site) -> Sessions:
    return Sessions(browser, site)


def screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def show(page: Page, selector: str) -> None:
    """Scroll so that the element starts at the top of the window (for a screenshot)."""
    page.locator(selector).first.evaluate("(e) => e.scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollBy(0, -8)")
