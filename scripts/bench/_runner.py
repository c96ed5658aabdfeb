"""The page bench: the site under gunicorn on a bench instance, driven by wrk from outside.

The site runs as production would (wsgi:app, gunicorn, 2 sync workers, no access log), pointed
at the instance by the environment. Three settings differ, each through the site's own
configuration: the daily quotas and write bursts of reviews and posts are raised (DAILY_QUOTA_*,
WRITE_BURST_LIMIT_TL*: the bench's members are the only writers), and the limits per address of
logins and of the API are raised, since every request of the bench comes from 127.0.0.1.
"""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, replace
from http.cookiejar import CookieJar
from pathlib import Path

from _bench import BENCH_DIR, ROOT, site_environment
from _setup import BIN

WRK_DRIVER = BENCH_DIR / "wrk" / "driver.lua"
LOGGED_IN_MEMBERS = 32
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Endpoint:
    name: str
    paths: list[str]
    method: str = "GET"
    target: str = "read"  # read, batch, write
    cookie: str | None = None
    form: str | None = None
    members: list[dict] = field(default_factory=list)
    connections: int | None = None  # None: the run's own (16)


@dataclass
class Result:
    endpoint: Endpoint
    rps: float
    p50: float
    p95: float
    p99: float
    requests: int
    errors: int
    answered: int = 0


# Servers


class Server:
    """gunicorn on a free port (bound to port 0: the port is read from its log)."""

    def __init__(self, app: str, env: dict, log: Path, chdir: Path = ROOT, workers: int = 2):
        self.log = log
        command = [
            str(BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            "127.0.0.1:0",
            "--chdir",
            str(chdir),
            app,
        ]
        self.handle = log.open("w")
        self.process = subprocess.Popen(  # nosec B603 # gunicorn of this venv, fixed arguments
            command, env=env, stdout=self.handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.url = self._wait_for_port()

    def _wait_for_port(self) -> str:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", self.log.read_text())
            if found and self._workers_booted() >= 2:
                return found.group(1)
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: see {self.log}")
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start: see {self.log}")

    def _workers_booted(self) -> int:
        return len(re.findall(r"Booting worker with pid", self.log.read_text()))

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def peak_rss_mb(self) -> list[float]:
        """Each worker's peak resident memory since it started (VmHWM)."""
        peaks = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            kib = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
            peaks.append(round(kib / 1024, 1))
        return peaks

    def restarted_workers(self) -> int:
        return max(0, self._workers_booted() - 2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.handle.close()


def site_env(folder: Path, manifest: dict) -> dict:
    env = {
        **os.environ,
        **site_environment(folder, manifest),
        "DAILY_QUOTA_REVIEW": "10000000,10000000,10000000",
        "DAILY_QUOTA_POST": "10000000,10000000,10000000",
        **{f"WRITE_BURST_LIMIT_TL{level}": "10000000/minute" for level in range(3)},
        "LOGIN_RATE_LIMIT": "100000/minute",
        "API_RATE_LIMIT": "10000000/minute",
    }
    env.pop("WEB_CONCURRENCY", None)
    return env


# Members


def _fetch(opener, url: str, data: dict | None = None) -> str:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body)  # noqa: S310 - the bench's own server
    with opener.open(request, timeout=120) as answer:
        return answer.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(base: str, username: str, password: str, form_path: str) -> dict:
    """A member's session cookie and the CSRF token of their session, as a browser gets them."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = TOKEN.search(_fetch(opener, f"{base}/login")).group(1)
    _fetch(
        opener, f"{base}/login", {"csrf_token": token, "username": username, "password": password}
    )
    page = _fetch(opener, f"{base}{form_path}")
    if "/logout" not in page:
        raise RuntimeError(f"{username} could not log in")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return {"cookie": cookie, "token": urllib.parse.quote(TOKEN.search(page).group(1), safe="")}


# wrk


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit("wrk is missing: install Debian's wrk package (apt-get install wrk).")
    print("==> Installing wrk (Debian package)", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)  # nosec B603, B607 # apt-get
    subprocess.run(  # nosec B603, B607 # Debian's apt-get, fixed arguments
        ["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env
    )
    return shutil.which("wrk")


def _lua(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    if value is None:
        return "nil"
    return json.dumps(value)  # a JSON string or number is a Lua literal too


def drive(wrk: str, base: str, endpoint: Endpoint, seconds: float, threads: int, connections: int):
    data = {
        "method": endpoint.method,
        "paths": endpoint.paths,
        "cookie": endpoint.cookie,
        "form": endpoint.form,
        "members": endpoint.members,
        "marker": "bench" + secrets.token_hex(3),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write("return " + _lua(data) + "\n")
    try:
        output = subprocess.run(  # nosec B603 # wrk, with the bench's own arguments
            [
                wrk,
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                str(WRK_DRIVER),
                base,
            ],
            env={**os.environ, "BENCH_DATA": handle.name},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    found = re.search(r"BENCH_RESULT (\{.*\})", output)
    if not found:
        raise RuntimeError(f"wrk gave no result:\n{output}")
    raw = json.loads(found.group(1))
    return Result(
        endpoint=endpoint,
        rps=raw["requests"] / (raw["duration_us"] / 1e6),
        p50=raw["p50_us"] / 1000,
        p95=raw["p95_us"] / 1000,
        p99=raw["p99_us"] / 1000,
        requests=raw["requests"],
        errors=raw["status_errors"] + raw["socket_errors"],
    )


# The bench


# PICK(a|b|c): one of the choices at random, for each review (scripts/bench/wrk/driver.lua).
REVIEW_FORM = {
    "submission_key": "MARKER",
    "score_pay": "PICK(1|2|3|4|5)",
    "score_fairness": "PICK(1|2|3|4|5)",
    "score_communication": "PICK(1|2|3|4|5)",
    "task_title": "Bench survey MARKER",
    "reward": "PICK(0.05|0.30|0.80|1.20|2.50|6.00)",
    "currency": "PICK(USD|USD|USD|EUR|GBP)",
    "minutes": "PICK(2|5|12|25|40|90)",
    "outcome": "PICK(approved|approved|approved|rejected|pending|never_paid|returned)",
    "days_to_paid": "PICK(0|1|2|3|7|14|30)",
    "estimate_honest": "PICK(yes|no)",
    "would_work_again": "PICK(yes|no)",
    "body": "Paid within two days as promised, clear instructions. Marker MARKER for the bench.",
}
REPLY_FORM = {"body": "Same here: rejected without explanation last week. Marker MARKER."}
# The minimal form post of scripts/bench/ceiling: the reply's text, no member, no token.
WRITE_CEILING = Endpoint(
    "ceiling: minimal form post",
    ["/write"],
    "POST",
    "write",
    form=urllib.parse.urlencode(REPLY_FORM),
    members=[{"cookie": "", "token": ""}],  # nosec B105 # no session: an empty CSRF token
)


def endpoints(manifest: dict, writers: list[dict], reader: dict) -> list[Endpoint]:
    platform = manifest["platform"]
    biggest = manifest["biggest_requester"]
    typical = manifest["typical_requester"]
    thread = manifest["big_thread"]
    pages = -(-thread["posts"] // 20)
    deep = sorted({max(1, pages * share // 100) for share in range(60, 96, 5)})
    queries = manifest["queries"]

    def search(kind: str) -> list[str]:
        return [f"/search?q={urllib.parse.quote(q)}" for q in queries[kind]]

    def write(name: str, path: str, fields: dict) -> Endpoint:
        # MARKER: replaced by wrk with a unique word; PICK(...) by one of its choices.
        form = urllib.parse.urlencode(fields, safe="()|")
        return Endpoint(name, [path], "POST", "write", form=form, members=writers)

    batch = f"/api/v1/platforms/{platform}/requesters?ids="
    writes = [
        write(
            "write: review of the biggest requester",
            f"/requesters/{biggest['id']}/reviews/new",
            REVIEW_FORM,
        ),
        write("write: reply in the big thread", f"/threads/{thread['id']}/reply", REPLY_FORM),
    ]
    # Writes again with one connection per worker: what a writer waits when the site is not
    # saturated (with 16, 14 requests queue behind the 2 that run).
    return [
        Endpoint("home", ["/"]),
        Endpoint(f"platform page ({platform})", [f"/platforms/{platform}"]),
        Endpoint(
            f"requester page, biggest ({biggest['reviewers']:,} reviewers)",
            [f"/requesters/{biggest['id']}"],
        ),
        Endpoint(
            f"requester page, typical ({typical['reviewers']} reviewers)",
            [f"/requesters/{typical['id']}"],
        ),
        Endpoint(
            "requester page, biggest, logged in",
            [f"/requesters/{biggest['id']}"],
            cookie=reader["cookie"],
        ),
        Endpoint("requesters sorted by rating", ["/requesters?sort=best"]),
        Endpoint(
            f"thread page {deep[0]}-{deep[-1]} of {pages} ({thread['posts']:,} posts)",
            [f"/threads/{thread['id']}?page={page}" for page in deep],
        ),
        Endpoint("search: one word", search("one word")),
        Endpoint("search: two words", search("two words")),
        Endpoint("search: phrase", search("phrase")),
        Endpoint("search: rare word", search("rare word")),
        Endpoint(
            "batch API, 100 identifiers",
            [batch + ids for ids in manifest["batches"]],
            target="batch",
        ),
        *writes,
        *(replace(w, name=f"{w.name}, 2 connections", connections=2) for w in writes),
    ]


def verdict(result: Result, share: float) -> str:
    name = result.endpoint.name
    if result.endpoint.target == "write":
        return "ok" if result.p95 <= 60 else "p95 > 60 ms"
    if result.endpoint.target == "batch":
        return "ok" if result.p95 <= 30 else "p95 > 30 ms"
    if name.startswith("search"):
        return "ok" if result.p95 <= 300 else "p95 > 300 ms"
    problems = []
    if result.p95 > 50:
        problems.append("p95 > 50 ms")
    if share < 0.30:
        problems.append("< 30% of ceiling")
    if name.startswith("thread") and result.rps < 400:
        problems.append("< 400 req/s")
    return ", ".join(problems) or "ok"


def table(results: list[Result], ceilings: dict[str, float]) -> str:
    """`ceilings`: requests/s of the minimal page ("read") and of the minimal write ("write")."""
    lines = [
        "| page | req/s | p50 ms | p95 ms | p99 ms | of ceiling | errors | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        share = r.rps / ceilings["write" if r.endpoint.target == "write" else "read"]
        lines.append(
            f"| {r.endpoint.name} | {r.rps:,.0f} | {r.p50:.1f} | {r.p95:.1f} | {r.p99:.1f} | "
            f"{share:.0%} | {r.errors} | {verdict(r, share)} |"
        )
    return "\n".join(lines)


# Checks after the writes, through the site's own code


class WriteChecks:
    """Counts before the writes; afterwards, that they landed, that the stored figures equal a
    recount and that the search index holds them (its outbox drained)."""

    def __init__(self, manifest: dict, usernames: list[str]):
        from community import create_app

        self.app = create_app()
        self.manifest = manifest
        self.usernames = usernames
        with self.app.app_context():
            self.before = self._counts()

    def _counts(self) -> dict:
        from sqlalchemy import func, select

        from community.accounts.models import User
        from community.extensions import db
        from community.forum.models import Post
        from community.reviews.models import Review

        bench = select(User.id).where(User.username.in_(self.usernames))
        reviews = db.session.scalar(
            select(func.count())
            .select_from(Review)
            .where(
                Review.requester_id == self.manifest["biggest_requester"]["id"],
                Review.author_id.in_(bench),
            )
        )
        posts = db.session.scalar(
            select(func.count())
            .select_from(Post)
            .where(Post.thread_id == self.manifest["big_thread"]["id"], Post.author_id.in_(bench))
        )
        db.session.rollback()
        return {"reviews": reviews, "posts": posts}

    def settle(self, seconds: float = 120) -> float:
        """Wait until the index has taken every write (the search outbox is empty), so that each
        page is measured alone, not beside the indexing of the writes measured before it.
        Returns the seconds waited."""
        from community.extensions import db
        from community.search import service as search

        started = time.monotonic()
        with self.app.app_context():
            while search.pending() and time.monotonic() < started + seconds:
                db.session.rollback()
                time.sleep(0.2)
            db.session.rollback()
        return time.monotonic() - started

    def report(self, sent: dict[str, int]) -> list[str]:
        from datetime import timedelta

        from sqlalchemy import select

        from community.catalog.models import Requester
        from community.extensions import db
        from community.forum.models import Post
        from community.reviews import aggregates
        from community.reviews.models import Review, ReviewTally
        from community.search import service as search

        lines = []
        self.settle()
        with self.app.app_context():
            waiting = search.pending()
            after = self._counts()
            for kind in ("reviews", "posts"):
                landed = after[kind] - self.before[kind]
                lines.append(
                    f"{kind}: {landed} written by the bench members, {sent[kind]} answered "
                    "with a redirect (wrk stops with a request per connection in flight, which "
                    "the site still writes)"
                )
            requester = db.session.get(Requester, self.manifest["biggest_requester"]["id"])
            stored = _figures(requester)
            # Recounted as of the moment the figures were stored: the tally keeps the start of
            # its recent window to the microsecond (`computed_at` is kept to the second, which
            # once moved a review at the window's edge into the recount).
            tally = db.session.scalar(
                select(ReviewTally).where(ReviewTally.requester_id == requester.id)
            )
            stored_at = tally.recent_since + timedelta(days=requester.stats["recent_days"])
            aggregates.refresh(requester, stored_at)
            db.session.flush()
            recount = _figures(requester)
            db.session.rollback()
            lines.append(
                "figures of the biggest requester: "
                + ("equal to a recount" if stored == recount else "DIFFER from a recount")
                + f" ({requester.reviewer_count:,} reviewers)"
            )
            newest = [
                ("review", item_id, body)
                for item_id, body in db.session.execute(
                    select(Review.id, Review.body).order_by(Review.id.desc()).limit(5)
                )
            ] + [
                ("post", item_id, body)
                for item_id, body in db.session.execute(
                    select(Post.id, Post.body).order_by(Post.id.desc()).limit(5)
                )
            ]
            found = 0
            for kind, item_id, body in newest:
                marker = re.search(r"Marker (\w+)", body)
                results, _notices, _complete = search.search(
                    marker.group(1) if marker else body, kind, None, None, "relevance", 1, 10
                )
                found += any(hit.key == f"{kind}:{item_id}" for hit in results.hits)
            lines.append(
                f"search: {waiting} changes waiting in the outbox; "
                f"{found} of the {len(newest)} newest reviews and posts found by their marker"
            )
        return lines


def _figures(requester) -> dict:
    stats = dict(requester.stats or {})
    stats.pop("computed_at", None)
    return {
        "reviewer_count": requester.reviewer_count,
        "ranking_score": requester.ranking_score,
        "avg": (requester.avg_pay, requester.avg_fairness, requester.avg_communication),
        "median": requester.median_hourly_usd_cents,
        "last_review_at": requester.last_review_at,
        "stats": json.dumps(stats, sort_keys=True),
    }
