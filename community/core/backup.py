"""Backup and restore of the embedded instance: the SQLite database and the uploaded screenshots.

One archive (tar.gz) holds `database.sqlite3`, `uploads/<name>` and `manifest.json` (the
SHA-256 and size of every file, the schema revision and each table's row count). The database is
copied with SQLite's online backup API inside one read transaction: a consistent snapshot while
the site keeps writing (in WAL mode readers never block writers). The uploads are copied after
the snapshot, so every screenshot it names is there (a proof withdrawn in between is the one
exception: its file is gone). PostgreSQL deployments use pg_dump and pg_restore instead.
"""

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url

from community.core.database import SQLITE_BUSY_TIMEOUT_MS, utcnow
from community.core.images import NAME_PATTERN

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.sqlite3"
UPLOADS = "uploads/"
PAGES_PER_STEP = 256
# Rows the migrations themselves insert: a database holding only these counts as empty.
REFERENCE_TABLES = frozenset({"alembic_version", "forum_categories"})

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class BackupError(Exception):
    """Why a backup or restore cannot go on, written for the operator."""


@dataclass(frozen=True)
class Archived:
    path: Path
    size_bytes: int
    tables: dict[str, int]
    uploads: int


def sqlite_path(database_url: str) -> Path:
    """The database file, or BackupError naming the tool to use for another database."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        raise BackupError(
            "The database is PostgreSQL: back it up with pg_dump (for example "
            "`pg_dump --format=custom --file=taskopticon.dump DBNAME`), restore it with "
            "pg_restore, and copy the uploads folder beside it."
        )
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            f"Backup and restore handle an SQLite file, not {url.get_backend_name()}."
        )
    return Path(url.database)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    return connection


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_rows(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    # The names come from the database's own catalogue (sqlite_master), never from input.
    count = 'SELECT count(*) FROM "{}"'  # nosec B608 # a table name from sqlite_master
    return {name: connection.execute(count.format(name)).fetchone()[0] for name in names}


def _revision(connection: sqlite3.Connection) -> str | None:
    with contextlib.suppress(sqlite3.Error):
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    return None


def snapshot_database(source: Path, target: Path, progress: Progress | None = None) -> None:
    """Copy the live database at `source` into a new file, page by page, as it was when the copy
    began: the read transaction held throughout keeps one snapshot (writers go on meanwhile)."""
    if not source.exists():
        raise BackupError(f"There is no database at {source}.")
    connection, copy = _connect(source), sqlite3.connect(target)
    try:
        connection.execute("BEGIN")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot
        connection.backup(
            copy,
            pages=PAGES_PER_STEP,
            progress=(lambda _status, left, total: progress("Database pages", total - left, total))
            if progress
            else None,
        )
        connection.execute("COMMIT")
    finally:
        copy.close()
        connection.close()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    archive.addfile(info, io.BytesIO(data))


def stored_uploads(upload_dir: Path) -> list[Path]:
    """The screenshots in the uploads folder (files the image pipeline named, nothing else)."""
    if not upload_dir.is_dir():
        return []
    return sorted(path for path in upload_dir.iterdir() if NAME_PATTERN.match(path.name))


def create_archive(
    database: Path,
    upload_dir: Path,
    destination: Path,
    progress: Progress | None = None,
) -> Archived:
    """Write the archive to `destination` (under a temporary name until it is complete)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".backup-") as work:
        copy = Path(work) / DATABASE
        snapshot_database(database, copy, progress)
        with contextlib.closing(sqlite3.connect(copy)) as connection:
            tables, revision = table_rows(connection), _revision(connection)
        manifest = {
            "format": ARCHIVE_FORMAT,
            "created_at": utcnow().isoformat(timespec="seconds") + "Z",
            "database": {
                "file": DATABASE,
                "sha256": _sha256(copy),
                "bytes": copy.stat().st_size,
                "revision": revision,
                "tables": tables,
            },
            "uploads": [],
        }
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # members' data
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(copy, arcname=DATABASE)
            uploads = stored_uploads(upload_dir)
            for done, path in enumerate(uploads, 1):
                try:
                    data = path.read_bytes()
                except FileNotFoundError:  # withdrawn since the snapshot
                    continue
                _add_bytes(archive, UPLOADS + path.name, data)
                manifest["uploads"].append(
                    {
                        "file": path.name,
                        "sha256": hashlib.sha256(data).hexdigest(),
                        "bytes": len(data),
                    }
                )
                if progress:
                    progress("Uploads", done, len(uploads))
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
        os.replace(partial, destination)
    return Archived(destination, destination.stat().st_size, tables, len(manifest["uploads"]))


# Restore


@dataclass(frozen=True)
class Restored:
    tables: dict[str, int]
    uploads: int
    revision: str | None


def _holdings(database: Path) -> dict[str, int]:
    """Rows of every table that a fresh, migrated database would not hold."""
    if not database.exists() or database.stat().st_size == 0:
        return {}
    with contextlib.closing(_connect(database)) as connection:
        return {
            name: rows
            for name, rows in table_rows(connection).items()
            if rows and name not in REFERENCE_TABLES
        }


def _extract_verified(archive_path: Path, work: Path, progress: Progress | None) -> dict:
    """Extract the archive into `work`, checking each file against the manifest."""
    try:
        archive = tarfile.open(archive_path, mode="r:*")  # noqa: SIM115 - closed below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            f"{archive_path} is not a Taskopticon backup archive ({error})."
        ) from error
    with archive:
        try:
            manifest = json.loads(archive.extractfile(MANIFEST).read())
        except (KeyError, AttributeError, ValueError) as error:
            raise BackupError(f"{archive_path} has no readable {MANIFEST}.") from error
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
        expected = {DATABASE: manifest["database"]} | {
            UPLOADS + entry["file"]: entry for entry in manifest["uploads"]
        }
        seen: set[str] = set()
        (work / UPLOADS).mkdir()
        for member in archive:
            if member.name == MANIFEST:
                continue
            entry = expected.get(member.name)
            name_ok = member.name == DATABASE or NAME_PATTERN.match(
                member.name.removeprefix(UPLOADS)
            )
            if entry is None or not member.isfile() or not name_ok:
                raise BackupError(f"The archive holds {member.name!r}, which its manifest lacks.")
            target = work / member.name
            digest, size = hashlib.sha256(), 0
            with archive.extractfile(member) as source, target.open("wb") as output:
                for block in iter(lambda s=source: s.read(1 << 20), b""):
                    digest.update(block)
                    size += len(block)
                    output.write(block)
            if digest.hexdigest() != entry["sha256"] or size != entry["bytes"]:
                raise BackupError(
                    f"{member.name} does not match its checksum: the archive is damaged."
                )
            seen.add(member.name)
            if progress:
                progress("Checking files", len(seen), len(expected))
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(
                f"The archive lacks {len(missing)} files of its manifest: {missing[0]}, ..."
            )
    return manifest


def restore_archive(
    archive_path: Path,
    database: Path,
    upload_dir: Path,
    force: bool = False,
    progress: Progress | None = None,
) -> Restored:
    """Verify the archive, then replace the database and the uploads with its content.

    Refuses a database or uploads folder that already holds something, unless `force`. The
    site must be stopped meanwhile."""
    if not force:
        held = _holdings(database)
        if held:
            listed = ", ".join(f"{name} ({rows})" for name, rows in sorted(held.items())[:5])
            raise BackupError(
                f"The database at {database} is not empty ({listed}...). Restore into a fresh "
                "instance, or add --force to replace everything it holds."
            )
        if stored_uploads(upload_dir):
            raise BackupError(
                f"The uploads folder {upload_dir} is not empty: add --force to replace it."
            )
    database.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=database.parent, prefix=".restore-") as work_dir:
        work = Path(work_dir)
        manifest = _extract_verified(archive_path, work, progress)
        copy = work / DATABASE
        with contextlib.closing(sqlite3.connect(copy)) as connection:
            if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The database in the archive fails SQLite's integrity check.")
        with (
            contextlib.closing(sqlite3.connect(copy)) as source,
            contextlib.closing(_connect(database)) as target,
        ):
            source.backup(target)  # through SQLite: the target's WAL files stay coherent
            target.execute("PRAGMA journal_mode=WAL")
            tables = table_rows(target)
        if tables != manifest["database"]["tables"]:
            raise BackupError("The restored database does not hold the rows the manifest lists.")
        upload_dir.mkdir(parents=True, exist_ok=True)
        for path in stored_uploads(upload_dir):
            path.unlink()
        for path in (work / UPLOADS).iterdir():
            shutil.move(path, upload_dir / path.name)
    return Restored(tables, len(manifest["uploads"]), manifest["database"].get("revision"))
