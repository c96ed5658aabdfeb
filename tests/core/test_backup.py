"""`flask --app wsgi backup` and `restore`: a consistent archive while the site writes, restored
into a fresh instance equal to the original, table by table and upload by upload."""

import io
import json
import multiprocessing
import sqlite3
import tarfile
from contextlib import closing
from pathlib import Path

import pytest

from community import create_app
from community.accounts.models import User
from community.catalog import service as catalog
from community.core import backup as backups
from community.extensions import db
from community.forum import service as forum
from community.reviews import service as reviews
from community.search import service as search
from tests.conftest import (
    make_flag,
    make_platform,
    make_proof,
    make_requester,
    make_review,
    make_thread,
    make_user,
    review_data,
)
from tests.reliability import checks
from tests.reliability.site import Instance

pytestmark = pytest.mark.sqlite_only


def populate(instance: Instance) -> dict:
    with instance.app.app_context():
        members = [make_user(trust=2) for _ in range(3)]
        platform = make_platform("Backup Platform")
        requesters = [
            make_requester(platform, f"BACKUP{n}", f"Backup Requester {n}") for n in (1, 2)
        ]
        for member in members:
            for requester in requesters:
                make_review(member, requester, minutes=12, reward_minor=150, currency="USD")
        for member in members[:2]:
            make_proof(member, platform, requesters[0], confirmed=True)
        make_flag(members[2], platform, requesters[1], confirmed=True, decider=members[0])
        thread = make_thread(members[0], title="Backups of the forum", body="Opening post.")
        search.drain()
        return {"thread": thread.id, "author": members[1].id, "requester": requesters[0].id}


def keep_writing(config: dict, ids: dict, writing, stop) -> None:
    """Another process of the site: replies and reviews, each as its own request, until told."""
    app = create_app(config)
    number = 0
    while not stop.is_set() and number < 300:
        with app.test_request_context("/", method="POST"):
            author = db.session.get(User, ids["author"])
            thread = forum.get_thread_or_404(ids["thread"])
            forum.reply(author, thread, f"Written while the backup runs, number {number}")
            if number % 5 == 0:
                requester = catalog.get_requester_or_404(ids["requester"])
                reviews.submit_review(author, requester, review_data(), f"during-{number}")
        with app.app_context():
            search.drain()
        number += 1
        if number == 3:
            writing.set()


def rows_of(database: Path) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(database)) as connection:
        tables = backups.table_rows(connection)
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)  # noqa: S608
            for table in tables
        }


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in backups.stored_uploads(folder)}


def consistency(instance: Instance) -> list[str]:
    with instance.app.app_context():
        with closing(sqlite3.connect(instance.database_file)) as connection:
            problems = [
                f"{name}: {value}"
                for name, value in (
                    ("integrity_check", connection.execute("PRAGMA integrity_check").fetchone()[0]),
                    (
                        "foreign_key_check",
                        connection.execute("PRAGMA foreign_key_check").fetchall(),
                    ),
                )
                if value not in ("ok", [])
            ]
        problems += checks.figures_differing_from_a_recount()
        problems += checks.counters_differing_from_a_recount()
        problems += checks.index_differences()
    return problems


@pytest.mark.slow
def test_a_backup_taken_while_the_site_writes_restores_into_a_fresh_instance(tmp_path):
    source = Instance(tmp_path / "source")
    source.migrate()
    ids = populate(source)
    config = {
        "INSTANCE_PATH": str(source.folder),
        "SQLALCHEMY_DATABASE_URI": source.database_url,
        "SECRET_KEY": "k",
    }
    spawn = multiprocessing.get_context("spawn")
    writing, stop = spawn.Event(), spawn.Event()
    writer = spawn.Process(target=keep_writing, args=(config, ids, writing, stop))
    writer.start()
    try:
        assert writing.wait(120)
        during = invoke(source.app, "backup", str(tmp_path / "during.tar.gz"))
    finally:
        stop.set()
        writer.join(timeout=120)
    assert writer.exitcode == 0
    assert during.exit_code == 0 and "Backup written to" in during.output, during.output

    # The snapshot taken while writing is consistent on its own.
    fresh = Instance(tmp_path / "fresh")
    restored = invoke(fresh.app, "restore", str(tmp_path / "during.tar.gz"))
    assert "checksums verified" in restored.output and "documents indexed" in restored.output
    assert consistency(fresh) == []
    during_writes = "SELECT count(*) FROM posts WHERE body LIKE 'Written while the backup runs%'"
    with closing(sqlite3.connect(fresh.database_file)) as connection:
        in_the_snapshot = connection.execute(during_writes).fetchone()[0]
    with closing(sqlite3.connect(source.database_file)) as connection:
        in_the_end = connection.execute(during_writes).fetchone()[0]
    assert 3 <= in_the_snapshot < in_the_end  # the writer went on while the backup was made

    # Once quiet, a second backup restored over it (--force) equals the original exactly.
    refused = invoke(fresh.app, "restore", str(tmp_path / "during.tar.gz"))
    assert refused.exit_code == 1 and "is not empty" in refused.output
    with source.app.app_context():
        search.drain()
    assert invoke(source.app, "backup", str(tmp_path)).exit_code == 0
    (archive,) = [p for p in tmp_path.glob("taskopticon-*.tar.gz")]
    assert invoke(fresh.app, "restore", "--force", str(archive)).exit_code == 0
    original, copy = rows_of(source.database_file), rows_of(fresh.database_file)
    assert sorted(copy) == sorted(original)
    for table in original:
        assert copy[table] == original[table], table
    assert files_of(fresh.upload_dir) == files_of(source.upload_dir)
    assert len(files_of(source.upload_dir)) == 4  # two proofs: a screenshot and a thumbnail each
    assert consistency(fresh) == []


def invoke(app, *args: str):
    """The command run against `app` (the commands use the app whose context is active)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def archive_of(tmp_path: Path) -> tuple[Instance, Path]:
    source = Instance(tmp_path / "source")
    source.migrate()
    with source.app.app_context():
        make_proof()
    result = invoke(source.app, "backup", str(tmp_path / "site.tar.gz"))
    assert result.exit_code == 0, result.output
    return source, tmp_path / "site.tar.gz"


def rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with `change(name, data)` applied to each member's bytes."""
    with tarfile.open(archive) as original, tarfile.open(target, "w:gz") as copy:
        for member in original:
            data = change(member.name, original.extractfile(member).read())
            if data is None:
                continue
            info = tarfile.TarInfo(member.name if isinstance(data, bytes) else data[0])
            data = data if isinstance(data, bytes) else data[1]
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    return target


def restore_into_fresh(tmp_path: Path, archive: Path, name: str = "fresh"):
    fresh = Instance(tmp_path / name)
    return fresh, invoke(fresh.app, "restore", str(archive))


def test_the_manifest_lists_every_file_with_its_checksum(tmp_path):
    source, archive = archive_of(tmp_path)
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.loads(opened.extractfile("manifest.json").read())
    assert names[0] == "database.sqlite3" and names[-1] == "manifest.json"
    assert len(manifest["uploads"]) == 2 and all(
        len(e["sha256"]) == 64 for e in manifest["uploads"]
    )
    assert manifest["database"]["tables"]["proofs"] == 1
    assert manifest["database"]["revision"]
    assert archive.stat().st_mode & 0o077 == 0  # it holds members' data: the owner's alone


def test_a_damaged_archive_is_refused_before_anything_is_replaced(tmp_path):
    _source, archive = archive_of(tmp_path)

    def flip_a_byte(name, data):
        return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("uploads/") else data

    damaged = rewritten(archive, tmp_path / "damaged.tar.gz", flip_a_byte)
    fresh, result = restore_into_fresh(tmp_path, damaged)
    assert result.exit_code == 1 and "does not match its checksum" in result.output
    assert not fresh.database_file.exists() and files_of(fresh.upload_dir) == {}


def test_files_the_manifest_does_not_list_are_refused(tmp_path):
    _source, archive = archive_of(tmp_path)

    def smuggle(name, data):
        return ("../../escaped.sh", data) if name.startswith("uploads/") else data

    _fresh, result = restore_into_fresh(
        tmp_path, rewritten(archive, tmp_path / "evil.tar.gz", smuggle)
    )
    assert result.exit_code == 1 and "which its manifest lacks" in result.output
    assert not (tmp_path / "escaped.sh").exists()

    missing = rewritten(
        archive, tmp_path / "short.tar.gz", lambda n, d: None if n.startswith("uploads/") else d
    )
    _fresh, result = restore_into_fresh(tmp_path, missing, "fresh2")
    assert result.exit_code == 1 and "lacks 2 files" in result.output


def test_postgresql_gets_told_to_use_its_own_tools(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "k",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:5432/none",
        }
    )
    for args in (["backup"], ["restore", __file__]):
        result = invoke(app, *args)
        assert (
            result.exit_code == 1 and "pg_dump" in result.output and "pg_restore" in result.output
        )
