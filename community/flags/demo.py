"""Demo task flags: every category, some disturbing, some confirmed or dismissed, with the
"I saw this too"s and the decisions that go with them."""

import random
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update

from community.accounts.models import User
from community.catalog.models import Platform, Requester
from community.core.content import Visibility
from community.core.markup import plain_excerpt, render_markdown
from community.extensions import db
from community.flags import service
from community.flags.models import (
    DecisionAction,
    Flag,
    FlagCategory,
    FlagDecision,
    FlagSeenToo,
    FlagStatus,
)

FLAGS = 150

# (task title, description, disturbing) for each category.
EXAMPLES = {
    FlagCategory.DISCRIMINATORY: [
        (
            "Name origin sorting",
            "The task shows lists of job applicants' names and asks you to sort them by the "
            "**likely origin** of the name, then to mark the ones 'to keep'. It is CV screening "
            "by ethnicity, presented as data labelling.",
            False,
        ),
        (
            "Rate faces for trustworthiness",
            "Photos of people of different skin colours, with a scale from 'trustworthy' to "
            "'dangerous'. No purpose given, no consent from the people in the pictures.",
            False,
        ),
        (
            "Tri de prénoms par origine",
            "On demande de classer des prénoms selon leur « origine probable » pour une agence "
            "de location. C'est de la discrimination au logement, déguisée en annotation.",
            False,
        ),
        (
            "Write jokes about a religion",
            "The batch asks for short jokes mocking a religious group, 'for a humour dataset'. "
            "Several examples given in the instructions are plainly hateful.",
            True,
        ),
    ],
    FlagCategory.DISTURBING: [
        (
            "Content moderation batch 12",
            "Announced as 'social media moderation'. Without any warning the images include "
            "graphic violence and injured people. No opt-out, and returning the task costs your "
            "approval rate.",
            True,
        ),
        (
            "Video classification (short clips)",
            "Some clips show animal cruelty. The instructions never mention it, and there is no "
            "way to skip a clip.",
            True,
        ),
        (
            "Modération de commentaires",
            "Des commentaires décrivant des violences sur des enfants, sans aucun avertissement "
            "préalable ni possibilité de passer. J'ai arrêté après trois minutes.",
            True,
        ),
    ],
    FlagCategory.SCAM: [
        (
            "Verify your account to get paid",
            "The task links to a page that copies the platform's login form and asks for your "
            "password and payout email. Classic phishing.",
            False,
        ),
        (
            "Data entry job, starter kit required",
            "After the qualification you are told to buy a 'starter kit' for 30 USD before "
            "receiving real work. Pay-to-work scam.",
            False,
        ),
        (
            "Install our app and earn 50 €",
            "L'appli promet 50 € pour des sondages, mais le seuil de retrait recule à chaque "
            "fois et le support demande des frais de « déblocage ».",
            False,
        ),
    ],
    FlagCategory.PERSONAL_DATA: [
        (
            "Selfie with your ID card",
            "A 'face recognition dataset' task asks for a photo of your passport or ID card "
            "next to your face, for 0.50 USD. Nothing says where the pictures go.",
            False,
        ),
        (
            "Household survey (long)",
            "Asks for full name, home address, date of birth and bank name in a survey that is "
            "supposed to be anonymous.",
            False,
        ),
        (
            "Enregistrement de votre voix",
            "On demande de lire à voix haute son nom, son adresse et son numéro de téléphone "
            "« pour calibrer le micro ».",
            False,
        ),
    ],
    FlagCategory.UNPAID_WORK: [
        (
            "Qualification test: 200 receipts",
            "The unpaid qualification is 200 receipts to transcribe, exactly the work of the "
            "paid batch. Nobody I know ever got the qualification.",
            False,
        ),
        (
            "Training round (unpaid)",
            "Two hours of 'training' that are real production items, rejected at the end with "
            "'training not passed'.",
            False,
        ),
        (
            "Test d'entrée de 45 minutes",
            "Le test d'entrée non payé dure 45 minutes et contient les mêmes éléments que les "
            "tâches payées.",
            False,
        ),
    ],
    FlagCategory.MISLEADING_ESTIMATE: [
        (
            "5-minute survey on shopping",
            "Announced as 5 minutes; it took 28, with a long video to watch. Pay is for 5.",
            False,
        ),
        (
            "Quick image tagging (1 min)",
            "Each item has 40 objects to tag; one item takes at least 6 minutes.",
            False,
        ),
        (
            "Questionnaire de 10 minutes",
            "Annoncé 10 minutes, il en faut plus de 35 : les questions ouvertes exigent des "
            "réponses de 100 mots.",
            False,
        ),
    ],
    FlagCategory.ILLEGAL: [
        (
            "Write 5-star reviews for our shop",
            "Asks for positive reviews of products you never bought, on a big marketplace, "
            "with a new account each time.",
            False,
        ),
        (
            "Create accounts with these phone numbers",
            "Mass account creation with numbers provided by the requester, to bypass the "
            "site's verification. Looks like fraud.",
            False,
        ),
    ],
    FlagCategory.OTHER: [
        (
            "Follow these accounts and like posts",
            "Not a task, engagement farming. Pay is 0.01 USD for ten follows.",
            False,
        ),
        (
            "Captcha solving",
            "Solving captchas for a third party, probably to defeat the protection of other "
            "sites. Not clearly illegal, but workers should know.",
            False,
        ),
    ],
}
# How often each category is flagged (every category at least twice anyway).
WEIGHTS = {
    FlagCategory.DISCRIMINATORY: 3,
    FlagCategory.DISTURBING: 3,
    FlagCategory.SCAM: 4,
    FlagCategory.PERSONAL_DATA: 3,
    FlagCategory.UNPAID_WORK: 5,
    FlagCategory.MISLEADING_ESTIMATE: 6,
    FlagCategory.ILLEGAL: 2,
    FlagCategory.OTHER: 1,
}
REASONS = {
    FlagStatus.CONFIRMED: [
        "I saw the same task; the description is accurate.",
        "Checked the screenshots in the forum thread: this is what the task asks.",
        "Several members describe the same thing, and the requester did not answer.",
        "Vérifié : la tâche demande bien cela.",
    ],
    FlagStatus.DISMISSED: [
        "The task does say this in its preview; workers are warned beforehand.",
        "Not enough detail to check, and nobody else saw it.",
        "This is a normal qualification, short and clearly described.",
        "Ce n'est pas un problème éthique : plutôt un avis sur la rémunération.",
    ],
}
FICTIONAL_SUFFIX = "-fictional-demo"
REOPEN_REASON = "Reopened: new reports contradict the decision, it needs a second look."


def _target(rng, category, platforms, requesters, fictional_platforms):
    """A (fictional) demo requester and its platform. The starter platforms are real companies:
    flags about a platform itself go only to the fictional demo app."""
    if (
        fictional_platforms
        and (category == FlagCategory.SCAM or not requesters)
        and rng.random() < 0.7
    ):
        return rng.choice(fictional_platforms), None
    requester = rng.choice(requesters)
    return requester.platform, requester


def _status(rng) -> str:
    roll = rng.random()
    if roll < 0.4:
        return FlagStatus.CONFIRMED
    if roll < 0.6:
        return FlagStatus.DISMISSED
    return FlagStatus.OPEN


def load_demo_flags(
    rng: random.Random,
    now: datetime,
    member_ids: list[int],
    platforms: list[Platform],
    requesters: list[Requester],
    count: int = FLAGS,
) -> int:
    """About `count` flags on the demo requesters and platforms, with their warning counts kept
    in step. The caller commits."""
    members = list(db.session.scalars(select(User).where(User.id.in_(member_ids))))
    deciders = [user.id for user in members if user.is_trusted] or member_ids
    fictional = [p for p in platforms if p.slug.endswith(FICTIONAL_SUFFIX)]
    categories = list(FlagCategory)
    rows, extras = [], []
    for index in range(count):
        if index < 2 * len(categories):
            category = categories[index % len(categories)]
        else:
            category = rng.choices(categories, [WEIGHTS[c] for c in categories])[0]
        title, description, disturbing = rng.choice(EXAMPLES[category])
        platform, requester = _target(rng, category, platforms, requesters, fictional)
        author_id = rng.choice(member_ids)
        seen_on = (now - timedelta(days=min(700, int(rng.expovariate(1 / 60))))).date()
        created_at = min(
            now - timedelta(minutes=rng.randint(1, 600)),
            datetime.combine(seen_on, datetime.min.time()) + timedelta(hours=rng.randint(1, 96)),
        )
        status = _status(rng)
        decider = rng.choice([d for d in deciders if d != author_id] or member_ids)
        decided_at = created_at + timedelta(hours=rng.randint(2, 120)) if status != "open" else None
        if decided_at is not None and decided_at > now:
            decided_at = now
        withdrawn = rng.random() < 0.03
        reason = rng.choice(REASONS[status]) if status != FlagStatus.OPEN else None
        witnesses = rng.sample(
            [m for m in member_ids if m != author_id],
            min(len(member_ids) - 1, rng.choice((0, 0, 1, 1, 2, 3, 5))),
        )
        rows.append(
            {
                "author_id": author_id,
                "platform_id": platform.id,
                "requester_id": requester.id if requester else None,
                "task_title": title,
                "category": category,
                "description": description,
                "description_html": str(render_markdown(description)),
                "excerpt": plain_excerpt(description, service.EXCERPT_CHARS),
                "seen_on": seen_on,
                "disturbing": service.shows_folded(category, disturbing),
                "status": status,
                "decided_by_id": decider if status != FlagStatus.OPEN else None,
                "decided_at": decided_at,
                "decision_reason": reason,
                "seen_too_count": len(witnesses),
                "submission_key": f"demo-flag-{index}",
                "visibility": Visibility.DELETED if withdrawn else Visibility.VISIBLE,
                "hidden_reason": "withdrawn" if withdrawn else None,
                "created_at": created_at,
                "updated_at": decided_at or created_at,
            }
        )
        reopened = status == FlagStatus.OPEN and rng.random() < 0.08
        extras.append((witnesses, decider, reopened))
    ids = db.session.scalars(
        insert(Flag).returning(Flag.id, sort_by_parameter_order=True), rows
    ).all()
    seen_rows, decision_rows = [], []
    for flag_id, row, (witnesses, decider, reopened) in zip(ids, rows, extras, strict=True):
        for offset, user_id in enumerate(witnesses, start=1):
            seen_rows.append(
                {
                    "flag_id": flag_id,
                    "user_id": user_id,
                    "created_at": min(now, row["created_at"] + timedelta(hours=offset * 5)),
                }
            )
        if row["status"] != FlagStatus.OPEN:
            action = (
                DecisionAction.CONFIRM
                if row["status"] == FlagStatus.CONFIRMED
                else DecisionAction.DISMISS
            )
            decision_rows.append(
                {
                    "flag_id": flag_id,
                    "actor_id": row["decided_by_id"],
                    "action": action,
                    "reason": row["decision_reason"],
                    "created_at": row["decided_at"],
                }
            )
        elif reopened:  # confirmed once, then sent back by a moderator for a second look
            confirmed_at = min(now, row["created_at"] + timedelta(hours=6))
            decision_rows.append(
                {
                    "flag_id": flag_id,
                    "actor_id": decider,
                    "action": DecisionAction.CONFIRM,
                    "reason": rng.choice(REASONS[FlagStatus.CONFIRMED]),
                    "created_at": confirmed_at,
                }
            )
            moderator = next((m.id for m in members if m.is_moderator), decider)
            decision_rows.append(
                {
                    "flag_id": flag_id,
                    "actor_id": moderator,
                    "action": DecisionAction.REOPEN,
                    "reason": REOPEN_REASON,
                    "created_at": min(now, confirmed_at + timedelta(hours=12)),
                }
            )
    if seen_rows:
        db.session.execute(insert(FlagSeenToo), seen_rows)
    if decision_rows:
        db.session.execute(insert(FlagDecision), decision_rows)
    service.recount_all_warnings()
    counted = Counter(row["author_id"] for row in rows if row["visibility"] == Visibility.VISIBLE)
    for author_id, posted in counted.items():
        db.session.execute(
            update(User)
            .where(User.id == author_id)
            .values(contribution_count=User.contribution_count + posted)
        )
    return len(rows)
