"""No answer of the API carries anything private: fetch every route, search every body."""

import re

from community.accounts.models import User
from community.core.content import Visibility
from community.extensions import db
from tests.api.test_contract import _api_rules, _documented_path
from tests.conftest import (
    make_flag,
    make_platform,
    make_proof,
    make_requester,
    make_review,
    make_user,
)

PRIVATE_KEYS = re.compile(r'"(email|country|password\w*|session\w*|author_id|user_id|\w*_by_id)"')


def test_no_answer_carries_private_fields_or_hidden_content(client, app):
    mturk = make_platform("Amazon Mechanical Turk", slug="mturk")
    acme = make_requester(mturk, "A1B2C3D4E5F6G7", "Acme Research")
    hiding = make_user(trust=2, username="hidden_hand", country="NZ")
    hiding.email = "hidden.hand@example.org"
    signed = make_user(trust=1, username="open_book", country="NZ")
    signed.email = "open.book@example.org"
    db.session.commit()
    make_review(hiding, acme, anonymous=True, currency="NZD", reward_minor=100, minutes=10)
    make_review(signed, acme, body="A signed review, with enough words to be published here.")
    hidden = make_review(make_user(), acme, body="HIDDENREVIEW text that moderators hid from view.")
    hidden.visibility = Visibility.HIDDEN
    held = make_review(make_user(), mturk, body="HELDREVIEW text waiting for a moderator to look.")
    held.visibility = Visibility.HELD
    withdrawn = make_review(make_user(), acme, body="DELETEDREVIEW text that the author withdrew.")
    withdrawn.visibility = Visibility.DELETED
    db.session.commit()
    proof = make_proof(
        author=hiding, platform=mturk, requester=acme, confirmed=True, note="PROOFNOTE paypal"
    )
    make_flag(
        author=hiding,
        requester=acme,
        confirmed=True,
        description="A confirmed warning about a task that asks for identity documents.",
    )
    secret_flag = make_flag(
        requester=acme, confirmed=True, description="HIDDENFLAG description of a hidden flag."
    )
    secret_flag.visibility = Visibility.HIDDEN
    make_flag(requester=acme, description="OPENFLAG description that nobody confirmed yet.")
    db.session.commit()

    routes = {
        "/api/v1/openapi.json": "/openapi.json",
        "/api/v1/platforms": "/platforms",
        "/api/v1/platforms/mturk": "/platforms/{slug}",
        "/api/v1/platforms/mturk/proofs": "/platforms/{slug}/proofs",
        "/api/v1/platforms/mturk/reviews": "/platforms/{slug}/reviews",
        "/api/v1/platforms/mturk/requesters?ids=A1B2C3D4E5F6G7,B1B2B3B4": (
            "/platforms/{slug}/requesters"
        ),
        "/api/v1/platforms/mturk/requesters/A1B2C3D4E5F6G7": (
            "/platforms/{slug}/requesters/{external_id}"
        ),
        "/api/v1/requesters": "/requesters",
        f"/api/v1/requesters/{acme.id}": "/requesters/{requester_id}",
        f"/api/v1/requesters/{acme.id}/reviews": "/requesters/{requester_id}/reviews",
        "/api/v1/flags": "/flags",
        "/api/v1/flags?platform=mturk": "/flags",
    }
    assert set(routes.values()) == {_documented_path(rule.rule) for rule in _api_rules(app)}
    urls = set(routes)

    users = db.session.query(User).all()
    forbidden = [
        "hidden_hand",
        "hidden.hand@example.org",
        "open.book@example.org",
        '"NZ"',
        "HIDDENREVIEW",
        "HELDREVIEW",
        "DELETEDREVIEW",
        "HIDDENFLAG",
        "OPENFLAG",
        proof.image_name,
        proof.thumb_name,
        "PROOFNOTE",
        *(user.password_hash for user in users),
        *(user.session_token for user in users),
    ]
    seen_signed = False
    for url in sorted(urls):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        for text in forbidden:
            assert text not in body, (url, text)
        if url != "/api/v1/openapi.json":
            assert not PRIVATE_KEYS.search(body), (url, PRIVATE_KEYS.search(body).group())
        seen_signed = seen_signed or "open_book" in body
        assert "Set-Cookie" not in response.headers
    assert seen_signed  # the signed review shows its pseudonym: the check above is not vacuous

    reviews = client.get(f"/api/v1/requesters/{acme.id}/reviews").get_json()["items"]
    anonymous = next(review for review in reviews if review["author"]["anonymous"])
    assert anonymous["author"] == {"anonymous": True, "trust_level": 2}
