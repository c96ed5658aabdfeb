"""Every page the site answers carries the security headers, and no rendered page holds what
the Content Security Policy would have to allow: inline script, <style>, style="", handlers.

The pages are the GET rows of the authorisation matrix (every GET route, enumerated from the URL
map there), each fetched by a visitor and by the first role that may read it."""

from tests.security.conftest import client_as
from tests.security.pages import problems_in
from tests.security.test_authorisation import MATRIX, url_of
from tests.security.world import ROLES

EXPECTED_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def check_headers(response, where: str) -> None:
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, (where, name)
    csp = policy(response)
    if "sandbox" in csp:  # a proof's image, served as a document of its own
        assert csp["default-src"] == ["'none'"], where
        return
    for directive in ("script-src", "style-src"):
        assert csp[directive] == ["'self'"], (where, directive)
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"], where
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"], where
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], where
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"], where


def pages(world):
    """(role, url) for every GET row: a visitor, and the first role the row lets read it."""
    for row in MATRIX:
        if row.method != "GET":
            continue
        readers = [role for role in ROLES if row.expected[role] == 200]
        for role in dict.fromkeys(["anonymous", *readers[:1]]):
            yield role, url_of(row, world, role)


def test_every_page_carries_the_security_headers_and_no_inline_script_or_style(app, world):
    checked = 0
    for role, url in pages(world):
        response = client_as(app, world.user(role)).get(url)
        where = f"{url} as {role} ({response.status_code})"
        check_headers(response, where)
        if response.mimetype == "text/html":
            assert not problems_in(response.get_data(as_text=True)), (
                where,
                problems_in(response.get_data(as_text=True)),
            )
            checked += 1
    assert checked > 60


def test_error_pages_carry_them_too(app, world):
    visitor = client_as(app, None)
    answers = [
        visitor.get("/no/such/page"),
        visitor.post("/"),  # 405
        visitor.get("/proofs/999999"),
        client_as(app, world.user("tl1")).get("/moderation"),  # 403
        visitor.get("/api/v1/no-such-thing"),
    ]
    assert [a.status_code for a in answers] == [404, 405, 404, 403, 404]
    assert "does not exist" in answers[0].get_data(as_text=True)
    for answer in answers:
        check_headers(answer, answer.request.path)
        if answer.mimetype == "text/html":
            assert not problems_in(answer.get_data(as_text=True))
