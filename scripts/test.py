#!/usr/bin/env python3
"""Set everything up and run the whole test suite. Extra arguments go to pytest."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from _setup import BIN, ROOT, say, setup

# The browser tests drive the system's Chromium (never a browser downloaded by Playwright).
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def ensure_chromium() -> None:
    """Install Debian's chromium when it is missing and we may (root, with apt-get)."""
    if CHROMIUM.exists():
        return
    if not shutil.which("apt-get") or not hasattr(os, "geteuid") or os.geteuid() != 0:
        say(f"{CHROMIUM} is missing: install Chromium for the browser tests (tests/e2e)")
        return
    say("Installing Chromium for the browser tests")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
        check=True,
        env=env,
    )


def main() -> None:
    setup("dev")
    ensure_chromium()
    say("Running the tests")
    os.chdir(ROOT)
    pytest = str(BIN / "pytest")
    os.execv(pytest, [pytest, *sys.argv[1:]])


if __name__ == "__main__":
    main()
