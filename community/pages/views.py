from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from community.catalog import service as catalog
from community.core.pagecache import cached_page
from community.flags import service as flags
from community.forum import service as forum
from community.moderation import rules as community_rules
from community.pages import health as health_check
from community.reviews import service as reviews
from community.reviews.fairpay import minimum_wages

bp = Blueprint("pages", __name__)


@bp.get("/")
@cached_page
def home():
    return render_template(
        "pages/home.html",
        recent_requesters=reviews.recently_reviewed_requesters(),
        top_platforms=catalog.list_platforms("most_reviewed", 1, 8).items,
        active_threads=forum.active_threads(6),
        latest_warnings=flags.latest_warnings(5),
    )


@bp.get("/check")
def check():
    """The home page's "Check an app or platform" box."""
    text = (request.args.get("q") or "").strip()[:120]
    found = catalog.find_platforms(text) if text else []
    if len(found) == 1:
        return redirect(url_for("catalog.platform", slug=found[0].slug))
    return render_template("pages/check.html", query=text, found=found)


@bp.get("/rules")
@cached_page
def rules():
    return render_template(
        "pages/rules.html", rules=community_rules.current(), versions=community_rules.versions()
    )


@bp.get("/rules/<int:version>")
@cached_page
def rules_version(version: int):
    return render_template(
        "pages/rules.html",
        rules=community_rules.get_version(version),
        versions=community_rules.versions(),
    )


@bp.get("/fair-pay")
@cached_page
def fair_pay():
    return render_template(
        "pages/fair_pay.html", wages=sorted(minimum_wages().values(), key=lambda w: w.country)
    )


@bp.get("/health")
def health():
    healthy, answer = health_check.check()
    response = jsonify(answer)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
