"""The schema comes from Alembic migrations alone, and matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from community.extensions import db


def test_migrations_from_empty_build_exactly_the_models_schema(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_reach_the_latest_revision(app):
    tables = set(inspect(db.engine).get_table_names())
    assert "alembic_version" in tables
    assert {"users", "platforms", "requesters", "reviews"} <= tables


def test_the_app_never_creates_tables_itself():
    from pathlib import Path

    source = "\n".join(p.read_text() for p in Path("community").rglob("*.py"))
    assert "create_all(" not in source
