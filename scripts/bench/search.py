#!/usr/bin/env python3
"""Search latency: p50, p95, p99 and max per kind of query, through the search service.

    .venv/bin/python scripts/bench/search.py                  # the demo data of instance/
    .venv/bin/python scripts/bench/search.py --posts 200000   # Whoosh, a corpus in a temp folder
    .venv/bin/python scripts/bench/search.py --backend postgres --posts 1000000 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/taskopticon_search_bench

The generated corpus mixes the demo forum's real sentences with words drawn from a synthetic
vocabulary following Zipf's law, so there are very common words and very rare ones. With
--database-url the database is created when missing and dropped at the end (unless --keep); a
kept database that already holds the corpus is measured again without generating it.
The machine's other work counts in every figure: timings taken on a busy machine are pessimistic.
"""

import argparse
import itertools
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import click  # noqa: E402
import flask_migrate  # noqa: E402
from sqlalchemy import create_engine, func, insert, make_url, select, text  # noqa: E402

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
THREADS_PER_INSERT = 1000  # threads (and their posts) written per statement


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def corpus_words(seed: int) -> list[str]:
    return vocabulary(random.Random(seed), 30_000)  # nosec B311 # a reproducible corpus, no secret


def generate_corpus(posts: int, seed: int) -> None:
    """`posts` posts in threads of 10, each a real sentence plus a dozen Zipf-distributed words,
    written a thousand threads per statement in the order of time, then indexed by a rebuild."""
    rng = random.Random(seed)  # nosec B311 # a reproducible corpus, no secret
    words = corpus_words(seed)
    weights = list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))
    load_demo_data(seed, scale=0.02)  # members, platforms, categories
    author_ids = list(db.session.scalars(select(User.id)))
    category_id = db.session.scalar(select(Category.id).where(Category.slug == "newcomers"))
    now = utcnow()
    # Ids are given (the demo forum gives its own too), so PostgreSQL's sequences follow below.
    thread_id = (db.session.scalar(select(func.max(Thread.id))) or 0) + 1
    post_id = (db.session.scalar(select(func.max(Post.id))) or 0) + 1
    per_thread = 10
    started = time.perf_counter()
    with click.progressbar(length=posts, label="Generating posts") as bar:
        for _ in range(0, posts // per_thread, THREADS_PER_INSERT):
            threads, rows = [], []
            for _ in range(THREADS_PER_INSERT):
                # Written over 900 days, oldest first, as a forum grows (ids follow time).
                age = (1 - thread_id / (posts // per_thread + 1)) * 900 * 24 * 60
                moment = now - timedelta(minutes=age + rng.randint(0, 60))
                threads.append(
                    {
                        "id": thread_id,
                        "category_id": category_id,
                        "title": " ".join(rng.choices(words, cum_weights=weights, k=5)),
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
                )
                for number in range(1, per_thread + 1):
                    drawn = rng.choices(words, cum_weights=weights, k=12)
                    body = f"{rng.choice(SENTENCES)} {' '.join(drawn)}"
                    rows.append(
                        {
                            "id": post_id,
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
                    post_id += 1
                thread_id += 1
            db.session.execute(insert(Thread), threads)
            db.session.execute(insert(Post), rows)
            db.session.commit()
            bar.update(len(rows))
    if db.engine.dialect.name == "postgresql":
        for table in ("threads", "posts"):
            sequence = (
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"  # noqa: S608 - two fixed table names  # nosec B608 # two fixed table names
            )
            db.session.execute(text(sequence))
        db.session.commit()
        db.session.execute(text("ANALYZE"))  # the planner knows nothing yet of the new rows
        db.session.commit()
    print(f"posts written in {time.perf_counter() - started:.0f} s")
    build_index()


def build_index() -> None:
    with click.progressbar(length=search.document_count(), label="Indexing") as bar:
        started = time.perf_counter()
        search.rebuild(progress=bar.update)
    print(f"index built in {time.perf_counter() - started:.0f} s")


def query_sets(rng: random.Random, words: list[str] | None, runs: int) -> dict[str, list[str]]:
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
    kinds = {
        "hostile": lambda n: hostile[n % len(hostile)],
        "one word (common)": lambda _n: rng.choice(common),
        "two words": lambda _n: f"{rng.choice(common)} {rng.choice(mid)}",
        "phrase": lambda _n: rng.choice(phrases),
        "rare word": lambda _n: rng.choice(rare),
    }
    return {kind: [make(n) for n in range(runs)] for kind, make in kinds.items()}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(queries: dict[str, list[str]]) -> None:
    search.search("warm up", None, None, None, "relevance", 1, 10)  # opens the searcher once
    columns = ("runs", "p50 ms", "p95 ms", "p99 ms", "max ms", "timeouts")
    print(f"{'query kind':<20}" + "".join(f"{column:>10}" for column in columns))
    for kind, texts in queries.items():
        timings, timeouts = [], 0
        for query in texts:
            started = time.perf_counter()
            results, _notices, _complete = search.search(
                query, None, None, None, "relevance", 1, 10
            )
            timings.append((time.perf_counter() - started) * 1000)
            timeouts += bool(results and results.timed_out)
        figures = [percentile(timings, share) for share in (0.5, 0.95, 0.99)] + [max(timings)]
        print(
            f"{kind:<20}{len(timings):>10}"
            + "".join(f"{figure:>10.1f}" for figure in figures)
            + f"{timeouts:>10}"
        )


def server_database(url: str) -> tuple[str, str]:
    """(the server's maintenance database URL, the bench database's name)"""
    parsed = make_url(url)
    return parsed.set(database="postgres").render_as_string(hide_password=False), parsed.database


def create_database(url: str) -> None:
    """Create the bench database when missing."""
    server, name = server_database(url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.exec_driver_sql(
            "SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": name}
        ).scalar()
        if not exists:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()


def drop_database(url: str) -> None:
    server, name = server_database(url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()
    print(f"database {name} dropped")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=0, help="generate a corpus of this many posts")
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="whoosh")
    parser.add_argument("--database-url", help="a PostgreSQL database for the corpus")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--runs", type=int, default=100, help="queries per kind")
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    if arguments.backend == "postgres" and not arguments.database_url:
        parser.error("--backend postgres needs --database-url")
    rng = random.Random(arguments.seed)  # nosec B311 # a reproducible corpus, no secret
    if not arguments.posts:
        app = create_app({"SEARCH_BACKEND": arguments.backend})
        with app.app_context():
            print(f"demo data: {search.document_count()} documents")
            measure(query_sets(rng, None, arguments.runs))
        return
    folder = tempfile.mkdtemp(prefix="taskopticon-bench-")
    url = arguments.database_url or f"sqlite:///{folder}/bench.db"
    if arguments.database_url:
        create_database(url)
    app = create_app(
        {
            "INSTANCE_PATH": folder,
            "SQLALCHEMY_DATABASE_URI": url,
            "SEARCH_BACKEND": arguments.backend,
            "RATELIMIT_ENABLED": False,
        }
    )
    try:
        with app.app_context():
            flask_migrate.upgrade()
            if db.session.scalar(select(func.count()).select_from(Post)) >= arguments.posts:
                print("reusing the corpus already in the database")
                if not search.backend().indexed_keys():
                    build_index()
            else:
                generate_corpus(arguments.posts, arguments.seed)
            print(f"corpus: {search.document_count()} documents ({arguments.backend})")
            measure(query_sets(rng, corpus_words(arguments.seed), arguments.runs))
            db.session.remove()
            db.engine.dispose()
    finally:
        if arguments.database_url and not arguments.keep:
            drop_database(url)
        shutil.rmtree(folder, ignore_errors=True)  # the corpus and its index


if __name__ == "__main__":
    main()
