from community.catalog import service
from tests.conftest import login, make_platform, make_requester, make_review, make_user


def test_platform_list_and_page(client):
    service.load_starter_platforms()
    html = client.get("/platforms").get_data(as_text=True)
    assert "Amazon Mechanical Turk" in html and "Prolific" in html
    page = client.get("/platforms/amazon-mechanical-turk").get_data(as_text=True)
    assert "Terms check" in page and "Payout methods" in page and "Review this platform" in page


def test_every_sort_of_every_list_answers(client):
    requester = make_requester()
    make_review(target=requester, reward_minor=100, currency="USD", minutes=10)
    for sort in ("best", "worst", "most_reviewed", "lowest_pay", "recent", "name"):
        assert client.get(f"/platforms?sort={sort}").status_code == 200
        html = client.get(f"/requesters?sort={sort}").get_data(as_text=True)
        assert requester.display_name in html, sort
    slug = requester.platform.slug
    assert requester.display_name in client.get(f"/requesters?platform={slug}").get_data(
        as_text=True
    )


def test_find_a_requester_by_its_mturk_id(client):
    requester = make_requester(external_id="A2MTURKID00001", name="Behaviour Lab")
    html = client.get("/requesters?q=A2MTURKID00001").get_data(as_text=True)
    assert "Behaviour Lab" in html
    assert f"/requesters/{requester.id}" in html


def test_an_unknown_id_invites_the_first_review(client):
    html = client.get("/requesters?q=ANOBODY000000").get_data(as_text=True)
    assert "No requester is known by this ID" in html
    assert "/reviews/new?id=ANOBODY000000" in html


def test_unknown_platform_and_requester_are_404(client):
    assert client.get("/platforms/nope").status_code == 404
    assert client.get("/requesters/999999").status_code == 404
    assert client.get("/requesters?platform=nope").status_code == 404


def test_the_check_box_leads_to_the_platform(client):
    make_platform("Prolific", "prolific")
    response = client.get("/check?q=prolif")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/platforms/prolific"
    )
    assert "We know no platform called" in client.get("/check?q=zzzz").get_data(as_text=True)


def test_adding_a_platform_is_refused_to_new_members_and_open_to_members(client):
    login(client, make_user(trust=0).username)
    assert client.get("/platforms/new").status_code == 403
    client.post("/logout")
    login(client, make_user(trust=1).username)
    response = client.post(
        "/platforms/new",
        data={"name": "Tap Cash", "website": "https://tapcash.example", "kind": "mobile_app"},
    )
    assert response.status_code == 302
    assert "Tap Cash" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_adding_a_platform_with_bad_input_keeps_it(client):
    login(client, make_user(trust=1).username)
    response = client.post(
        "/platforms/new", data={"name": "X", "website": "not a url", "kind": "mobile_app"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="not a url"' in html and "Give a full address" in html
