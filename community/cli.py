"""Operations commands: flask --app wsgi <command>."""

import contextlib
import getpass
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from community.accounts import service as accounts
from community.accounts.models import Role, User
from community.catalog import service as catalog
from community.catalog.models import Platform, Requester
from community.core import backup as backups
from community.core.database import utcnow, write_transaction
from community.core.errors import DomainError
from community.demo import load_demo_data
from community.extensions import db
from community.moderation import elections
from community.moderation import rules as community_rules
from community.reviews import aggregates
from community.search import service as search


def register_commands(app: Flask) -> None:
    @app.cli.command("create-admin")
    @click.argument("username")
    @click.option("--password", envvar="ADMIN_PASSWORD", help="Asked for when not given.")
    def create_admin(username: str, password: str | None):
        """Create an admin account, or make an existing member an admin."""
        if accounts.find_by_username(username) is None:
            password = password or getpass.getpass("Password: ")
        with write_transaction():
            user = accounts.find_by_username(username)
            if user is None:
                user = accounts.register(accounts.Registration(username, password), role=Role.ADMIN)
                click.echo(f"Admin {user.username} created.")
            else:
                accounts.set_role(user, Role.ADMIN)
                click.echo(f"{user.username} is now an admin.")

    @app.cli.command("load-platforms")
    def load_platforms():
        """Insert or refresh the shipped starter list of platforms."""
        with write_transaction():
            added = catalog.load_starter_platforms()
        search.drain()
        click.echo(f"{added} platforms added; the starter list is up to date.")

    @app.cli.command("demo-data")
    @click.option("--seed", default=2026, show_default=True)
    @click.option("--scale", default=1.0, show_default=True, help="Multiplies every count.")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database has members.")
    def demo_data(seed: int, scale: float, if_empty: bool):
        """Load believable demo data (reproducible from the seed), then build the search index."""
        if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
            click.echo("The database already has members: no demo data loaded.")
            return
        with write_transaction():
            load_demo_data(seed, scale)

    @app.cli.command("refresh-stats")
    def refresh_stats():
        """Recompute every stored review figure (run daily: the last-90-days figures age)."""
        count = db.session.scalar(select(func.count()).select_from(Platform)) + db.session.scalar(
            select(func.count()).select_from(Requester)
        )
        with click.progressbar(length=count, label="Refreshing figures") as bar:
            aggregates.refresh_all(progress=bar.update)

    @app.cli.group("search")
    def search_group():
        """The search index."""

    @search_group.command("rebuild")
    def rebuild():
        """Rebuild the whole index from the database, with a progress bar."""
        with click.progressbar(length=search.document_count(), label="Indexing") as bar:
            indexed = search.rebuild(progress=bar.update)
        click.echo(f"{indexed} documents indexed.")

    @search_group.command("drain")
    def drain():
        """Apply the index changes waiting in the outbox (normally done after each write)."""
        waiting = search.pending()
        if search.drain():
            click.echo(f"{waiting} waiting changes applied.")
        else:
            click.echo("Another process is updating the index; it applies the waiting changes.")

    @app.cli.group("moderators")
    def moderators_group():
        """Moderators: appoint, remove, end expired terms (every act enters the public log)."""

    def _admin(username: str | None):
        if not username:
            return None
        admin = accounts.find_by_username(username)
        if admin is None or not admin.is_admin:
            raise click.ClickException(f"{username} is not an administrator.")
        return admin

    def _member(username: str):
        member = accounts.find_by_username(username)
        if member is None:
            raise click.ClickException(f"No member is called {username}.")
        return member

    @moderators_group.command("appoint")
    @click.argument("username")
    @click.option("--reason", required=True, help="Published in the moderation log.")
    @click.option("--days", type=int, default=None, help="Length of the term (none: no end).")
    @click.option("--by", "by", default=None, help="The administrator who appoints (logged).")
    def appoint(username: str, reason: str, days: int | None, by: str | None):
        """Make a member a moderator."""
        with write_transaction():
            try:
                elections.appoint(_admin(by), _member(username), reason, days)
            except DomainError as error:
                raise click.ClickException(error.message) from error
        click.echo(f"{username} is now a moderator.")

    @moderators_group.command("remove")
    @click.argument("username")
    @click.option("--reason", required=True, help="Published in the moderation log.")
    @click.option("--by", "by", default=None, help="The administrator who removes (logged).")
    def remove(username: str, reason: str, by: str | None):
        """Make a moderator a member again."""
        with write_transaction():
            try:
                elections.remove(_admin(by), _member(username), reason)
            except DomainError as error:
                raise click.ClickException(error.message) from error
        click.echo(f"{username} is no longer a moderator.")

    @moderators_group.command("expire")
    def expire():
        """End the terms whose end date passed (run daily)."""
        with write_transaction():
            ended = elections.expire_terms()
        click.echo(f"{ended} terms ended.")

    @app.cli.group("rules")
    def rules_group():
        """The community rules, versioned."""

    @rules_group.command("publish")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--note", required=True, help="What changed, shown with the new version.")
    def publish(path: str, note: str):
        """Publish a new version from a JSON file: [{"title": {"en", "fr"}, "text": {...}}]."""
        with write_transaction():
            try:
                version = community_rules.publish_file(path, note)
            except DomainError as error:
                raise click.ClickException(error.message) from error
            db.session.commit()
        click.echo(f"Version {version.version} of the rules is in force.")

    @app.cli.command("backup")
    @click.argument("destination", required=False, type=click.Path(path_type=Path))
    def backup(destination: Path | None):
        """Archive the database and the uploads while the site runs (DESTINATION: a file, or a
        folder for a dated archive; default instance/backups/)."""
        config = current_app.config
        try:
            database = backups.sqlite_path(config["SQLALCHEMY_DATABASE_URI"])
        except backups.BackupError as error:
            raise click.ClickException(str(error)) from error
        name = f"taskopticon-{utcnow():%Y%m%d-%H%M%S}.tar.gz"
        if destination is None:
            destination = Path(current_app.instance_path) / "backups" / name
        elif destination.is_dir():
            destination = destination / name
        try:
            with contextlib.closing(StagedProgress()) as progress:
                archived = backups.create_archive(
                    database, Path(config["UPLOAD_DIR"]), destination, progress
                )
        except backups.BackupError as error:
            raise click.ClickException(str(error)) from error
        rows = sum(archived.tables.values())
        click.echo(
            f"Backup written to {archived.path} ({archived.size_bytes / 1e6:.1f} MB): "
            f"{len(archived.tables)} tables, {rows} rows, {archived.uploads} uploads, "
            "with their checksums in manifest.json. It holds members' data: keep it private."
        )

    @app.cli.command("restore")
    @click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Replace a database that already holds data.")
    def restore(archive: Path, force: bool):
        """Restore a backup archive into this instance (stop the site first), then rebuild the
        search index."""
        config = current_app.config
        try:
            database = backups.sqlite_path(config["SQLALCHEMY_DATABASE_URI"])
            db.engine.dispose()  # no connection of this process keeps the old file open
            with contextlib.closing(StagedProgress()) as progress:
                restored = backups.restore_archive(
                    archive, database, Path(config["UPLOAD_DIR"]), force, progress
                )
        except backups.BackupError as error:
            raise click.ClickException(str(error)) from error
        db.engine.dispose()
        click.echo(
            f"Restored {sum(restored.tables.values())} rows in {len(restored.tables)} tables "
            f"and {restored.uploads} uploads (checksums verified, integrity check ok)."
        )
        head = migration_head()
        if restored.revision != head:
            click.echo(
                f"The backup's schema is at revision {restored.revision}, this code's at {head}: "
                "run `flask --app wsgi db upgrade`, then `flask --app wsgi search rebuild`."
            )
            return
        with click.progressbar(length=search.document_count(), label="Indexing") as bar:
            indexed = search.rebuild(progress=bar.update)
        click.echo(f"{indexed} documents indexed. The instance is ready.")


class StagedProgress:
    """One progress bar per stage of a long command, each finished before the next begins."""

    def __init__(self):
        self.stage, self.bar = None, None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.bar = stage, click.progressbar(length=total, label=stage)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def migration_head() -> str | None:
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate

    migrate: Migrate = current_app.extensions["migrate"]
    return ScriptDirectory.from_config(migrate.migrate.get_config()).get_current_head()
