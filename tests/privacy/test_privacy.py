"""A member takes their whole record with them, and can leave, keeping or removing their words."""

import io
import json
import zipfile
from pathlib import Path

import jsonschema
from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.extensions import db
from community.flags.models import Flag
from community.forum import service as forum
from community.forum.models import Post
from community.moderation import appeals, reports
from community.moderation import service as moderation
from community.privacy import export
from community.proofs.models import Proof
from community.reviews import aggregates
from community.reviews.models import Review
from community.search import service as search
from tests.conftest import (
    PASSWORD,
    login,
    make_flag,
    make_proof,
    make_requester,
    make_review,
    make_thread,
    make_user,
)


def record_of(user_name="leaver"):
    """A member with something of every kind, among other members' contributions."""
    user = make_user(username=user_name, trust=2, country="KE")
    user.email = "leaver@example.org"
    db.session.commit()
    requester = make_requester()
    other = make_review(
        make_user(username="stays"),
        requester,
        score_pay=2,
        body="Another member's review text stays.",
    )
    mine = make_review(
        user, requester, score_pay=5, body="Leaver's words about the requester, long enough."
    )
    thread = make_thread(user, title="Leaver's thread", body="Leaver's opening post")
    reply = forum.reply(make_user(), thread, "Someone else's reply stays")
    proof = make_proof(user, requester.platform)
    flag = make_flag(user, requester=requester, confirmed=True)
    reports.report(
        user, "review", other.id, reports.ReportData("misleading", "Numbers do not add up.")
    )
    moderator = make_user(role=Role.MODERATOR)
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))
    act = moderation.hide(moderator, "post", opening.id, "off_topic", "Off topic here, see rule 4.")
    appeals.file_appeal(user, act, "It was on topic: the thread asks about payouts.")
    search.drain()
    return user, requester, mine, other, reply, proof, flag


def download(client, password=PASSWORD, **options):
    return client.post("/me/data/export", data={"password": password}, **options)


def test_the_archive_holds_the_whole_record_and_nothing_secret(client):
    user, requester, mine, other, reply, proof, flag = record_of()
    login(client, "leaver")
    response = download(client)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    names = set(archive.namelist())
    assert {
        "data.json",
        "schema.json",
        "index.html",
        "csv/reviews.csv",
        f"proofs/proof-{proof.id}.webp",
    } <= names
    data = json.loads(archive.read("data.json"))
    jsonschema.validate(data, json.loads(archive.read("schema.json")))
    sections = data["sections"]
    assert sections["profile"][0]["email"] == "leaver@example.org"
    assert [r["id"] for r in sections["reviews"]] == [mine.id]
    assert {t["title"] for t in sections["threads"]} == {"Leaver's thread"}
    assert [p["id"] for p in sections["proofs"]] == [proof.id]
    assert [f["id"] for f in sections["flags"]] == [flag.id]
    assert [r["item_id"] for r in sections["reports_made"]] == [other.id]
    assert [a["action"] for a in sections["moderation_actions_about_me"]] == ["hide"]
    assert len(sections["appeals"]) == 1
    raw = archive.read("data.json").decode()
    assert "password_hash" not in raw and user.session_token not in raw
    assert (
        "Another member's review text stays." not in raw and "Someone else's reply stays" not in raw
    )
    assert "Leaver's words" in archive.read("csv/reviews.csv").decode()
    assert "leaver" in archive.read("index.html").decode()


def test_the_archive_is_streamed_in_pieces(app):
    user = record_of()[0]
    with app.test_request_context():
        chunks = export.archive(user)
        assert iter(chunks) is chunks  # a generator: nothing is built before it is sent
        assert sum(1 for chunk in chunks if chunk) > 5


def test_the_archive_needs_the_password(client):
    record_of()
    login(client, "leaver")
    response = download(client, password="not my password")
    assert response.status_code == 422 and "password is not correct" in response.get_data(
        as_text=True
    )


def figures(requester):
    db.session.expire_all()
    return db.session.get(type(requester), requester.id).stats["all"]


def test_anonymise_keeps_the_contributions_and_the_figures(client, app):
    user, requester, mine, other, reply, proof, flag = record_of()
    before = figures(requester)
    login(client, "leaver")
    response = client.post(
        "/me/data/delete", data={"choice": "anonymise", "password": PASSWORD, "understood": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.username == "leaver")) is None
    assert db.session.get(Review, mine.id).author_id is None
    assert figures(requester) == before
    page = client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    assert (
        "Leaver's words" in page
        and "a deleted member" in page
        and "leaver" not in page.replace("Leaver", "")
    )
    assert (
        client.post("/login", data={"username": "leaver", "password": PASSWORD}).status_code == 401
    )


def test_delete_removes_the_contributions_and_recounts_exactly(client, app):
    user, requester, mine, other, reply, proof, flag = record_of()
    image = Path(app.config["UPLOAD_DIR"]) / proof.image_name
    assert image.is_file()
    login(client, "leaver")
    response = client.post(
        "/me/data/delete", data={"choice": "delete", "password": PASSWORD, "understood": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = figures(requester)
    aggregates.refresh(db.session.get(type(requester), requester.id))
    assert stored == figures(requester)
    assert stored["reviewers"] == 1 and stored["scores"]["pay"]["avg"] == 2
    assert db.session.get(Review, mine.id).body == ""
    assert not image.exists()
    assert db.session.get(Proof, proof.id).visibility == "deleted"
    assert db.session.get(Flag, flag.id).visibility == "deleted"
    assert db.session.get(type(requester), requester.id).warning_count == 0
    search.drain()
    results, *_ = search.search("Leaver's words", None, None, None, "relevance", 1, 10)
    assert results.total == 0
    assert "Someone else's reply stays" in client.get(f"/threads/{reply.thread_id}").get_data(
        as_text=True
    )


def test_deleting_ends_every_session(app):
    record_of()
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "leaver", remember=True)
    login(laptop, "leaver")
    laptop.post(
        "/me/data/delete", data={"choice": "anonymise", "password": PASSWORD, "understood": "y"}
    )
    assert phone.get("/me/data").status_code == 302


def test_deletion_refusals_keep_the_account(client):
    record_of()
    login(client, "leaver")
    wrong = client.post(
        "/me/data/delete", data={"choice": "delete", "password": "wrong one", "understood": "y"}
    )
    assert wrong.status_code == 422 and "not deleted" in wrong.get_data(as_text=True)
    incomplete = client.post("/me/data/delete", data={"password": PASSWORD})
    html = incomplete.get_data(as_text=True)
    assert incomplete.status_code == 422
    assert "Choose what happens to your contributions." in html and "cannot be undone" in html
    assert (
        db.session.scalar(select(func.count()).select_from(User).where(User.username == "leaver"))
        == 1
    )
