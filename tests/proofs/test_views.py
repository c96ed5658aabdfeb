"""Proof pages and forms through real requests: upload without JavaScript, the served images,
the community's checks, the galleries and the "Is it legit?" card."""

import io
import os
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from community.accounts.models import Role
from community.core.content import Visibility
from community.core.database import utcnow
from community.extensions import db
from community.proofs.models import Proof, ProofMark
from tests.conftest import login, make_platform, make_proof, make_requester, make_user
from tests.imagefiles import (
    NOT_ACCEPTED,
    SECRET_MARKERS,
    encoded,
    in_pillow_warning_range,
    jpeg_with_everything,
    picture,
    png_bytes,
    png_declaring,
    png_with_text_and_trailer,
    truncated_jpeg,
    truncated_png,
)

IMAGE_NAME = re.compile(r'^inline; filename="([A-Za-z0-9][A-Za-z0-9_-]{15,63}\.webp)"$')


def stored_files(app) -> set[str]:
    folder = app.config["UPLOAD_DIR"]
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def proof_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Proof))


def upload_form(platform, image: bytes, filename: str = "screenshot.png", **fields) -> dict:
    return {
        "submission_key": fields.pop("submission_key", os.urandom(8).hex()),
        "platform_id": str(platform.id),
        "requester_external_id": "",
        "requester_name": "",
        "amount": "12.50",
        "currency": "USD",
        "received_on": utcnow().date().isoformat(),
        "payout_method": "paypal",
        "note": "",
        "redacted": "y",
        "screenshot": (io.BytesIO(image), filename),
        **fields,
    }


def upload(client, platform, image: bytes, **fields):
    return client.post(
        "/proofs/new",
        data=upload_form(platform, image, **fields),
        content_type="multipart/form-data",
    )


def proof_id_from(response) -> int:
    return int(re.search(r"/proofs/(\d+)$", response.headers["Location"]).group(1))


# Posting a proof


def test_visitors_are_sent_to_log_in(client):
    platform = make_platform()
    response = client.get("/proofs/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = upload(client, platform, png_bytes())
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert proof_count() == 0


def test_the_upload_page_works_without_javascript_and_warns_to_cover_personal_data(client):
    platform = make_platform()
    login(client, make_user().username)
    html = client.get(f"/proofs/new?platform={platform.slug}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html and 'accept="image/png,image/jpeg,image/webp"' in html
    assert "Cover your personal information before you upload." in html
    assert "needs JavaScript" in html
    assert f'<option selected value="{platform.id}">' in html
    assert 'id="redactor" hidden' in html  # the tool appears only when the script runs
    assert "Undo last box" in html and "Clear boxes" in html
    assert "/static/js/redact.js" in html
    assert "<script>" not in html and "style=" not in html
    assert "/static/js/redact.js" not in client.get("/proofs").get_data(as_text=True)


def test_the_upload_page_is_prefilled_from_a_requester(client):
    requester = make_requester(external_id="A7PREFILL00001", name="Prefill Lab")
    login(client, make_user().username)
    html = client.get(f"/proofs/new?requester={requester.id}").get_data(as_text=True)
    assert 'value="A7PREFILL00001"' in html and 'value="Prefill Lab"' in html


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_member_uploads_each_accepted_format(client, app, fmt):
    platform = make_platform()
    login(client, make_user().username)
    original = encoded(picture((300, 200)), fmt)
    response = upload(client, platform, original, filename=f"pay.{fmt.lower()}", amount="7,25")
    assert response.status_code == 302
    proof = db.session.get(Proof, proof_id_from(response))
    assert (proof.amount_minor, proof.currency, proof.payout_method) == (725, "USD", "paypal")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you — your proof of payment is published." in page
    assert "$7.25" in page
    served = client.get(f"/proofs/{proof.id}/image")
    assert served.status_code == 200 and served.data != original
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.format == "WEBP" and image.size == (300, 200)
    thumb = client.get(f"/proofs/{proof.id}/thumbnail")
    with Image.open(io.BytesIO(thumb.data)) as image:
        assert image.format == "WEBP" and image.size == (300, 200)


def test_a_requester_typed_by_identifier_is_created_and_shows_the_proof(client):
    platform = make_platform()
    login(client, make_user().username)
    response = upload(
        client,
        platform,
        png_bytes(),
        requester_external_id="a5new0000000001",
        requester_name="New Lab",
    )
    proof = db.session.get(Proof, proof_id_from(response))
    assert proof.requester.external_id == "A5NEW0000000001"
    page = client.get(f"/requesters/{proof.requester_id}").get_data(as_text=True)
    assert "Proofs of payment" in page and f"/proofs/{proof.id}/thumbnail" in page


@pytest.mark.parametrize(
    "image",
    [jpeg_with_everything(), png_with_text_and_trailer()],
    ids=["jpeg-exif-gps-comment-icc-xmp", "png-text-chunks-and-trailer"],
)
def test_served_images_carry_no_metadata_and_never_the_uploaded_bytes(client, image):
    platform = make_platform()
    login(client, make_user().username)
    proof_id = proof_id_from(upload(client, platform, image))
    for url in (f"/proofs/{proof_id}/image", f"/proofs/{proof_id}/thumbnail"):
        served = client.get(url).data
        assert served != image and served[:4] == b"RIFF"
        for marker in (*SECRET_MARKERS, b"Exif", b"GPS", b"ICCP", b"XMP"):
            assert marker not in served
        with Image.open(io.BytesIO(served)) as back:
            assert not {"exif", "icc_profile", "xmp", "comment"} & set(back.info)
            assert len(back.getexif()) == 0


REFUSED = {
    "html": (NOT_ACCEPTED["html"], "not a PNG, JPEG or WebP image"),
    "svg": (NOT_ACCEPTED["svg"], "not a PNG, JPEG or WebP image"),
    "gif": (NOT_ACCEPTED["gif"], "not a PNG, JPEG or WebP image"),
    "pdf": (NOT_ACCEPTED["pdf"], "not a PNG, JPEG or WebP image"),
    "zip": (NOT_ACCEPTED["zip"], "not a PNG, JPEG or WebP image"),
    "truncated-png": (truncated_png(), "damaged or incomplete"),
    "truncated-jpeg": (truncated_jpeg(), "damaged or incomplete"),
    "decompression-bomb": (png_declaring(30_000, 30_000), "too many pixels"),
    "pillow-warning-range": (in_pillow_warning_range(), "too many pixels"),
    "empty": (b"", "The file is empty."),
}


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_files_named_png_that_are_not_acceptable_images_are_refused(client, app, kind):
    data, message = REFUSED[kind]
    platform = make_platform()
    login(client, make_user().username)
    files = stored_files(app)
    response = upload(client, platform, data, filename="innocent.png", note="My note stays")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert "My note stays" in html and 'value="12.50"' in html  # nothing typed is lost
    assert proof_count() == 0
    assert stored_files(app) == files


def test_an_oversized_file_is_refused_with_its_limit(client, app):
    platform = make_platform()
    login(client, make_user().username)
    files = stored_files(app)
    oversized = png_bytes() + b"\0" * app.config["UPLOAD_MAX_BYTES"]
    response = upload(client, platform, oversized)
    assert response.status_code == 422
    assert "larger than 8 MB" in response.get_data(as_text=True)
    assert proof_count() == 0 and stored_files(app) == files


def test_validation_errors_keep_everything_typed_and_store_nothing(client, app):
    platform = make_platform()
    login(client, make_user().username)
    files = stored_files(app)
    future = (utcnow() + timedelta(days=5)).date().isoformat()
    response = upload(
        client,
        platform,
        png_bytes(),
        amount="lots",
        received_on=future,
        requester_name="Night <Lab>",
        note="Paid after **two** weeks",
        redacted="",
        platform_id="0",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for message in (
        "Give the amount as a number, for example 12.50.",
        "The date you received the payment cannot be in the future.",
        "Please check the screenshot and cover any personal information.",
        "Choose the platform.",
        "Browsers forget a chosen file when a form comes back",
    ):
        assert message in html
    assert 'value="lots"' in html and f'value="{future}"' in html
    assert 'value="Night &lt;Lab&gt;"' in html and "Paid after **two** weeks" in html
    assert proof_count() == 0 and stored_files(app) == files


def test_a_form_without_a_file_asks_for_the_screenshot(client):
    login(client, make_user().username)
    data = upload_form(make_platform(), b"")
    del data["screenshot"]
    response = client.post("/proofs/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose the screenshot of your payment." in response.get_data(as_text=True)


def test_a_date_that_is_not_a_date_gets_a_clear_message(client):
    login(client, make_user().username)
    response = upload(client, make_platform(), png_bytes(), received_on="31/02/2026")
    assert response.status_code == 422
    assert "Give the date as year-month-day" in response.get_data(as_text=True)


def test_the_same_upload_sent_twice_is_one_proof(client):
    platform = make_platform()
    login(client, make_user().username)
    first = upload(client, platform, png_bytes(), submission_key="twice")
    second = upload(client, platform, png_bytes(), submission_key="twice")
    assert first.headers["Location"] == second.headers["Location"]
    assert proof_count() == 1


def test_the_daily_quota_keeps_the_form(client, app):
    newcomer = make_user(trust=0)
    platform = make_platform()
    for _ in range(app.config["DAILY_QUOTAS"]["proof"][0]):
        make_proof(newcomer, platform)
    login(client, newcomer.username)
    response = upload(client, platform, png_bytes(), note="Kept after the quota")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "limit" in html and "Kept after the quota" in html


# Serving


def test_image_headers_sandbox_the_file_and_name_it_randomly(client):
    proof = make_proof()
    response = client.get(f"/proofs/{proof.id}/image")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/webp"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    name = IMAGE_NAME.match(response.headers["Content-Disposition"]).group(1)
    assert name == proof.image_name
    assert "max-age" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    again = client.get(f"/proofs/{proof.id}/image", headers={"If-None-Match": etag})
    assert again.status_code == 304
    thumb = client.get(f"/proofs/{proof.id}/thumbnail")
    assert IMAGE_NAME.match(thumb.headers["Content-Disposition"]).group(1) == proof.thumb_name


@pytest.mark.parametrize("state", [Visibility.HIDDEN, Visibility.DELETED, Visibility.HELD])
def test_images_of_proofs_that_are_not_visible_are_not_found(client, state):
    proof = make_proof()
    proof.visibility = state
    db.session.commit()
    moderator = make_user(role=Role.MODERATOR)
    login(client, moderator.username)  # not even for a moderator
    for url in (f"/proofs/{proof.id}/image", f"/proofs/{proof.id}/thumbnail"):
        assert client.get(url).status_code == 404


def test_unknown_proofs_and_images_are_not_found(client):
    for url in ("/proofs/999999", "/proofs/999999/image", "/proofs/999999/thumbnail"):
        assert client.get(url).status_code == 404


# The proof page and the community's checks


def test_the_proof_page_shows_the_facts_but_not_who_posted_it(client):
    author = make_user(trust=2, username="shy_worker")
    proof = make_proof(author, note="Arrived in *three* days", payout_method="mobile_money")
    html = client.get(f"/proofs/{proof.id}").get_data(as_text=True)
    assert "$12.50" in html and "Mobile money" in html and "<em>three</em>" in html
    assert "shy_worker" not in html and "a member (TL2)" in html
    assert f"/proofs/{proof.id}/image" in html
    assert "Log in to say whether it looks genuine." in html
    login(client, "shy_worker")
    own = client.get(f"/proofs/{proof.id}").get_data(as_text=True)
    assert "shy_worker" in own and "you cannot mark your own" in own


def test_marking_ones_own_proof_is_refused(client):
    author = make_user()
    proof = make_proof(author)
    login(client, author.username)
    response = client.post(f"/proofs/{proof.id}/mark", data={"verdict": "genuine"})
    assert response.status_code == 403
    assert "You cannot mark your own proof." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ProofMark)) == 0


def test_a_second_mark_changes_the_first_instead_of_adding_one(client):
    proof = make_proof()
    login(client, make_user().username)
    assert client.post(f"/proofs/{proof.id}/mark", data={"verdict": "genuine"}).status_code == 302
    page = client.get(f"/proofs/{proof.id}").get_data(as_text=True)
    assert "1 member says it looks genuine" in page and "Your mark: Looks genuine" in page
    assert client.post(f"/proofs/{proof.id}/mark", data={"verdict": "edited"}).status_code == 302
    page = client.get(f"/proofs/{proof.id}").get_data(as_text=True)
    assert "0 members say it looks genuine" in page
    assert "1 member says it looks edited or fake" in page
    assert db.session.scalar(select(func.count()).select_from(ProofMark)) == 1


def test_visitors_must_log_in_to_mark(client):
    proof = make_proof()
    response = client.post(f"/proofs/{proof.id}/mark", data={"verdict": "genuine"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("trust", [0, 1])
def test_confirming_is_refused_to_new_and_ordinary_members(client, trust):
    proof = make_proof()
    login(client, make_user(trust=trust).username)
    assert "Confirm this proof" not in client.get(f"/proofs/{proof.id}").get_data(as_text=True)
    response = client.post(f"/proofs/{proof.id}/confirm")
    assert response.status_code == 403
    db.session.expire_all()
    assert not db.session.get(Proof, proof.id).is_confirmed


@pytest.mark.parametrize(
    "who", [{"trust": 2}, {"trust": 0, "role": Role.MODERATOR}], ids=["tl2", "moderator"]
)
def test_trusted_members_and_moderators_confirm(client, who):
    proof = make_proof()
    login(client, make_user(**who).username)
    assert "Confirm this proof" in client.get(f"/proofs/{proof.id}").get_data(as_text=True)
    response = client.post(f"/proofs/{proof.id}/confirm")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Proof, proof.id).is_confirmed
    assert "confirmed by a trusted member" in client.get(f"/proofs/{proof.id}").get_data(
        as_text=True
    )


def test_removing_is_refused_to_non_moderators(client):
    proof = make_proof()
    login(client, make_user(trust=2).username)
    assert "Remove this proof" not in client.get(f"/proofs/{proof.id}").get_data(as_text=True)
    assert client.post(f"/proofs/{proof.id}/remove", data={"reason": "fake"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Proof, proof.id).visibility == Visibility.VISIBLE


def test_a_moderator_removes_a_fake_and_it_leaves_public_view(client):
    author = make_user()
    proof = make_proof(author)
    login(client, make_user(role=Role.MODERATOR).username)
    assert "Remove this proof" in client.get(f"/proofs/{proof.id}").get_data(as_text=True)
    refused = client.post(f"/proofs/{proof.id}/remove", data={"reason": "fake"})
    assert refused.status_code == 422  # every moderation act needs a written reason
    response = client.post(
        f"/proofs/{proof.id}/remove",
        data={"reason": "fake", "note": "The amount was pasted over the original one."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    removed = db.session.get(Proof, proof.id)
    assert (removed.visibility, removed.hidden_reason) == (Visibility.HIDDEN, "fake")
    client.post("/logout")
    # A fake stays readable behind its notice (moderation is accountable), never its screenshot.
    html = client.get(f"/proofs/{proof.id}").get_data(as_text=True)
    assert "Removed by the moderators: Fake or edited screenshot" in html
    assert f"/proofs/{proof.id}/image" not in html
    assert client.get(f"/proofs/{proof.id}/image").status_code == 404
    assert f"/proofs/{proof.id}/" not in client.get("/proofs").get_data(as_text=True)
    assert "pasted over" in client.get("/moderation/log").get_data(as_text=True)


def test_a_proof_removed_for_personal_information_is_gone_from_public_view(client):
    author = make_user()
    proof = make_proof(author)
    login(client, make_user(role=Role.MODERATOR).username)
    client.post(
        f"/proofs/{proof.id}/remove",
        data={"reason": "personal_info", "note": "The screenshot shows a full name."},
    )
    client.post("/logout")
    assert client.get(f"/proofs/{proof.id}").status_code == 404
    login(client, author.username)  # the author still sees why
    html = client.get(f"/proofs/{proof.id}").get_data(as_text=True)
    assert "Removed by the moderators: Personal information" in html


def test_the_author_withdraws_their_proof(client, app):
    author = make_user()
    proof = make_proof(author)
    login(client, make_user().username)
    assert client.post(f"/proofs/{proof.id}/withdraw").status_code == 403
    client.post("/logout")
    login(client, author.username)
    assert client.post(f"/proofs/{proof.id}/withdraw").status_code == 302
    assert proof.image_name not in stored_files(app)
    assert client.get(f"/proofs/{proof.id}").status_code == 404


# Lists, galleries and the card


def test_the_proofs_page_lists_recent_proofs_with_pages(client):
    author = make_user(trust=2)
    platform = make_platform("Paging Platform")
    proofs = [make_proof(author, platform, amount_minor=100 + n) for n in range(25)]
    first = client.get("/proofs").get_data(as_text=True)
    assert "Proofs of payment" in first and "Paging Platform" in first
    assert f"/proofs/{proofs[-1].id}/thumbnail" in first
    assert f"/proofs/{proofs[0].id}/thumbnail" not in first
    assert "/proofs?page=2" in first
    second = client.get("/proofs?page=2").get_data(as_text=True)
    assert f"/proofs/{proofs[0].id}/thumbnail" in second


def test_the_header_links_to_proofs_of_payment(client):
    assert 'href="/proofs"' in client.get("/").get_data(as_text=True)


def test_platform_and_requester_pages_show_galleries_and_totals_by_currency(client):
    platform = make_platform()
    requester = make_requester(platform)
    make_proof(platform=platform, amount_minor=1000, currency="USD", confirmed=True)
    make_proof(requester=requester, amount_minor=500, currency="USD")
    make_proof(platform=platform, amount_minor=2000, currency="EUR")
    html = client.get(f"/platforms/{platform.slug}").get_data(as_text=True)
    assert "$15.00" in html and "in 2 proofs" in html and "(1 confirmed)" in html
    assert "€20.00" in html and "in 1 proof" in html
    assert "All 3 proofs of payment" in html
    gallery = client.get(f"/platforms/{platform.slug}/proofs").get_data(as_text=True)
    assert gallery.count("/thumbnail") == 3
    requester_page = client.get(f"/requesters/{requester.id}").get_data(as_text=True)
    assert "$5.00" in requester_page and requester_page.count("/thumbnail") == 1
    requester_gallery = client.get(f"/requesters/{requester.id}/proofs").get_data(as_text=True)
    assert requester_gallery.count("/thumbnail") == 1 and "$5.00" in requester_gallery


def test_the_card_shows_its_verdict_with_evidence_and_changes_after_an_upload_and_confirmation(
    client,
):
    platform = make_platform()
    for _ in range(2):
        make_proof(make_user(trust=2), platform, confirmed=True)
    html = client.get(f"/platforms/{platform.slug}").get_data(as_text=True)
    assert "Is it legit?" in html and "Not enough evidence" in html
    assert "Last 30 days: 2 confirmed proofs of payment, from 2 members" in html
    assert "Reports of non-payment, last 365 days: no member said whether they were paid." in html
    assert "0 confirmed scam warnings." in html
    assert 'href="/legit-rules"' in html

    worker = make_user(trust=1)
    login(client, worker.username)
    proof_id = proof_id_from(upload(client, platform, png_bytes()))
    html = client.get(f"/platforms/{platform.slug}").get_data(as_text=True)
    assert "Not enough evidence" in html
    assert "1 more proof is waiting for a trusted member to confirm it" in html

    client.post("/logout")
    login(client, make_user(trust=2).username)
    assert client.post(f"/proofs/{proof_id}/confirm").status_code == 302
    html = client.get(f"/platforms/{platform.slug}").get_data(as_text=True)
    assert "Pays — recent evidence" in html
    assert "Last 30 days: 3 confirmed proofs of payment, from 3 members" in html
    assert "Latest confirmed payment: received on" in html


def test_the_legit_rules_page_explains_the_rules_in_both_languages(client):
    html = client.get("/legit-rules").get_data(as_text=True)
    assert "How the “Is it legit?” card works" in html
    assert "A member who posts ten proofs counts as one member." in html
    assert "at least 3 different members" in html and "25%" in html
    client.post("/language", data={"lang": "fr"})
    french = client.get("/legit-rules").get_data(as_text=True)
    assert "preuves de paiement" in french and "Est-ce fiable" in french


def test_the_card_and_the_upload_page_are_in_french(client):
    platform = make_platform()
    client.post("/language", data={"lang": "fr"})
    html = client.get(f"/platforms/{platform.slug}").get_data(as_text=True).replace("&#39;", "'")
    assert "Est-ce fiable\u00a0?" in html and "Pas assez d'éléments" in html
    assert "30 derniers jours\u00a0: 0 preuve de paiement confirmée, de 0 membre" in html
    login(client, make_user().username)
    client.post("/language", data={"lang": "fr"})
    form = client.get("/proofs/new").get_data(as_text=True).replace("&#39;", "'")
    assert "Capture d'écran du paiement" in form
    assert "Masquez vos informations personnelles avant l'envoi." in form
