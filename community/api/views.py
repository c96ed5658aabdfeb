"""The public read API, /api/v1: JSON, read-only, documented by openapi.py.

Every route is rate limited per address (API_RATE_LIMIT, shared by all routes), open to every
origin for reads, cacheable with an ETag (community/api/http.py), and shows only public content.
"""

from flask import Blueprint, current_app, jsonify, request, url_for
from flask_babel import gettext as _

from community.api import serializers, service
from community.api.http import finish_api_response
from community.api.openapi import document
from community.catalog import service as catalog
from community.core.errors import NotFound
from community.core.pagecache import cached_page
from community.extensions import csrf, limiter
from community.flags import service as flags
from community.flags.models import FlagStatus
from community.proofs import legit
from community.proofs import service as proofs
from community.reviews import service as reviews

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # GET only, and no cookie is ever read
limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api")(bp)
bp.after_app_request(finish_api_response)

PLATFORM_SORTS = ("name", *catalog.SORTS)
REVIEW_SORTS = reviews.REVIEW_SORTS


def _listing(endpoint: str, **values):
    """The page and page size asked for, and how to link to another page of the same list."""
    number = service.page_number(request.args.get("page"))
    per_page = service.page_size(request.args.get("per_page"))
    kept = {key: value for key, value in values.items() if value is not None}

    def link(other: int) -> str:
        return url_for(endpoint, **kept, page=other, per_page=per_page)

    return number, per_page, link


@bp.get("/openapi.json")
@cached_page
def openapi():
    return jsonify(document())


@bp.get("/platforms")
@cached_page
def platforms():
    sort = service.choice(request.args.get("sort"), "sort", PLATFORM_SORTS, "name")
    number, per_page, link = _listing("api.platforms", sort=sort)
    found = catalog.list_platforms(sort, number, per_page)
    items = [serializers.platform_summary(platform) for platform in found.items]
    return jsonify(serializers.page(items, found, link))


@bp.get("/platforms/<slug>")
@cached_page
def platform(slug: str):
    platform = catalog.get_platform_by_slug_or_404(slug)
    assessment = legit.assess(platform, scam_warnings=flags.scam_warnings(platform))
    totals = proofs.totals_of(platform)
    return jsonify(serializers.platform_detail(platform, assessment, totals))


@bp.get("/platforms/<slug>/proofs")
@cached_page
def platform_proofs(slug: str):
    platform = catalog.get_platform_by_slug_or_404(slug)
    evidence = legit.gather(platform, legit.Rules.from_config(current_app.config))
    return jsonify(serializers.proof_summary(platform, evidence, proofs.totals_of(platform)))


@bp.get("/platforms/<slug>/reviews")
@cached_page
def platform_reviews(slug: str):
    platform = catalog.get_platform_by_slug_or_404(slug)
    sort = service.choice(request.args.get("sort"), "sort", REVIEW_SORTS, "newest")
    number, per_page, link = _listing("api.platform_reviews", slug=slug, sort=sort)
    found = reviews.reviews_of(platform, sort, number, per_page, folded_too=False)
    return jsonify(serializers.page([serializers.review(r) for r in found.items], found, link))


@bp.get("/platforms/<slug>/requesters")
@cached_page
def requester_lookup(slug: str):
    """The batch lookup of browser add-ons: ?ids=A1,B2,... (at most API_BATCH_MAX_IDS)."""
    platform = catalog.get_platform_by_slug_or_404(slug)
    found = service.lookup(platform, service.requester_ids(request.args.get("ids")))
    return jsonify(
        {
            "platform": serializers.platform_ref(platform),
            "requesters": {
                requester.external_id: serializers.batch_entry(requester, warnings)
                for requester, warnings in found.found
            },
            "unknown": found.unknown,
            "new_review_url": url_for("reviews.review_by_identifier", platform=platform.id),
        }
    )


@bp.get("/platforms/<slug>/requesters/<external_id>")
@cached_page
def platform_requester(slug: str, external_id: str):
    platform = catalog.get_platform_by_slug_or_404(slug)
    requester = catalog.find_requester(platform, external_id, None)
    if requester is None:
        raise NotFound(_("This requester is not in the catalog."))
    return _requester_detail(requester)


@bp.get("/requesters")
@cached_page
def requesters():
    slug = request.args.get("platform") or None
    platform = catalog.get_platform_by_slug_or_404(slug) if slug else None
    sort = service.choice(request.args.get("sort"), "sort", catalog.SORTS, "best")
    number, per_page, link = _listing("api.requesters", platform=slug, sort=sort)
    found = catalog.list_requesters(sort, platform, number, per_page)
    items = [serializers.requester_summary(requester) for requester in found.items]
    return jsonify(serializers.page(items, found, link))


@bp.get("/requesters/<int:requester_id>")
@cached_page
def requester(requester_id: int):
    return _requester_detail(catalog.get_requester_or_404(requester_id))


@bp.get("/requesters/<int:requester_id>/reviews")
@cached_page
def requester_reviews(requester_id: int):
    requester = catalog.get_requester_or_404(requester_id)
    sort = service.choice(request.args.get("sort"), "sort", REVIEW_SORTS, "newest")
    number, per_page, link = _listing("api.requester_reviews", requester_id=requester_id, sort=sort)
    found = reviews.reviews_of(requester, sort, number, per_page, folded_too=False)
    return jsonify(serializers.page([serializers.review(r) for r in found.items], found, link))


@bp.get("/flags", endpoint="flags")
@cached_page
def flags_list():
    slug = request.args.get("platform") or None
    platform = catalog.get_platform_by_slug_or_404(slug) if slug else None
    category = service.flag_category(request.args.get("category"))
    number, per_page, link = _listing("api.flags", platform=slug, category=category)
    filters = flags.FlagFilters(
        category=category,
        platform_id=platform.id if platform else None,
        status=FlagStatus.CONFIRMED,
    )
    found = flags.list_flags(filters, number, per_page)
    return jsonify(serializers.page([serializers.flag(f) for f in found.items], found, link))


def _requester_detail(requester):
    warnings = flags.warnings_of_requesters([requester.id])[requester.id]
    totals = proofs.totals_of(requester)
    return jsonify(serializers.requester_detail(requester, warnings, totals))
