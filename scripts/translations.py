#!/usr/bin/env python3
"""Extract every message into messages.pot and merge it into each language's messages.po.

Run after changing user-visible text, then translate the new entries (a test fails while any
French translation is missing or fuzzy). Lines are wrapped at 100 characters, as committed.
"""

from _setup import BIN, ROOT, run

CATALOG = ROOT / "community" / "translations"
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "_", "-k", "gettext", "-k", "ngettext:1,2"]
WIDTH = ["--width", "100"]


def main() -> None:
    pot = CATALOG / "messages.pot"
    run(
        BIN / "pybabel",
        "-q",
        "extract",
        "-F",
        ROOT / "babel.cfg",
        *KEYWORDS,
        *WIDTH,
        "--no-location",
        "--sort-output",
        "-o",
        pot,
        ROOT,
    )
    if (CATALOG / "fr" / "LC_MESSAGES" / "messages.po").exists():
        run(
            BIN / "pybabel",
            "-q",
            "update",
            "-i",
            pot,
            "-d",
            CATALOG,
            *WIDTH,
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        )
    else:
        run(BIN / "pybabel", "-q", "init", "-i", pot, "-d", CATALOG, "-l", "fr", *WIDTH)


if __name__ == "__main__":
    main()
