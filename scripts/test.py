#!/usr/bin/env python3
"""Set everything up and run the whole test suite. Extra arguments go to pytest."""

import os
import sys

from _setup import BIN, ROOT, say, setup


def main() -> None:
    setup("dev")
    say("Running the tests")
    os.chdir(ROOT)
    pytest = str(BIN / "pytest")
    os.execv(pytest, [pytest, *sys.argv[1:]])


if __name__ == "__main__":
    main()
