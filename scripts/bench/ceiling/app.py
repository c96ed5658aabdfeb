"""The ceiling of the page bench: a minimal Flask page rendering a template, served by the same
gunicorn settings as the site. Nothing of Taskopticon is loaded."""

from pathlib import Path

from flask import Flask, render_template

app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent))


@app.get("/")
def page():
    return render_template("page.html", title="Ceiling", items=range(1, 21))
