"""One app per test session, migrated with Alembic from empty; every test starts clean."""

import atexit
import contextlib
import contextvars
import io
import itertools
import os
import re
import uuid
from datetime import date, timedelta

import flask_migrate
import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, delete, event, make_url

from community import create_app
from community.accounts import service as accounts
from community.accounts.models import Role
from community.catalog.models import Platform, Requester, normalise_name
from community.core.database import utcnow
from community.core.pagecache import ensure_content_version
from community.extensions import db, limiter
from community.flags import service as flags
from community.forum import service as forum
from community.proofs import service as proofs
from community.reviews import service as reviews
from community.search import service as search
from tests.imagefiles import png_bytes

PASSWORD = "correct horse battery"
# On PostgreSQL the whole suite searches with the PostgreSQL backend too (the scale path, end to
# end); tests/search runs its behaviour tests against each backend the database allows.
ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
# Rate limits are counted in memory unless a test asks for Redis (tests/core/test_redis_limits.py);
# every key of this run carries its own prefix, so a reset never touches another run's keys.
RATE_LIMIT_PREFIX = f"taskopticon-test-{uuid.uuid4().hex[:12]}"
TEST_CONFIG = {
    "TESTING": True,
    "SEARCH_BACKEND": "postgres" if ON_POSTGRES else "whoosh",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_KEY_PREFIX": RATE_LIMIT_PREFIX,
    "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": RATE_LIMIT_PREFIX},
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_KIB": 64,
    "SEARCH_DRAIN_DELAY_SECONDS": 0,  # each test reads the index right after its writes
}
_names = itertools.count(1)


class FreshContextClient(FlaskClient):
    """Each request runs as in production: its own app context (its own `g` and database session),
    popped before the answer is closed, and the answer read and closed like a server does."""

    def open(self, *args, **kwargs):
        db.session.commit()  # the test's own transaction ends, as another process's would
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


def fresh_database_url(instance) -> str:
    """SQLite in the instance folder, or a new PostgreSQL database when TEST_DATABASE_URL is set
    (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test): the suite runs on either."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        return f"sqlite:///{instance / 'test.db'}"
    name = f"taskopticon_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    atexit.register(_drop_database, server, name)
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _drop_database(server: str, name: str) -> None:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def build_app(tmp_path_factory, **overrides):
    instance = tmp_path_factory.mktemp("instance")
    config = {
        **TEST_CONFIG,
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": fresh_database_url(instance),
        **overrides,
    }
    app = create_app(config)
    app.test_client_class = FreshContextClient
    with app.app_context():
        flask_migrate.upgrade()
    return app


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    return build_app(tmp_path_factory)


@pytest.fixture(autouse=True)
def clean_database(app):
    with app.app_context():
        forum.ensure_general_categories()  # reference rows the migration seeds
        ensure_content_version()
        yield
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
        db.session.remove()
        limiter.reset()
        search.backend().reset()
        app.extensions.pop("page_cache", None)  # the version starts again with the database


# Every behaviour test of tests/search runs against each search backend: Whoosh everywhere,
# PostgreSQL when the suite runs on PostgreSQL (its index lives in the database). A test about one
# engine's own storage asks for that engine:
# `@pytest.mark.parametrize("search_backend", ["whoosh"], indirect=True)`.
SEARCH_BACKENDS = ("whoosh", "postgres")


@pytest.fixture(params=SEARCH_BACKENDS)
def search_backend(request, app):
    """The app searches with this backend for the test, from an empty index."""
    if request.param == "postgres" and not ON_POSTGRES:
        pytest.skip("the PostgreSQL search backend needs the suite on PostgreSQL")
    configured = app.config["SEARCH_BACKEND"]
    app.config["SEARCH_BACKEND"] = request.param
    search.backend().reset()
    try:
        yield request.param
    finally:
        db.session.rollback()
        search.backend().reset()
        app.config["SEARCH_BACKEND"] = configured


@pytest.fixture
def client(app):
    return app.test_client()


# Factories


def make_user(
    trust: int = 1,
    role: Role = Role.MEMBER,
    username: str | None = None,
    password: str = PASSWORD,
    country: str | None = None,
):
    user = accounts.register(
        accounts.Registration(username or f"member{next(_names)}", password), role=role
    )
    age_days, contributions = {0: (0, 0), 1: (10, 5), 2: (60, 40)}[trust]
    user.created_at = utcnow() - timedelta(days=age_days)
    user.contribution_count = contributions
    user.country = country
    db.session.commit()
    return user


def make_platform(name: str | None = None, slug: str | None = None) -> Platform:
    name = name or f"Test Platform {next(_names)}"
    platform = Platform(
        slug=slug or normalise_name(name).replace(" ", "-"),
        name=name,
        name_key=normalise_name(name),
    )
    db.session.add(platform)
    db.session.flush()
    search.enqueue("platform", platform.id)
    db.session.commit()
    return platform


def make_requester(
    platform: Platform | None = None,
    external_id: str | None = "A1B2C3D4E5F6G7",
    name: str = "Acme Research",
) -> Requester:
    platform = platform or make_platform()
    requester = Requester(
        platform_id=platform.id,
        external_id=external_id,
        display_name=name,
        name_key=normalise_name(name),
    )
    db.session.add(requester)
    db.session.flush()
    search.enqueue("requester", requester.id)
    db.session.commit()
    return requester


REVIEW_TEXT = "Clear instructions, paid within two days, no unfair rejection at all."


def review_data(**fields) -> reviews.ReviewData:
    values = {
        "score_pay": 4,
        "score_fairness": 4,
        "score_communication": 4,
        "body": REVIEW_TEXT,
        **fields,
    }
    return reviews.ReviewData(**values)


def make_review(author=None, target=None, **fields):
    author = author or make_user()
    target = target or make_requester()
    return reviews.submit_review(
        author, target, review_data(**fields), submission_key=f"k{next(_names)}"
    )


def proof_data(platform: Platform, requester: Requester | None = None, **fields):
    values = {
        "platform_id": platform.id,
        "amount_minor": 1250,
        "currency": "USD",
        "received_on": utcnow().date(),
        "payout_method": "paypal",
        "requester_external_id": requester.external_id if requester else None,
        "requester_name": requester.display_name if requester else None,
        **fields,
    }
    return proofs.ProofData(**values)


def make_proof(
    author=None,
    platform: Platform | None = None,
    requester: Requester | None = None,
    confirmed: bool = False,
    received_on: date | None = None,
    image: bytes | None = None,
    **fields,
):
    """A proof posted through the real service (screenshot pipeline included).

    `confirmed=True` marks it confirmed directly, as a trusted member would."""
    author = author or make_user(trust=2)
    platform = platform or (requester.platform if requester else make_platform())
    if received_on is not None:
        fields["received_on"] = received_on
    proof = proofs.submit_proof(
        author,
        proof_data(platform, requester, **fields),
        io.BytesIO(image or png_bytes()),
        submission_key=f"p{next(_names)}",
    )
    if confirmed:
        proof.is_confirmed = True
        proof.confirmed_at = utcnow()
        db.session.commit()
    return proof


FLAG_TEXT = "The task asks to sort job applicants by the likely origin of their names."


def flag_data(platform: Platform, requester: Requester | None = None, **fields):
    values = {
        "platform_id": platform.id,
        "task_title": "Name origin sorting",
        "category": "discriminatory",
        "description": FLAG_TEXT,
        "seen_on": utcnow().date(),
        "disturbing": False,
        "requester_external_id": requester.external_id if requester else None,
        "requester_name": requester.display_name if requester else None,
        **fields,
    }
    return flags.FlagData(**values)


def make_flag(
    author=None,
    platform: Platform | None = None,
    requester: Requester | None = None,
    confirmed: bool = False,
    decider=None,
    **fields,
):
    """A flag posted through the real service; `confirmed=True` has a trusted member (or
    `decider`) confirm it through the service too, so the warning counts follow."""
    author = author or make_user()
    platform = platform or (requester.platform if requester else make_platform())
    flag = flags.submit_flag(
        author, flag_data(platform, requester, **fields), submission_key=f"f{next(_names)}"
    )
    if confirmed:
        flags.confirm_flag(
            decider or make_user(trust=2), flag, "Checked: the description is right."
        )
    return flag


@contextlib.contextmanager
def recorded_statements():
    """The SQL statements sent meanwhile, in order."""
    statements: list[str] = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)


def first_index(statements: list[str], fragment: str) -> int:
    return next(n for n, statement in enumerate(statements) if fragment in statement)


def login(client, username: str, password: str = PASSWORD, remember: bool = False):
    data = {"username": username, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


CSRF_FIELD = re.compile(r'(name="csrf_token" (?:type="hidden" )?value=)"([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF token in the page"
    return match.group(2)


def without_csrf_tokens(html: str) -> str:
    """A member's CSRF token carries the second it was made: two pages may differ by it alone."""
    return CSRF_FIELD.sub(r'\1""', html)


def make_thread(
    author=None,
    title: str = "How long until the first payout?",
    body: str = "Asking for a friend.",
    category: str = "newcomers",
    platform=None,
    requester=None,
):
    author = author or make_user()
    category_row = (
        None if platform is not None and category is None else forum.get_category_or_404(category)
    )
    data = forum.ThreadData(
        title, body, platform.id if platform else None, requester.id if requester else None
    )
    return forum.start_thread(author, category_row, data)
