"""The public read API: the batch lookup, lists and pages, caching, CORS, limits and errors."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from community.core.content import Visibility
from community.extensions import db
from tests.conftest import (
    build_app,
    make_flag,
    make_platform,
    make_proof,
    make_requester,
    make_review,
    make_user,
)


@contextmanager
def counted_statements():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "DELETE")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def mturk_id(number: int) -> str:
    return f"A{number:013d}"


# The batch lookup


def test_the_batch_lookup_answers_a_hundred_ids_in_one_request_and_three_queries(client):
    platform = make_platform("Amazon Mechanical Turk", slug="mturk")
    known = [make_requester(platform, mturk_id(n), f"Requester {n}") for n in range(60)]
    for requester in known[:5]:
        make_review(
            target=requester, outcome="approved", reward_minor=50, currency="USD", minutes=6
        )
    make_flag(requester=known[1], confirmed=True, category="scam", task_title="Pay to work")
    make_flag(requester=known[1], confirmed=False, task_title="Still open")
    ids = [mturk_id(n) for n in range(100)]
    db.session.commit()  # the test's own writes end before the request is counted

    with counted_statements() as statements:
        response = client.get(f"/api/v1/platforms/mturk/requesters?ids={','.join(ids)}")

    assert response.status_code == 200
    # The platform, its requesters with these ids, and their warnings: nothing per identifier.
    assert len(statements) == 3, statements
    body = response.get_json()
    assert set(body["requesters"]) == set(ids[:60])
    assert body["unknown"] == ids[60:]
    first = body["requesters"][mturk_id(0)]
    assert first["aggregates"]["reviewer_count"] == 1
    assert first["aggregates"]["median_hourly"] == {
        "amount": "5.00",
        "amount_minor": 500,
        "currency": "USD",
        "reviews": 1,
    }
    assert first["aggregates"]["rejection_share"] == 0
    assert first["url"] == f"/requesters/{known[0].id}"
    warned = body["requesters"][mturk_id(1)]["warnings"]
    assert [(w["category"], w["title"]) for w in warned] == [("scam", "Pay to work")]
    assert warned[0]["url"].startswith("/flags/")
    assert body["requesters"][mturk_id(2)]["warnings"] == []


def test_the_batch_lookup_cleans_and_deduplicates_identifiers(client):
    platform = make_platform(slug="mturk")
    make_requester(platform, "A1B2C3D4E5F6G7")
    response = client.get("/api/v1/platforms/mturk/requesters?ids=a1b2c3d4e5f6g7, A1B2C3D4E5F6G7,,")
    body = response.get_json()
    assert list(body["requesters"]) == ["A1B2C3D4E5F6G7"]
    assert body["unknown"] == []


def test_the_batch_lookup_refuses_more_than_a_hundred_ids(client):
    make_platform(slug="mturk")
    ids = ",".join(mturk_id(n) for n in range(101))
    response = client.get(f"/api/v1/platforms/mturk/requesters?ids={ids}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400
    assert error["code"] == "too_many_ids"
    assert "At most 100 identifiers" in error["message"] and "101" in error["message"]


@pytest.mark.parametrize(
    ("query", "code"),
    [("", "missing_ids"), ("?ids=", "missing_ids"), ("?ids=A1B2,<script>", "invalid_id")],
)
def test_the_batch_lookup_explains_a_bad_request(client, query, code):
    make_platform(slug="mturk")
    response = client.get(f"/api/v1/platforms/mturk/requesters{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code


def test_the_batch_lookup_of_an_unknown_platform_is_a_json_404(client):
    response = client.get("/api/v1/platforms/nowhere/requesters?ids=A1B2C3D4")
    assert response.status_code == 404
    assert response.get_json() == {
        "error": {
            "status": 404,
            "code": "not_found",
            "message": "This platform is not in the catalog.",
        }
    }


# Single resources


def test_a_requester_is_found_by_platform_and_identifier_or_by_id(client):
    requester = make_requester(make_platform(slug="mturk"), "A1B2C3D4E5F6G7", "Acme Research")
    by_identifier = client.get("/api/v1/platforms/mturk/requesters/a1b2c3d4e5f6g7").get_json()
    by_id = client.get(f"/api/v1/requesters/{requester.id}").get_json()
    assert by_identifier == by_id
    assert by_id["display_name"] == "Acme Research"
    assert by_id["platform"]["slug"] == "mturk"
    missing = client.get("/api/v1/platforms/mturk/requesters/ZZZZZZZZ")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/requesters/999999").status_code == 404


def test_a_platform_carries_its_legit_card_proof_totals_and_warning_count(client):
    platform = make_platform(slug="cashapp")
    for _ in range(3):
        make_proof(platform=platform, confirmed=True, amount_minor=500, currency="EUR")
    make_proof(platform=platform, amount_minor=700, currency="USD")
    make_flag(platform=platform, confirmed=True, category="scam")
    body = client.get("/api/v1/platforms/cashapp").get_json()
    card = body["legit"]
    assert card["verdict"] == "scam_warning"
    assert card["label"] == "Warning — confirmed scam reports"
    texts = [line["text"] for line in card["evidence"]]
    assert "Last 30 days: 3 confirmed proofs of payment, from 3 members" in texts
    assert "1 confirmed scam warning." in texts
    assert card["figures"]["windows"][0] == {"days": 30, "confirmed_proofs": 3, "members": 3}
    assert card["figures"]["scam_warnings"] == 1
    totals = {total["currency"]: total for total in body["proofs"]["totals"]}
    assert totals["EUR"] == {
        "amount": "15.00",
        "amount_minor": 1500,
        "currency": "EUR",
        "proofs": 3,
        "confirmed_proofs": 3,
    }
    assert totals["USD"]["confirmed_proofs"] == 0
    assert body["warning_count"] == 1


def test_the_legit_card_speaks_the_language_asked_for(client):
    make_platform(slug="cashapp")
    body = client.get("/api/v1/platforms/cashapp", headers={"Accept-Language": "fr"}).get_json()
    assert body["legit"]["label"] != "Not enough evidence"
    assert body["legit"]["verdict"] == "not_enough"
    assert client.get("/api/v1/platforms/cashapp?lang=fr").get_json() == body


def test_proof_summaries_count_members_once_and_show_no_image_nor_author(client):
    platform = make_platform(slug="cashapp")
    author = make_user(trust=2, username="proofposter")
    for _ in range(3):
        make_proof(author=author, platform=platform, confirmed=True)
    body = client.get("/api/v1/platforms/cashapp/proofs").get_json()
    assert body["windows"][0] == {"days": 30, "confirmed_proofs": 3, "members": 1}
    assert body["totals"][0]["amount_minor"] == 3 * 1250
    text = str(body)
    assert "proofposter" not in text and ".png" not in text and ".webp" not in text


# Lists


def test_lists_are_paginated_with_links_to_the_next_and_previous_pages(client):
    for number in range(5):
        make_platform(f"Platform {number}")
    first = client.get("/api/v1/platforms?per_page=2").get_json()
    assert [p["name"] for p in first["items"]] == ["Platform 0", "Platform 1"]
    assert first["has_next"] and first["previous"] is None
    second = client.get(first["next"]).get_json()
    assert [p["name"] for p in second["items"]] == ["Platform 2", "Platform 3"]
    assert second["page"] == 2
    last = client.get(second["next"]).get_json()
    assert [p["name"] for p in last["items"]] == ["Platform 4"]
    assert last["next"] is None and last["previous"] == second["previous"].replace(
        "page=1", "page=2"
    )


def test_reviews_are_paginated_and_newest_first(client):
    requester = make_requester()
    made = [make_review(target=requester) for _ in range(3)]
    first = client.get(f"/api/v1/requesters/{requester.id}/reviews?per_page=2").get_json()
    assert [r["id"] for r in first["items"]] == [made[2].id, made[1].id]
    second = client.get(first["next"]).get_json()
    assert [r["id"] for r in second["items"]] == [made[0].id]
    oldest = client.get(f"/api/v1/requesters/{requester.id}/reviews?sort=oldest").get_json()
    assert oldest["items"][0]["id"] == made[0].id


def test_platform_reviews_list_only_reviews_of_the_platform_itself(client):
    requester = make_requester(make_platform(slug="mturk"))
    own = make_review(target=requester.platform)
    make_review(target=requester)
    body = client.get("/api/v1/platforms/mturk/reviews").get_json()
    assert [r["id"] for r in body["items"]] == [own.id]
    assert body["items"][0]["url"] == f"/platforms/mturk#r{own.id}"


def test_requesters_are_listed_by_platform(client):
    mturk, other = make_platform(slug="mturk"), make_platform(slug="other")
    here = make_requester(mturk, "A1B2C3D4E5F6G7")
    make_requester(other, "A1B2C3D4E5F6G7")
    make_review(target=here)
    body = client.get("/api/v1/requesters?platform=mturk&sort=most_reviewed").get_json()
    assert [r["id"] for r in body["items"]] == [here.id]


def test_flags_list_only_confirmed_visible_warnings_and_filter_them(client):
    platform = make_platform(slug="mturk")
    scam = make_flag(platform=platform, confirmed=True, category="scam")
    disturbing = make_flag(
        platform=platform,
        confirmed=True,
        category="disturbing",
        description="Graphic images of injuries shown with no warning whatsoever.",
    )
    make_flag(platform=platform, task_title="Open flag")
    elsewhere = make_flag(confirmed=True)
    hidden = make_flag(platform=platform, confirmed=True, task_title="Hidden one")
    hidden.visibility = Visibility.HIDDEN
    db.session.commit()

    everything = client.get("/api/v1/flags").get_json()["items"]
    assert {f["id"] for f in everything} == {scam.id, disturbing.id, elsewhere.id}
    by_platform = client.get("/api/v1/flags?platform=mturk").get_json()["items"]
    assert {f["id"] for f in by_platform} == {scam.id, disturbing.id}
    scams = client.get("/api/v1/flags?platform=mturk&category=scam").get_json()["items"]
    assert [f["id"] for f in scams] == [scam.id]
    folded = next(f for f in by_platform if f["id"] == disturbing.id)
    assert folded["disturbing"] is True
    assert "Graphic images" in folded["description"]
    assert next(f for f in by_platform if f["id"] == scam.id)["disturbing"] is False


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/platforms?page=0",
        "/api/v1/platforms?page=abc",
        "/api/v1/platforms?per_page=101",
        "/api/v1/platforms?sort=sideways",
        "/api/v1/flags?category=nonsense",
        "/api/v1/requesters/{requester}/reviews?sort=random",
    ],
)
def test_bad_parameters_are_refused_with_a_clear_json_error(client, url):
    requester = make_requester()
    response = client.get(url.format(requester=requester.id))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400 and error["code"] == "bad_request"
    assert "“" in error["message"]


# HTTP: errors, caching, CORS, sessions, limits


def test_errors_have_one_stable_shape(client):
    for url, status, code in [
        ("/api/v1/no-such-thing", 404, "not_found"),
        ("/api/v1/platforms/nowhere", 404, "not_found"),
        ("/api/v2/platforms", 404, "not_found"),
    ]:
        response = client.get(url)
        assert response.status_code == status
        assert response.content_type == "application/json"
        assert response.get_json()["error"].keys() == {"status", "code", "message"}
        assert response.get_json()["error"]["code"] == code
        assert response.headers["Cache-Control"] == "no-store"
    refused = client.post("/api/v1/platforms")
    assert refused.status_code == 405
    assert refused.get_json()["error"]["code"] == "method_not_allowed"


def test_answers_carry_an_etag_and_304_when_unchanged(client):
    platform = make_platform(slug="mturk")
    first = client.get("/api/v1/platforms/mturk")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert "Accept-Language" in first.headers["Vary"]
    etag = first.headers["ETag"]
    assert etag
    again = client.get("/api/v1/platforms/mturk", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    make_review(target=platform)
    changed = client.get("/api/v1/platforms/mturk", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_cors_is_open_for_reads_without_credentials(client):
    make_platform(slug="mturk")
    response = client.get("/api/v1/platforms", headers={"Origin": "https://worker.mturk.com"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options(
        "/api/v1/platforms/mturk/requesters?ids=A1B2C3D4",
        headers={
            "Origin": "https://worker.mturk.com",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert int(preflight.headers["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Allow-Credentials" not in preflight.headers


def test_the_api_neither_reads_nor_sets_cookies(client):
    user = make_user()
    make_platform(slug="mturk")
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["lang"] = "fr"
    response = client.get("/api/v1/platforms/mturk")
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert response.get_json()["legit"]["label"] == "Not enough evidence"  # not the cookie's fr


def test_the_api_is_rate_limited_with_a_json_429_and_retry_after(tmp_path_factory):
    app = build_app(tmp_path_factory, API_RATE_LIMIT="3/minute")
    with app.app_context():
        make_platform(slug="mturk")
        client = app.test_client()
        statuses = [client.get("/api/v1/platforms/mturk").status_code for _ in range(3)]
        # The limit is shared by every route of the API.
        refused = client.get("/api/v1/flags")
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    error = refused.get_json()["error"]
    assert error["status"] == 429 and error["code"] == "rate_limited"
    assert "3 per 1 minute" in error["message"] and "Retry-After" in error["message"]
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    assert refused.headers["Cache-Control"] == "no-store"


def test_a_server_error_is_json_in_the_same_shape(tmp_path_factory):
    app = build_app(tmp_path_factory, TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/api/v1/broken", "broken", broken)
    with app.app_context():
        response = app.test_client().get("/api/v1/broken")
    assert response.status_code == 500
    error = response.get_json()["error"]
    assert error["status"] == 500 and error["code"] == "server_error"
    assert "boom" not in error["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
