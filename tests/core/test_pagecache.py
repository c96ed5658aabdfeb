"""Pages kept for visitors who are not logged in: served again only while nothing changed, in
the visitor's language, with the visitor's own CSRF token, and never to or from a member."""

import pytest
from sqlalchemy import event, select, update

from community.core import pagecache
from community.extensions import db
from community.forum import service as forum
from community.reviews import service as reviews
from tests.conftest import (
    csrf_token_from,
    login,
    make_requester,
    make_review,
    make_thread,
    make_user,
    review_data,
    without_csrf_tokens,
)


@pytest.fixture
def selects(app):
    seen = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    yield seen
    event.remove(db.engine, "before_cursor_execute", remember)


def version() -> int:
    db.session.rollback()
    return pagecache.current_version()


def test_a_kept_page_is_served_without_reading_the_database_again(client, selects):
    requester = make_requester()
    make_review(target=requester)
    url = f"/requesters/{requester.id}"
    first = client.get(url).get_data(as_text=True)
    selects.clear()
    again = client.get(url).get_data(as_text=True)
    assert [s for s in selects if "content_versions" not in s] == []
    assert without_csrf_tokens(first) == without_csrf_tokens(again)


def test_every_change_is_on_the_next_page(client):
    requester = make_requester()
    author = make_user()
    review = make_review(author, requester, body="The first words of a review, long enough.")
    url = f"/requesters/{requester.id}"
    assert "The first words" in client.get(url).get_data(as_text=True)
    reviews.edit_review(author, review, review_data(body="Edited words of a review, long enough."))
    assert "Edited words" in client.get(url).get_data(as_text=True)
    thread = make_thread(title="Kept thread")
    assert "Kept thread" in client.get("/").get_data(as_text=True)
    forum.reply(make_user(), thread, "A reply that must show at once.")
    assert "A reply that must show at once." in client.get(f"/threads/{thread.id}").get_data(
        as_text=True
    )


def test_every_committed_change_raises_the_version_and_so_does_the_index_not_the_outbox(app):
    before = version()
    make_requester()
    assert version() > before
    before = version()
    db.session.execute(
        update(pagecache.ContentVersion).values(version=pagecache.ContentVersion.version)
    )
    db.session.rollback()
    from community.search import service as search

    search.enqueue("thread", 1)
    db.session.commit()
    assert version() == before
    search.drain()  # search pages show what the index holds
    assert version() > before
    before = version()
    search.drain()  # nothing waiting: nothing changed
    assert version() == before


def test_a_kept_search_page_shows_a_new_post_once_the_index_has_it(client, selects):
    from community.search import service as search

    thread = make_thread(title="Payout questions")
    search.drain()
    assert "Payout questions" in client.get("/search?q=payout").get_data(as_text=True)
    selects.clear()
    assert "Payout questions" in client.get("/search?q=payout").get_data(as_text=True)
    assert [s for s in selects if "content_versions" not in s] == []  # kept
    forum.reply(make_user(), thread, "The payout arrived after nine days, with the bonus.")
    assert "nine days" not in client.get("/search?q=payout").get_data(as_text=True)
    search.drain()  # what the page showed meanwhile was kept under the reply's version
    assert "nine days" in client.get("/search?q=payout").get_data(as_text=True)


def test_a_rolled_back_change_raises_nothing(app):
    member = make_user()
    before = version()
    member.country = "FR"
    db.session.flush()
    db.session.rollback()
    assert version() == before


def test_members_are_never_served_a_kept_page_nor_kept(client):
    requester = make_requester()
    member = make_user(username="visible_member")
    url = f"/requesters/{requester.id}"
    client.get(url)  # kept for visitors
    login(client, member.username)
    assert "visible_member" in client.get(url).get_data(as_text=True)
    client.post("/logout")
    visitor = client.application.test_client()
    assert "visible_member" not in visitor.get(url).get_data(as_text=True)


def test_each_visitor_gets_their_own_csrf_token_and_can_switch_language(app):
    requester = make_requester()
    url = f"/requesters/{requester.id}"
    first, second = app.test_client(), app.test_client()
    first_token = csrf_token_from(first.get(url).get_data(as_text=True))
    second_token = csrf_token_from(second.get(url).get_data(as_text=True))
    assert first_token != second_token
    assert pagecache._placeholder() not in second.get(url).get_data(as_text=True)


def test_pages_are_kept_per_language(client):
    requester = make_requester()
    url = f"/requesters/{requester.id}"
    english = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    french = client.get(url, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="en"' in english and 'lang="fr"' in french
    assert 'lang="fr"' in client.get(url, headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_a_page_with_a_message_waiting_is_neither_served_nor_kept(client, app):
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "A message for this visitor only")]
    assert "A message for this visitor only" in client.get("/").get_data(as_text=True)
    assert "A message for this visitor only" not in app.test_client().get("/").get_data(
        as_text=True
    )


def test_a_kept_page_expires(client, app, monkeypatch):
    requester = make_requester()
    url = f"/requesters/{requester.id}"
    client.get(url)
    key = next(iter(app.extensions["page_cache"].entries))
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 0.0001)
    app.extensions["page_cache"].entries[key].expires = 0
    assert app.extensions["page_cache"].get(key, version()) is None


def test_without_the_version_row_nothing_is_kept(client, app):
    db.session.execute(pagecache.ContentVersion.__table__.delete())
    db.session.commit()
    client.get("/")
    assert not app.extensions.get("page_cache") or not any(
        key[0].startswith("/?") for key in app.extensions["page_cache"].entries
    )
    assert db.session.scalar(select(pagecache.ContentVersion.version)) is None


def test_an_error_page_of_a_kept_view_carries_the_visitors_own_token(client):
    page = client.get("/threads/999999")
    assert page.status_code == 404
    assert pagecache._placeholder() not in page.get_data(as_text=True)
    assert csrf_token_from(page.get_data(as_text=True))


def test_members_get_kept_figures_made_again_after_every_change(client):
    requester = make_requester()
    make_review(target=requester, score_pay=2)
    member = make_user()
    login(client, member.username)
    url = f"/requesters/{requester.id}"
    client.get(url)  # the message "You are logged in" shows once
    first = client.get(url).get_data(as_text=True)
    entries = client.application.extensions["page_cache"].entries
    kept = [key for key in entries if key[:2] == ("fragment", "figures")]
    assert kept == [("fragment", "figures", "requester", requester.id, "en")]
    assert without_csrf_tokens(client.get(url).get_data(as_text=True)) == without_csrf_tokens(first)
    assert "ranking score from 1 reviewer<" in first and member.username in first
    make_review(target=requester, score_pay=5)
    assert "ranking score from 2 reviewers" in client.get(url).get_data(as_text=True)
    french = client.get(url, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "note de classement d'après 2 évaluateurs" in french.replace("&#39;", "'")


def test_api_answers_are_kept_with_their_headers_until_something_changes(client, selects):
    requester = make_requester()
    make_review(target=requester, score_pay=2)
    url = f"/api/v1/requesters/{requester.id}"
    first = client.get(url)
    selects.clear()
    again = client.get(url)
    assert [s for s in selects if "content_versions" not in s] == []
    assert again.get_json() == first.get_json()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert again.mimetype == "application/json"
    make_review(target=requester, score_pay=5)
    assert client.get(url).get_json()["aggregates"]["reviewer_count"] == 2


def test_review_bodies_are_kept_per_readers_country_and_made_again_after_a_change(client):
    requester = make_requester()
    author = make_user(country="IN")
    paid = {"reward_minor": 300, "currency": "USD", "minutes": 60, "outcome": "approved"}
    review = make_review(
        author, requester, body="Paid on time, words of the first version.", **paid
    )
    url = f"/requesters/{requester.id}"
    for reader, compared in ((make_user(country="FR"), True), (make_user(country=None), False)):
        login(client, reader.username)
        client.get(url)  # the message "You are logged in" shows once
        html = client.get(url).get_data(as_text=True)
        assert "words of the first version" in html
        assert ("Your country's minimum" in html) is compared  # each reader's own country
        client.post("/logout")
    entries = client.application.extensions["page_cache"].entries
    assert sorted(str(key[3]) for key in entries if key[1] == "review") == ["FR", "None"]
    reviews.edit_review(author, review, review_data(body="Words of the edited version.", **paid))
    login(client, author.username)
    assert "Words of the edited version" in client.get(url).get_data(as_text=True)
