from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from community.catalog import permissions, service
from community.catalog.forms import KIND_LABELS, PlatformForm
from community.core.errors import PermissionDenied
from community.core.limits import limit_writes
from community.core.pagecache import cached_page
from community.core.pagination import page_number
from community.core.views import on_refusal
from community.flags import service as flags
from community.forum import service as forum
from community.proofs import legit
from community.proofs import service as proofs
from community.reviews import aggregates
from community.reviews import service as reviews

bp = Blueprint("catalog", __name__)

SORT_LABELS = {
    "best": _l("Best rated"),
    "worst": _l("Worst rated"),
    "most_reviewed": _l("Most reviewed"),
    "lowest_pay": _l("Lowest pay"),
    "recent": _l("Recent activity"),
}
PAYOUT_LABELS = {
    "paypal": "PayPal",
    "bank_transfer": _l("bank transfer"),
    "gift_card": _l("gift card"),
    "mobile_money": _l("mobile money"),
    "crypto": _l("crypto"),
    "other": _l("other"),
}


@bp.app_context_processor
def catalog_helpers() -> dict:
    return {
        "catalog_permissions": permissions,
        "sort_labels": SORT_LABELS,
        "payout_labels": PAYOUT_LABELS,
    }


def _sort(default: str = "best") -> str:
    sort = request.args.get("sort", default)
    return sort if sort in (*service.SORTS, "name") else default


@bp.get("/platforms")
@cached_page
def platforms():
    page = service.list_platforms(_sort("most_reviewed"), page_number(request.args.get("page")), 30)
    return render_template(
        "catalog/platforms.html", page=page, sort=_sort("most_reviewed"), kinds=KIND_LABELS
    )


@bp.route("/platforms/new", methods=["GET", "POST"])
@login_required
@limit_writes
def new_platform():
    if not permissions.can_add_platform(current_user):
        raise PermissionDenied(_("Members can add platforms after a few days of participation."))
    form = PlatformForm()

    def page():
        return render_template("catalog/new_platform.html", form=form)

    if not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    platform = service.add_platform(
        current_user,
        service.PlatformData(
            form.name.data, form.website.data, form.kind.data, form.description.data or ""
        ),
    )
    flash(_("The platform is in the catalog. Thank you."))
    return redirect(url_for("catalog.platform", slug=platform.slug))


@bp.get("/platforms/<slug>")
@cached_page
def platform(slug: str):
    platform = service.get_platform_by_slug_or_404(slug)
    if platform.slug != slug:  # merged into another platform
        return redirect(url_for("catalog.platform", slug=platform.slug), 301)
    sort = request.args.get("sort", "newest")
    page = reviews.reviews_of(platform, sort, page_number(request.args.get("page")), 10)
    return render_template(
        "catalog/platform.html",
        platform=platform,
        reviews=page,
        sort=sort,
        kinds=KIND_LABELS,
        top_requesters=service.top_requesters(platform),
        pay_months=aggregates.pay_series(platform),
        threads=forum.threads_about(platform),
        legit=legit.assess(platform, scam_warnings=flags.scam_warnings(platform)),
        proofs=proofs.summary_of(platform),
        warnings=flags.warnings_of(platform),
    )


@bp.get("/requesters")
@cached_page
def requesters():
    platform_slug = request.args.get("platform") or None
    platform = service.get_platform_by_slug_or_404(platform_slug) if platform_slug else None
    query = (request.args.get("q") or "").strip()
    if query:
        found = service.lookup_requesters(query, platform)
        return render_template(
            "catalog/requesters.html",
            found=found,
            query=query,
            platform=platform,
            platforms=service.all_platforms(),
            page=None,
            sort=None,
        )
    sort = _sort()
    page = service.list_requesters(sort, platform, page_number(request.args.get("page")), 30)
    return render_template(
        "catalog/requesters.html",
        page=page,
        sort=sort,
        platform=platform,
        platforms=service.all_platforms(),
        found=None,
        query="",
    )


@bp.get("/requesters/<int:requester_id>")
@cached_page
def requester(requester_id: int):
    requester = service.get_requester_or_404(requester_id)
    if requester.id != requester_id:  # merged into another requester
        return redirect(url_for("catalog.requester", requester_id=requester.id), 301)
    sort = request.args.get("sort", "newest")
    page = reviews.reviews_of(requester, sort, page_number(request.args.get("page")), 10)
    return render_template(
        "catalog/requester.html",
        requester=requester,
        reviews=page,
        sort=sort,
        pay_months=aggregates.pay_series(requester),
        threads=forum.threads_about(requester),
        proofs=proofs.summary_of(requester),
        warnings=flags.warnings_of(requester),
    )
