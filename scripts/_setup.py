"""Shared set-up for scripts/serve.py and scripts/test.py: only the Python standard library here.

Creates .venv, installs the project when pyproject.toml changed, compiles the translations.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
# What the tests and the bench install beside the site: one installation serves both.
TOOL_EXTRAS = "dev,postgres,redis"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args: str | Path, **kwargs) -> None:
    subprocess.run([str(arg) for arg in args], check=True, cwd=ROOT, **kwargs)  # nosec B603 # our own tools


def setup(extras: str = "") -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by an older Python
        sys.exit("Taskopticon needs Python 3.11 or newer.")
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / ".installed"
    if not stamp.exists() or stamp.read_text() != wanted:
        say("Installing Taskopticon and its dependencies")
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        target = f".[{extras}]" if extras else "."
        run(PYTHON, "-m", "pip", "install", "--quiet", "-e", target)
        stamp.write_text(wanted)
    run(BIN / "pybabel", "-q", "compile", "-d", ROOT / "community" / "translations")


def flask(*args: str, env: dict | None = None) -> None:
    run(BIN / "flask", "--app", "wsgi", *args, env=env)
