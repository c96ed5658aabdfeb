"""What scripts/bench/generate and scripts/bench/run share: the virtual environment, the bench
instance folder and its manifest. Only the standard library here (it runs before the venv)."""

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))

from _setup import PYTHON, ROOT, TOOL_EXTRAS, VENV, setup  # noqa: E402

DEFAULT_INSTANCE = ROOT / "instance" / "bench"  # instance/ is ignored by git
MANIFEST = "bench.json"
POSTGRES_PREFIX = "taskopticon_bench_"


def enter_venv() -> None:
    """Set up .venv as scripts/test.py does, then run this script inside it."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    setup(TOOL_EXTRAS)
    script = str(Path(sys.argv[0]).resolve())
    os.execv(str(PYTHON), [str(PYTHON), script, *sys.argv[1:]])  # nosec B606 # this script again


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def check_postgres_url(url: str) -> None:
    if not url.startswith("postgresql"):
        sys.exit("--database-url: a PostgreSQL URL, e.g. postgresql+psycopg://postgres@127.0.0.1/…")
    if not database_name(url).startswith(POSTGRES_PREFIX):
        sys.exit(f"--database-url: the bench database's name must start with {POSTGRES_PREFIX}")


def instance_folder(instance: str | None, database_url: str | None) -> Path:
    if instance:
        return Path(instance).resolve()
    if database_url:
        return DEFAULT_INSTANCE.with_name(f"bench-{database_name(database_url)}")
    return DEFAULT_INSTANCE


def site_environment(folder: Path, manifest: dict) -> dict[str, str]:
    """The environment that points the real site (wsgi:app) at a bench instance."""
    return {
        "DATABASE_URL": manifest["database_url"],
        "SEARCH_BACKEND": manifest.get("search_backend", "whoosh"),
        "SEARCH_INDEX_DIR": str(folder / "search-index"),
        "UPLOAD_DIR": str(folder / "uploads"),
        "SECRET_KEY": (folder / "secret_key").read_text().strip(),
    }


def write_manifest(folder: Path, manifest: dict) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        sys.exit(f"No bench instance in {folder}: build one with scripts/bench/generate first.")
    return json.loads(path.read_text())
