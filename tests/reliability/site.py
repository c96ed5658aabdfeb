"""A real site for the reliability tests: a fresh instance folder, migrated by the real command,
served by gunicorn with several workers on a free port, and browsers that speak HTTP to it."""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.client import HTTPConnection, HTTPException
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import flask_migrate
import gunicorn
from sqlalchemy import make_url

from community import create_app
from tests.conftest import fresh_database_url

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET_KEY = "reliability-test-secret-key"
# gunicorn 27 opens a control socket in the home folder, shared by every gunicorn of the machine.
NO_CONTROL_SOCKET = ("--no-control-socket",) if gunicorn.version_info >= (27,) else ()

# The limits of the site, raised through their documented settings so that 20 busy members are
# not stopped by daily quotas and bursts meant for people (the limits themselves are tested in
# each feature's tests).
LOAD_LIMITS = {
    "LOGIN_RATE_LIMIT": "10000/minute",
    "WRITE_BURST_LIMIT_TL2": "10000/minute",
    "DAILY_QUOTA_REVIEW": "0,0,10000",
    "DAILY_QUOTA_POST": "0,0,10000",
    "DAILY_QUOTA_REPORT": "0,0,10000",
}


class Instance:
    """An instance folder with its own database (SQLite inside it, or a new PostgreSQL database
    when the suite runs on PostgreSQL), search index and uploads."""

    def __init__(self, folder: Path, database_url: str | None = None):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url or fresh_database_url(folder)
        self._app = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def database_file(self) -> Path:
        return Path(make_url(self.database_url).database)

    @property
    def upload_dir(self) -> Path:
        return self.folder / "uploads"

    def env(self, **extra: str) -> dict:
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "INSTANCE_PATH", "SEARCH_INDEX_DIR", "UPLOAD_DIR")
        }
        return {
            **environment,
            "INSTANCE_PATH": str(self.folder),
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": SECRET_KEY,
            **LOAD_LIMITS,
            **extra,
        }

    def flask(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run an operations command as an operator would: `flask --app wsgi ...`."""
        result = subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def migrate(self) -> None:
        """Build the schema with the migrations, as `flask --app wsgi db upgrade` does."""
        with self.app.app_context():
            flask_migrate.upgrade()

    @property
    def app(self):
        """The same instance seen from this process, for setting up and checking."""
        if self._app is None:
            self._app = create_app(
                {
                    "INSTANCE_PATH": str(self.folder),
                    "SQLALCHEMY_DATABASE_URI": self.database_url,
                    "SECRET_KEY": SECRET_KEY,
                }
            )
        return self._app


def free_socket() -> socket.socket:
    """A listening socket on a port the system picked, handed to gunicorn as a file descriptor:
    no other process can take the port in between."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(256)
    listener.set_inheritable(True)
    return listener


class Server:
    """gunicorn serving the instance with `workers` sync workers, as in production."""

    def __init__(self, instance: Instance, workers: int = 4):
        self.instance, self.workers = instance, workers
        self.log_path = instance.folder / "gunicorn.log"
        self.listener = free_socket()
        self.port = self.listener.getsockname()[1]
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        fd = self.listener.fileno()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "--workers",
                    str(self.workers),
                    "--bind",
                    f"fd://{fd}",
                    "--timeout",
                    "120",
                    "--graceful-timeout",
                    "10",
                    *NO_CONTROL_SOCKET,
                    "wsgi:app",
                ],
                cwd=ROOT,
                env=self.instance.env(),
                pass_fds=(fd,),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_until_ready()
        return self

    def wait_until_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn stopped:\n{self.log()}"
            with contextlib.suppress(OSError, HTTPException):
                if Browser(self.port).get("/health").status == 200 and len(self.worker_pids()) == (
                    self.workers
                ):
                    return
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer within {seconds} s:\n{self.log()}")

    def worker_pids(self) -> list[int]:
        """The worker processes of this gunicorn (children of its master)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def index_writer(self) -> int | None:
        """The worker holding the search index's write lock (applying the outbox), if any."""
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for fd in Path(f"/proc/{pid}/fd").iterdir():
                    if os.readlink(fd).endswith("_WRITELOCK"):
                        return pid
        return None

    def database_writer(self) -> int | None:
        """The worker inside an SQLite write transaction: it holds the WAL write lock (a POSIX
        lock on byte 120 of the -shm file, listed in /proc/locks)."""
        shm = Path(f"{self.instance.database_file}-shm")
        with contextlib.suppress(OSError):
            inode, workers = shm.stat().st_ino, set(self.worker_pids())
            for line in Path("/proc/locks").read_text().splitlines():
                fields = line.split()
                held = fields[3:4] == ["WRITE"] and fields[5].endswith(f":{inode}")
                if held and fields[6] == "120" and int(fields[4]) in workers:
                    return int(fields[4])
        return None

    def kill_worker(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]

    def __exit__(self, *exc_info) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        self.listener.close()


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    text: str

    @property
    def path(self) -> str:
        return urlsplit(self.location).path

    @property
    def fragment(self) -> str:
        return urlsplit(self.location).fragment


class HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        fields = dict(attrs)
        if tag == "input" and fields.get("type") == "hidden" and fields.get("name"):
            self.values.setdefault(fields["name"], fields.get("value") or "")


def hidden_inputs(html: str) -> dict[str, str]:
    parser = HiddenInputs()
    parser.feed(html)
    return parser.values


class Browser:
    """One visitor: cookies, forms with their CSRF token, redirects not followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        headers = {"Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        except (OSError, HTTPException):
            self.connection.close()  # the next request opens a new connection
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Answer(response.status, response.headers.get("Location", ""), text)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, form)


POST_ID = re.compile(r'id="p(\d+)">.*?/posts/(\d+)/edit', re.S)


def own_post_ids(thread_html: str) -> dict[int, int]:
    """{post number: post id} of the reader's own posts on a thread page (their Edit links)."""
    found = {}
    for article in thread_html.split("<article")[1:]:
        match = POST_ID.search(article.split("</article>")[0])
        if match:
            found[int(match.group(1))] = int(match.group(2))
    return found
