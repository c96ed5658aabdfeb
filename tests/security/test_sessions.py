"""Sessions and redirects: `next=` never leads off the site, logging in starts a new session,
and the cookies carry their flags. (HttpOnly and SameSite from the settings, lockout, and
logout ending every session: tests/accounts.)"""

import re
from urllib.parse import quote, urlsplit

import pytest

from community.config import build_config
from community.extensions import db
from community.notifications import service as notifications
from community.notifications.models import Notification
from tests.conftest import PASSWORD, login, make_user
from tests.security.conftest import client_as

EVIL = "evil.example"
HOSTILE_NEXT = [
    f"https://{EVIL}/",
    f"http://{EVIL}",
    f"//{EVIL}",
    f"///{EVIL}",
    f"////{EVIL}/path",
    f"/\\{EVIL}",
    f"\\\\{EVIL}",
    f"\\/{EVIL}",
    f"/\t/{EVIL}",
    f"/\n/{EVIL}",
    f"/\r/{EVIL}",
    f" //{EVIL}",
    f"https:{EVIL}",
    f"https:/{EVIL}",
    f"http:\\\\{EVIL}",
    f"javascript:alert(1)//{EVIL}",
    "data:text/html,<script>alert(1)</script>",
    f"HTTPS://{EVIL.upper()}",
    f"/%2F{EVIL}",
    f"%2F%2F{EVIL}",
    f"/%5C{EVIL}",
    f"https://taskopticon.example@{EVIL}",
    f"//{EVIL}%2F..",
    f"\u3002{EVIL}",
    f"/\u2215\u2215{EVIL}",
]


def browser_target(location: str) -> str:
    """Where a browser would go: it drops tabs and newlines and reads \\ as /."""
    return re.sub(r"[\t\n\r]", "", location).strip().replace("\\", "/")


def assert_same_site(location: str) -> None:
    target = browser_target(location)
    parts = urlsplit(target)
    assert not parts.scheme and not parts.netloc, location
    assert target.startswith("/") and not target.startswith("//"), location
    assert EVIL not in parts.path.split("/")[1:2], location  # not /evil.example as a host


@pytest.fixture(scope="module")
def member(app):
    with app.app_context():
        return make_user(username="redirected_member").username


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_never_leads_off_the_site(app, member, target):
    # After logging in...
    visitor = client_as(app, None)
    response = visitor.post(
        "/login?next=" + quote(target, safe=""), data={"username": member, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert_same_site(response.headers["Location"])
    # ...when already logged in...
    again = visitor.get("/login?next=" + quote(target, safe=""))
    assert_same_site(again.headers["Location"])
    # ...from the login form's own hidden field...
    form = client_as(app, None).get("/login?next=" + quote(target, safe=""))
    assert EVIL not in re.findall(r'name="next" [^>]*value="([^"]*)"', form.get_data(as_text=True))
    # ...and after switching the language.
    switched = client_as(app, None).post("/language", data={"lang": "fr", "next": target})
    assert switched.status_code == 302
    assert_same_site(switched.headers["Location"])


def test_a_notification_link_never_leads_off_the_site_either(app):
    user = make_user(username="notified_member")
    notifications.notify([user.id], "sanction", link=f"//{EVIL}/phish")
    db.session.commit()
    notification = db.session.query(Notification).filter_by(user_id=user.id).one()
    response = client_as(app, user).post(f"/notifications/{notification.id}/open")
    assert response.status_code == 302
    assert_same_site(response.headers["Location"])


def test_logging_in_starts_a_new_session_and_the_old_cookie_stays_a_visitor(app):
    make_user(username="fixated_member")
    victim = app.test_client()
    victim.get("/login")  # a visitor's session, with its CSRF token, as an attacker could plant
    with victim.session_transaction() as before:
        before["planted"] = "by the attacker"
        planted_token = before.get("csrf_token")
    planted_cookie = victim.get_cookie("session").value
    assert login(victim, "fixated_member").status_code == 302
    with victim.session_transaction() as after:
        assert "planted" not in after  # nothing from before the login survives
        assert after.get("csrf_token") != planted_token or planted_token is None
        assert after["_user_id"]
    assert victim.get_cookie("session").value != planted_cookie
    attacker = app.test_client()
    attacker.set_cookie("session", planted_cookie)
    assert attacker.get("/settings").status_code == 302  # still a visitor: sent to log in
    assert victim.get("/settings").status_code == 200


COOKIE_FLAGS = (
    "SESSION_COOKIE_SECURE",
    "REMEMBER_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "REMEMBER_COOKIE_HTTPONLY",
)


def test_cookies_are_secure_with_cookie_secure(app, tmp_path, monkeypatch):
    monkeypatch.setenv("COOKIE_SECURE", "1")
    settings = build_config(str(tmp_path))
    assert all(settings[flag] for flag in COOKIE_FLAGS)
    assert settings["SESSION_COOKIE_SAMESITE"] == settings["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    make_user(username="https_member")
    for flag in COOKIE_FLAGS:
        monkeypatch.setitem(app.config, flag, settings[flag])
    response = app.test_client().post(
        "/login", data={"username": "https_member", "password": PASSWORD, "remember": "y"}
    )
    cookies = response.headers.getlist("Set-Cookie")
    assert {cookie.split("=")[0] for cookie in cookies} == {"session", "remember_token"}
    for cookie in cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_api_sets_no_cookie(app):
    response = client_as(app, None).get("/api/v1/platforms")
    assert response.status_code == 200 and not response.headers.getlist("Set-Cookie")
