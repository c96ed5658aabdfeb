#!/usr/bin/env python3
"""Extract every message into messages.pot and merge it into each language's messages.po.

Run after changing user-visible text, then translate the new entries (a test fails while any
French translation is missing or fuzzy).
"""

from _setup import BIN, ROOT, run

CATALOG = ROOT / "community" / "translations"
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "_", "-k", "gettext", "-k", "ngettext:1,2"]


def main() -> None:
    run(
        BIN / "pybabel",
        "-q",
        "extract",
        "-F",
        ROOT / "babel.cfg",
        *KEYWORDS,
        "--no-location",
        "--sort-output",
        "-o",
        CATALOG / "messages.pot",
        ROOT,
    )
    if (CATALOG / "fr" / "LC_MESSAGES" / "messages.po").exists():
        run(
            BIN / "pybabel",
            "-q",
            "update",
            "-i",
            CATALOG / "messages.pot",
            "-d",
            CATALOG,
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        )
    else:
        run(
            BIN / "pybabel", "-q", "init", "-i", CATALOG / "messages.pot", "-d", CATALOG, "-l", "fr"
        )


if __name__ == "__main__":
    main()
