import re

import pytest
from sqlalchemy import select

from community.accounts.models import Role
from community.extensions import db
from community.forum import service as forum
from community.forum.models import Post, PostRevision, Thread
from community.notifications.models import Notification
from tests.conftest import login, make_platform, make_thread, make_user


def post_count() -> int:
    return len(db.session.scalars(select(Post)).all())


def test_thread_linked_to_a_platform_quote_reply_and_mention(app):
    platform = make_platform("Clickwork Demo")
    amira, chen = make_user(username="amira"), make_user(username="chen")
    make_user(username="bruno")
    first, second, third = app.test_client(), app.test_client(), app.test_client()
    login(first, "amira")
    response = first.post(
        "/forum/newcomers/new",
        data={
            "title": "Does Clickwork Demo really pay?",
            "body": "I have 8 dollars pending since March.",
            "link_platform": str(platform.id),
            "link_requester": "",
        },
    )
    assert response.status_code == 302
    thread_id = int(response.headers["Location"].rsplit("/", 1)[1])
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread_id, Post.number == 1))

    login(second, "bruno")
    form = second.get(f"/threads/{thread_id}/reply?quote={opening.id}").get_data(as_text=True)
    assert "&gt; **@amira** wrote:" in form and "8 dollars pending" in form
    quoted = re.search(r"<textarea[^>]*>\n?(.*?)</textarea>", form, re.S).group(1)
    body = quoted.replace("&gt;", ">") + "Yes, they paid me last week. @chen had the same question."
    response = second.post(
        f"/threads/{thread_id}/reply", data={"body": body, "quote": str(opening.id)}
    )
    assert response.status_code == 302

    page = second.get(f"/threads/{thread_id}").get_data(as_text=True)
    assert "<blockquote>" in page and 'href="/members/chen"' in page
    assert "Does Clickwork Demo really pay?" in second.get(f"/platforms/{platform.slug}").get_data(
        as_text=True
    )

    login(third, "chen")
    notifications = third.get("/notifications").get_data(as_text=True)
    assert "bruno mentioned you in “Does Clickwork Demo really pay?”" in notifications
    assert '<span class="badge new">1</span>' in notifications
    kinds = {(n.user_id, n.kind) for n in db.session.scalars(select(Notification))}
    assert kinds == {(chen.id, "mention"), (amira.id, "quote")}
    note = db.session.scalar(select(Notification).where(Notification.user_id == chen.id))
    opened = third.post(f"/notifications/{note.id}/open")
    assert f"/posts/{note.post_id}" in opened.headers["Location"]
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None


def test_someone_elses_notification_cannot_be_opened(client):
    thread = make_thread(author=make_user(username="writer"))
    reader = make_user(username="reader")
    forum.reply(make_user(), thread, "Hello @reader, welcome.")
    note = db.session.scalar(select(Notification).where(Notification.user_id == reader.id))
    login(client, make_user().username)
    assert client.post(f"/notifications/{note.id}/open").status_code == 404


def test_new_thread_validation_keeps_what_was_typed(client):
    login(client, make_user().username)
    response = client.post(
        "/forum/newcomers/new", data={"title": "Hi", "body": "", "link_platform": "0"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "A title has 4 to 160 characters." in html and "Write your message." in html
    assert 'value="Hi"' in html
    assert db.session.scalar(select(Thread)) is None


def test_only_moderators_open_announcements(client):
    login(client, make_user(trust=2).username)
    assert client.get("/forum/announcements/new").status_code == 403
    response = client.post(
        "/forum/announcements/new", data={"title": "Fake news", "body": "Not allowed here."}
    )
    assert response.status_code == 403
    client.post("/logout")
    login(client, make_user(role=Role.MODERATOR).username)
    response = client.post(
        "/forum/announcements/new",
        data={"title": "Welcome", "body": "The forum is open.", "link_platform": "0"},
    )
    assert response.status_code == 302


def test_platform_forum_gets_its_own_category(client):
    platform = make_platform("Gigs Galore")
    login(client, make_user().username)
    response = client.post(
        f"/forum/platforms/{platform.slug}/new",
        data={
            "title": "Gigs Galore payout times",
            "body": "Mine took five days.",
            "link_platform": "0",
        },
    )
    assert response.status_code == 302
    listing = client.get(f"/forum/platforms/{platform.slug}").get_data(as_text=True)
    assert "Gigs Galore payout times" in listing
    assert "Gigs Galore" in client.get("/forum").get_data(as_text=True)


def test_editing_keeps_history_and_someone_else_is_refused(client):
    author = make_user()
    thread = make_thread(author, body="First words of the opening post.")
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    login(client, make_user().username)
    assert client.get(f"/posts/{post.id}/edit").status_code == 403
    assert client.post(f"/posts/{post.id}/edit", data={"body": "Vandalised"}).status_code == 403
    assert client.post(f"/posts/{post.id}/delete").status_code == 403
    assert client.get(f"/posts/{post.id}/history").status_code == 403
    client.post("/logout")
    login(client, author.username)
    assert (
        client.post(f"/posts/{post.id}/edit", data={"body": "Better words, edited."}).status_code
        == 302
    )
    assert "First words of the opening post." in client.get(f"/posts/{post.id}/history").get_data(
        as_text=True
    )
    assert db.session.scalar(select(PostRevision)).body == "First words of the opening post."


def test_the_author_deletes_a_post_and_its_place_remains(client):
    author = make_user()
    thread = make_thread()
    post = forum.reply(author, thread, "A reply I regret writing.")
    login(client, author.username)
    assert client.post(f"/posts/{post.id}/delete").status_code == 302
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "A reply I regret writing." not in page and "deleted by its author" in page


def test_posts_are_sanitised(client):
    thread = make_thread()
    forum.reply(
        make_user(),
        thread,
        "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert (
        "<script>alert(1)" not in page
        and 'href="javascript:' not in page
        and "<img src=x" not in page
    )


def test_a_locked_thread_takes_no_replies(client):
    thread = make_thread()
    thread.locked = True
    db.session.commit()
    login(client, make_user().username)
    before = post_count()
    response = client.post(f"/threads/{thread.id}/reply", data={"body": "Trying anyway"})
    assert response.status_code == 403 and "locked" in response.get_data(as_text=True)
    assert post_count() == before
    assert "Post my reply" not in client.get(f"/threads/{thread.id}").get_data(as_text=True)


def test_pages_are_ranges_of_post_numbers(client):
    thread = make_thread(body="post 1")
    writer = make_user(trust=2)
    for number in range(2, 46):
        forum.reply(writer, thread, f"post number {number}")
    page_two = client.get(f"/threads/{thread.id}?page=2").get_data(as_text=True)
    assert 'id="p21"' in page_two and 'id="p40"' in page_two and 'id="p41"' not in page_two
    assert "Page 2 of 3" in page_two
    assert 'id="p45"' in client.get(f"/threads/{thread.id}?page=99").get_data(as_text=True)


def test_following_unread_markers_and_mark_read(client):
    reader = make_user()
    thread = make_thread()
    login(client, reader.username)
    client.post(f"/threads/{thread.id}/subscription", data={"follow": "1"})
    forum.reply(make_user(), thread, "Something new")
    listing = client.get("/forum/newcomers").get_data(as_text=True)
    assert "1 new" in listing
    assert "posted in" in client.get("/notifications").get_data(as_text=True)
    assert (
        client.post(f"/threads/{thread.id}/read", data={"number": "2", "silent": "1"}).status_code
        == 204
    )
    assert "1 new" not in client.get("/forum/newcomers").get_data(as_text=True)
    client.post(f"/threads/{thread.id}/subscription", data={"follow": "0"})
    forum.reply(make_user(), thread, "Another one")
    assert "Another one" not in client.get("/notifications").get_data(as_text=True)


def test_reading_a_thread_writes_nothing(client):
    thread = make_thread()
    login(client, make_user().username)
    statements = []
    from sqlalchemy import event

    def remember(conn, cursor, statement, *args):
        statements.append(statement.split()[0].upper())

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        client.get(f"/threads/{thread.id}")
        client.get("/forum")
        client.get("/forum/newcomers")
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert not {"INSERT", "UPDATE", "DELETE"} & set(statements)


def test_daily_limits_for_new_members(client, app):
    newcomer = make_user(trust=0)
    for number in range(app.config["DAILY_QUOTAS"]["thread"][0]):
        make_thread(newcomer, title=f"Question number {number}")
    login(client, newcomer.username)
    response = client.post(
        "/forum/newcomers/new",
        data={"title": "One more question", "body": "Please?", "link_platform": "0"},
    )
    assert response.status_code == 429
    assert 'value="One more question"' in response.get_data(as_text=True)


def test_a_follower_hears_of_new_posts_once_until_reading_the_thread(client):
    from sqlalchemy import func, select

    from community.notifications.models import NotificationKind

    follower, writer = make_user(), make_user()
    thread = make_thread()
    forum.subscribe(follower, thread)
    db.session.commit()

    def notices() -> int:
        return db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == follower.id, Notification.kind == NotificationKind.REPLY)
        )

    first = forum.reply(writer, thread, "The first new post.")
    forum.reply(writer, thread, "A second one before the follower reads.")
    assert notices() == 1
    note = db.session.scalar(select(Notification).where(Notification.user_id == follower.id))
    assert note.post_id == first.id  # it leads to the first post they have not read
    forum.mark_read(follower, thread, thread.last_number)
    db.session.commit()
    forum.reply(writer, thread, "A third, after they read.")
    assert notices() == 2
    assert not db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.user_id == writer.id)
    )


@pytest.mark.parametrize("reading", ["the thread", "the notice", "all notices"])
def test_a_follower_who_read_the_notice_in_any_way_is_told_again(client, reading):
    from community.notifications import service as notifications

    follower, writer = make_user(), make_user()
    thread = make_thread()
    forum.subscribe(follower, thread)
    db.session.commit()
    forum.reply(writer, thread, "A new post for the follower.")
    forum.reply(writer, thread, "Another one: not told twice.")
    notice = db.session.scalars(
        select(Notification).where(Notification.user_id == follower.id)
    ).one()
    if reading == "the thread":
        forum.mark_read(follower, thread, thread.last_number)
    elif reading == "the notice":
        notifications.open_notification(follower, notice.id)
    else:
        notifications.mark_all_read(follower)
    forum.reply(writer, thread, "A third, after the follower read.")
    unread = select(Notification).where(
        Notification.user_id == follower.id, Notification.read_at.is_(None)
    )
    assert len(db.session.scalars(unread).all()) == 1
