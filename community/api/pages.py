"""The pages about the API for people: its terms in plain words, and the browser userscript."""

from flask import Blueprint, current_app, render_template, url_for

from community.api.openapi import PATH_PREFIX

bp = Blueprint("api_pages", __name__)

USERSCRIPT = "userscript/taskopticon.user.js"


@bp.get("/api")
def terms():
    return render_template(
        "api/terms.html",
        rate_limit=current_app.config["API_RATE_LIMIT"],
        max_ids=current_app.config["API_BATCH_MAX_IDS"],
        max_age=current_app.config["API_CACHE_MAX_AGE_SECONDS"],
        prefix=PATH_PREFIX,
    )


@bp.get("/userscript")
def userscript():
    return render_template(
        "api/userscript.html",
        script_url=url_for("static", filename=USERSCRIPT),
        max_ids=current_app.config["API_BATCH_MAX_IDS"],
    )
