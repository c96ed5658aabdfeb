"""The foundation's promise, end to end through the real pages: a newcomer reviews a requester."""

import re

from community.catalog import service as catalog
from community.extensions import db
from tests.conftest import PASSWORD, make_review, make_user


def test_register_find_by_mturk_id_review_edit_and_read_it_in_french(client):
    catalog.load_starter_platforms()
    mturk = catalog.get_platform_by_slug_or_404("amazon-mechanical-turk")
    requester = catalog.find_or_create_requester(mturk, "A3JOURNEY00001", "Journey Lab")
    db.session.commit()
    make_review(make_user(), requester, score_pay=2, score_fairness=2, score_communication=2)

    assert (
        client.post(
            "/register", data={"username": "new_worker", "password": PASSWORD, "confirm": PASSWORD}
        ).status_code
        == 302
    )
    client.post("/logout")
    assert (
        client.post("/login", data={"username": "new_worker", "password": PASSWORD}).status_code
        == 302
    )

    found = client.get("/requesters?q=a3journey00001").get_data(as_text=True)
    assert "Journey Lab" in found
    page_url = f"/requesters/{requester.id}"
    assert "ranking score from 1 reviewer" in client.get(page_url).get_data(as_text=True)

    form = client.get(f"{page_url}/reviews/new").get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="(\w+)"', form).group(1)
    review = {
        "submission_key": key,
        "score_pay": "5",
        "score_fairness": "5",
        "score_communication": "4",
        "reward": "1.20",
        "currency": "USD",
        "minutes": "12",
        "outcome": "approved",
        "body": "Paid the same day, clear instructions and a fair time estimate.",
    }
    response = client.post(f"{page_url}/reviews/new", data=review)
    assert response.status_code == 302
    page = client.get(page_url).get_data(as_text=True)
    assert "ranking score from 2 reviewers" in page
    assert "$6.00/h" in page

    review_id = int(re.search(r"#r(\d+)", response.headers["Location"]).group(1))
    edited = {**review, "score_pay": "3", "body": "Paid the same day, but the bonus never came."}
    assert client.post(f"/reviews/{review_id}/edit", data=edited).status_code == 302
    page = client.get(page_url).get_data(as_text=True)
    assert "the bonus never came" in page and "edited" in page

    client.post("/language", data={"lang": "fr"})
    french = client.get(page_url).get_data(as_text=True)
    assert 'lang="fr"' in french and "Avis" in french and "6,00" in french
