from community.accounts.models import User
from community.extensions import db
from tests.conftest import PASSWORD, build_app, csrf_token_from, login, make_user


def test_register_logs_the_new_member_in(client):
    response = client.post(
        "/register", data={"username": "fresh_worker", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "fresh_worker" in page and "Log out" in page


def test_registration_errors_keep_what_was_typed_and_store_nothing(client):
    response = client.post(
        "/register",
        data={"username": "x", "password": "short", "confirm": "other", "email": "not-an-email"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "A pseudonym has 3 to 32 characters." in html
    assert "Use at least 10 characters." in html
    assert "The two passwords differ." in html
    assert "This is not an email address." in html
    assert 'value="not-an-email"' in html
    assert db.session.query(User).count() == 0


def test_a_taken_pseudonym_is_refused_with_the_form_kept(client):
    make_user(username="taken_name")
    response = client.post(
        "/register",
        data={
            "username": "Taken_Name",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "email": "me@example.org",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "not available" in html
    assert 'value="me@example.org"' in html


def test_login_and_failure_messages_do_not_reveal_accounts(client):
    make_user(username="someone")
    wrong = client.post("/login", data={"username": "someone", "password": "nope nope nope"})
    unknown = client.post("/login", data={"username": "nobody_here", "password": "nope nope nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong pseudonym or password." in wrong.get_data(as_text=True)
    assert "Wrong pseudonym or password." in unknown.get_data(as_text=True)
    assert 'value="someone"' in wrong.get_data(as_text=True)


def test_login_redirects_only_to_this_site(client):
    user = make_user()
    response = client.post(
        "/login",
        data={
            "username": user.username,
            "password": PASSWORD,
            "next": "https://evil.example/steal",
        },
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    user = make_user()
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "next": "/rules"}
    )
    assert response.headers["Location"] == "/rules"
    for hostile in ("//evil.example", "/\\evil.example", "javascript:alert(1)"):
        client.post("/logout")
        response = client.post(
            "/login", data={"username": user.username, "password": PASSWORD, "next": hostile}
        )
        assert response.headers["Location"] == "/", hostile


def test_logout_ends_copies_of_the_session_cookie(app):
    user = make_user()
    browser = app.test_client()
    login(browser, user.username)
    stolen = browser.get_cookie("session").value
    browser.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/settings").status_code == 302  # sent to the login page


def test_logout_ends_the_remember_cookie(app):
    user = make_user()
    browser = app.test_client()
    login(browser, user.username, remember=True)
    remember = browser.get_cookie("remember_token").value
    browser.post("/logout")
    thief = app.test_client()
    thief.set_cookie("remember_token", remember)
    assert thief.get("/settings").status_code == 302


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(app):
    user = make_user()
    phone, laptop = app.test_client(), app.test_client()
    login(phone, user.username, remember=True)
    login(laptop, user.username)
    response = laptop.post(
        "/settings/password",
        data={
            "current": PASSWORD,
            "password": "another long password",
            "confirm": "another long password",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/settings").status_code == 200
    phone.delete_cookie("session")
    assert phone.get("/settings").status_code == 302


def test_wrong_current_password_is_refused_clearly(client):
    user = make_user()
    login(client, user.username)
    response = client.post(
        "/settings/password",
        data={
            "current": "not my password",
            "password": "another long password",
            "confirm": "another long password",
        },
    )
    assert response.status_code == 422
    assert "current password is not correct" in response.get_data(as_text=True)


def test_cookies_are_http_only_and_same_site(app):
    user = make_user()
    client = app.test_client()
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "remember": "y"}
    )
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session=", "remember_token="):
        cookie = next(c for c in cookies if c.startswith(name))
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookies_are_secure_when_configured_for_https(tmp_path_factory):
    app = build_app(tmp_path_factory, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    with app.app_context():
        user = make_user()
        response = app.test_client().post(
            "/login", data={"username": user.username, "password": PASSWORD, "remember": "y"}
        )
        assert all("Secure" in cookie for cookie in response.headers.getlist("Set-Cookie"))


def test_repeated_logins_from_one_address_are_rate_limited(app, client):
    for _ in range(10):
        client.post("/login", data={"username": "someone", "password": "guess guess"})
    response = client.post("/login", data={"username": "someone", "password": "guess guess"})
    assert response.status_code == 429
    assert "Too many requests" in response.get_data(as_text=True)


def test_profile_shows_only_what_the_member_published(client):
    user = make_user(username="quiet_one", country="FR")
    user.email = "private@example.org"
    db.session.commit()
    html = client.get("/members/quiet_one").get_data(as_text=True)
    assert "quiet_one" in html and "Member (TL1)" in html
    assert "private@example.org" not in html and "France" not in html


def test_unknown_profile_is_404(client):
    assert client.get("/members/nobody").status_code == 404


def test_language_switch_turns_the_site_to_french(client):
    response = client.post("/language", data={"lang": "fr", "next": "/platforms"})
    assert response.headers["Location"] == "/platforms"
    assert "Plateformes" in client.get("/platforms").get_data(as_text=True)


def test_member_language_choice_is_remembered_across_sessions(app):
    user = make_user()
    browser = app.test_client()
    login(browser, user.username)
    browser.post("/language", data={"lang": "fr"})
    other = app.test_client()
    login(other, user.username)
    assert 'lang="fr"' in other.get("/").get_data(as_text=True)


def test_browser_language_is_used_before_english(client):
    html = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert 'lang="fr"' in html


def test_forms_carry_a_csrf_token_and_posts_without_it_are_refused(tmp_path_factory):
    app = build_app(tmp_path_factory, WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        html = client.get("/login").get_data(as_text=True)
        assert csrf_token_from(html)
        response = client.post("/login", data={"username": "a", "password": "b"})
        assert response.status_code == 400
        assert "expired" in response.get_data(as_text=True)


def test_settings_are_saved_and_bad_values_are_refused_with_the_form_kept(client):
    user = make_user()
    login(client, user.username)
    ok = client.post(
        "/settings",
        data={
            "country": "KE",
            "locale": "en",
            "anonymous_by_default": "y",
            "email": "me@example.org",
        },
    )
    assert ok.status_code == 302
    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert (saved.country, saved.anonymous_by_default, saved.email) == (
        "KE",
        True,
        "me@example.org",
    )
    bad = client.post(
        "/settings",
        data={"country": "XX-not-a-country", "locale": "en", "email": "still@example.org"},
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Not a valid choice" in html or "not a valid choice" in html.lower()
    assert 'value="still@example.org"' in html
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "me@example.org"


def test_password_form_errors_are_clear(client):
    login(client, make_user().username)
    response = client.post(
        "/settings/password", data={"current": "", "password": "short", "confirm": "other"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Type your current password." in html and "Use at least 10 characters." in html


def test_empty_login_form_says_what_is_missing(client):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Type your pseudonym." in html and "Type your password." in html
