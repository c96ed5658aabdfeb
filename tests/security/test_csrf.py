"""Every state-changing route refuses a request without a valid CSRF token, with the site's page
that says what to do, before it changes anything. The routes come from the URL map: a new one is
checked the day it is added (its concrete address is its row in the authorisation matrix)."""

import pytest

from community.accounts.models import User
from community.extensions import csrf, db
from tests.conftest import PASSWORD, csrf_token_from
from tests.security.conftest import client_as
from tests.security.test_authorisation import MATRIX, url_of


@pytest.fixture(autouse=True)
def csrf_on(app):
    """The shared app, with CSRF checked as in production (Flask-WTF reads it per request)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
EXPIRED = "This form had expired"
# Blueprints or views exempt from CSRF, and why. Each must have no state-changing route.
EXEMPT = {"api": "the public read API: GET only, and it never reads a cookie"}
# Routes a visitor (not logged in) may post to: login CSRF and the language switch count too.
VISITOR_WRITES = {"/login", "/register", "/language"}


def state_changing_routes(app) -> list[tuple[str, str]]:
    return sorted(
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods & STATE_CHANGING
    )


def address(world, method: str, rule: str, role: str) -> tuple[str, dict]:
    rows = [row for row in MATRIX if (row.method, row.rule) == (method, rule)]
    assert rows, f"{method} {rule} has no row in the authorisation matrix"
    data = {key: value.format(**world.ids) for key, value in (rows[0].data or {}).items()}
    return url_of(rows[0], world, role), data


def refused(response) -> bool:
    return response.status_code == 400 and EXPIRED in response.get_data(as_text=True)


def test_the_exempt_list_is_written_down_and_has_no_write(app):
    assert {blueprint.name for blueprint in csrf._exempt_blueprints} == set(EXEMPT)
    assert not csrf._exempt_views
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in EXEMPT:
            assert not rule.methods & STATE_CHANGING, rule.rule


def test_every_write_without_a_token_is_refused_and_changes_nothing(app, world):
    admin = world.user("admin")
    token_before = admin.session_token
    routes = state_changing_routes(app)
    assert len(routes) > 50
    client = client_as(app, admin)
    for method, rule in routes:
        url, data = address(world, method, rule, "admin")
        response = client.open(url, method=method, data=data)
        assert refused(response), (method, url, response.status_code)
        assert response.mimetype == "text/html"
    db.session.expire_all()
    assert db.session.get(User, admin.id).session_token == token_before  # /logout did nothing


def test_a_wrong_or_foreign_token_is_refused_too(app, world):
    member = world.user("tl2")
    elsewhere = client_as(app, world.user("tl1"))
    foreign = csrf_token_from(elsewhere.get("/settings").get_data(as_text=True))
    client = client_as(app, member)
    for token in ("", "not-a-token", foreign, foreign[:-2] + "xx"):
        response = client.post("/settings", data={"csrf_token": token, "email": "a@b.example"})
        assert refused(response), token


def test_visitors_writes_need_a_token_too_and_the_page_is_in_their_language(app):
    visitor = client_as(app, None)
    for path in sorted(VISITOR_WRITES):
        assert refused(visitor.post(path, data={"lang": "fr", "username": "x", "password": "y"}))
    french = visitor.post("/login", headers={"Accept-Language": "fr"})
    assert french.status_code == 400 and "Ce formulaire avait expiré" in french.get_data(
        as_text=True
    )


def test_with_the_token_of_its_page_the_same_form_goes_through(app, world):
    visitor = client_as(app, None)
    token = csrf_token_from(visitor.get("/login").get_data(as_text=True))
    response = visitor.post(
        "/login", data={"csrf_token": token, "username": "role_tl2", "password": PASSWORD}
    )
    assert response.status_code == 302
    page = visitor.get("/settings").get_data(as_text=True)
    saved = visitor.post("/settings", data={"csrf_token": csrf_token_from(page)})
    assert saved.status_code == 302
