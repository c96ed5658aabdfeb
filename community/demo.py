"""Believable demo data, reproducible from a seed: platforms, requesters, members and reviews."""

import random
import string
from datetime import timedelta

import click
from sqlalchemy import insert, select

from community.accounts import passwords
from community.accounts.models import Role, User, new_session_token
from community.catalog import service as catalog
from community.catalog.models import Platform, Requester, normalise_name
from community.core.database import utcnow
from community.core.markup import render_markdown
from community.core.money import to_usd_cents
from community.extensions import db
from community.flags.demo import FICTIONAL_SUFFIX, load_demo_flags
from community.forum.demo import load_demo_forum
from community.moderation.demo import load_demo_moderation
from community.proofs.demo import load_demo_proofs
from community.reviews import aggregates, fairpay, pay
from community.reviews.models import Review
from community.search import service as search

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 # nosec B105 # the README's demo accounts
MEMBERS, REQUESTERS, REVIEWS = 300, 500, 5000  # at scale 1

FIRST = [
    "mira",
    "kofi",
    "lena",
    "ravi",
    "ana",
    "tomas",
    "amina",
    "joel",
    "sofia",
    "yusuf",
    "chloe",
    "dario",
    "nadia",
    "ines",
    "oluwa",
    "marco",
    "leila",
    "sam",
    "priya",
    "hugo",
    "zara",
    "malik",
]
SECOND = [
    "turks",
    "hits",
    "works",
    "clicks",
    "tasks",
    "surveys",
    "labels",
    "crowd",
    "night",
    "owl",
    "fox",
    "bee",
    "river",
    "pixel",
    "micro",
    "quick",
]
REQUESTER_WORDS = [
    "Behavioral",
    "Research",
    "Lab",
    "Data",
    "Insights",
    "Panel",
    "Vision",
    "Language",
    "Cognition",
    "Market",
    "Studies",
    "Analytics",
    "Audio",
    "Survey",
    "Team",
    "Group",
    "Institute",
    "Project",
    "Labs",
    "Science",
    "Social",
    "Media",
    "Retail",
    "Health",
]
CITIES = [
    "Boston",
    "Lyon",
    "Berlin",
    "Austin",
    "Toronto",
    "Nairobi",
    "Manila",
    "Leeds",
    "Madrid",
    "Quebec",
]
TASKS = [
    "Image tagging batch",
    "Short survey on shopping habits",
    "Transcribe receipts",
    "Rate search results",
    "Decision-making study",
    "Audio transcription (2 min)",
    "Sentiment labelling",
    "Bounding boxes on cars",
    "Enquête sur les transports",
    "Annotation de photos",
    "Questionnaire santé",
    "Product categorisation",
]
GOOD = [
    "Paid within a day and the instructions were clear.",
    "Fair approvals, bonus paid as promised.",
    "Answered my message within hours and fixed the broken link.",
    "The time estimate was honest.",
    "Payé rapidement, consignes claires et rémunération correcte.",
    "Bonne communication, aucun rejet injustifié.",
]
BAD = [
    "Rejected without any explanation after I finished everything.",
    "The estimate said 5 minutes, it took 25.",
    "Never paid, and no answer to two messages.",
    "Screener kicked me out after 8 unpaid minutes.",
    "Rejeté sans explication alors que tout était fait.",
    "Jamais payé, aucune réponse à mes messages.",
    "Instructions contradictory; the attention checks were unfair.",
]
MIDDLE = [
    "Average pay for the work.",
    "Some tasks were fine, others broken.",
    "Rémunération moyenne pour le temps passé.",
    "Approval took two weeks but it came.",
    "OK for a short break between better tasks.",
]

PLATFORM_WEIGHTS = {
    "amazon-mechanical-turk": 50,
    "prolific": 15,
    "clickworker": 8,
    "toloka": 6,
    "appen": 4,
    "foule-factory": 4,
    "microworkers": 4,
    "remotasks": 3,
    "bemyeye": 2,
}
CURRENCY_BY_PLATFORM = {
    "prolific": "GBP",
    "clickworker": "EUR",
    "foule-factory": "EUR",
    "bemyeye": "EUR",
    "testbirds": "EUR",
    "crowd-guru": "EUR",
    "appjobber": "EUR",
    "streetspotr": "EUR",
}


def _mturk_id(rng: random.Random) -> str:
    return "A" + "".join(
        rng.choices(string.ascii_uppercase + string.digits, k=rng.choice((12, 13)))
    )


def _members(rng: random.Random, now, count: int) -> list[int]:
    hashed = passwords.hash_password(DEMO_PASSWORD)
    countries = list(fairpay.minimum_wages()) + [None] * 4
    rows, seen = [], set()
    named = [("demo", Role.MEMBER), ("demo_moderator", Role.MODERATOR)]
    while len(rows) < count:
        if named:
            name, role = named.pop(0)
        else:
            name, role = (
                f"{rng.choice(FIRST)}_{rng.choice(SECOND)}{rng.randint(1, 99)}",
                Role.MEMBER,
            )
        if name in seen:
            continue
        seen.add(name)
        rows.append(
            {
                "username": name,
                "username_key": name.casefold(),
                "password_hash": hashed,
                "session_token": new_session_token(),
                "role": role,
                "country": rng.choice(countries),
                "anonymous_by_default": rng.random() < 0.15,
                "contribution_count": 0,
                "created_at": now
                - timedelta(days=400 if name.startswith("demo") else rng.randint(0, 720)),
            }
        )
    db.session.execute(insert(User), rows)
    return list(db.session.scalars(select(User.id).order_by(User.id)))


def _requesters(rng: random.Random, platforms: list[Platform], count: int) -> list[Requester]:
    slugs = [p.slug for p in platforms]
    weights = [PLATFORM_WEIGHTS.get(slug, 1) for slug in slugs]
    by_slug = {p.slug: p for p in platforms}
    rows, names = [], set()
    while len(rows) < count:
        platform = by_slug[rng.choices(slugs, weights)[0]]
        name = " ".join(rng.sample(REQUESTER_WORDS, 2))
        if rng.random() < 0.4:
            name = f"{rng.choice(CITIES)} {name}"
        key = (platform.id, normalise_name(name))
        if key in names:
            continue
        names.add(key)
        external_id = _mturk_id(rng) if platform.slug == "amazon-mechanical-turk" else None
        rows.append(
            {
                "platform_id": platform.id,
                "external_id": external_id,
                "display_name": name,
                "name_key": key[1],
                "reviewer_count": 0,
                "stats": {},
            }
        )
    db.session.execute(insert(Requester), rows)
    return list(db.session.scalars(select(Requester).order_by(Requester.id)))


def _review_row(
    rng, author_id, country, platform, requester, quality, created_at, rendered
) -> dict:
    def score() -> int:
        return max(1, min(5, round(rng.gauss(quality, 0.9))))

    currency = CURRENCY_BY_PLATFORM.get(platform.slug, "USD")
    roll = rng.random()
    outcome = (
        "rejected"
        if roll < 0.06 + (3 - quality) * 0.03
        else "never_paid"
        if roll < 0.09 + (3 - quality) * 0.02
        else "pending"
        if roll < 0.14
        else "returned"
        if roll < 0.16
        else None
        if roll < 0.25
        else "approved"
    )
    has_pay = rng.random() < 0.85
    minutes = max(1, int(rng.lognormvariate(2.3, 0.7))) if has_pay else None
    hourly_target = max(0.5, rng.gauss(2.5 + quality * 2.2, 2.0))  # units of currency per hour
    reward = max(1, round(hourly_target * minutes / 60 * 100)) if has_pay else None
    bonus = rng.choice([None, None, None, 10, 25, 50]) if has_pay else None
    received = pay.received(outcome, reward, bonus)
    hourly = pay.effective_hourly(received, minutes)
    hourly_usd = to_usd_cents(hourly, currency) if hourly is not None else None
    sentences = GOOD if quality >= 3.6 else BAD if quality <= 2.2 else MIDDLE
    chosen = rng.sample(sentences, 2)
    body = " ".join(chosen + rng.sample([m for m in MIDDLE if m not in chosen], 1))
    if body not in rendered:
        rendered[body] = str(render_markdown(body))
    return {
        "author_id": author_id,
        "platform_id": platform.id,
        "requester_id": requester.id if requester else None,
        "anonymous": rng.random() < 0.15,
        "score_pay": score(),
        "score_fairness": score(),
        "score_communication": score(),
        "task_title": rng.choice(TASKS) if rng.random() < 0.7 else None,
        "reward_minor": reward,
        "bonus_minor": bonus,
        "currency": currency if has_pay else None,
        "minutes": minutes,
        "outcome": outcome,
        "hourly_minor": hourly,
        "hourly_usd_cents": hourly_usd,
        "days_to_paid": rng.randint(0, 14)
        if outcome == "approved" and rng.random() < 0.6
        else None,
        "estimate_honest": rng.choice([True, True, False, None]),
        "would_work_again": rng.random() < quality / 5 if rng.random() < 0.7 else None,
        "body": body,
        "body_html": rendered[body],
        "is_current": True,
        "reviewer_country": country,
        "below_minimum_wage": fairpay.is_below_minimum_wage(hourly_usd, country),
        "submission_key": f"demo-{rng.getrandbits(64):016x}",
        "visibility": "visible",
        "created_at": created_at,
        "updated_at": created_at,
    }


def load_demo_data(seed: int = 2026, scale: float = 1.0) -> None:
    """Load demo data; `scale` shrinks or grows every count (tests use a small scale)."""
    rng = random.Random(seed)  # nosec B311 # reproducible demo data, no secret
    now = utcnow()
    catalog.load_starter_platforms()
    db.session.add(
        Platform(
            slug="cashtap-rewards" + FICTIONAL_SUFFIX,
            name="CashTap Rewards (fictional demo app)",
            name_key=normalise_name("CashTap Rewards fictional demo app"),
            kind="mobile_app",
            description="A made-up 'get paid' app: the demo shows warnings about an app on it.",
        )
    )
    db.session.flush()
    platforms = list(db.session.scalars(select(Platform).order_by(Platform.id)))
    member_ids = _members(rng, now, max(10, int(MEMBERS * scale)))
    countries = dict(db.session.execute(select(User.id, User.country)).all())
    requesters = _requesters(rng, platforms, max(10, int(REQUESTERS * scale)))
    quality = {r.id: rng.uniform(1.3, 4.8) for r in requesters}
    quality.update({-p.id: rng.uniform(2.0, 4.5) for p in platforms})
    popularity = [1 / (rank + 1) ** 0.8 for rank in range(len(requesters))]
    platform_weights = [PLATFORM_WEIGHTS.get(p.slug, 1) for p in platforms]
    rendered: dict[str, str] = {}
    rows = []
    with click.progressbar(range(int(REVIEWS * scale)), label="Writing demo reviews") as bar:
        for _ in bar:
            author_id = rng.choice(member_ids)
            created_at = now - timedelta(minutes=rng.randint(5, 720 * 24 * 60))
            if rng.random() < 0.1:
                platform, requester = rng.choices(platforms, platform_weights)[0], None
                latent = quality[-platform.id]
            else:
                requester = rng.choices(requesters, popularity)[0]
                platform, latent = requester.platform, quality[requester.id]
            rows.append(
                _review_row(
                    rng,
                    author_id,
                    countries[author_id],
                    platform,
                    requester,
                    latent,
                    created_at,
                    rendered,
                )
            )
    # Only each member's latest review of a target counts.
    latest: dict[tuple, dict] = {}
    for row in sorted(rows, key=lambda r: r["created_at"]):
        key = (row["author_id"], row["platform_id"], row["requester_id"])
        if key in latest:
            latest[key]["is_current"] = False
        latest[key] = row
    db.session.execute(insert(Review), rows)
    contributions: dict[int, int] = {}
    for row in rows:
        contributions[row["author_id"]] = contributions.get(row["author_id"], 0) + 1
    for user in db.session.scalars(select(User)):
        user.contribution_count = contributions.get(user.id, 0) + (
            25 if user.username.startswith("demo") else 0
        )
    db.session.commit()
    with click.progressbar(
        length=len(platforms) + len(requesters), label="Computing figures"
    ) as bar:
        aggregates.refresh_all(now, progress=bar.update)
    load_demo_proofs(rng, now, member_ids, platforms, platform_weights, requesters)
    flags = load_demo_flags(rng, now, member_ids, platforms, requesters)
    db.session.commit()
    load_demo_forum(rng, member_ids, now, scale)
    load_demo_moderation(rng)
    with click.progressbar(
        length=search.document_count(), label="Building the search index"
    ) as bar:
        search.rebuild(progress=bar.update)
    click.echo(
        f"Demo data loaded: {len(platforms)} platforms, {len(requesters)} requesters, "
        f"{len(member_ids)} members, {len(rows)} reviews, {flags} task flags, a forum and its "
        "search index. "
        f"Log in as demo / {DEMO_PASSWORD}."
    )
