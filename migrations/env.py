"""Alembic environment: the app's engine and every model's metadata (batch mode for SQLite)."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

import community.models  # noqa: F401 - registers every table on the metadata
from community.search.postgres_backend import include_name

config = context.config
if config.config_file_name and not config.attributes.get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate_extension = current_app.extensions["migrate"]
metadata = migrate_extension.db.metadata


def skip_empty_autogenerate(context_, revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_online() -> None:
    options = dict(migrate_extension.configure_args)
    options.setdefault("process_revision_directives", skip_empty_autogenerate)
    options["render_as_batch"] = True
    options["include_name"] = include_name  # the PostgreSQL search tables are no model
    with migrate_extension.db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, **options)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported: run `flask --app wsgi db upgrade`.")
run_migrations_online()
