"""Proof rules: post once with a cleaned screenshot, mark, confirm, remove, withdraw, list."""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from community.accounts import service as accounts
from community.catalog import service as catalog
from community.catalog.models import PayoutMethod, Platform, Requester
from community.core import images
from community.core.content import Visibility
from community.core.database import utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.limits import check_daily_quota
from community.core.markup import render_markdown
from community.core.money import supported_currencies
from community.core.pagination import Page, paginate
from community.extensions import db
from community.proofs import permissions
from community.proofs.models import MarkVerdict, Proof, ProofMark

EARLIEST_RECEIVED_ON = date(2000, 1, 1)
MAX_AMOUNT_MINOR = 1_000_000_000
# A member east of UTC may already live tomorrow: one day of grace, and no more.
FUTURE_GRACE = timedelta(days=1)


@dataclass(frozen=True)
class ProofData:
    platform_id: int
    amount_minor: int
    currency: str
    received_on: date
    payout_method: str
    note: str = ""
    requester_external_id: str | None = None
    requester_name: str | None = None


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    amount_minor: int
    proofs: int
    confirmed: int


@dataclass(frozen=True)
class ProofSummary:
    """What a platform or requester page shows: the latest proofs and the totals by currency."""

    latest: list[Proof]
    totals: list[CurrencyTotal]
    has_more: bool

    @property
    def count(self) -> int:
        return sum(total.proofs for total in self.totals)


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def latest_allowed_day() -> date:
    return (utcnow() + FUTURE_GRACE).date()


# Reading


def get_proof_or_404(proof_id: int) -> Proof:
    proof = db.session.get(Proof, proof_id)
    if proof is None or proof.visibility == Visibility.DELETED:
        raise NotFound(_("This proof of payment does not exist or was withdrawn."))
    return proof


def get_visible_proof_for(user, proof_id: int) -> Proof:
    proof = get_proof_or_404(proof_id)
    if not permissions.can_see(user, proof):
        raise NotFound(_("This proof of payment is not public."))
    return proof


def image_file(proof_id: int, thumbnail: bool = False) -> tuple[Path, str]:
    """Path and name of a visible proof's stored image. Everything else is not found."""
    proof = db.session.get(Proof, proof_id)
    if proof is None or proof.visibility != Visibility.VISIBLE:
        raise NotFound(_("This image is not available."))
    name = proof.thumb_name if thumbnail else proof.image_name
    path = images.stored_path(upload_dir(), name)
    if not path.is_file():
        raise NotFound(_("This image is not available."))
    return path, name


def mark_of(user, proof: Proof) -> str | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(ProofMark.verdict).where(
            ProofMark.proof_id == proof.id, ProofMark.user_id == user.id
        )
    )


def _visible_of(target: Platform | Requester | None):
    query = select(Proof).where(Proof.visibility == Visibility.VISIBLE)
    if isinstance(target, Requester):
        query = query.where(Proof.requester_id == target.id)
    elif isinstance(target, Platform):
        query = query.where(Proof.platform_id == target.id)
    return query.order_by(Proof.created_at.desc(), Proof.id.desc())


def proofs_of(target: Platform | Requester | None, page: int, per_page: int) -> Page[Proof]:
    """Visible proofs of a platform or requester (or of all), newest first."""
    return paginate(db.session, _visible_of(target), page, per_page)


def totals_of(target: Platform | Requester) -> list[CurrencyTotal]:
    column = Proof.requester_id if isinstance(target, Requester) else Proof.platform_id
    rows = db.session.execute(
        select(
            Proof.currency,
            func.sum(Proof.amount_minor),
            func.count(),
            func.count(case((Proof.is_confirmed.is_(True), 1))),
        )
        .where(column == target.id, Proof.visibility == Visibility.VISIBLE)
        .group_by(Proof.currency)
    ).all()
    totals = [
        CurrencyTotal(currency, int(amount), count, confirmed)
        for currency, amount, count, confirmed in rows
    ]
    return sorted(totals, key=lambda total: (-total.proofs, total.currency))


def summary_of(target: Platform | Requester, limit: int = 8) -> ProofSummary:
    page = proofs_of(target, 1, limit)
    return ProofSummary(latest=page.items, totals=totals_of(target), has_more=page.has_next)


def proofs_posted_today(user) -> int:
    since = utcnow() - timedelta(days=1)
    return db.session.scalar(
        select(func.count())
        .select_from(Proof)
        .where(Proof.author_id == user.id, Proof.created_at >= since)
    )


# Posting


def _check(data: ProofData) -> None:
    if data.currency not in supported_currencies():
        raise DomainError(_("Choose the currency from the list."))
    if data.amount_minor <= 0:
        raise DomainError(_("Give the amount you received, greater than zero."))
    if data.amount_minor > MAX_AMOUNT_MINOR:
        raise DomainError(_("This amount is too large for a proof of payment."))
    if data.received_on > latest_allowed_day():
        raise DomainError(_("The date you received the payment cannot be in the future."))
    if data.received_on < EARLIEST_RECEIVED_ON:
        raise DomainError(_("Give the date you received the payment, after the year 2000."))
    if data.payout_method not in set(PayoutMethod):
        raise DomainError(_("Choose how you were paid from the list."))
    maximum = current_app.config["PROOF_NOTE_MAX_CHARS"]
    if len(data.note or "") > maximum:
        raise DomainError(_("A note has at most %(count)d characters.", count=maximum))


def _by_key(author, submission_key: str) -> Proof | None:
    return db.session.scalar(
        select(Proof).where(Proof.author_id == author.id, Proof.submission_key == submission_key)
    )


def submit_proof(author, data: ProofData, screenshot: BinaryIO, submission_key: str) -> Proof:
    """Publish a proof. The screenshot is cleaned and re-encoded; the same form sent twice
    (same submission key) returns the first proof. A refusal stores nothing."""
    if not permissions.can_post(author):
        raise PermissionDenied(_("Log in to post a proof of payment."))
    existing = _by_key(author, submission_key)
    if existing is not None:
        return existing
    check_daily_quota(author, "proof", proofs_posted_today(author))
    _check(data)
    platform, requester = catalog.resolve_target(
        data.platform_id, data.requester_external_id, data.requester_name
    )
    stored = images.store_upload(
        screenshot, upload_dir(), images.ImageLimits.from_config(current_app.config)
    )
    note = (data.note or "").strip()
    proof = Proof(
        author_id=author.id,
        platform_id=platform.id,
        requester_id=requester.id if requester else None,
        amount_minor=data.amount_minor,
        currency=data.currency,
        received_on=data.received_on,
        payout_method=data.payout_method,
        note=note,
        note_html=str(render_markdown(note)) if note else "",
        image_name=stored.name,
        image_width=stored.width,
        image_height=stored.height,
        thumb_name=stored.thumb_name,
        thumb_width=stored.thumb_width,
        thumb_height=stored.thumb_height,
        submission_key=submission_key,
    )
    try:
        try:
            with db.session.begin_nested():
                db.session.add(proof)
        except IntegrityError:  # the same form, sent twice at the same moment
            images.delete_stored(upload_dir(), stored.name, stored.thumb_name)
            return _by_key(author, submission_key)
        accounts.count_contribution(author, +1)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        images.delete_stored(upload_dir(), stored.name, stored.thumb_name)
        raise
    return proof


# The community's checks


def recount_marks(proof: Proof) -> None:
    """The stored counts of the proof's marks, from the marks. The caller commits."""
    db.session.flush()
    counts = dict(
        db.session.execute(
            select(ProofMark.verdict, func.count())
            .where(ProofMark.proof_id == proof.id)
            .group_by(ProofMark.verdict)
        ).all()
    )
    proof.genuine_marks = counts.get(MarkVerdict.GENUINE, 0)
    proof.edited_marks = counts.get(MarkVerdict.EDITED, 0)


def mark_proof(user, proof: Proof, verdict: str) -> ProofMark:
    """Record (or change) the member's one mark on the proof."""
    if verdict not in set(MarkVerdict):
        raise DomainError(_("Choose “looks genuine” or “looks edited”."))
    if not permissions.can_mark(user, proof):
        if user.is_authenticated and proof.author_id == user.id:
            raise PermissionDenied(_("You cannot mark your own proof."))
        raise PermissionDenied(_("This proof can no longer be marked."))
    mark = db.session.scalar(
        select(ProofMark).where(ProofMark.proof_id == proof.id, ProofMark.user_id == user.id)
    )
    if mark is None:
        mark = ProofMark(proof_id=proof.id, user_id=user.id, verdict=verdict)
        try:
            with db.session.begin_nested():
                db.session.add(mark)
        except IntegrityError:  # a second click that overtook the first
            mark = db.session.scalar(
                select(ProofMark).where(
                    ProofMark.proof_id == proof.id, ProofMark.user_id == user.id
                )
            )
    mark.verdict = verdict
    recount_marks(proof)
    db.session.commit()
    return mark


def confirm_proof(user, proof: Proof) -> None:
    """A trusted member or a moderator vouches for the proof: it now counts as evidence."""
    if proof.is_confirmed and proof.visibility == Visibility.VISIBLE:
        return
    if not permissions.can_confirm(user, proof):
        if user.is_authenticated and proof.author_id == user.id:
            raise PermissionDenied(_("You cannot confirm your own proof."))
        if proof.visibility != Visibility.VISIBLE:
            raise PermissionDenied(_("Only a public proof can be confirmed."))
        raise PermissionDenied(
            _("Trusted members (trust level 2) and moderators can confirm proofs.")
        )
    proof.is_confirmed = True
    proof.confirmed_at = utcnow()
    proof.confirmed_by_id = user.id
    db.session.commit()


def _stop_counting(proof: Proof) -> None:
    if proof.visibility in (Visibility.VISIBLE, Visibility.HELD) and proof.author is not None:
        accounts.count_contribution(proof.author, -1)


def withdraw_proof(user, proof: Proof) -> None:
    """The author takes their proof down; its screenshot files are deleted at once."""
    if not permissions.can_withdraw(user, proof):
        raise PermissionDenied(_("Only the author can withdraw this proof."))
    _stop_counting(proof)
    proof.visibility = Visibility.DELETED
    proof.hidden_reason = "withdrawn"
    names = (proof.image_name, proof.thumb_name)
    db.session.commit()
    images.delete_stored(upload_dir(), *names)
