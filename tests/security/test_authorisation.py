"""Every route, every role, the expected answer: the authorisation matrix.

The routes come from the URL map, so a new route fails `test_the_matrix_covers_every_route`
until its row is written here. Writes are sent empty: a role that may act gets past the
permission check and is stopped by validation (422), a role that may not is refused (403, or
404 where the site does not admit the object exists to them); the few writes that need no
input really happen (the 302 of a success), on objects kept for that one route.

Codes: 200, 400, 403, 404, 422; LOGIN is a 302 to the login page, GO a 302 anywhere else.
"""

from dataclasses import dataclass

from tests.security.conftest import client_as
from tests.security.world import ROLES

LOGIN, GO = "login", "go"
MEMBERS = ROLES[1:]


def expect(default, anonymous=LOGIN, **roles) -> dict[str, object]:
    """Every member gets `default` unless named; visitors are sent to log in unless named."""
    return {"anonymous": anonymous, **dict.fromkeys(MEMBERS, default), **roles}


def public(status=200) -> dict[str, object]:
    return expect(status, anonymous=status)


def moderators(status) -> dict[str, object]:
    return expect(403, moderator=status, admin=status)


@dataclass(frozen=True)
class Row:
    method: str
    rule: str
    url: str  # formatted with the world's ids; an id per role is picked for each role
    expected: dict[str, object]
    data: dict[str, str] | None = None  # a valid form, where validation comes before permission


R = Row
STATEMENT = {"body": "A statement long enough for the case file of this dispute."}
MATRIX = [
    # Pages everyone reads
    R("GET", "/", "/", public()),
    R("GET", "/check", "/check?q=matrix", public()),
    R("GET", "/rules", "/rules", public()),
    R("GET", "/rules/<int:version>", "/rules/{rules_version}", public()),
    R("GET", "/fair-pay", "/fair-pay", public()),
    R("GET", "/legit-rules", "/legit-rules", public()),
    R("GET", "/health", "/health", public()),
    R("GET", "/static/<path:filename>", "/static/css/site.css", public()),
    R("GET", "/search", "/search?q=owner", public()),
    R("GET", "/members/<username>", "/members/role_tl1", public()),
    R("GET", "/platforms", "/platforms", public()),
    R("GET", "/platforms/<slug>", "/platforms/{platform}", public()),
    R("GET", "/platforms/<slug>/proofs", "/platforms/{platform}/proofs", public()),
    R("GET", "/requesters", "/requesters", public()),
    R("GET", "/requesters/<int:requester_id>", "/requesters/{requester}", public()),
    R("GET", "/requesters/<int:requester_id>/proofs", "/requesters/{requester}/proofs", public()),
    R("GET", "/reviews/<int:review_id>", "/reviews/{review}", public(GO)),
    R("GET", "/proofs", "/proofs", public()),
    R("GET", "/proofs/<int:proof_id>", "/proofs/{proof}", public()),
    R("GET", "/proofs/<int:proof_id>/image", "/proofs/{proof}/image", public()),
    R("GET", "/proofs/<int:proof_id>/thumbnail", "/proofs/{proof}/thumbnail", public()),
    R("GET", "/flags", "/flags", public()),
    R("GET", "/flags/<int:flag_id>", "/flags/{flag}", public()),
    R("GET", "/forum", "/forum", public()),
    R("GET", "/forum/<slug>", "/forum/newcomers", public()),
    R("GET", "/forum/platforms/<slug>", "/forum/platforms/{platform}", public()),
    R("GET", "/threads/<int:thread_id>", "/threads/{thread}", public()),
    R("GET", "/posts/<int:post_id>", "/posts/{post}", public(GO)),
    R("GET", "/moderation/log", "/moderation/log", public()),
    R("GET", "/moderators", "/moderators", public()),
    R("GET", "/elections/<int:election_id>", "/elections/{election}", public()),
    R("GET", "/disputes", "/disputes", public()),
    R("GET", "/disputes/<int:dispute_id>", "/disputes/{dispute}", public()),
    R("GET", "/api", "/api", public()),
    R("GET", "/userscript", "/userscript", public()),
    R("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", public()),
    R("GET", "/api/v1/platforms", "/api/v1/platforms", public()),
    R("GET", "/api/v1/platforms/<slug>", "/api/v1/platforms/{platform}", public()),
    R(
        "GET",
        "/api/v1/platforms/<slug>/proofs",
        "/api/v1/platforms/{platform}/proofs",
        public(),
    ),
    R(
        "GET",
        "/api/v1/platforms/<slug>/requesters",
        "/api/v1/platforms/{platform}/requesters?ids={external_id}",
        public(),
    ),
    R(
        "GET",
        "/api/v1/platforms/<slug>/requesters/<external_id>",
        "/api/v1/platforms/{platform}/requesters/{external_id}",
        public(),
    ),
    R(
        "GET",
        "/api/v1/platforms/<slug>/reviews",
        "/api/v1/platforms/{platform}/reviews",
        public(),
    ),
    R("GET", "/api/v1/requesters", "/api/v1/requesters", public()),
    R("GET", "/api/v1/requesters/<int:requester_id>", "/api/v1/requesters/{requester}", public()),
    R(
        "GET",
        "/api/v1/requesters/<int:requester_id>/reviews",
        "/api/v1/requesters/{requester}/reviews",
        public(),
    ),
    R("GET", "/api/v1/flags", "/api/v1/flags", public()),
    # Accounts
    R("GET", "/register", "/register", expect(GO, anonymous=200)),
    R("POST", "/register", "/register", expect(GO, anonymous=422)),
    R("GET", "/login", "/login", expect(GO, anonymous=200)),
    R("POST", "/login", "/login", expect(GO, anonymous=422)),
    R("POST", "/logout", "/logout", expect(GO)),
    R("POST", "/language", "/language", public(400)),
    R("GET", "/settings", "/settings", expect(200)),
    R("POST", "/settings", "/settings", expect(GO)),
    R("POST", "/settings/password", "/settings/password", expect(422)),
    R("GET", "/me/data", "/me/data", expect(200)),
    R("POST", "/me/data/export", "/me/data/export", expect(422)),
    R("POST", "/me/data/delete", "/me/data/delete", expect(422)),
    R("GET", "/notifications", "/notifications", expect(200)),
    R("POST", "/notifications/read", "/notifications/read", expect(GO)),
    R(
        "POST",
        "/notifications/<int:notification_id>/open",
        "/notifications/{notification}/open",
        expect(404, tl1=GO),
    ),
    # Catalog and reviews
    R("GET", "/platforms/new", "/platforms/new", expect(200, tl0=403)),
    R("POST", "/platforms/new", "/platforms/new", expect(422, tl0=403)),
    R("GET", "/reviews/new", "/reviews/new", expect(200)),
    R("POST", "/reviews/new", "/reviews/new", expect(422)),
    R(
        "GET",
        "/requesters/<int:requester_id>/reviews/new",
        "/requesters/{requester}/reviews/new",
        expect(200),
    ),
    R(
        "POST",
        "/requesters/<int:requester_id>/reviews/new",
        "/requesters/{requester}/reviews/new",
        expect(422),
    ),
    R("GET", "/platforms/<slug>/reviews/new", "/platforms/{platform}/reviews/new", expect(200)),
    R("POST", "/platforms/<slug>/reviews/new", "/platforms/{platform}/reviews/new", expect(422)),
    R("GET", "/reviews/<int:review_id>/edit", "/reviews/{review}/edit", expect(403, tl1=200)),
    R("POST", "/reviews/<int:review_id>/edit", "/reviews/{review}/edit", expect(403, tl1=422)),
    R(
        "POST",
        "/reviews/<int:review_id>/withdraw",
        "/reviews/{withdraw_review}/withdraw",
        expect(403, tl1=GO),
    ),
    R(
        "GET",
        "/reviews/<int:review_id>/history",
        "/reviews/{review}/history",
        expect(403, tl1=200, moderator=200, admin=200),
    ),
    R("GET", "/me/reviews", "/me/reviews", expect(200)),
    # Proofs of payment
    R("GET", "/proofs/new", "/proofs/new", expect(200)),
    R("POST", "/proofs/new", "/proofs/new", expect(422)),
    R(
        "POST",
        "/proofs/<int:proof_id>/mark",
        "/proofs/{proof}/mark",
        expect(GO, tl1=403),
        {"verdict": "genuine"},
    ),
    R(
        "POST",
        "/proofs/<int:proof_id>/confirm",
        "/proofs/{confirm_proof}/confirm",
        expect(403, tl2=GO, moderator=GO, admin=GO),
    ),
    R("POST", "/proofs/<int:proof_id>/remove", "/proofs/{proof}/remove", moderators(422)),
    R(
        "POST",
        "/proofs/<int:proof_id>/withdraw",
        "/proofs/{withdraw_proof}/withdraw",
        expect(403, tl1=GO),
    ),
    # Task flags
    R("GET", "/flags/new", "/flags/new", expect(200)),
    R("POST", "/flags/new", "/flags/new", expect(422)),
    R("POST", "/flags/<int:flag_id>/seen-too", "/flags/{flag}/seen-too", expect(GO, tl1=403)),
    R(
        "POST",
        "/flags/<int:flag_id>/decision",
        "/flags/{flag}/decision",
        expect(403, tl2=422, moderator=422, admin=422),
    ),
    R("POST", "/flags/<int:flag_id>/reopen", "/flags/{decided_flag}/reopen", moderators(422)),
    R(
        "POST",
        "/flags/<int:flag_id>/withdraw",
        "/flags/{withdraw_flag}/withdraw",
        expect(403, tl1=GO),
    ),
    # Forum
    R("GET", "/forum/<slug>/new", "/forum/newcomers/new", expect(200)),
    R("POST", "/forum/<slug>/new", "/forum/newcomers/new", expect(422)),
    R("GET", "/forum/<slug>/new", "/forum/announcements/new", moderators(200)),
    R("POST", "/forum/<slug>/new", "/forum/announcements/new", moderators(422)),
    R("GET", "/forum/platforms/<slug>/new", "/forum/platforms/{platform}/new", expect(200)),
    R("POST", "/forum/platforms/<slug>/new", "/forum/platforms/{platform}/new", expect(422)),
    R("GET", "/threads/<int:thread_id>/reply", "/threads/{thread}/reply", expect(200)),
    R("POST", "/threads/<int:thread_id>/reply", "/threads/{thread}/reply", expect(422)),
    R("POST", "/threads/<int:thread_id>/read", "/threads/{thread}/read", expect(400)),
    R(
        "POST",
        "/threads/<int:thread_id>/subscription",
        "/threads/{thread}/subscription",
        expect(GO),
    ),
    R("GET", "/posts/<int:post_id>/edit", "/posts/{post}/edit", expect(403, tl1=200)),
    R("POST", "/posts/<int:post_id>/edit", "/posts/{post}/edit", expect(403, tl1=422)),
    R(
        "POST",
        "/posts/<int:post_id>/delete",
        "/posts/{delete_post}/delete",
        expect(403, tl1=GO),
    ),
    R(
        "GET",
        "/posts/<int:post_id>/history",
        "/posts/{post}/history",
        expect(403, tl1=200, moderator=200, admin=200),
    ),
    # Reports, the queue, acts on items and members
    R("GET", "/report/<kind>/<int:item_id>", "/report/review/{review}", expect(200, tl1=403)),
    R(
        "POST",
        "/report/<kind>/<int:item_id>",
        "/report/review/{report_review}",
        expect(GO, tl1=403),
        {"reason": "misleading"},
    ),
    R("GET", "/moderation", "/moderation", moderators(200)),
    R(
        "GET",
        "/moderation/items/<kind>/<int:item_id>",
        "/moderation/items/review/{review}",
        moderators(200),
    ),
    R(
        "POST",
        "/moderation/items/<kind>/<int:item_id>/<act>",
        "/moderation/items/review/{review}/hide",
        moderators(422),
    ),
    R("GET", "/moderation/members/<username>", "/moderation/members/role_tl1", moderators(200)),
    R(
        "POST",
        "/moderation/members/<username>/<act>",
        "/moderation/members/role_tl1/warn",
        moderators(422),
    ),
    R("GET", "/moderation/merge", "/moderation/merge", moderators(200)),
    R("POST", "/moderation/merge", "/moderation/merge", moderators(422)),
    # Appeals
    R("GET", "/me/moderation", "/me/moderation", expect(200)),
    R(
        "GET",
        "/moderation/actions/<int:action_id>/appeal",
        "/moderation/actions/{warning}/appeal",
        expect(403, tl1=200),
    ),
    R(
        "POST",
        "/moderation/actions/<int:action_id>/appeal",
        "/moderation/actions/{warning}/appeal",
        expect(403, tl1=422),
    ),
    R(
        "GET",
        "/appeals/<int:appeal_id>",
        "/appeals/{appeal}",
        expect(404, tl1=200, moderator=200, admin=200),
    ),
    R("POST", "/appeals/<int:appeal_id>/decide", "/appeals/{appeal}/decide", moderators(422)),
    R("GET", "/moderation/appeals", "/moderation/appeals", moderators(200)),
    # Representatives: claims and the right of reply
    R("GET", "/requesters/<int:requester_id>/claim", "/requesters/{requester}/claim", expect(200)),
    R(
        "POST",
        "/requesters/<int:requester_id>/claim",
        "/requesters/{requester}/claim",
        expect(422),
    ),
    R("GET", "/moderation/claims", "/moderation/claims", moderators(200)),
    R("POST", "/moderation/claims/<int:claim_id>", "/moderation/claims/{claim}", moderators(422)),
    R(
        "GET",
        "/reviews/<int:review_id>/reply",
        "/reviews/{review}/reply",
        expect(403, representative=200),
    ),
    R(
        "POST",
        "/reviews/<int:review_id>/reply",
        "/reviews/{review}/reply",
        expect(403, representative=422),
    ),
    R(
        "GET",
        "/replies/<int:reply_id>/edit",
        "/replies/{reply}/edit",
        expect(403, representative=200),
    ),
    R(
        "POST",
        "/replies/<int:reply_id>/edit",
        "/replies/{reply}/edit",
        expect(403, representative=422),
    ),
    # Disputes
    R("GET", "/disputes/new", "/disputes/new?requester={requester}", expect(200)),
    R("POST", "/disputes/new", "/disputes/new?requester={requester}", expect(422)),
    R(
        "GET",
        "/disputes/new",
        "/disputes/new?review={review}",
        expect(403, representative=200),
    ),
    R(
        "POST",
        "/disputes/<int:dispute_id>/statements",
        "/disputes/{dispute}/statements",
        expect(403, tl1=GO, representative=GO),
        STATEMENT,
    ),
    R("POST", "/disputes/<int:dispute_id>/take", "/disputes/{dispute}/take", moderators(422)),
    R(
        "POST",
        "/disputes/<int:dispute_id>/close",
        "/disputes/{mediated_dispute}/close",
        expect(403, moderator=GO),
        {"close-decision": "resolved", "close-reason": "Both sides agreed on the facts."},
    ),
    R("GET", "/moderation/disputes", "/moderation/disputes", moderators(200)),
    # Elections
    R("POST", "/elections", "/elections", expect(403, admin=422)),
    R(
        "POST",
        "/elections/<int:election_id>/nominate",
        "/elections/{election}/nominate",
        expect(403, tl2=GO, moderator=GO, admin=GO),
        {"statement": "I have moderated a workers' forum for two years."},
    ),
    R(
        "POST",
        "/elections/<int:election_id>/vote",
        "/elections/{voting_election}/vote",
        expect(403, tl2=GO, moderator=GO, admin=GO),
        {"candidate": "{candidate}"},
    ),
    R(
        "POST",
        "/elections/<int:election_id>/advance",
        "/elections/{election}/advance",
        expect(403, admin=422),
    ),
]

ANSWERED_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def routes(app) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods & ANSWERED_METHODS
    }


def url_of(row: Row, world, role: str) -> str:
    ids = {k: v[role] if isinstance(v, dict) else v for k, v in world.ids.items()}
    return row.url.format(**ids)


def outcome(response) -> object:
    if response.status_code == 302:
        return LOGIN if response.headers["Location"].startswith("/login") else GO
    return response.status_code


def refusal_first(row: Row) -> list[str]:
    """A refusal changes nothing, so the roles refused go first and the write that succeeds
    (and may delete its object) comes last."""
    return sorted(ROLES, key=lambda role: row.expected[role] in (GO, 200))


def test_the_matrix_covers_every_route(app):
    written = {(row.method, row.rule) for row in MATRIX}
    missing = routes(app) - written
    assert not missing, f"routes without a row in the matrix: {sorted(missing)}"
    assert not written - routes(app), "rows for routes that no longer exist"
    assert all(set(row.expected) == set(ROLES) for row in MATRIX)


def test_every_role_gets_the_expected_answer_on_every_route(app, world):
    wrong = []
    for row in MATRIX:
        for role in refusal_first(row):
            client = client_as(app, world.user(role))
            url = url_of(row, world, role)
            data = {key: value.format(**world.ids) for key, value in (row.data or {}).items()}
            response = client.open(url, method=row.method, data=data)
            got = outcome(response)
            if got != row.expected[role]:
                wrong.append(f"{row.method} {url} as {role}: {got}, expected {row.expected[role]}")
            elif response.status_code in (403, 404) and response.mimetype == "text/html":
                assert "<h1" in response.get_data(as_text=True), (url, role)  # the error page
    assert not wrong, "\n".join(wrong)
    assert len(MATRIX) * len(ROLES) >= 7 * len(routes(app))
