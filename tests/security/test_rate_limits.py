"""Every write is rate limited: each state-changing route of the URL map, sent one time more than
its limit allows by a new member (TL0), answers 429 with the site's page, and not before.
(Lockout after failed logins: tests/accounts/test_service.py; daily quotas: each feature's
tests.)"""

from flask_limiter.util import get_remote_address

from community.extensions import limiter
from tests.security.conftest import client_as
from tests.security.test_csrf import address, state_changing_routes

# Small limits, so that reaching each costs few requests; the limits are read back from here.
APP_CONFIG = {
    "RATELIMIT_ENABLED": True,
    "WRITE_BURST_LIMITS": ("2/minute", "3/minute", "4/minute"),
    "READ_MARK_RATE_LIMIT": "3/minute",
    "LOGIN_RATE_LIMIT": "3/minute;50/hour",
    "REGISTER_RATE_LIMIT": "2/hour",
}

# Routes whose limit is not the members' write burst, and why.
OWN_LIMITS = {
    "/login": "LOGIN_RATE_LIMIT",  # per address: guessing passwords
    "/register": "REGISTER_RATE_LIMIT",  # per address: making accounts
    "/threads/<int:thread_id>/read": "READ_MARK_RATE_LIMIT",  # sent by the page as it is read
    "/notifications/read": "READ_MARK_RATE_LIMIT",
    "/notifications/<int:notification_id>/open": "READ_MARK_RATE_LIMIT",
}
VISITORS = {"/login", "/register"}  # limited before anyone is logged in
# Writes without a limit, and why.
UNLIMITED = {"/logout": "once per session: the request after it is a visitor's"}


def first_limit(text: str) -> int:
    """'10/minute;50/hour' -> 10: the limit a burst meets first."""
    return int(text.split(";")[0].split("/")[0])


def test_every_write_answers_429_one_request_past_its_limit(app, world):
    burst = first_limit(app.config["WRITE_BURST_LIMITS"][0])
    checked, unlimited = [], []
    for method, rule in state_changing_routes(app):
        if rule in UNLIMITED:
            continue
        limit = first_limit(app.config[OWN_LIMITS[rule]]) if rule in OWN_LIMITS else burst
        role = "anonymous" if rule in VISITORS else "tl0"
        url, data = address(world, method, rule, role)
        client = client_as(app, world.user(role))
        answers = [client.open(url, method=method, data=data) for _ in range(limit + 1)]
        statuses = [answer.status_code for answer in answers]
        assert 429 not in statuses[:limit], (rule, statuses)
        if statuses[-1] != 429:
            unlimited.append(f"{method} {rule}: {statuses}")
        else:
            assert "Too many requests" in answers[-1].get_data(as_text=True), rule
        checked.append(rule)
        limiter.reset()
    assert not unlimited, "\n".join(unlimited)
    assert len(checked) + len(UNLIMITED) == len(state_changing_routes(app)) > 50


def test_the_burst_grows_with_trust(app, world):
    url = f"/reviews/{world.ids['review']}/edit"
    limits = [first_limit(text) for text in app.config["WRITE_BURST_LIMITS"]]
    for role, limit in zip(("tl0", "tl1", "tl2"), limits, strict=True):
        client = client_as(app, world.user(role))
        statuses = [client.post(url).status_code for _ in range(limit + 1)]
        assert 429 not in statuses[:limit] and statuses[-1] == 429, role


def test_members_are_limited_per_account_not_per_address(app, world):
    """Two members behind one address (a family, a café) each keep their own allowance."""
    burst = first_limit(app.config["WRITE_BURST_LIMITS"][0])
    url = f"/reviews/{world.ids['review']}/edit"
    first, second = client_as(app, world.user("tl0")), client_as(app, world.user("tl1"))
    for _ in range(burst):
        first.post(url)
    assert first.post(url).status_code == 429
    assert second.post(url).status_code != 429
    with app.test_request_context():
        assert get_remote_address() == "127.0.0.1"  # both came from the same address
