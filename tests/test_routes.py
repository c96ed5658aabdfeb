"""Properties every route must have, checked over the URL map so a new route cannot slip past."""

import re

from tests.conftest import build_app, login, make_review, make_user

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def _concrete(rule) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "1" if "id" in m.group(1) else "x", rule.rule)


def test_every_state_changing_route_refuses_a_post_without_csrf_token(tmp_path_factory):
    app = build_app(tmp_path_factory, WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = make_user()
        make_review(user)
        client = app.test_client()
        # Logged in with a valid session, so a refusal can only come from the missing token.
        with client.session_transaction() as session:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
        routes = [r for r in app.url_map.iter_rules() if r.methods & STATE_CHANGING]
        assert len(routes) >= 8
        for rule in routes:
            response = client.post(_concrete(rule), data={"lang": "fr", "body": "x" * 50})
            assert response.status_code == 400, rule.rule


def test_writes_are_rate_limited_by_trust_level(client, app):
    user = make_user(trust=0)
    login(client, user.username)
    burst = int(app.config["WRITE_BURST_LIMITS"][0].split("/")[0])
    review = make_review(user)
    statuses = [
        client.post(f"/reviews/{review.id}/edit", data={}).status_code for _ in range(burst + 1)
    ]
    assert statuses[-1] == 429
    assert 429 not in statuses[:burst]
