from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from community.catalog import service as catalog
from community.core import pagecache
from community.core.pagination import page_number
from community.search import service
from community.search.documents import split_key

bp = Blueprint("search", __name__)

KIND_LABELS = {
    "thread": _l("Threads"),
    "post": _l("Posts"),
    "review": _l("Reviews"),
    "requester": _l("Requesters"),
    "platform": _l("Platforms"),
    "flag": _l("Task warnings"),
}
SINCE_LABELS = {
    "": _l("Any time"),
    "week": _l("Past week"),
    "month": _l("Past month"),
    "year": _l("Past year"),
}
NOTICES = {
    "shortened": _l("Your search was long: only its first 200 characters were used."),
    "too_many_words": _l("Only the first 10 words of your search were used."),
    "no_words": _l("Search for words or a “quoted phrase”: symbols such as * or : are not used."),
}
RESULT_ENDPOINTS = {
    "thread": ("forum.thread", "thread_id"),
    "post": ("forum.post", "post_id"),
    "review": ("reviews.show", "review_id"),
    "requester": ("catalog.requester", "requester_id"),
    "flag": ("flags.show", "flag_id"),
}


def result_url(hit) -> str:
    kind, item_id = split_key(hit.key)
    if kind == "platform":
        return url_for("catalog.platform", slug=hit.ref.get("slug", ""))
    endpoint, argument = RESULT_ENDPOINTS[kind]
    return url_for(endpoint, **{argument: item_id})


@bp.get("/search")
@pagecache.cached_page
def search():
    query = request.args.get("q", "")
    kind = request.args.get("kind", "")
    kind = kind if kind in KIND_LABELS else ""
    since = request.args.get("since", "")
    sort = request.args.get("sort", "relevance")
    platforms = catalog.all_platforms()
    platform_slug = request.args.get("platform", "")
    platform = next((p for p in platforms if p.slug == platform_slug), None)
    results, notices, complete = service.search(
        query,
        kind,
        platform.id if platform else None,
        since,
        sort,
        page_number(request.args.get("page")),
        10,
    )
    # Results cut short by the time limit are kept like any page: the next visitors get them
    # rather than each running the query that was too costly to finish.
    if not complete:
        pagecache.do_not_keep()  # the index is being rebuilt: a moment later finds more
    names = {p.id: p.name for p in platforms}
    return render_template(
        "search/results.html",
        query=query[:200],
        kind=kind,
        since=since,
        sort=sort,
        platform=platform,
        platforms=platforms,
        results=results,
        notices=[NOTICES[n] for n in notices],
        complete=complete,
        kinds=KIND_LABELS,
        since_labels=SINCE_LABELS,
        platform_names=names,
        result_url=result_url,
    )
