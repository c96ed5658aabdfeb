"""Object access by id: a member who types another member's ids, with a complete and valid form,
changes nothing and reads nothing of theirs. The authorisation matrix checks the answers of
every route to empty forms; here the forms are whole and the database is read afterwards."""

import io
import json
import zipfile

from sqlalchemy import select

from community.accounts.models import Role, User
from community.catalog.models import Platform
from community.extensions import db
from community.flags.models import Flag
from community.forum.models import Post
from community.moderation.models import Appeal, DisputeStatement, ReviewReply
from community.notifications.models import Notification
from community.proofs.models import Proof
from community.reviews.models import Review
from tests.conftest import PASSWORD, REVIEW_TEXT, make_user
from tests.imagefiles import png_bytes
from tests.proofs.test_views import upload_form
from tests.reviews.test_views import FORM as REVIEW_FORM
from tests.security.conftest import client_as
from tests.security.world import REASON


def snapshot(model, object_id) -> dict:
    db.session.expire_all()
    row = db.session.get(model, object_id)
    return {column.name: getattr(row, column.name) for column in row.__table__.columns}


def test_nobody_edits_or_withdraws_another_members_contributions(app, world):
    ids = world.ids
    attempts = [
        (Review, ids["review"], f"/reviews/{ids['review']}/edit", REVIEW_FORM),
        (Review, ids["review"], f"/reviews/{ids['review']}/withdraw", {}),
        (Post, ids["post"], f"/posts/{ids['post']}/edit", {"body": "Rewritten by someone else"}),
        (Post, ids["post"], f"/posts/{ids['post']}/delete", {}),
        (Proof, ids["proof"], f"/proofs/{ids['proof']}/withdraw", {}),
        (Flag, ids["flag"], f"/flags/{ids['flag']}/withdraw", {}),
        (
            ReviewReply,
            ids["reply"],
            f"/replies/{ids['reply']}/edit",
            {"body": "A reply rewritten by another member."},
        ),
    ]
    for role in ("tl0", "tl2", "representative", "moderator", "admin"):
        client = client_as(app, world.user(role))
        for model, object_id, url, data in attempts:
            if role == "representative" and model is ReviewReply:
                continue  # their own reply
            before = snapshot(model, object_id)
            response = client.post(url, data=data)
            assert response.status_code == 403, (role, url, response.status_code)
            assert snapshot(model, object_id) == before, (role, url)


def test_another_members_notifications_stay_theirs(app, world):
    owner = world.user("tl1")
    theirs = db.session.scalars(select(Notification).where(Notification.user_id == owner.id)).all()
    assert theirs
    intruder = client_as(app, world.user("tl2"))
    for notification in theirs:
        before = snapshot(Notification, notification.id)
        assert intruder.post(f"/notifications/{notification.id}/open").status_code == 404
        assert snapshot(Notification, notification.id) == before
    intruder.post("/notifications/read")
    page = intruder.get("/notifications").get_data(as_text=True)
    assert all(f"/notifications/{n.id}/open" not in page for n in theirs)
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(Notification.read_at).where(Notification.id == world.ids["notification"])
        )
        == snapshot(Notification, world.ids["notification"])["read_at"]
    )


def test_another_members_appeal_is_not_found_and_their_acts_not_appealable(app, world):
    ids = world.ids
    for role in ("tl0", "tl2", "representative"):
        client = client_as(app, world.user(role))
        assert client.get(f"/appeals/{ids['appeal']}").status_code == 404
        statement = {"statement": "I appeal an act that was not about me at all."}
        response = client.post(f"/moderation/actions/{ids['warning']}/appeal", data=statement)
        assert response.status_code == 403
    assert db.session.scalar(select(Appeal.id).where(Appeal.action_id == ids["warning"])) is None


def test_only_the_parties_read_and_add_to_a_dispute(app, world):
    dispute = world.ids["dispute"]
    secret = "We have no record of any message from this worker at all."
    for role in ("anonymous", "tl0", "tl2"):
        page = client_as(app, world.user(role)).get(f"/disputes/{dispute}")
        assert page.status_code == 200 and secret not in page.get_data(as_text=True)
    for role in ("tl0", "tl2", "moderator"):
        before = db.session.scalars(select(DisputeStatement.id)).all()
        response = client_as(app, world.user(role)).post(
            f"/disputes/{dispute}/statements",
            data={"body": "A statement from someone who is no party to the case."},
        )
        assert response.status_code == 403, role
        assert db.session.scalars(select(DisputeStatement.id)).all() == before
    party = client_as(app, world.user("tl1")).get(f"/disputes/{dispute}")
    assert secret in party.get_data(as_text=True)


def test_the_export_is_always_ones_own_whatever_the_form_says(app, world):
    owner, other = world.user("tl1"), world.user("tl2")
    response = client_as(app, other).post(
        f"/me/data/export?user={owner.id}&username={owner.username}",
        data={"password": PASSWORD, "user_id": str(owner.id), "username": owner.username},
    )
    assert response.status_code == 200
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.get_data())).read("data.json"))
    assert data["sections"]["profile"][0]["username"] == other.username
    raw = json.dumps(data)
    assert "The owner's review" not in raw and "The owner's thread" not in raw


def test_forms_ignore_fields_that_would_promote_or_rename_a_member(app, world):
    member = world.user("tl0")
    smuggled = {
        "role": Role.ADMIN,
        "username": "renamed",
        "contribution_count": "999",
        "created_at": "2000-01-01",
        "session_token": "chosen",
        "id": str(world.user("admin").id),
    }
    client_as(app, member).post("/settings", data={"email": "", **smuggled})
    db.session.expire_all()
    after = db.session.get(User, member.id)
    assert (after.role, after.username, after.contribution_count) == (
        Role.MEMBER,
        "role_tl0",
        0,
    )
    assert after.session_token != "chosen"
    visitor = client_as(app, None)
    visitor.post(
        "/register",
        data={
            "username": "self_made_admin",
            "password": PASSWORD,
            "confirm": PASSWORD,
            **{k: v for k, v in smuggled.items() if k != "username"},
        },
    )
    created = db.session.scalar(select(User).where(User.username == "self_made_admin"))
    assert created is not None and created.role == Role.MEMBER and created.contribution_count == 0


def test_a_review_or_proof_cannot_be_filed_in_another_members_name(app, world):
    author = world.user("tl0")
    client = client_as(app, author)
    review = {**REVIEW_FORM, "submission_key": "idor-1", "author_id": str(world.user("tl1").id)}
    assert (
        client.post(f"/requesters/{world.ids['requester']}/reviews/new", data=review).status_code
        == 302
    )
    stored = db.session.scalar(select(Review).where(Review.submission_key == "idor-1"))
    assert stored.author_id == author.id and stored.body == REVIEW_TEXT
    platform = db.session.get(Platform, world.ids["platform_id"])
    form = upload_form(platform, png_bytes(), author_id=str(world.user("tl1").id))
    response = client.post("/proofs/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    proof = db.session.get(Proof, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert proof.author_id == author.id


def test_a_moderator_cannot_decide_their_own_act_nor_an_appeal_against_it(app, world):
    appeal_id = world.ids["appeal"]
    acting = client_as(app, world.user("moderator"))  # the moderator who hid the post
    response = acting.post(
        f"/appeals/{appeal_id}/decide", data={"decision": "uphold", "reason": REASON}
    )
    assert response.status_code == 403
    assert db.session.get(Appeal, appeal_id).status == "open"
    own = make_user(trust=2, role=Role.MODERATOR, username="self_sanctioner")
    response = client_as(app, own).post(
        "/moderation/members/self_sanctioner/warn", data={"reason": REASON}
    )
    assert response.status_code == 403
