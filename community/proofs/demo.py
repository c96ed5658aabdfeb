"""Demo proofs of payment: small drawn receipts, stored through the real screenshot pipeline."""

import io
import random
from collections import Counter
from datetime import datetime, timedelta
from functools import cache

import click
from flask import current_app
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import insert, select, update

from community.accounts.models import Role, User
from community.catalog.models import PayoutMethod, Platform, Requester
from community.core import images
from community.core.content import Visibility
from community.core.markup import render_markdown
from community.core.money import minor_exponent
from community.extensions import db
from community.proofs.models import MarkVerdict, Proof, ProofMark, RemovalReason
from community.proofs.service import upload_dir

PROOFS = 300
METHOD_COLOURS = {
    PayoutMethod.PAYPAL: (0, 48, 135),
    PayoutMethod.BANK_TRANSFER: (11, 110, 79),
    PayoutMethod.GIFT_CARD: (180, 80, 0),
    PayoutMethod.MOBILE_MONEY: (120, 40, 140),
    PayoutMethod.CRYPTO: (40, 40, 40),
    PayoutMethod.OTHER: (90, 98, 95),
}
METHOD_TITLES = {
    PayoutMethod.PAYPAL: "PayPal",
    PayoutMethod.BANK_TRANSFER: "Bank transfer",
    PayoutMethod.GIFT_CARD: "Gift card",
    PayoutMethod.MOBILE_MONEY: "Mobile money",
    PayoutMethod.CRYPTO: "Wallet",
    PayoutMethod.OTHER: "Payment",
}
NOTES = [
    "Weekly payout, arrived in **two days**.",
    "Paid on time after the 7-day hold.",
    "First cash-out, it really works.",
    "Reçu en trois jours, sans frais.",
    "Paiement mensuel, comme annoncé.",
    "Bonus included. The fee was taken by the payout service, not the platform.",
    "Took three weeks and two messages to support, but it came.",
]


@cache
def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow built without FreeType: the small bitmap font
        return ImageFont.load_default()


def draw_receipt(platform: str, amount: str, method: str, day: str, rng: random.Random) -> bytes:
    """A small PNG that looks like a payment confirmation, with a redacted reference line."""
    width, height = 320, 200
    colour = METHOD_COLOURS.get(method, (90, 98, 95))
    image = Image.new("RGB", (width, height), (250, 250, 247))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 36), fill=colour)
    draw.text((12, 9), METHOD_TITLES.get(method, "Payment"), fill="white", font=_font(16))
    draw.text((12, 48), "Payment received", fill=(29, 35, 33), font=_font(14))
    draw.text((12, 70), amount, fill=colour, font=_font(30))
    draw.text((12, 112), f"From: {platform}"[:40], fill=(60, 60, 60), font=_font(12))
    draw.text((12, 132), f"Date: {day}", fill=(60, 60, 60), font=_font(12))
    draw.text((12, 152), "Reference:", fill=(60, 60, 60), font=_font(12))
    draw.rectangle((88, 150, 88 + rng.randint(110, 190), 166), fill="black")  # covered
    draw.text((12, 176), "To:", fill=(60, 60, 60), font=_font(12))
    draw.rectangle((40, 174, 40 + rng.randint(90, 160), 190), fill="black")  # covered
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def _amount_minor(rng: random.Random, method: str, currency: str) -> int:
    if method == PayoutMethod.GIFT_CARD:
        major = rng.choice((5, 10, 15, 25))
    else:
        low, high = (3, 60) if method == PayoutMethod.CRYPTO else (2, 120)
        major = round(rng.uniform(low, high), 2)
    return int(round(major * 10 ** minor_exponent(currency)))


def _method(rng: random.Random, platform: Platform) -> str:
    known = [m for m in (platform.payout_methods or []) if m in set(PayoutMethod)]
    return rng.choice(known) if known and rng.random() < 0.9 else rng.choice(list(PayoutMethod))


def _money_text(minor: int, currency: str) -> str:
    exponent = minor_exponent(currency)
    return f"{minor / 10**exponent:,.{exponent}f} {currency}"


def load_demo_proofs(
    rng: random.Random,
    now: datetime,
    member_ids: list[int],
    platforms: list[Platform],
    platform_weights: list[float],
    requesters: list[Requester],
    count: int = PROOFS,
) -> int:
    """About `count` proofs from demo members on the demo platforms; some confirmed, some marked.
    The caller commits."""
    limits = images.ImageLimits.from_config(current_app.config)
    folder = upload_dir()
    by_platform: dict[int, list[Requester]] = {}
    for requester in requesters:
        by_platform.setdefault(requester.platform_id, []).append(requester)
    moderators = list(
        db.session.scalars(select(User.id).where(User.role.in_((Role.MODERATOR, Role.ADMIN))))
    )
    confirmers = moderators + rng.sample(member_ids, min(20, len(member_ids)))
    # A few members post many proofs; most post one or two (each counts once on the card).
    posters = rng.sample(member_ids, min(len(member_ids), 120))
    poster_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(posters))]
    rows, marks = [], []
    with click.progressbar(range(count), label="Drawing demo proofs of payment") as bar:
        for index in bar:
            author_id = rng.choices(posters, poster_weights)[0]
            platform = rng.choices(platforms, platform_weights)[0]
            candidates = by_platform.get(platform.id, [])
            requester = rng.choice(candidates) if candidates and rng.random() < 0.4 else None
            method = _method(rng, platform)
            currency = platform.min_payout_currency or "USD"
            amount = _amount_minor(rng, method, currency)
            received = (now - timedelta(days=min(700, int(rng.expovariate(1 / 100))))).date()
            created_at = min(
                now - timedelta(minutes=rng.randint(1, 600)),
                datetime.combine(received, datetime.min.time())
                + timedelta(hours=rng.randint(1, 72)),
            )
            picture = draw_receipt(
                platform.name, _money_text(amount, currency), method, received.isoformat(), rng
            )
            stored = images.store_upload(io.BytesIO(picture), folder, limits)
            confirmed = rng.random() < 0.55
            confirmer = rng.choice([c for c in confirmers if c != author_id])
            hidden = rng.random() < 0.03
            note = rng.choice(NOTES) if rng.random() < 0.3 else ""
            markers = rng.sample([m for m in member_ids if m != author_id], rng.randint(0, 4))
            verdicts = [
                MarkVerdict.EDITED
                if rng.random() < (0.5 if hidden else 0.08)
                else MarkVerdict.GENUINE
                for _ in markers
            ]
            rows.append(
                {
                    "author_id": author_id,
                    "platform_id": platform.id,
                    "requester_id": requester.id if requester else None,
                    "amount_minor": amount,
                    "currency": currency,
                    "received_on": received,
                    "payout_method": method,
                    "note": note,
                    "note_html": str(render_markdown(note)) if note else "",
                    "image_name": stored.name,
                    "image_width": stored.width,
                    "image_height": stored.height,
                    "thumb_name": stored.thumb_name,
                    "thumb_width": stored.thumb_width,
                    "thumb_height": stored.thumb_height,
                    "is_confirmed": confirmed and not hidden,
                    "confirmed_at": created_at + timedelta(hours=rng.randint(1, 96))
                    if confirmed and not hidden
                    else None,
                    "confirmed_by_id": confirmer if confirmed and not hidden else None,
                    "genuine_marks": verdicts.count(MarkVerdict.GENUINE),
                    "edited_marks": verdicts.count(MarkVerdict.EDITED),
                    "submission_key": f"demo-proof-{index}",
                    "visibility": Visibility.HIDDEN if hidden else Visibility.VISIBLE,
                    "hidden_reason": RemovalReason.FAKE if hidden else None,
                    "created_at": created_at,
                    "updated_at": created_at,
                }
            )
            marks.append(list(zip(markers, verdicts, strict=True)))
    ids = db.session.scalars(
        insert(Proof).returning(Proof.id, sort_by_parameter_order=True), rows
    ).all()
    mark_rows = [
        {
            "proof_id": proof_id,
            "user_id": user_id,
            "verdict": verdict,
            "created_at": row["created_at"] + timedelta(hours=1),
            "updated_at": row["created_at"] + timedelta(hours=1),
        }
        for proof_id, row, proof_marks in zip(ids, rows, marks, strict=True)
        for user_id, verdict in proof_marks
    ]
    if mark_rows:
        db.session.execute(insert(ProofMark), mark_rows)
    counted = Counter(row["author_id"] for row in rows if row["visibility"] == Visibility.VISIBLE)
    for author_id, posted in counted.items():
        db.session.execute(
            update(User)
            .where(User.id == author_id)
            .values(contribution_count=User.contribution_count + posted)
        )
    return len(rows)
