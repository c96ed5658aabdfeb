from sqlalchemy import func, select

from community.accounts.models import Role
from community.extensions import db
from community.reviews.models import Review, ReviewRevision
from tests.conftest import REVIEW_TEXT, login, make_platform, make_requester, make_review, make_user

FORM = {
    "submission_key": "form-1",
    "score_pay": "4",
    "score_fairness": "3",
    "score_communication": "5",
    "task_title": "Image tagging",
    "reward": "0.50",
    "bonus": "",
    "currency": "USD",
    "minutes": "6",
    "outcome": "approved",
    "days_to_paid": "2",
    "estimate_honest": "yes",
    "would_work_again": "yes",
    "body": REVIEW_TEXT,
}


def review_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Review))


def test_a_member_reviews_a_requester_and_the_figures_change_at_once(client):
    requester = make_requester()
    login(client, make_user().username)
    response = client.post(f"/requesters/{requester.id}/reviews/new", data=FORM)
    assert response.status_code == 302
    page = client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    assert "Image tagging" in page
    assert "$5.00/h" in page  # 0.50 in 6 minutes
    assert "ranking score from 1 reviewer" in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    requester = make_requester()
    response = client.get(f"/requesters/{requester.id}/reviews/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_same_form_sent_twice_creates_one_review(client):
    requester = make_requester()
    login(client, make_user().username)
    first = client.post(f"/requesters/{requester.id}/reviews/new", data=FORM)
    second = client.post(f"/requesters/{requester.id}/reviews/new", data=FORM)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert review_count() == 1


def test_bad_input_gets_clear_messages_keeps_the_text_and_stores_nothing(client):
    requester = make_requester()
    login(client, make_user().username)
    bad = {
        **FORM,
        "score_pay": "",
        "reward": "lots",
        "minutes": "-3",
        "days_to_paid": "999",
        "body": "Too short but <kept>",
    }
    response = client.post(f"/requesters/{requester.id}/reviews/new", data=bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for message in (
        "Give a pay score from 1 to 5.",
        "Give the amount as a number, for example 0.80.",
        "Give the minutes as a number from 1 to 10080.",
        "Give the days as a number from 0 to 365.",
        "Please give your reasons in at least 40 characters.",
    ):
        assert message in html
    assert "Too short but &lt;kept&gt;" in html
    assert 'value="lots"' in html and 'value="Image tagging"' in html
    assert review_count() == 0


def test_reviewing_by_typing_a_platform_and_an_mturk_id_creates_the_requester(client):
    platform = make_platform("Amazon Mechanical Turk", "amazon-mechanical-turk")
    login(client, make_user().username)
    data = {
        **FORM,
        "platform_id": str(platform.id),
        "requester_external_id": "a9z8y7x6w5v4u3",
        "requester_name": "Night Lab",
    }
    response = client.post("/reviews/new", data=data)
    assert response.status_code == 302
    page = client.get("/requesters?q=A9Z8Y7X6W5V4U3").get_data(as_text=True)
    assert "Night Lab" in page and "A9Z8Y7X6W5V4U3" in page


def test_the_identifier_form_needs_an_id_or_a_name(client):
    platform = make_platform()
    login(client, make_user().username)
    response = client.post("/reviews/new", data={**FORM, "platform_id": str(platform.id)})
    assert response.status_code == 422
    assert "ID or name, or review the platform itself" in response.get_data(as_text=True)


def test_a_new_member_meets_the_daily_limit_with_a_clear_message(client, app):
    requester = make_requester()
    newcomer = make_user(trust=0)
    quota = app.config["DAILY_QUOTAS"]["review"][0]
    for _ in range(quota):
        make_review(newcomer, requester)
    login(client, newcomer.username)
    response = client.post(
        f"/requesters/{requester.id}/reviews/new", data={**FORM, "submission_key": "over"}
    )
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "today's limit" in html or "today&#39;s limit" in html
    assert REVIEW_TEXT in html  # what they typed is still in the form
    assert review_count() == quota


def test_a_member_the_operator_exempts_has_no_daily_limit(client, app, monkeypatch):
    requester = make_requester()
    importer = make_user(trust=0)
    monkeypatch.setitem(app.config, "WRITE_LIMITS_EXEMPT_MEMBERS", (importer.username,))
    quota = app.config["DAILY_QUOTAS"]["review"][0]
    for _ in range(quota):
        make_review(importer, requester)
    login(client, importer.username)
    response = client.post(
        f"/requesters/{requester.id}/reviews/new", data={**FORM, "submission_key": "over"}
    )
    assert response.status_code == 302
    assert review_count() == quota + 1


def test_the_author_edits_and_the_history_keeps_the_earlier_version(client):
    author = make_user()
    review = make_review(author, body="The first version of my review, with enough characters.")
    login(client, author.username)
    assert client.get(f"/reviews/{review.id}/edit").status_code == 200
    response = client.post(
        f"/reviews/{review.id}/edit",
        data={**FORM, "body": "An updated review with new facts, long enough."},
    )
    assert response.status_code == 302
    history = client.get(f"/reviews/{review.id}/history").get_data(as_text=True)
    assert "The first version of my review" in history
    assert db.session.scalar(select(func.count()).select_from(ReviewRevision)) == 1


def test_editing_someone_elses_review_by_id_is_refused(client):
    review = make_review()
    login(client, make_user().username)
    assert client.get(f"/reviews/{review.id}/edit").status_code == 403
    response = client.post(
        f"/reviews/{review.id}/edit",
        data={**FORM, "body": "Vandalised text that should never be stored."},
    )
    assert response.status_code == 403
    assert client.post(f"/reviews/{review.id}/withdraw").status_code == 403
    db.session.expire_all()
    assert db.session.get(Review, review.id).body == REVIEW_TEXT


def test_history_is_for_the_author_and_moderators_only(client):
    review = make_review()
    login(client, make_user().username)
    assert client.get(f"/reviews/{review.id}/history").status_code == 403
    client.post("/logout")
    login(client, make_user(role=Role.MODERATOR).username)
    assert client.get(f"/reviews/{review.id}/history").status_code == 200


def test_withdrawing_removes_the_review_from_the_page(client):
    author = make_user()
    requester = make_requester()
    review = make_review(author, requester, body="A review that the author will withdraw later on.")
    login(client, author.username)
    assert client.post(f"/reviews/{review.id}/withdraw").status_code == 302
    page = client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    assert "withdraw later on" not in page
    assert "No reviews yet" in page


def test_an_anonymous_review_never_names_its_author(client):
    author = make_user(username="secret_worker", trust=2)
    requester = make_requester()
    make_review(author, requester, anonymous=True)
    page = client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    assert "secret_worker" not in page
    assert "a member (TL2)" in page
    login(client, make_user().username)
    assert "secret_worker" not in client.get(f"/requesters/{requester.id}").get_data(as_text=True)


def test_anonymous_reviews_do_not_count_on_the_public_profile(client):
    author = make_user(username="counted")
    make_review(author, anonymous=True)
    make_review(author, make_requester(external_id="ASIGNED000001"), anonymous=False)
    html = client.get("/members/counted").get_data(as_text=True)
    assert "<dt>Signed reviews</dt><dd>1</dd>" in html


def test_xss_in_review_text_is_rendered_harmless(client):
    requester = make_requester()
    make_review(
        target=requester,
        body='<script>alert("x")</script> [click](javascript:alert(1)) '
        "<img src=x onerror=alert(1)>",
    )
    html = client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    assert '<script>alert("x")' not in html
    assert 'href="javascript:' not in html
    assert "<img src=x" not in html


def test_pending_reviews_wait_in_the_authors_list_until_updated(client):
    author = make_user()
    review = make_review(author, outcome="pending", task_title="Survey about bikes")
    login(client, author.username)
    assert (
        "Survey about bikes"
        in client.get("/me/reviews").get_data(as_text=True).split("All my reviews")[0]
    )
    client.post(
        f"/reviews/{review.id}/edit",
        data={**FORM, "task_title": "Survey about bikes", "outcome": "approved"},
    )
    waiting = client.get("/me/reviews").get_data(as_text=True).split("All my reviews")[0]
    assert "Survey about bikes" not in waiting


def test_each_review_shows_pay_against_the_readers_minimum_wage(client):
    requester = make_requester()
    make_review(
        make_user(country="IN"),
        requester,
        reward_minor=300,
        currency="USD",
        minutes=60,
        outcome="approved",
    )
    reader = make_user(country="FR")
    login(client, reader.username)
    html = client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    assert "Your country's minimum" in html and "below it" in html
    assert "at or above the reviewer's local minimum wage" in html
