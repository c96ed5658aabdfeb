#!/usr/bin/env python3
"""Set everything up and serve Taskopticon on http://127.0.0.1:5000 (SQLite + instance folder).

The first start migrates the database and loads demo data; later starts only apply new migrations.
"""

import os
import sys

from _setup import BIN, ROOT, flask, say, setup


def main() -> None:
    setup()
    say("Applying database migrations")
    flask("db", "upgrade")
    flask("load-platforms")
    flask("demo-data", "--if-empty")
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "5000")
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    say(f"Serving on http://{host}:{port} (Ctrl+C to stop)")
    os.chdir(ROOT)
    gunicorn = str(BIN / "gunicorn")
    os.execv(  # nosec B606 # becomes the project's own gunicorn
        gunicorn,
        [
            gunicorn,
            "--workers",
            workers,
            "--bind",
            f"{host}:{port}",
            "--access-logfile",
            "-",
            "wsgi:app",
            *sys.argv[1:],
        ],
    )


if __name__ == "__main__":
    main()
