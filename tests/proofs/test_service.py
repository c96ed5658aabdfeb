"""Proof rules through the service: posting, the community's checks, removal and withdrawal."""

import io
import os
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.catalog.models import Requester
from community.core.content import Visibility
from community.core.database import utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied, RateLimited
from community.core.images import ImageRefused
from community.extensions import db
from community.moderation import service as moderation
from community.proofs import service
from community.proofs.models import Proof, ProofMark
from tests.conftest import make_platform, make_proof, make_requester, make_user, proof_data
from tests.imagefiles import NOT_ACCEPTED, png_bytes


def stored_files(app) -> set[str]:
    folder = app.config["UPLOAD_DIR"]
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def proof_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Proof))


def test_a_proof_is_stored_with_its_cleaned_screenshot_and_counts_as_a_contribution(app):
    author = make_user(trust=1)
    before = author.contribution_count
    proof = make_proof(author, note="Paid in **two days** <script>alert(1)</script>")
    assert proof.visibility == Visibility.VISIBLE and not proof.is_confirmed
    assert "<strong>two days</strong>" in proof.note_html and "<script" not in proof.note_html
    assert {proof.image_name, proof.thumb_name} <= stored_files(app)
    assert author.contribution_count == before + 1


def test_the_requester_is_found_or_created_by_identifier(app):
    platform = make_platform()
    known = make_requester(platform, external_id="A1KNOWN0000001", name="Known Lab")
    author = make_user()
    found = service.submit_proof(
        author,
        proof_data(platform, requester_external_id="a1known0000001"),
        io.BytesIO(png_bytes()),
        "k1",
    )
    assert found.requester_id == known.id
    created = service.submit_proof(
        author, proof_data(platform, requester_name="Brand New Lab"), io.BytesIO(png_bytes()), "k2"
    )
    assert db.session.get(Requester, created.requester_id).display_name == "Brand New Lab"
    alone = service.submit_proof(author, proof_data(platform), io.BytesIO(png_bytes()), "k3")
    assert alone.requester_id is None


def test_the_same_form_sent_twice_is_one_proof(app):
    author, platform = make_user(), make_platform()
    first = service.submit_proof(author, proof_data(platform), io.BytesIO(png_bytes()), "same")
    files = stored_files(app)
    second = service.submit_proof(author, proof_data(platform), io.BytesIO(png_bytes()), "same")
    assert first.id == second.id and proof_count() == 1
    assert stored_files(app) == files


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"received_on": (utcnow() + timedelta(days=3)).date()}, "cannot be in the future"),
        ({"amount_minor": 0}, "greater than zero"),
        ({"amount_minor": 10**12}, "too large"),
        ({"currency": "XXX"}, "currency"),
        ({"payout_method": "cheque"}, "how you were paid"),
        ({"note": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_the_service_refuses_bad_facts_and_stores_nothing(app, fields, message):
    author, platform = make_user(), make_platform()
    files = stored_files(app)
    with pytest.raises(DomainError, match=message):
        service.submit_proof(author, proof_data(platform, **fields), io.BytesIO(png_bytes()), "k")
    db.session.rollback()
    assert proof_count() == 0 and stored_files(app) == files


def test_a_refused_screenshot_stores_nothing(app):
    author, platform = make_user(), make_platform()
    files = stored_files(app)
    with pytest.raises(ImageRefused):
        service.submit_proof(author, proof_data(platform), io.BytesIO(NOT_ACCEPTED["html"]), "k")
    db.session.rollback()
    assert proof_count() == 0 and stored_files(app) == files


def test_new_members_meet_a_daily_quota(app):
    newcomer, platform = make_user(trust=0), make_platform()
    quota = app.config["DAILY_QUOTAS"]["proof"][0]
    for _ in range(quota):
        make_proof(newcomer, platform)
    files = stored_files(app)
    with pytest.raises(RateLimited, match="today's limit"):
        make_proof(newcomer, platform)
    db.session.rollback()
    assert proof_count() == quota and stored_files(app) == files


# Marks


def test_a_member_marks_once_and_can_change_their_mind(app):
    proof, member = make_proof(), make_user()
    service.mark_proof(member, proof, "genuine")
    service.mark_proof(make_user(), proof, "genuine")
    assert (proof.genuine_marks, proof.edited_marks) == (2, 0)
    service.mark_proof(member, proof, "edited")
    assert (proof.genuine_marks, proof.edited_marks) == (1, 1)
    assert db.session.scalar(select(func.count()).select_from(ProofMark)) == 2
    assert service.mark_of(member, proof) == "edited"


def test_marking_ones_own_proof_or_with_a_bad_verdict_is_refused(app):
    author = make_user()
    proof = make_proof(author)
    with pytest.raises(PermissionDenied, match="your own proof"):
        service.mark_proof(author, proof, "genuine")
    with pytest.raises(DomainError, match="looks genuine"):
        service.mark_proof(make_user(), proof, "wonderful")
    assert proof.genuine_marks == 0


# Confirmation


@pytest.mark.parametrize("trust", [0, 1])
def test_new_and_ordinary_members_cannot_confirm(app, trust):
    proof = make_proof()
    with pytest.raises(PermissionDenied, match="trust level 2"):
        service.confirm_proof(make_user(trust=trust), proof)
    assert not proof.is_confirmed


def test_trusted_members_and_moderators_confirm_but_never_their_own(app):
    trusted = make_user(trust=2)
    own = make_proof(trusted)
    with pytest.raises(PermissionDenied, match="your own proof"):
        service.confirm_proof(trusted, own)
    proof = make_proof()
    service.confirm_proof(trusted, proof)
    assert proof.is_confirmed and proof.confirmed_by_id == trusted.id
    service.confirm_proof(make_user(trust=2), proof)  # already confirmed: nothing changes
    assert proof.confirmed_by_id == trusted.id
    other = make_proof()
    service.confirm_proof(make_user(trust=0, role=Role.MODERATOR), other)
    assert other.is_confirmed


# Removal and withdrawal


def test_only_moderators_remove_and_never_their_own(app):
    """Removal goes through moderation (community/moderation/service.py): it needs a written
    reason and enters the public log."""
    note = "The amount was edited: the font differs from the rest."
    author = make_user()
    proof = make_proof(author)
    with pytest.raises(PermissionDenied, match="Only moderators"):
        moderation.hide(make_user(trust=2), "proof", proof.id, "fake", note)
    moderator = make_user(role=Role.MODERATOR)
    own = make_proof(moderator)
    with pytest.raises(PermissionDenied, match="their own content"):
        moderation.hide(moderator, "proof", own.id, "fake", note)
    with pytest.raises(DomainError, match="why"):
        moderation.hide(moderator, "proof", proof.id, "", note)
    with pytest.raises(DomainError, match="reason"):
        moderation.hide(moderator, "proof", proof.id, "fake", "")
    moderation.hide(moderator, "proof", proof.id, "fake", note)
    assert proof.visibility == Visibility.HIDDEN and proof.hidden_reason == "fake"
    with pytest.raises(NotFound):
        service.image_file(proof.id)


def test_the_author_withdraws_and_the_screenshot_files_are_deleted(app):
    author = make_user()
    proof = make_proof(author)
    names = {proof.image_name, proof.thumb_name}
    with pytest.raises(PermissionDenied):
        service.withdraw_proof(make_user(), proof)
    service.withdraw_proof(author, proof)
    assert proof.visibility == Visibility.DELETED
    assert not names & stored_files(app)
    with pytest.raises(NotFound):
        service.get_proof_or_404(proof.id)


# Lists and totals


def test_totals_by_currency_count_visible_proofs_only(app):
    platform = make_platform()
    requester = make_requester(platform)
    make_proof(platform=platform, amount_minor=1000, currency="USD", confirmed=True)
    make_proof(requester=requester, amount_minor=250, currency="USD")
    make_proof(platform=platform, amount_minor=700, currency="EUR")
    hidden = make_proof(platform=platform, amount_minor=99_999, currency="USD")
    hidden.visibility = Visibility.HIDDEN
    db.session.commit()
    totals = {
        t.currency: (t.amount_minor, t.proofs, t.confirmed) for t in service.totals_of(platform)
    }
    assert totals == {"USD": (1250, 2, 1), "EUR": (700, 1, 0)}
    assert [t.amount_minor for t in service.totals_of(requester)] == [250]
    summary = service.summary_of(platform, limit=2)
    assert summary.count == 3 and len(summary.latest) == 2 and summary.has_more
