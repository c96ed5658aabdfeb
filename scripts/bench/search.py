#!/usr/bin/env python3
"""Search latency: median and p95 per kind of query, through the search service.

    .venv/bin/python scripts/bench/search.py                  # the demo data of instance/
    .venv/bin/python scripts/bench/search.py --posts 200000   # a generated corpus, in a temp folder

The generated corpus mixes the demo forum's real sentences with words drawn from a synthetic
vocabulary following Zipf's law, so there are very common words and very rare ones.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import click  # noqa: E402
import flask_migrate  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from community import create_app  # noqa: E402
from community.accounts.models import User  # noqa: E402
from community.core.database import utcnow  # noqa: E402
from community.demo import load_demo_data  # noqa: E402
from community.extensions import db  # noqa: E402
from community.forum.demo import SENTENCES  # noqa: E402
from community.forum.models import Category, Post, Thread  # noqa: E402
from community.search import service as search  # noqa: E402

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ten",
    "ra",
    "su",
    "vel",
    "do",
    "ni",
    "pra",
    "zu",
    "ber",
    "qua",
    "sha",
    "el",
]
RUNS_PER_KIND = 60


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def generate_corpus(posts: int, seed: int) -> None:
    """`posts` posts in threads of 10, each a real sentence plus a dozen Zipf-distributed words."""
    rng = random.Random(seed)  # nosec B311 # a reproducible corpus, no secret
    words = vocabulary(rng, 30_000)
    weights = [1 / rank for rank in range(1, len(words) + 1)]
    load_demo_data(seed, scale=0.02)  # members, platforms, categories
    author_ids = list(db.session.scalars(select(User.id)))
    category_id = db.session.scalar(select(Category.id).where(Category.slug == "newcomers"))
    now = utcnow()
    thread_id = (db.session.scalar(select(db.func.max(Thread.id))) or 0) + 1
    per_thread = 10
    with click.progressbar(range(posts // per_thread), label="Generating posts") as bar:
        for _ in bar:
            moment = now - timedelta(minutes=rng.randint(1, 900 * 24 * 60))
            db.session.execute(
                insert(Thread),
                [
                    {
                        "id": thread_id,
                        "category_id": category_id,
                        "title": " ".join(rng.choices(words, weights, k=5)),
                        "author_id": rng.choice(author_ids),
                        "post_count": per_thread,
                        "last_number": per_thread,
                        "last_post_at": moment,
                        "visibility": "visible",
                        "created_at": moment,
                        "updated_at": moment,
                        "pinned": False,
                        "locked": False,
                    }
                ],
            )
            rows = []
            for number in range(1, per_thread + 1):
                body = rng.choice(SENTENCES) + " " + " ".join(rng.choices(words, weights, k=12))
                rows.append(
                    {
                        "thread_id": thread_id,
                        "number": number,
                        "author_id": rng.choice(author_ids),
                        "body": body,
                        "body_html": body,
                        "visibility": "visible",
                        "created_at": moment,
                        "updated_at": moment,
                    }
                )
            db.session.execute(insert(Post), rows)
            thread_id += 1
            if thread_id % 500 == 0:
                db.session.commit()
    db.session.commit()
    with click.progressbar(length=search.document_count(), label="Indexing") as bar:
        started = time.perf_counter()
        search.rebuild(progress=bar.update)
    print(f"index built in {time.perf_counter() - started:.0f} s")
    return words


def query_sets(rng: random.Random, words: list[str] | None) -> dict[str, list[str]]:
    common = [
        "paid",
        "remuneration",
        "rejected",
        "payout",
        "screenshots",
        "requester",
        "minutes",
        "bonus",
    ]
    if words:
        common += words[:20]
        rare = words[-2000:]
        mid = words[100:3000]
    else:
        rare = [
            "spreadsheet",
            "qualification",
            "phishing",
            "attention",
            "estimation",
            "restored",
            "week",
        ]
        mid = ["paypal", "support", "approval", "surveys", "account", "batch", "explanation"]
    phrases = [
        '"time estimate"',
        '"never paid"',
        '"minimum payout"',
        '"paid within two days"',
        '"rémunération horaire"',
        '"keep screenshots"',
    ]
    hostile = [
        "*",
        "title:*",
        "[a TO z]",
        '"unbalanced',
        "(" * 3000,
        "x" * 10_000,
        "*x* " * 10,
        "id:1 OR id:2",
        " ".join(common * 700),
        "remuneration~2^9",
    ]
    return {
        "hostile": [hostile[n % len(hostile)] for n in range(RUNS_PER_KIND)],
        "one word (common)": [rng.choice(common) for _ in range(RUNS_PER_KIND)],
        "two words": [f"{rng.choice(common)} {rng.choice(mid)}" for _ in range(RUNS_PER_KIND)],
        "phrase": [rng.choice(phrases) for _ in range(RUNS_PER_KIND)],
        "rare word": [rng.choice(rare) for _ in range(RUNS_PER_KIND)],
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(queries: dict[str, list[str]]) -> None:
    search.search("warm up", None, None, None, "relevance", 1, 10)  # opens the searcher once
    kind_header, runs, median, p95, worst, timeouts = (
        "query kind",
        "runs",
        "median ms",
        "p95 ms",
        "max ms",
        "timeouts",
    )
    print(f"{kind_header:<20} {runs:>5} {median:>10} {p95:>8} {worst:>8} {timeouts:>9}")
    for kind, texts in queries.items():
        timings, timeouts = [], 0
        for text in texts:
            started = time.perf_counter()
            results, _notices, _complete = search.search(text, None, None, None, "relevance", 1, 10)
            timings.append((time.perf_counter() - started) * 1000)
            timeouts += bool(results and results.timed_out)
        print(
            f"{kind:<20} {len(timings):>5} {statistics.median(timings):>10.1f} "
            f"{percentile(timings, 0.95):>8.1f} {max(timings):>8.1f} {timeouts:>9}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=0, help="generate a corpus of this many posts")
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)  # nosec B311 # reproducible queries, no secret
    if arguments.posts:
        folder = tempfile.mkdtemp(prefix="taskopticon-bench-")
        app = create_app(
            {"INSTANCE_PATH": folder, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db"}
        )
        with app.app_context():
            flask_migrate.upgrade()
            words = generate_corpus(arguments.posts, arguments.seed)
            print(f"corpus: {search.document_count()} documents in {folder}")
            measure(query_sets(rng, words))
    else:
        app = create_app()
        with app.app_context():
            print(f"demo data: {search.document_count()} documents")
            measure(query_sets(rng, None))


if __name__ == "__main__":
    main()
