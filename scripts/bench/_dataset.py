"""The bench data set: rows inserted in bulk, then the stored figures and the search index built
by the site's own code (aggregates.refresh, flags.recount_all_warnings, search.rebuild).

Counts at scale 1 follow issue 8: 100,000 members, 50,000 requesters on 20 platforms, 1,000,000
reviews, 20,000 threads with 200,000 posts (one of 5,000), 50,000 proofs, 20,000 flags.
Requesters' popularity follows Zipf's law (a few with tens of thousands of reviews, most with a
handful); so do members' activity and the words of every text.
"""

import bisect
import random
import secrets
import shutil
import string
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path

import click
import flask_migrate
from _bench import MANIFEST, check_postgres_url, database_name, write_manifest
from _text import PHRASES, TextMaker, plain_html
from flask import current_app
from sqlalchemy import create_engine, event, func, insert, make_url, select, text, update

from community import create_app
from community.accounts import passwords
from community.accounts.models import Role, User
from community.catalog import service as catalog
from community.catalog.models import Platform, Requester, normalise_name
from community.core import images
from community.core.database import utcnow, write_transaction
from community.core.markup import plain_excerpt, render_markdown
from community.core.money import to_usd_cents
from community.demo import CITIES, CURRENCY_BY_PLATFORM, REQUESTER_WORDS, TASKS
from community.extensions import db
from community.flags import service as flags
from community.flags.models import Flag, FlagCategory, FlagDecision, FlagSeenToo, FlagStatus
from community.forum.models import Category, Post, Subscription, Thread
from community.proofs.demo import METHOD_COLOURS, _amount_minor, _money_text, draw_receipt
from community.proofs.models import MarkVerdict, Proof, ProofMark
from community.reviews import aggregates, fairpay, pay
from community.reviews.models import Review
from community.search import service as search

BENCH_PASSWORD = "bench-password-2026"  # noqa: S105  # nosec B105 # the bench members' own, documented
BENCH_USERS = 64  # logged in by scripts/bench/run to write
MODERATORS = 20
PLATFORMS = 20
COUNTS = {  # at scale 1
    "members": 100_000,
    "requesters": 50_000,
    "reviews": 1_000_000,
    "threads": 20_000,
    "posts": 200_000,
    "big_thread_posts": 5_000,
    "proofs": 50_000,
    "flags": 20_000,
}
PLATFORM_REVIEW_SHARE = 0.1  # reviews of a platform itself, the rest of its requesters
REQUESTER_ZIPF = 1.0
MEMBER_ZIPF = 0.8
HISTORY_DAYS = 3 * 365
PROOF_PICTURES = 400  # distinct receipts drawn and cleaned; every proof gets its own files
INSERT_CHUNK = 20_000
# What a bench instance folder holds (a folder with anything else is never removed).
INSTANCE_ENTRIES = frozenset(
    {MANIFEST, "secret_key", "uploads", "search-index", "bench-logs", "taskopticon.db"}
    | {f"taskopticon.db-{suffix}" for suffix in ("wal", "shm", "journal")}
)


@dataclass
class Options:
    instance: Path
    database_url: str | None
    scale: float = 1.0
    posts: int | None = None
    seed: int = 2026
    force: bool = False


@dataclass
class Run:
    """What the generator learns while it goes, written to the manifest for scripts/bench/run."""

    rng: random.Random
    now: datetime
    text: TextMaker
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    words: Counter = field(default_factory=Counter)


def scaled(count: int, scale: float, minimum: int = 10) -> int:
    return max(minimum, int(count * scale))


# Setting up


def _prepare_database(options: Options) -> str:
    if options.database_url is None:
        path = options.instance / "taskopticon.db"
        return f"sqlite:///{path}"
    check_postgres_url(options.database_url)
    server = make_url(options.database_url).set(database="postgres")
    name = database_name(options.database_url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if exists and not options.force:
            raise click.ClickException(f"Database {name} exists: give --force to rebuild it.")
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return options.database_url


def _prepare_folder(options: Options) -> None:
    folder = options.instance
    if folder.exists() and any(folder.iterdir()):
        if not options.force:
            raise click.ClickException(f"{folder} is not empty: give --force to rebuild it.")
        if not {entry.name for entry in folder.iterdir()} <= INSTANCE_ENTRIES:
            raise click.ClickException(
                f"{folder} does not look like a bench instance: not removed."
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def _bulk_load_pragmas(engine) -> None:
    """A bulk load needs no durability until it ends (it is started again from empty if it
    fails): no fsync, a large page cache, temporary sorts in memory."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-400000")  # KiB: about 400 MB
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.execute("PRAGMA wal_autocheckpoint=20000")
        cursor.close()

    engine.dispose()  # connections opened before get the pragmas too


@contextmanager
def stage(run: Run, name: str):
    click.echo(f"--> {name}")
    started = time.perf_counter()
    yield
    run.timings[name] = round(time.perf_counter() - started, 1)
    click.echo(f"    {name}: {run.timings[name]:.1f} s")


@contextmanager
def indexes_built_after(*models):
    """Drop the tables' secondary indexes for a bulk insert, then build them again from their
    own definitions (sorting once is much faster than inserting into ten B-trees row by row)."""
    names = [model.__table__.name for model in models]
    connection = db.session.connection()
    if db.engine.dialect.name == "sqlite":
        found = connection.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN :names"
            ).bindparams(db.bindparam("names", expanding=True)),
            {"names": names},
        ).all()
    else:
        found = connection.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN :names "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            ).bindparams(db.bindparam("names", expanding=True)),
            {"names": names},
        ).all()
    for name, _definition in found:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, definition in found:
        db.session.connection().exec_driver_sql(definition)


def _insert(model, rows: list[dict]) -> None:
    """Core INSERT, executemany in chunks."""
    table = model.__table__
    for start in range(0, len(rows), INSERT_CHUNK):
        db.session.execute(insert(table), rows[start : start + INSERT_CHUNK])


def _check_plain_html(texts: list[str]) -> None:
    """The generated text renders to one <p> per paragraph: check it with the site's renderer."""
    for sample in texts:
        if str(render_markdown(sample)) != plain_html(sample):
            raise RuntimeError(f"the site renders this text differently: {sample!r}")
        if plain_excerpt(sample, flags.EXCERPT_CHARS) != _excerpt(sample):
            raise RuntimeError(f"the site's excerpt of this text differs: {sample!r}")


def _excerpt(text_: str, length: int = flags.EXCERPT_CHARS) -> str:
    flat = " ".join(text_.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def _zipf_cumulative(count: int, exponent: float) -> list[float]:
    return list(accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


def _moment(run: Run, days: float = HISTORY_DAYS) -> datetime:
    """A moment in the past, more of them recent (the site grows)."""
    return run.now - timedelta(minutes=int(days * 24 * 60 * run.rng.random() ** 1.6) + 5)


# Members and catalog


def _members(run: Run, count: int) -> list[int]:
    rng = run.rng
    hashed = passwords.hash_password(BENCH_PASSWORD)  # one hash, computed once, shared by all
    countries = [*fairpay.minimum_wages(), None, None, None]
    rows, seen = [], set()
    for index in range(count):
        if index < BENCH_USERS:
            name = f"bench_{index:03d}"
        else:
            name = f"{rng.choice(string.ascii_lowercase)}{secrets.token_hex(3)}_{index}"
        seen.add(name)
        created = run.now - timedelta(days=400 if index < BENCH_USERS else rng.randint(1, 1500))
        rows.append(
            {
                "id": index + 1,
                "username": name,
                "username_key": name.casefold(),
                "password_hash": hashed,
                "session_token": secrets.token_urlsafe(32),
                "role": Role.MODERATOR
                if BENCH_USERS <= index < BENCH_USERS + MODERATORS
                else Role.MEMBER,
                "country": rng.choice(countries),
                "locale": "fr" if rng.random() < 0.3 else None,
                "anonymous_by_default": rng.random() < 0.15,
                "contribution_count": 0,
                "created_at": created,
            }
        )
    _insert(User, rows)
    return [row["id"] for row in rows]


def _platforms(count: int) -> list[Platform]:
    catalog.load_starter_platforms()
    platforms = list(db.session.scalars(select(Platform).where(Platform.status == "active")))
    return sorted(platforms, key=lambda p: p.id)[:count]


def _mturk_id(rng: random.Random) -> str:
    return "A" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=13))


def _requesters(run: Run, platforms: list[Platform], count: int) -> list[dict]:
    """Requesters, the most popular first (rank 0 gets the most reviews). MTurk holds half of
    them, all with an identifier; elsewhere some have one."""
    rng = run.rng
    weights = [50] + [50 / (len(platforms) - 1)] * (len(platforms) - 1)
    rows, keys, ids = [], set(), set()
    surnames = run.text.rare
    while len(rows) < count:
        platform = rng.choices(platforms, weights)[0]
        parts = rng.sample(REQUESTER_WORDS, 2)
        name = " ".join(
            [rng.choice(CITIES)] * (rng.random() < 0.3)
            + [rng.choice(surnames).capitalize()] * (rng.random() < 0.7)
            + parts
        )
        mturk = platform.slug == "amazon-mechanical-turk"
        external_id = _mturk_id(rng) if mturk or rng.random() < 0.3 else None
        key = (platform.id, external_id or normalise_name(name))
        if key in keys or (external_id and external_id in ids):
            continue
        keys.add(key)
        if external_id:
            ids.add(external_id)
        rows.append(
            {
                "id": len(rows) + 1,
                "platform_id": platform.id,
                "external_id": external_id,
                "display_name": name,
                "name_key": normalise_name(name),
                "reviewer_count": 0,
                "stats": {},
                "created_at": _moment(run),
            }
        )
    # The most reviewed requester is on MTurk, as on the real sites.
    first_mturk = next(i for i, row in enumerate(rows) if row["platform_id"] == platforms[0].id)
    rows[0], rows[first_mturk] = rows[first_mturk], rows[0]
    for position, row in enumerate(rows):
        row["id"] = position + 1
    _insert(Requester, rows)
    return rows


# Reviews


def _review_row(run: Run, target: tuple, author_id: int, country, created_at, quality) -> dict:
    rng = run.rng
    platform_id, platform_slug, requester_id = target

    def score() -> int:
        return max(1, min(5, round(rng.gauss(quality, 0.9))))

    currency = CURRENCY_BY_PLATFORM.get(platform_slug, "USD")
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
    reward = (
        max(1, round(max(0.5, rng.gauss(2.5 + quality * 2.2, 2.0)) * minutes / 60 * 100))
        if has_pay
        else None
    )
    bonus = rng.choice((None, None, None, 10, 25, 50)) if has_pay else None
    hourly = pay.effective_hourly(pay.received(outcome, reward, bonus), minutes)
    hourly_usd = to_usd_cents(hourly, currency) if hourly is not None else None
    language = run.text.language()
    body = run.text.text(language, 1 + (rng.random() < 0.25))
    task_title = rng.choice(TASKS) if rng.random() < 0.7 else None
    return {
        "author_id": author_id,
        "platform_id": platform_id,
        "requester_id": requester_id,
        "anonymous": rng.random() < 0.15,
        "score_pay": score(),
        "score_fairness": score(),
        "score_communication": score(),
        "task_title": task_title,
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
        "estimate_honest": rng.choice((True, True, False, None)),
        "would_work_again": rng.random() < quality / 5 if rng.random() < 0.7 else None,
        "body": body,
        "body_html": plain_html(body),
        "is_current": True,
        "reviewer_country": country,
        "below_minimum_wage": fairpay.is_below_minimum_wage(hourly_usd, country),
        "submission_key": secrets.token_hex(16),
        "visibility": "visible",
        "created_at": created_at,
        "updated_at": created_at,
    }


def _reviews(
    run: Run,
    count: int,
    member_ids: list[int],
    countries: dict,
    platforms: list[Platform],
    requesters: list[dict],
) -> Counter:
    rng = run.rng
    slugs = {p.id: p.slug for p in platforms}
    requester_cumulative = _zipf_cumulative(len(requesters), REQUESTER_ZIPF)
    member_order = member_ids[:]
    rng.shuffle(member_order)
    member_cumulative = _zipf_cumulative(len(member_order), MEMBER_ZIPF)
    quality = {row["id"]: rng.uniform(1.3, 4.8) for row in requesters}
    platform_quality = {p.id: rng.uniform(2.0, 4.5) for p in platforms}
    # Who reviewed what and when, in time order (ids grow with time, as on the site).
    plan = []
    for _ in range(count):
        if rng.random() < PLATFORM_REVIEW_SHARE:
            platform = rng.choice(platforms)
            target = (platform.id, platform.slug, None)
        else:
            requester = requesters[
                bisect.bisect(requester_cumulative, rng.random() * requester_cumulative[-1])
            ]
            target = (requester["platform_id"], slugs[requester["platform_id"]], requester["id"])
        author = member_order[
            bisect.bisect(member_cumulative, rng.random() * member_cumulative[-1])
        ]
        plan.append((_moment(run), target, author))
    plan.sort(key=lambda item: item[0])
    latest = {}
    for position, (_, target, author) in enumerate(plan):
        latest[(target[0], target[2], author)] = position
    current = set(latest.values())
    _check_plain_html([run.text.text(run.text.language(), 2) for _ in range(300)])
    per_author: Counter = Counter()
    with click.progressbar(length=count, label="Reviews") as bar:
        for start in range(0, count, INSERT_CHUNK):
            rows = []
            for position in range(start, min(count, start + INSERT_CHUNK)):
                created_at, target, author = plan[position]
                latent = quality[target[2]] if target[2] else platform_quality[target[0]]
                row = _review_row(run, target, author, countries[author], created_at, latent)
                row["id"] = position + 1
                row["is_current"] = position in current
                rows.append(row)
                per_author[author] += 1
            run.words.update(" ".join(row["body"] for row in rows).casefold().split())
            _insert(Review, rows)
            bar.update(len(rows))
    return per_author


# Forum


def _forum(run: Run, threads: int, posts: int, big: int, member_ids, platforms, requesters):
    rng = run.rng
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    next_id = max(c.id for c in categories.values()) + 1
    platform_categories = []
    for offset, platform in enumerate(platforms):
        platform_categories.append(
            Category(
                id=next_id + offset,
                slug=f"platform-{platform.slug}",
                platform_id=platform.id,
                position=1000,
                thread_count=0,
                post_count=0,
            )
        )
    db.session.add_all(platform_categories)
    db.session.flush()
    general = [c for slug, c in categories.items() if slug != "announcements"]
    member_cumulative = _zipf_cumulative(len(member_ids), MEMBER_ZIPF)
    writers = member_ids[:]
    rng.shuffle(writers)
    popular = [row["id"] for row in requesters[:2000]]

    def writer() -> int:
        return writers[bisect.bisect(member_cumulative, rng.random() * member_cumulative[-1])]

    # Replies per thread: one thread of `big` posts, the others with a long tail.
    weights = [rng.paretovariate(1.3) for _ in range(threads - 1)]
    share = max(0, posts - big - (threads - 1)) / sum(weights)
    sizes = [big] + [1 + int(w * share) for w in weights]
    sizes[1] += max(0, posts - sum(sizes))
    post_id = 0
    per_author: Counter = Counter()
    big_thread = None
    _check_plain_html([run.text.text("fr", 3) for _ in range(100)])
    with click.progressbar(length=sum(sizes), label="Threads and posts") as bar:
        thread_rows, post_rows, subscriptions = [], [], []
        for index, size in enumerate(sizes):
            thread_id = index + 1
            if index == 0:
                category = categories["pay-and-rights"]
                started = run.now - timedelta(days=700)
                step_minutes = 700 * 24 * 60 / size
            else:
                category = rng.choice(general if rng.random() < 0.6 else platform_categories)
                started = _moment(run)
                step_minutes = None
            language = run.text.language()
            platform = next((p for p in platforms if p.id == category.platform_id), None)
            if platform is None and rng.random() < 0.5:
                platform = rng.choice(platforms)
            moment, last_read = started, {}
            for number in range(1, size + 1):
                post_id += 1
                author = writer()
                body = run.text.text(language, rng.choice((1, 1, 1, 2, 3)))
                post_rows.append(
                    {
                        "id": post_id,
                        "thread_id": thread_id,
                        "number": number,
                        "author_id": author,
                        "body": body,
                        "body_html": plain_html(body),
                        "visibility": "visible",
                        "created_at": moment,
                        "updated_at": moment,
                    }
                )
                per_author[author] += 1
                last_read[author] = number
                step = step_minutes or rng.expovariate(1 / 600)
                moment = min(run.now - timedelta(minutes=1), moment + timedelta(minutes=step))
            last = post_rows[-1]
            title = run.text.title(language)
            if index == 0:
                title = "Rejections and unpaid work: the big thread"
                big_thread = thread_id
            thread_rows.append(
                {
                    "id": thread_id,
                    "category_id": category.id,
                    "title": title,
                    "author_id": post_rows[-size]["author_id"],
                    "platform_id": platform.id if platform else None,
                    "requester_id": rng.choice(popular) if rng.random() < 0.15 else None,
                    "pinned": False,
                    "locked": False,
                    "post_count": size,
                    "last_number": size,
                    "last_post_at": last["created_at"],
                    "last_author_id": last["author_id"],
                    "visibility": "visible",
                    "created_at": started,
                    "updated_at": started,
                }
            )
            subscriptions += [
                {"user_id": user, "thread_id": thread_id, "last_read_number": number}
                for user, number in last_read.items()
            ]
            category.thread_count += 1
            category.post_count += size
            category.last_post_at = max(category.last_post_at or started, last["created_at"])
            if len(post_rows) >= INSERT_CHUNK:
                _flush_forum(run, thread_rows, post_rows, subscriptions, bar)
        _flush_forum(run, thread_rows, post_rows, subscriptions, bar)
    return per_author, big_thread


def _flush_forum(run: Run, thread_rows, post_rows, subscriptions, bar) -> None:
    _insert(Thread, thread_rows)
    _insert(Post, post_rows)
    _insert(Subscription, subscriptions)
    run.words.update(" ".join(row["body"] for row in post_rows).casefold().split())
    bar.update(len(post_rows))
    thread_rows.clear()
    post_rows.clear()
    subscriptions.clear()


# Proofs and flags


def _pictures(run: Run, platforms: list[Platform]) -> list[tuple[str, images.CleanImage]]:
    """A few hundred receipts, drawn and cleaned by the upload pipeline (decode, strip, WebP)."""
    limits = images.ImageLimits.from_config(current_app.config)
    pictures = []
    methods = list(METHOD_COLOURS)
    for _ in range(PROOF_PICTURES):
        platform = run.rng.choice(platforms)
        method = run.rng.choice(methods)
        currency = platform.min_payout_currency or "USD"
        amount = _amount_minor(run.rng, method, currency)
        day = (run.now - timedelta(days=run.rng.randint(0, 700))).date().isoformat()
        drawn = draw_receipt(platform.name, _money_text(amount, currency), method, day, run.rng)
        pictures.append((method, images.clean(drawn, limits)))
    return pictures


def _store_picture(folder: Path, picture: images.CleanImage) -> dict:
    """The two files of one proof under fresh random names (as images.store names them; no
    fsync per file: a bulk load that fails is started again from empty)."""
    names = []
    for data in (picture.data, picture.thumb):
        while True:
            name = secrets.token_urlsafe(24) + images.STORED_SUFFIX
            if name[0].isalnum():
                break
        (folder / name).write_bytes(data)
        names.append(name)
    return {
        "image_name": names[0],
        "image_width": picture.width,
        "image_height": picture.height,
        "thumb_name": names[1],
        "thumb_width": picture.thumb_width,
        "thumb_height": picture.thumb_height,
    }


def _proofs(run: Run, count: int, member_ids, platforms, requesters) -> Counter:
    rng = run.rng
    folder = Path(current_app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    pictures = _pictures(run, platforms)
    by_platform: dict[int, list[int]] = {}
    for row in requesters[:5000]:
        by_platform.setdefault(row["platform_id"], []).append(row["id"])
    posters = rng.sample(member_ids, min(len(member_ids), max(50, count // 5)))
    poster_cumulative = _zipf_cumulative(len(posters), 0.7)
    confirmers = member_ids[BENCH_USERS : BENCH_USERS + MODERATORS]
    rows, marks, per_author = [], [], Counter()
    with click.progressbar(range(count), label="Proofs of payment") as bar:
        for index in bar:
            author = posters[bisect.bisect(poster_cumulative, rng.random() * poster_cumulative[-1])]
            platform = rng.choice(platforms)
            method, picture = rng.choice(pictures)
            currency = platform.min_payout_currency or "USD"
            received = (run.now - timedelta(days=int(rng.expovariate(1 / 120)) % 900)).date()
            created = min(
                run.now - timedelta(minutes=rng.randint(1, 600)),
                datetime.combine(received, datetime.min.time())
                + timedelta(hours=rng.randint(1, 72)),
            )
            confirmed = rng.random() < 0.55
            candidates = by_platform.get(platform.id)
            note = run.text.free_sentence(run.text.language()) if rng.random() < 0.3 else ""
            markers = rng.sample(member_ids, rng.randint(0, 2))
            rows.append(
                {
                    "id": index + 1,
                    "author_id": author,
                    "platform_id": platform.id,
                    "requester_id": rng.choice(candidates)
                    if candidates and rng.random() < 0.4
                    else None,
                    "amount_minor": _amount_minor(rng, method, currency),
                    "currency": currency,
                    "received_on": received,
                    "payout_method": method,
                    "note": note,
                    "note_html": plain_html(note),
                    **_store_picture(folder, picture),
                    "is_confirmed": confirmed,
                    "confirmed_at": created + timedelta(hours=rng.randint(1, 96))
                    if confirmed
                    else None,
                    "confirmed_by_id": rng.choice(confirmers) if confirmed else None,
                    "genuine_marks": sum(1 for m in markers if m != author),
                    "edited_marks": 0,
                    "submission_key": secrets.token_hex(16),
                    "visibility": "visible",
                    "created_at": created,
                    "updated_at": created,
                }
            )
            marks += [
                {
                    "proof_id": index + 1,
                    "user_id": marker,
                    "verdict": MarkVerdict.GENUINE,
                    "created_at": created,
                    "updated_at": created,
                }
                for marker in dict.fromkeys(markers)
                if marker != author
            ]
            per_author[author] += 1
    _insert(Proof, rows)
    _insert(ProofMark, marks)
    return per_author


def _flags(run: Run, count: int, member_ids, platforms, requesters) -> Counter:
    rng = run.rng
    categories = list(FlagCategory)
    deciders = member_ids[BENCH_USERS : BENCH_USERS + MODERATORS]
    requester_cumulative = _zipf_cumulative(len(requesters), REQUESTER_ZIPF)
    rows, decisions, seen, per_author = [], [], [], Counter()
    for index in range(count):
        author = rng.choice(member_ids)
        if rng.random() < 0.7:
            requester = requesters[
                bisect.bisect(requester_cumulative, rng.random() * requester_cumulative[-1])
            ]
            platform_id, requester_id = requester["platform_id"], requester["id"]
        else:
            platform_id, requester_id = rng.choice(platforms).id, None
        category = rng.choice(categories)
        description = run.text.paragraph(run.text.language())
        created = _moment(run)
        roll = rng.random()
        status = (
            FlagStatus.CONFIRMED
            if roll < 0.35
            else FlagStatus.DISMISSED
            if roll < 0.45
            else FlagStatus.OPEN
        )
        decided = (
            created + timedelta(hours=rng.randint(1, 200)) if status != FlagStatus.OPEN else None
        )
        decider = rng.choice(deciders) if decided else None
        reason = "Checked with the screenshots the members posted." if decided else None
        rows.append(
            {
                "id": index + 1,
                "author_id": author,
                "platform_id": platform_id,
                "requester_id": requester_id,
                "task_title": rng.choice(TASKS),
                "category": category,
                "description": description,
                "description_html": plain_html(description),
                "excerpt": _excerpt(description),
                "seen_on": (created - timedelta(days=rng.randint(0, 5))).date(),
                "disturbing": flags.shows_folded(category, rng.random() < 0.5),
                "status": status,
                "decided_by_id": decider,
                "decided_at": decided,
                "decision_reason": reason,
                "seen_too_count": 0,
                "submission_key": secrets.token_hex(16),
                "visibility": "visible",
                "created_at": created,
                "updated_at": created,
            }
        )
        if decided:
            action = "confirm" if status == FlagStatus.CONFIRMED else "dismiss"
            decisions.append(
                {
                    "flag_id": index + 1,
                    "actor_id": decider,
                    "action": action,
                    "reason": reason,
                    "created_at": decided,
                }
            )
        witnesses = {m for m in rng.sample(member_ids, rng.randint(0, 3)) if m != author}
        rows[-1]["seen_too_count"] = len(witnesses)
        seen += [
            {"flag_id": index + 1, "user_id": m, "created_at": created + timedelta(hours=2)}
            for m in witnesses
        ]
        per_author[author] += 1
    _insert(Flag, rows)
    _insert(FlagDecision, decisions)
    _insert(FlagSeenToo, seen)
    _analyze()
    flags.recount_all_warnings()
    return per_author


def _contributions(member_ids, *counters: Counter) -> None:
    """Each member's contribution count (their trust level reads it); the bench members are
    trusted, as a long-standing member is."""
    total = Counter()
    for counter in counters:
        total.update(counter)
    rows = [
        {"user_id": user_id, "count": total[user_id] + (25 if user_id <= BENCH_USERS else 0)}
        for user_id in member_ids
    ]
    table = User.__table__
    statement = (
        update(table)
        .where(table.c.id == db.bindparam("user_id"))
        .values(contribution_count=db.bindparam("count"))
    )
    for start in range(0, len(rows), INSERT_CHUNK):
        db.session.connection().execute(statement, rows[start : start + INSERT_CHUNK])


# Figures and index, by the site's own code


def _refresh_figures(run: Run) -> None:
    """Every platform's and requester's figures, as refresh-stats recounts them."""
    total = db.session.scalar(select(func.count()).select_from(Platform)) + db.session.scalar(
        select(func.count()).select_from(Requester)
    )
    with click.progressbar(length=total, label="Stored figures") as bar:
        aggregates.refresh_all(run.now, progress=bar.update)


def _analyze() -> None:
    """PostgreSQL plans from statistics, which a bulk load leaves at zero rows until autovacuum
    comes by (a recount of warnings then took a plan for an empty table, for hours)."""
    if db.engine.dialect.name == "postgresql":
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def _reset_sequences() -> None:
    """Rows were inserted with their ids: PostgreSQL's sequences must start after them."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key:
            highest = select(func.coalesce(func.max(table.c.id), 0)).scalar_subquery()
            sequence = func.pg_get_serial_sequence(table.name, "id")
            db.session.execute(select(func.setval(sequence, highest + 1, False)))
    db.session.commit()


def _checkpoint() -> None:
    """Fold the write-ahead log into the database file, outside any transaction."""
    if db.engine.dialect.name != "sqlite":
        return
    connection = db.engine.raw_connection()
    try:
        connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _index(run: Run) -> int:
    with click.progressbar(length=search.document_count(), label="Search index") as bar:
        return search.rebuild(progress=bar.update)


# What scripts/bench/run needs


STOP = {"the", "and", "was", "for", "les", "des", "est", "une", "pour", "that", "with", "they"}


def _queries(run: Run) -> dict[str, list[str]]:
    words = [
        (word.strip(".,!?:;"), n)
        for word, n in run.words.most_common()
        if word.strip(".,!?:;").isalpha()
    ]
    ranked = list(dict.fromkeys(w for w, _ in words if len(w) > 3 and w not in STOP))
    common = ranked[:20]
    middle = ranked[200:2000:90]
    rare_pool = set(run.text.rare)
    rare = [w for w, n in words if 2 <= n <= 8 and w in rare_pool][:20]
    return {
        "one word": common,
        "two words": [f"{common[i % len(common)]} {middle[i % len(middle)]}" for i in range(20)],
        "phrase": [f'"{phrase}"' for phrase in PHRASES],
        "rare word": rare,
    }


def _landmarks(run: Run, platforms: list[Platform], big_thread: int) -> dict:
    biggest = db.session.scalar(
        select(Requester).order_by(Requester.reviewer_count.desc()).limit(1)
    )
    counts = list(
        db.session.scalars(
            select(Requester.reviewer_count)
            .where(Requester.reviewer_count > 0)
            .order_by(Requester.reviewer_count)
        )
    )
    median = counts[len(counts) // 2]
    typical = db.session.scalar(
        select(Requester)
        .where(Requester.reviewer_count == median)
        .order_by(Requester.id)
        .limit(1)
        .offset(len(counts) // 20)
    ) or db.session.scalar(select(Requester).where(Requester.reviewer_count == median).limit(1))
    mturk = platforms[0]
    identifiers = list(
        db.session.scalars(
            select(Requester.external_id)
            .where(Requester.platform_id == mturk.id, Requester.external_id.is_not(None))
            .order_by(Requester.id)
            .limit(5000)
        )
    )
    batches = []
    for _ in range(20):
        known = run.rng.sample(identifiers, min(90, len(identifiers)))
        batches.append(known + [_mturk_id(run.rng) for _ in range(100 - len(known))])
    thread = db.session.get(Thread, big_thread)
    return {
        "platform": mturk.slug,
        "biggest_requester": {"id": biggest.id, "reviewers": biggest.reviewer_count},
        "typical_requester": {"id": typical.id, "reviewers": typical.reviewer_count},
        "median_reviewers": median,
        "big_thread": {"id": thread.id, "posts": thread.post_count},
        "batches": [",".join(batch) for batch in batches],
    }


def generate(options: Options) -> None:
    started = time.perf_counter()
    _prepare_folder(options)
    url = _prepare_database(options)
    # On PostgreSQL the site runs as it would at scale: with the PostgreSQL search backend.
    backend = "postgres" if options.database_url else "whoosh"
    app = create_app(
        {
            "INSTANCE_PATH": str(options.instance),
            "SQLALCHEMY_DATABASE_URI": url,
            "SEARCH_BACKEND": backend,
        }
    )
    scale = options.scale
    counts = {name: scaled(count, scale) for name, count in COUNTS.items()}
    counts["big_thread_posts"] = scaled(COUNTS["big_thread_posts"], scale, minimum=60)
    if options.posts:
        counts["posts"] = options.posts
    counts["posts"] = max(counts["posts"], counts["big_thread_posts"] + counts["threads"])
    rng = random.Random(options.seed)  # nosec B311 # reproducible data, no secret
    with app.app_context(), write_transaction():
        _bulk_load_pragmas(db.engine)
        run = Run(rng=rng, now=utcnow(), text=TextMaker(rng))
        with stage(run, "schema"):
            flask_migrate.upgrade()
        with stage(run, "members and catalog"):
            member_ids = _members(run, counts["members"])
            platforms = _platforms(PLATFORMS)
            requesters = _requesters(run, platforms, counts["requesters"])
            db.session.commit()
        countries = dict(db.session.execute(select(User.id, User.country)).all())
        with stage(run, "reviews"):
            reviews = _reviews(run, counts["reviews"], member_ids, countries, platforms, requesters)
            db.session.commit()
        with stage(run, "forum"), indexes_built_after(Thread, Post, Subscription):
            posts, big_thread = _forum(
                run,
                counts["threads"],
                counts["posts"],
                counts["big_thread_posts"],
                member_ids,
                platforms,
                requesters,
            )
        db.session.commit()
        with stage(run, "proofs"):
            proofs = _proofs(run, counts["proofs"], member_ids, platforms, requesters)
            db.session.commit()
        with stage(run, "flags"):
            flag_authors = _flags(run, counts["flags"], member_ids, platforms, requesters)
            _contributions(member_ids, reviews, posts, proofs, flag_authors)
            db.session.commit()
            _reset_sequences()
        with stage(run, "stored figures"):
            _refresh_figures(run)
        with stage(run, "search index"):
            indexed = _index(run)
        _analyze()
        db.session.commit()
        _checkpoint()
        manifest = {
            "database_url": url,
            "search_backend": backend,
            "scale": scale,
            "seed": options.seed,
            "generated_at": run.now.isoformat(timespec="seconds"),
            "counts": {
                **counts,
                "platforms": len(platforms),
                "documents_indexed": indexed,
                "requesters_with_reviews": db.session.scalar(
                    select(func.count()).select_from(Requester).where(Requester.reviewer_count > 0)
                ),
            },
            "password": BENCH_PASSWORD,
            "bench_users": [f"bench_{index:03d}" for index in range(BENCH_USERS)],
            "queries": _queries(run),
            **_landmarks(run, platforms, big_thread),
            "timings_seconds": {**run.timings, "total": round(time.perf_counter() - started, 1)},
        }
        write_manifest(options.instance, manifest)
    total = manifest["timings_seconds"]["total"]
    click.echo(f"Bench instance ready in {options.instance} ({total:.0f} s).")
    biggest = manifest["biggest_requester"]["reviewers"]
    typical = manifest["typical_requester"]["reviewers"]
    click.echo(f"Biggest requester: {biggest} reviewers; typical: {typical}.")
    click.echo(f"Every member's password is {BENCH_PASSWORD} (one precomputed hash for all).")
