"""The schema comes from Alembic migrations alone, and matches the models."""

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from community.extensions import db
from community.search.postgres_backend import include_name
from tests.conftest import build_app


def test_migrations_from_empty_build_exactly_the_models_schema(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"render_as_batch": True, "include_name": include_name}
        )
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


def test_every_foreign_key_column_is_indexed(app):
    """Deleting a row checks every table that points at it: without an index, one scan per row."""
    missing = []
    for table in db.metadata.sorted_tables:
        leading = {next(iter(index.columns)).name for index in table.indexes}
        leading |= {
            next(iter(c.columns)).name
            for c in table.constraints
            if hasattr(c, "columns")
            and c.columns
            and c.__class__.__name__ in ("UniqueConstraint", "PrimaryKeyConstraint")
        }
        missing += [
            f"{table.name}.{fk.parent.name}"
            for fk in table.foreign_keys
            if fk.parent.name not in leading
        ]
    assert missing == []


SEARCH_TABLES = {"search_documents", "search_words"}


def test_the_postgresql_search_tables_exist_on_postgresql_only(app):
    tables = set(inspect(db.engine).get_table_names())
    if db.engine.dialect.name == "postgresql":
        assert tables >= SEARCH_TABLES
    else:
        assert not SEARCH_TABLES & tables


def test_the_postgresql_search_migration_goes_down_and_up_again(tmp_path_factory):
    fresh = build_app(tmp_path_factory)
    with fresh.app_context():
        flask_migrate.downgrade(revision="0005")
        assert not SEARCH_TABLES & set(inspect(db.engine).get_table_names())
        flask_migrate.upgrade()
        expected = SEARCH_TABLES if db.engine.dialect.name == "postgresql" else set()
        assert SEARCH_TABLES & set(inspect(db.engine).get_table_names()) == expected
