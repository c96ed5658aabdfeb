"""Demo forum: threads and posts in English and French, so search has something real to find."""

import random
from datetime import timedelta

import click
from sqlalchemy import func, insert, select

from community.catalog.models import Platform, Requester
from community.core.database import sync_id_sequences, utcnow
from community.core.markup import render_markdown
from community.extensions import db
from community.forum.models import Category, Post, Subscription, Thread

THREADS, POSTS = 2_000, 20_000  # at scale 1

TITLES = [
    "Is {platform} legit? First payout question",
    "{platform}: rejected without explanation",
    "Best hours to find work on {platform}",
    "How long until {platform} pays?",
    "Minimum payout on {platform}",
    "{platform} screeners eat my time",
    "Rémunération sur {platform} : vos retours ?",
    "Premier paiement reçu sur {platform}",
    "{platform} : tâches refusées sans raison",
    "Qualification tests on {platform}: worth it?",
    "Taxes and micro-work income",
    "How do you track your real hourly pay?",
    "Bonjour, nouvelle ici",
    "Comment calculer sa rémunération horaire réelle ?",
    "Unpaid attention checks",
    "Blocked account after a survey",
]
SENTENCES = [
    "I got paid within two days through PayPal, no problem at all.",
    "The remuneration is low once you count the time spent in screeners.",
    "La rémunération est correcte si on compte seulement le temps de la tâche.",
    "They rejected half of my batch without a single word of explanation.",
    "Ils ont rejeté la moitié de mon lot sans la moindre explication.",
    "Write to the requester politely and keep screenshots of everything.",
    "Écrivez au donneur d'ordres poliment et gardez des captures d'écran.",
    "My effective hourly pay was about three dollars after the unpaid qualification.",
    "Ma rémunération horaire effective tombe à deux euros avec les tests non payés.",
    "The minimum payout is reached quickly if you do the short surveys.",
    "Le seuil de paiement est atteint vite avec les petits sondages.",
    "Never pay to get access to tasks: that is a scam.",
    "Ne payez jamais pour accéder à des tâches : c'est une arnaque.",
    "Support answered after a week and restored my account.",
    "Le support a répondu au bout d'une semaine.",
    "Check the requester's reviews here before accepting a long batch.",
    "The time estimate said ten minutes, it took thirty-five.",
    "L'estimation disait dix minutes, il en a fallu trente-cinq.",
    "Approval is usually automatic after three days.",
    "I keep a spreadsheet of every task, the minutes and what I was paid.",
    "Je note chaque tâche, les minutes passées et ce que j'ai touché.",
    "Bonus came a week later, as promised.",
    "Welcome! Start with the newcomers guide and the rules.",
    "Bienvenue ! Commencez par le guide des nouveaux et les règles.",
]


def load_demo_forum(
    rng: random.Random, member_ids: list[int], now=None, scale: float = 1.0
) -> None:
    now = now or utcnow()
    thread_count, post_count = max(10, int(THREADS * scale)), max(20, int(POSTS * scale))
    platforms = list(db.session.scalars(select(Platform).order_by(Platform.id)))
    requesters = list(
        db.session.scalars(
            select(Requester.id).order_by(Requester.reviewer_count.desc()).limit(200)
        )
    )
    platform_categories = []
    next_category = (db.session.scalar(select(func.max(Category.id))) or 0) + 1
    for offset, platform in enumerate(platforms[:12]):
        platform_categories.append(
            {
                "id": next_category + offset,
                "slug": f"platform-{platform.slug}",
                "platform_id": platform.id,
                "position": 1000,
                "thread_count": 0,
                "post_count": 0,
            }
        )
    db.session.execute(insert(Category), platform_categories)
    categories = {c.id: c for c in db.session.scalars(select(Category))}
    category_ids = [c.id for c in categories.values() if c.slug != "announcements"]

    rendered: dict[str, str] = {}

    def html_of(sentences: list[str]) -> str:
        for sentence in sentences:
            if sentence not in rendered:
                rendered[sentence] = str(render_markdown(sentence))
        return "".join(rendered[s] for s in sentences)

    first_thread = (db.session.scalar(select(func.max(Thread.id))) or 0) + 1
    first_post = (db.session.scalar(select(func.max(Post.id))) or 0) + 1
    # Reply counts with a long tail: most threads are short, a few run to hundreds of posts.
    weights = [rng.paretovariate(1.2) for _ in range(thread_count)]
    share = (post_count - thread_count) / sum(weights)
    replies = [int(w * share) for w in weights]
    replies[0] += post_count - thread_count - sum(replies)

    threads, posts, subscriptions = [], [], set()
    post_id = first_post
    with click.progressbar(range(thread_count), label="Writing demo forum") as bar:
        for index in bar:
            thread_id = first_thread + index
            category = categories[rng.choice(category_ids)]
            platform = next(
                (p for p in platforms if p.id == category.platform_id), None
            ) or rng.choice(platforms)
            started = now - timedelta(minutes=rng.randint(60, 700 * 24 * 60))
            author = rng.choice(member_ids)
            linked_requester = (
                rng.choice(requesters) if requesters and rng.random() < 0.15 else None
            )
            count = 1 + replies[index]
            moment = started
            for number in range(1, count + 1):
                writer = author if number == 1 else rng.choice(member_ids)
                sentences = rng.sample(SENTENCES, rng.randint(1, 3))
                posts.append(
                    {
                        "id": post_id,
                        "thread_id": thread_id,
                        "number": number,
                        "author_id": writer,
                        "body": "\n\n".join(sentences),
                        "body_html": html_of(sentences),
                        "visibility": "visible",
                        "created_at": moment,
                        "updated_at": moment,
                    }
                )
                subscriptions.add((writer, thread_id))
                post_id += 1
                moment = min(now, moment + timedelta(minutes=rng.randint(5, 3000)))
            threads.append(
                {
                    "id": thread_id,
                    "category_id": category.id,
                    "title": rng.choice(TITLES).format(platform=platform.name)[:160],
                    "author_id": author,
                    "platform_id": platform.id
                    if rng.random() < 0.6 or category.platform_id
                    else None,
                    "requester_id": linked_requester,
                    "pinned": False,
                    "locked": False,
                    "post_count": count,
                    "last_number": count,
                    "last_post_at": posts[-1]["created_at"],
                    "last_author_id": posts[-1]["author_id"],
                    "visibility": "visible",
                    "created_at": started,
                    "updated_at": started,
                }
            )
            category.thread_count += 1
            category.post_count += count
            category.last_post_at = max(category.last_post_at or started, posts[-1]["created_at"])
            if category.platform_id:
                threads[-1]["platform_id"] = category.platform_id
    db.session.execute(insert(Thread), threads)
    for start in range(0, len(posts), 5000):
        db.session.execute(insert(Post), posts[start : start + 5000])
    db.session.execute(
        insert(Subscription),
        [
            {"user_id": user_id, "thread_id": thread_id, "last_read_number": 0}
            for user_id, thread_id in subscriptions
        ],
    )
    sync_id_sequences(db.session, Category.__table__, Thread.__table__, Post.__table__)
    db.session.commit()
