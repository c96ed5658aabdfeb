"""Hostile input: SQL-looking text, search syntax, broken parameters and bytes, and bodies too
large. The site never answers 500, and says what it did in the reader's language."""

import io
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from community.accounts.models import User
from community.extensions import db
from community.reviews.models import Review
from tests.reviews.test_views import FORM as REVIEW_FORM
from tests.security.conftest import client_as

HOSTILE_TEXT = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '"; DROP TABLE users; --',
    "1; DELETE FROM reviews",
    "1 UNION SELECT password_hash, email FROM users --",
    "admin'--",
    "%",
    "%%",
    "_",
    "\\",
    "\\'",
    "'; WAITFOR DELAY '0:0:5'--",
    "1' AND SLEEP(5)#",
    "pg_sleep(5)",
    "*",
    "?",
    "**",
    "*:*",
    "title:*",
    "body:secret OR kind:review",
    "a* b? c~2",
    "[a TO z]",
    "{a TO z}",
    "NOT",
    "AND OR NOT",
    '"',
    '"unclosed phrase',
    "((((((((((",
    ")))",
    "^2",
    "-",
    "--",
    "word\x00with a NUL byte",
    "\x00",
    "\ud800",
    "é" * 500,
    "x" * 5000,
    " ".join(["word"] * 100),
    "<script>alert(1)</script>",
    "${7*7} {{7*7}} <%= 7*7 %>",
]
# The ones most likely to break a parser or a driver, for every other address.
SHARPEST = [
    "' OR '1'='1",
    '"; DROP TABLE users; --',
    "%",
    "\\",
    "*:*",
    '"unclosed phrase',
    "((((((((((",
    "word\x00with a NUL byte",
    "\ud800",
    "x" * 5000,
    "-1",
    "99999999999999999999999",
]


def paths(world) -> list[str]:
    slug, requester = world.ids["platform"], world.ids["requester"]
    return [
        "/search?q={}",
        "/search?q=matrix&kind={}&since={}&sort={}&platform={}&page={}",
        "/requesters?q={}",
        f"/requesters?q={{}}&platform={slug}",
        "/check?q={}",
        "/platforms?sort={}&page={}",
        "/requesters?sort={}&platform={}",
        "/flags?category={}&status={}&platform={}&requester={}&page={}",
        "/moderation/log?action={}&kind={}&page={}",
        "/disputes?status={}&page={}",
        f"/requesters/{requester}?sort={{}}&page={{}}",
        f"/platforms/{slug}?sort={{}}&page={{}}",
        "/members/{}",
        "/api/v1/requesters?q={}&page={}&per_page={}",
        f"/api/v1/platforms/{slug}/requesters?ids={{}}",
        f"/api/v1/platforms/{slug}/requesters/{{}}",
        "/api/v1/flags?platform={}&category={}&page={}",
    ]


def test_hostile_text_in_every_query_string_never_breaks_a_page(app, world):
    visitor = client_as(app, None)
    statuses = set()
    tried = [("/search?q={}", text) for text in HOSTILE_TEXT]
    tried += [(path, text) for path in paths(world) for text in SHARPEST]
    for path, text in tried:
        url = path.replace("{}", _quoted(text))
        response = visitor.get(url)
        assert response.status_code in (200, 302, 400, 404), (url, response.status_code)
        statuses.add(response.status_code)
    assert 200 in statuses


def _quoted(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@pytest.mark.parametrize(
    "query,notice",
    [
        ("*", "symbols such as * or : are not used"),
        ("*:* ? ~ ^ [] {}", "symbols such as * or : are not used"),
        ("x" * 300, "only its first 200 characters were used"),
        (" ".join(f"w{n}" for n in range(30)), "Only the first 10 words"),
    ],
)
def test_search_syntax_gets_a_clear_message(app, query, notice):
    response = client_as(app, None).get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert notice in response.get_data(as_text=True)


def test_search_messages_are_in_french_too(app):
    response = client_as(app, None).get(
        "/search", query_string={"q": "*"}, headers={"Accept-Language": "fr"}
    )
    assert "ne sont pas utilisés" in response.get_data(as_text=True)


def test_bytes_that_are_not_utf8_do_not_break_a_page(app, world):
    visitor = client_as(app, None)
    for url in ("/search?q=%ff%fe", "/requesters?q=%c0%af", "/members/%ff", "/check?q=%80"):
        assert visitor.get(url).status_code in (200, 404), url


def test_sql_looking_text_in_forms_is_kept_as_text(app, world):
    member = world.user("tl2")
    client = client_as(app, member)
    for number, text in enumerate(HOSTILE_TEXT[:12]):
        body = f"{text} — a review body long enough to be accepted by the form."
        form = {**REVIEW_FORM, "submission_key": f"sql-{number}", "body": body}
        response = client.post(f"/requesters/{world.ids['requester']}/reviews/new", data=form)
        assert response.status_code == 302, (text, response.status_code)
        stored = db.session.scalar(
            select(Review.body).where(Review.submission_key == f"sql-{number}")
        )
        assert stored == body
    assert db.session.scalar(select(func.count()).select_from(User)) > 1  # users still there


def test_a_nul_byte_in_a_form_is_a_clear_refusal_or_kept_out(app, world):
    client = client_as(app, world.user("tl2"))
    form = {
        **REVIEW_FORM,
        "submission_key": "nul-1",
        "body": "A body\x00 with a NUL byte, long enough.",
    }
    response = client.post(f"/requesters/{world.ids['requester']}/reviews/new", data=form)
    assert response.status_code in (302, 422)
    stored = db.session.scalar(select(Review.body).where(Review.submission_key == "nul-1"))
    assert stored is None or "\x00" not in stored
    login = client_as(app, None).post("/login", data={"username": "a\x00b", "password": "x\x00y"})
    assert login.status_code in (401, 422)


@pytest.mark.parametrize("language,message", [("en", "too large"), ("fr", "trop volumineux")])
def test_oversized_bodies_get_413_with_a_clear_page_in_the_readers_language(
    app, world, language, message
):
    limit = app.config["MAX_CONTENT_LENGTH"]
    headers = {"Accept-Language": language}
    visitor = client_as(app, None)
    raw = visitor.post(
        "/login", data=b"x" * (limit + 1), content_type="application/octet-stream", headers=headers
    )
    member = client_as(app, world.user("tl2"))
    upload = member.post(
        "/proofs/new",
        data={"screenshot": (io.BytesIO(b"\0" * (limit + 1)), "big.png")},
        content_type="multipart/form-data",
        headers=headers,
    )
    field = member.post(  # one text field larger than a form field may be
        f"/requesters/{world.ids['requester']}/reviews/new",
        data={**REVIEW_FORM, "body": "x" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)},
        content_type="multipart/form-data",
        headers=headers,
    )
    parts = member.post(  # more fields than a form may have
        "/settings",
        data={f"field{n}": "x" for n in range(app.config["MAX_FORM_PARTS"] + 1)},
        content_type="multipart/form-data",
        headers=headers,
    )
    for response in (raw, upload, field, parts):
        assert response.status_code == 413
        assert response.mimetype == "text/html"
        assert message in response.get_data(as_text=True)
