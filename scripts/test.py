#!/usr/bin/env python3
"""Set everything up and run the whole test suite: on SQLite, then on PostgreSQL when a server
answers (TEST_DATABASE_URL, else postgres@127.0.0.1:5432/test). Extra arguments go to pytest."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from _setup import BIN, PYTHON, ROOT, say, setup

# bandit: B603 (a process started without a shell) and B607 (apt-get, npm found on PATH) below
# are this script's own commands (pytest, this Python, Debian's apt-get, npm), no untrusted input:
# the arguments are the operator's own command line.

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# The browser tests drive the system's Chromium (never a browser downloaded by Playwright).
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
BROWSER_TOOLS = ROOT / "tests" / "e2e"  # package.json: what npm installs for them


def apt_install(*packages: str) -> bool:
    """Install Debian packages when we may (root, with apt-get); False when we may not."""
    if not shutil.which("apt-get") or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)  # nosec B603, B607
    subprocess.run(  # nosec B603, B607
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        check=True,
        env=env,
    )
    return True


def ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    say("Installing Chromium for the browser tests")
    if not apt_install("chromium"):
        say(f"{CHROMIUM} is missing: install Chromium for the browser tests (tests/e2e)")


def ensure_axe() -> None:
    """Install axe-core (the accessibility checker the browser tests load into the page) from
    the npm registry into tests/e2e/node_modules when it is missing; it is never committed."""
    if (BROWSER_TOOLS / "node_modules" / "axe-core" / "axe.min.js").exists():
        return
    if not shutil.which("npm") and not apt_install("npm"):
        say("npm is missing: install Node.js and npm for the accessibility tests (tests/e2e)")
        return
    say("Installing axe-core for the accessibility tests")
    subprocess.run(  # nosec B603, B607
        ["npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--silent"],
        cwd=BROWSER_TOOLS,
        check=True,
    )


def postgres_url() -> str | None:
    """The PostgreSQL server to run the suite on too (TEST_DATABASE_URL, else the local one)."""
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES)
    probe = "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()"
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    probed = subprocess.run([str(PYTHON), "-c", probe, plain], capture_output=True)  # nosec B603
    reachable = probed.returncode == 0
    return url if reachable else None


def main() -> None:
    setup("dev,postgres")
    ensure_chromium()
    ensure_axe()
    os.chdir(ROOT)
    pytest = str(BIN / "pytest")
    say("Running the tests on SQLite (the embedded default)")
    code = subprocess.run([pytest, *sys.argv[1:]]).returncode  # nosec B603
    if code != 0:
        sys.exit(code)
    url = postgres_url()
    if url is None:
        say(f"No PostgreSQL answers at {DEFAULT_POSTGRES}: the suite ran on SQLite only")
        return
    say("Running the tests again on PostgreSQL")
    env = {**os.environ, "TEST_DATABASE_URL": url}
    # The browser tests serve the embedded default (SQLite): once is enough.
    marks = "not sqlite_only and not browser"
    again = subprocess.run([pytest, "-m", marks, *sys.argv[1:]], env=env)  # nosec B603
    sys.exit(again.returncode)


if __name__ == "__main__":
    main()
