#!/usr/bin/env python3
"""Set everything up and run the whole test suite: on SQLite and, at the same time, on
PostgreSQL when a server answers (TEST_DATABASE_URL, else postgres@127.0.0.1:5432/test). The
local PostgreSQL and Redis are started first when they do not answer and the machine has them.
Extra arguments go to pytest."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from _setup import BIN, PYTHON, ROOT, TOOL_EXTRAS, say, setup

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"  # rate limits on Redis: tests/core/test_redis_limits.py
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

# The browser tests drive the system's Chromium (never a browser downloaded by Playwright).
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
BROWSER_TOOLS = ROOT / "tests" / "e2e"  # package.json: what npm installs for them


def apt_install(*packages: str) -> bool:
    """Install Debian packages when we may (root, with apt-get); False when we may not."""
    if not shutil.which("apt-get") or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)  # nosec B603, B607 # Debian's apt-get, fixed arguments
    subprocess.run(  # nosec B603, B607 # Debian's apt-get, fixed arguments
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
    subprocess.run(  # nosec B603, B607 # npm from the machine, fixed arguments
        ["npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--silent"],
        cwd=BROWSER_TOOLS,
        check=True,
    )


def answers(probe: str, url: str) -> bool:
    return subprocess.run([str(PYTHON), "-c", probe, url], capture_output=True).returncode == 0  # nosec B603 # the operator's own commands


POSTGRES_PROBE = "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()"
REDIS_PROBE = (
    "import sys, redis; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).ping()"
)


def start_and_wait(command: list[str], probe: str, url: str, name: str) -> bool:
    """Start a local server that does not answer (when the machine has it), then wait for it."""
    if urlsplit(url).hostname not in LOCAL_HOSTS or not shutil.which(command[0]):
        return False
    say(f"Starting the local {name}")
    if subprocess.run(command).returncode != 0:  # nosec B603 # the operator's own commands
        return False
    for _ in range(30):
        if answers(probe, url):
            return True
        time.sleep(0.5)
    return False


def postgres_url() -> str | None:
    """The PostgreSQL server to run the suite on too (TEST_DATABASE_URL, else the local one)."""
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES)
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    if answers(POSTGRES_PROBE, plain):
        return url
    clusters = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    for version in clusters:
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"]
        if start_and_wait(command, POSTGRES_PROBE, plain, f"PostgreSQL {version}"):
            return url
    return None


def ensure_redis() -> None:
    """The Redis tests of the rate limits run when a Redis answers; start the local one if not."""
    url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS)
    if answers(REDIS_PROBE, url):
        return
    if shutil.which("redis-server"):
        for folder in ("/var/lib/redis", "/var/log/redis"):
            Path(folder).mkdir(parents=True, exist_ok=True)
    command = [
        "redis-server",
        "--daemonize", "yes",
        "--bind", "127.0.0.1", "-::1",
        "--port", str(urlsplit(url).port or 6379),
        "--save", "",
        "--appendonly", "no",
        "--dir", "/var/lib/redis",
        "--logfile", "/var/log/redis/ci.log",
    ]  # fmt: skip
    if not start_and_wait(command, REDIS_PROBE, url, "Redis"):
        say(f"No Redis answers at {url}: the Redis tests of the rate limits are skipped")


def start_postgres_pass(url: str, pytest: str, basetemp: Path, log: Path) -> subprocess.Popen:
    """The PostgreSQL pass runs beside the SQLite one (two cores: about half the time); its
    report is printed once the SQLite one is done. The browser tests serve the embedded default
    (SQLite): once is enough."""
    env = {**os.environ, "TEST_DATABASE_URL": url}
    marks = "not sqlite_only and not browser"
    command = [pytest, "-m", marks, f"--basetemp={basetemp}", *sys.argv[1:]]
    with log.open("wb") as output:
        return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)  # nosec B603 # the operator's own commands


def main() -> None:
    setup(TOOL_EXTRAS)
    ensure_chromium()
    ensure_axe()
    ensure_redis()
    os.chdir(ROOT)
    pytest = str(BIN / "pytest")
    scratch = Path(tempfile.mkdtemp(prefix="taskopticon-tests-"))
    url = postgres_url()
    postgres = None
    if url is None:
        say(f"No PostgreSQL answers at {DEFAULT_POSTGRES}: the suite runs on SQLite only")
    else:
        postgres = start_postgres_pass(url, pytest, scratch / "postgres", scratch / "postgres.log")
        say("Running the tests on PostgreSQL in the background; their report follows SQLite's")
    say("Running the tests on SQLite (the embedded default)")
    command = [pytest, f"--basetemp={scratch / 'sqlite'}", *sys.argv[1:]]
    code = subprocess.run(command).returncode  # nosec B603 # the operator's own commands
    if postgres is not None:
        again = postgres.wait()
        say("The tests on PostgreSQL")
        sys.stdout.write((scratch / "postgres.log").read_text(errors="replace"))
        code = code or again
    shutil.rmtree(scratch, ignore_errors=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
