"""Members using the site at once through its real forms, each keeping the list of the writes
the site answered as saved."""

import random
import re
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.client import HTTPException

from community.accounts import passwords
from community.extensions import db
from community.search import service as search
from tests.conftest import PASSWORD, make_platform, make_requester, make_thread, make_user
from tests.reliability.site import Answer, Browser, Instance, hidden_inputs, own_post_ids

REVIEW_REDIRECT = re.compile(r"^/(requesters/\d+|platforms/[\w-]+)$")
THREAD_REDIRECT = re.compile(r"^/threads/(\d+)$")
REPORTERS_PER_ITEM = 3  # three trusted members' reports hide an item (REPORT_AUTOHIDE_WEIGHT 9)
SEARCH_WORDS = ("payout", "instructions", "rejection", "survey", "bonus")


@dataclass(frozen=True)
class SiteMap:
    """What the fresh instance holds: where members can write."""

    requester_ids: tuple[int, ...]
    platform_slugs: tuple[str, ...]
    thread_ids: tuple[int, ...]


def populate(instance: Instance, members: int) -> tuple[list[str], SiteMap]:
    """Trusted members, two platforms with three requesters each, two threads; then the index."""
    with instance.app.app_context():
        instance.app.config.update(ARGON2_TIME_COST=1, ARGON2_MEMORY_KIB=64)  # quick to make
        users = [make_user(trust=2, username=f"loadmember{n}") for n in range(members)]
        for cheap in ("ARGON2_TIME_COST", "ARGON2_MEMORY_KIB"):
            instance.app.config.pop(cheap)
        shared = passwords.hash_password(PASSWORD)  # at the site's real cost, computed once
        for user in users:
            user.password_hash = shared
        db.session.commit()
        platforms = [make_platform(f"Load Platform {n}") for n in range(2)]
        requesters = [
            make_requester(platform, f"LOADREQ{p}{n}", f"Load Requester {p}-{n}")
            for p, platform in enumerate(platforms)
            for n in range(3)
        ]
        threads = [
            make_thread(users[0], title="When do payouts arrive?", body="Tell us your dates."),
            make_thread(users[1], title="Instructions that changed", body="Seen any lately?"),
        ]
        search.drain()
        site = SiteMap(
            requester_ids=tuple(r.id for r in requesters),
            platform_slugs=tuple(p.slug for p in platforms),
            thread_ids=tuple(t.id for t in threads),
        )
        return [user.username for user in users], site


@dataclass(frozen=True)
class Write:
    """A write the site answered as saved (its redirect, and the id the redirect carries)."""

    kind: str  # "review", "post" or "report"
    username: str
    target: str  # review: "requesters/5" or "platforms/slug"; post: thread id; report: item kind
    item_id: int  # review id; post number; reported item id
    marker: str = ""  # text only this write holds


class Registry:
    """Shared by the clients: the writes answered as saved, and which items others may report
    (each by at most three members, so that no report finds its item already hidden)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.writes: list[Write] = []
        self.reportable: list[tuple[str, int, str]] = []  # (kind, id, author)
        self.reporters: dict[tuple[str, int], set[str]] = {}

    def saved(self, write: Write) -> None:
        with self.lock:
            self.writes.append(write)

    def offer(self, kind: str, item_id: int, author: str) -> None:
        with self.lock:
            self.reportable.append((kind, item_id, author))

    def claim(self, reporter: str, rng: random.Random) -> tuple[str, int] | None:
        with self.lock:
            candidates = [
                (kind, item_id)
                for kind, item_id, author in self.reportable[-200:]
                if author != reporter
                and reporter not in self.reporters.get((kind, item_id), ())
                and len(self.reporters.get((kind, item_id), ())) < REPORTERS_PER_ITEM
            ]
            if not candidates:
                return None
            begun = [item for item in candidates if item in self.reporters]
            chosen = rng.choice(begun if begun and rng.random() < 0.7 else candidates)
            self.reporters.setdefault(chosen, set()).add(reporter)
            return chosen


@dataclass
class Tally:
    """Every request and its answer, for the checks and the figures."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    unanswered: int = 0
    cut_writes: int = 0  # writes whose connection broke before the answer
    seconds: dict[str, list[float]] = field(default_factory=dict)  # by action

    def record(self, action: str, label: str, status, expected: set[int], took: float, text=""):
        with self.lock:
            self.requests += 1
            self.seconds.setdefault(action, []).append(took)
            if status is None:
                self.unanswered += 1
                self.cut_writes += label.startswith("POST")
                self.statuses["no answer"] += 1
                return
            self.statuses[status] += 1
            if status not in expected:
                snippet = " ".join(re.sub(r"<[^>]+>", " ", text).split())[:300]
                self.unexpected.append(f"{label} -> {status}: {snippet}")

    def latency(self) -> dict[str, dict[str, int]]:
        """Milliseconds per request (median, 95th percentile, longest) of each action."""
        figures = {}
        for action, seconds in sorted(self.seconds.items()):
            ordered = sorted(seconds)
            figures[action] = {
                "median": round(statistics.median(ordered) * 1000),
                "p95": round(ordered[int(len(ordered) * 0.95)] * 1000),
                "max": round(ordered[-1] * 1000),
            }
        return figures


class Unanswered(Exception):
    """The connection broke before an answer (a worker was killed)."""


class Member(threading.Thread):
    """One member: logs in, then writes reviews, replies and reports through the forms (GET the
    form for its CSRF token, POST it), with reads in between, until the deadline."""

    def __init__(
        self,
        number: int,
        username: str,
        port: int,
        site: SiteMap,
        registry: Registry,
        tally: Tally,
        deadline: float,
        unanswered_expected: bool = False,
    ):
        super().__init__(name=f"member-{number}", daemon=True)
        self.number, self.username = number, username
        self.browser = Browser(port)
        self.site, self.registry, self.tally = site, registry, tally
        self.deadline = deadline
        self.unanswered_expected = unanswered_expected
        self.rng = random.Random(number)
        self.count = 0
        self.action = "login"
        self.error: BaseException | None = None

    # HTTP with bookkeeping

    def call(self, method: str, path: str, form: dict | None = None, expect=(200,)) -> Answer:
        started = time.monotonic()
        try:
            answer = self.browser.request(method, path, form)
        except (OSError, HTTPException) as error:
            took = time.monotonic() - started
            self.tally.record(self.action, f"{method} {path}", None, set(expect), took)
            raise Unanswered(str(error)) from error
        took = time.monotonic() - started
        label = f"{method} {path}"
        self.tally.record(self.action, label, answer.status, set(expect), took, answer.text)
        return answer

    def form_fields(self, path: str) -> dict[str, str] | None:
        answer = self.call("GET", path)
        return hidden_inputs(answer.text) if answer.status == 200 else None

    # What a member does

    def run(self) -> None:
        try:
            if self.unanswered_expected:
                self.log_in_again_if_needed()
            else:
                self.log_in()
            actions = (self.review, self.reply, self.report, self.read)
            while time.monotonic() < self.deadline:
                action = self.rng.choices(actions, weights=(3, 3, 2, 2))[0]
                self.action = action.__name__
                try:
                    action()
                except Unanswered:
                    if not self.unanswered_expected:
                        raise
                    self.action = "login"
                    self.log_in_again_if_needed()
        except BaseException as error:  # shown by the test
            self.error = error

    def log_in(self) -> None:
        fields = self.form_fields("/login")
        answer = self.call(
            "POST",
            "/login",
            {**fields, "username": self.username, "password": PASSWORD},
            expect=(302,),
        )
        assert answer.status == 302, answer.text[:500]

    def log_in_again_if_needed(self) -> None:
        """A killed worker may have taken the login with it: log in again if it did."""
        for _attempt in range(10):
            try:
                if self.call("GET", "/me/reviews", expect=(200, 302)).status == 200:
                    return
                self.log_in()
                return
            except Unanswered:
                time.sleep(0.2)
        raise AssertionError(f"{self.username} could not log in again")

    def marker(self) -> str:
        self.count += 1
        return f"m{self.number}x{self.count}z"

    def review(self) -> None:
        rng = self.rng
        if rng.random() < 0.8:
            target = f"requesters/{rng.choice(self.site.requester_ids)}"
        else:
            target = f"platforms/{rng.choice(self.site.platform_slugs)}"
        fields = self.form_fields(f"/{target}/reviews/new")
        marker = self.marker()
        minutes = rng.randint(2, 90)
        form = {
            **fields,
            "score_pay": rng.randint(1, 5),
            "score_fairness": rng.randint(1, 5),
            "score_communication": rng.randint(1, 5),
            "reward": f"{rng.randint(5, 400) / 100:.2f}",
            "currency": rng.choice(("USD", "USD", "EUR", "GBP")),
            "minutes": minutes,
            "outcome": rng.choice(("approved", "approved", "rejected", "pending", "never_paid")),
            "days_to_paid": rng.choice(("", "0", "3", "14")),
            "estimate_honest": rng.choice(("", "yes", "no")),
            "would_work_again": rng.choice(("", "yes", "no")),
            "body": f"Load test review {marker}: clear instructions, paid fairly, no surprises.",
        }
        if rng.random() < 0.2:
            form["anonymous"] = "y"
        answer = self.call("POST", f"/{target}/reviews/new", form, expect=(302,))
        if answer.status != 302:
            return
        assert REVIEW_REDIRECT.match(answer.path) and answer.path == f"/{target}", answer.location
        review_id = int(answer.fragment.removeprefix("r"))
        self.registry.saved(Write("review", self.username, target, review_id, marker))
        self.registry.offer("review", review_id, self.username)
        if rng.random() < 0.3:  # a browser follows the redirect
            self.call("GET", answer.location.split("#")[0])

    def reply(self) -> None:
        thread_id = self.rng.choice(self.site.thread_ids)
        fields = self.form_fields(f"/threads/{thread_id}/reply")
        marker = self.marker()
        body = f"Reply {marker} about the payout schedule and the instructions."
        answer = self.call(
            "POST", f"/threads/{thread_id}/reply", {**fields, "body": body}, expect=(302,)
        )
        if answer.status != 302:
            return
        assert THREAD_REDIRECT.match(answer.path) and answer.path == f"/threads/{thread_id}"
        number = int(answer.fragment.removeprefix("p"))
        self.registry.saved(Write("post", self.username, str(thread_id), number, marker))
        page = self.call("GET", answer.location.split("#")[0])  # where the browser goes
        assert marker in page.text, f"{self.username}'s reply {number} is not on its page"
        post_id = own_post_ids(page.text).get(number)
        assert post_id, f"no Edit link on {self.username}'s own post {number}"
        self.registry.offer("post", post_id, self.username)

    def report(self) -> None:
        claimed = self.registry.claim(self.username, self.rng)
        if claimed is None:
            return self.read()
        kind, item_id = claimed
        fields = self.form_fields(f"/report/{kind}/{item_id}")
        reason = "misleading" if kind == "review" else "off_topic"
        answer = self.call(
            "POST",
            f"/report/{kind}/{item_id}",
            {**fields, "reason": reason, "details": "Load test report."},
            expect=(302,),
        )
        if answer.status == 302:
            self.registry.saved(Write("report", self.username, kind, item_id))

    def read(self) -> None:
        rng = self.rng
        path = rng.choice(
            (
                "/",
                f"/requesters/{rng.choice(self.site.requester_ids)}",
                f"/platforms/{rng.choice(self.site.platform_slugs)}",
                f"/threads/{rng.choice(self.site.thread_ids)}",
                f"/search?q={rng.choice(SEARCH_WORDS)}",
                "/notifications",
            )
        )
        self.call("GET", path)


def run_members(
    usernames: list[str],
    port: int,
    site: SiteMap,
    seconds: float,
    unanswered_expected: bool = False,
    during=None,
) -> tuple[Registry, Tally, float]:
    """Run one member per username until `seconds` have passed; `during()` runs meanwhile."""
    registry, tally = Registry(), Tally()
    started = time.monotonic()
    members = [
        Member(n, name, port, site, registry, tally, started + seconds, unanswered_expected)
        for n, name in enumerate(usernames)
    ]
    for member in members:
        member.start()
    if during is not None:
        during()
    for member in members:
        member.join(timeout=seconds + 180)
    elapsed = time.monotonic() - started
    errors = [f"{m.name}: {m.error!r}" for m in members if m.error or m.is_alive()]
    assert not errors, errors
    return registry, tally, elapsed
