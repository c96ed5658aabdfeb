"""The OpenAPI document matches the implementation: every route is documented (and nothing
else), and real answers of every route, normal and error cases, validate against its schemas."""

import re

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from community.api.openapi import PATH_PREFIX, document
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

DOCUMENT_URI = "urn:taskopticon:openapi"


def _documented_path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule).removeprefix(PATH_PREFIX)


def _api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")]


@pytest.fixture
def openapi(app):
    return document()


def test_every_route_of_the_blueprint_is_documented_and_nothing_else(app, openapi):
    routes = {_documented_path(rule.rule): rule for rule in _api_rules(app)}
    assert len(routes) >= 11
    assert set(routes) == set(openapi["paths"])
    for path, rule in routes.items():
        assert rule.methods - {"HEAD", "OPTIONS"} == {"GET"}, path
        assert set(openapi["paths"][path]) == {"get"}, path
        assert rule.rule.startswith(PATH_PREFIX)


def test_the_document_is_well_formed(openapi):
    assert openapi["openapi"].startswith("3.1")
    assert openapi["servers"] == [{"url": PATH_PREFIX}]
    for schema in openapi["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    components = openapi["components"]
    text = str(openapi)
    for kind, name in re.findall(r"#/components/(\w+)/([\w-]+)", text):
        assert name in components[kind], f"{kind}/{name}"
    operation_ids = [item["get"]["operationId"] for item in openapi["paths"].values()]
    assert len(operation_ids) == len(set(operation_ids))
    for path, item in openapi["paths"].items():
        declared = {
            components["parameters"][p["$ref"].rsplit("/", 1)[1]]["name"]
            for p in item["get"]["parameters"]
            if components["parameters"][p["$ref"].rsplit("/", 1)[1]]["in"] == "path"
        }
        assert declared == set(re.findall(r"{(\w+)}", path)), path


def test_the_document_is_served_as_json(client, openapi):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == openapi


# Validating real answers


class Contract:
    def __init__(self, openapi: dict):
        self.openapi = openapi
        resource = DRAFT202012.create_resource(openapi)
        self.registry = Registry().with_resource(DOCUMENT_URI, resource)
        self.checked: set[tuple[str, str]] = set()

    def _response(self, path: str, status: int) -> dict:
        responses = self.openapi["paths"][path]["get"]["responses"]
        assert str(status) in responses, f"{path} does not document {status}"
        response = responses[str(status)]
        if "$ref" in response:
            response = self.openapi["components"]["responses"][response["$ref"].rsplit("/")[-1]]
        return response

    def check(self, client, url: str, path: str, status: int, headers: dict | None = None):
        answer = client.get(url, headers=headers or {})
        assert answer.status_code == status, (url, answer.get_data(as_text=True)[:300])
        documented = self._response(path, status)
        if "content" in documented:
            assert answer.content_type == "application/json"
            schema = documented["content"]["application/json"]["schema"]
            validator = Draft202012Validator(
                {"$ref": DOCUMENT_URI + schema["$ref"]}, registry=self.registry
            )
            errors = sorted(validator.iter_errors(answer.get_json()), key=str)
            assert not errors, f"{url}: " + "\n".join(
                f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]
            )
        else:
            assert answer.get_data() == b""
        for header in documented.get("headers", {}):
            assert header in answer.headers, (url, header)
        self.checked.add((path, str(status)))
        return answer


def _world():
    """Every kind of thing the API shows, in every state it can show it in."""
    mturk = make_platform("Amazon Mechanical Turk", slug="mturk")
    acme = make_requester(mturk, "A1B2C3D4E5F6G7", "Acme Research")
    make_requester(mturk, None, "Nameless Lab")
    make_review(
        make_user(trust=2),
        acme,
        anonymous=True,
        outcome="approved",
        reward_minor=150,
        bonus_minor=25,
        currency="USD",
        minutes=12,
        days_to_paid=3,
        estimate_honest=True,
        would_work_again=True,
        task_title="Survey about shopping",
    )
    make_review(make_user(), acme, outcome="rejected", reward_minor=100, currency="EUR", minutes=9)
    gone = make_review(make_user(), acme, outcome="never_paid")
    gone.author_id = None
    make_review(make_user(), mturk, anonymous=False)
    db.session.commit()
    for _ in range(3):
        make_proof(platform=mturk, confirmed=True, currency="EUR")
    make_proof(platform=mturk, requester=acme)
    make_flag(requester=acme, confirmed=True, category="scam")
    make_flag(platform=mturk, confirmed=True, category="disturbing", disturbing=True)
    make_flag(platform=mturk, confirmed=False)
    return mturk, acme


def _cases(mturk, acme) -> list[tuple[str, str, int]]:
    ids = "A1B2C3D4E5F6G7,UNKNOWN1234"
    return [
        ("/api/v1/openapi.json", "/openapi.json", 200),
        ("/api/v1/platforms", "/platforms", 200),
        ("/api/v1/platforms?sort=best&per_page=1", "/platforms", 200),
        ("/api/v1/platforms?per_page=0", "/platforms", 400),
        ("/api/v1/platforms/mturk", "/platforms/{slug}", 200),
        ("/api/v1/platforms/mturk?lang=fr", "/platforms/{slug}", 200),
        ("/api/v1/platforms/nowhere", "/platforms/{slug}", 404),
        ("/api/v1/platforms/mturk/proofs", "/platforms/{slug}/proofs", 200),
        ("/api/v1/platforms/nowhere/proofs", "/platforms/{slug}/proofs", 404),
        ("/api/v1/platforms/mturk/reviews", "/platforms/{slug}/reviews", 200),
        ("/api/v1/platforms/mturk/reviews?sort=up", "/platforms/{slug}/reviews", 400),
        ("/api/v1/platforms/nowhere/reviews", "/platforms/{slug}/reviews", 404),
        (f"/api/v1/platforms/mturk/requesters?ids={ids}", "/platforms/{slug}/requesters", 200),
        ("/api/v1/platforms/mturk/requesters", "/platforms/{slug}/requesters", 400),
        (f"/api/v1/platforms/nowhere/requesters?ids={ids}", "/platforms/{slug}/requesters", 404),
        (
            "/api/v1/platforms/mturk/requesters/A1B2C3D4E5F6G7",
            "/platforms/{slug}/requesters/{external_id}",
            200,
        ),
        (
            "/api/v1/platforms/mturk/requesters/UNKNOWN1234",
            "/platforms/{slug}/requesters/{external_id}",
            404,
        ),
        ("/api/v1/requesters", "/requesters", 200),
        ("/api/v1/requesters?platform=mturk&sort=recent", "/requesters", 200),
        ("/api/v1/requesters?sort=name", "/requesters", 400),
        ("/api/v1/requesters?platform=nowhere", "/requesters", 404),
        (f"/api/v1/requesters/{acme.id}", "/requesters/{requester_id}", 200),
        ("/api/v1/requesters/999999", "/requesters/{requester_id}", 404),
        (f"/api/v1/requesters/{acme.id}/reviews", "/requesters/{requester_id}/reviews", 200),
        (
            f"/api/v1/requesters/{acme.id}/reviews?page=x",
            "/requesters/{requester_id}/reviews",
            400,
        ),
        ("/api/v1/requesters/999999/reviews", "/requesters/{requester_id}/reviews", 404),
        ("/api/v1/flags", "/flags", 200),
        ("/api/v1/flags?platform=mturk&category=disturbing", "/flags", 200),
        ("/api/v1/flags?category=bad", "/flags", 400),
        ("/api/v1/flags?platform=nowhere", "/flags", 404),
    ]


def test_every_answer_of_every_route_validates_against_the_document(tmp_path_factory):
    app = build_app(tmp_path_factory, API_RATE_LIMIT="1000/minute")
    with app.app_context():
        openapi = document()
        contract = Contract(openapi)
        mturk, acme = _world()
        client = app.test_client()
        cases = _cases(mturk, acme)
        for url, path, status in cases:
            answer = contract.check(client, url, path, status)
            if status == 200:
                contract.check(client, url, path, 304, {"If-None-Match": answer.headers["ETag"]})

        # Over the limit, every route answers the documented 429.
        limited = build_app(tmp_path_factory, API_RATE_LIMIT="1/hour")
        with limited.app_context():
            _world()
            limited_client = limited.test_client()
            limited_client.get("/api/v1/platforms")
            for path in openapi["paths"]:
                url = next(url for url, documented, _ in cases if documented == path)
                contract.check(limited_client, url, path, 429)

    documented = {
        (path, status)
        for path, item in openapi["paths"].items()
        for status in item["get"]["responses"]
    }
    assert documented == contract.checked, documented ^ contract.checked
