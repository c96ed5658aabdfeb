from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from community.catalog import service as catalog
from community.core.content import can_read
from community.core.database import reads_first
from community.core.errors import NotFound, PermissionDenied
from community.core.forms import options
from community.core.limits import limit_read_marks, limit_writes
from community.core.pagecache import cached_page
from community.core.pagination import page_number
from community.core.views import on_refusal
from community.forum import permissions, service
from community.forum.forms import PostForm, ThreadForm

bp = Blueprint("forum", __name__)

CATEGORY_NAMES = {
    "announcements": (_l("Announcements"), _l("News from the moderators and the site.")),
    "newcomers": (
        _l("Newcomers & help"),
        _l("Ask anything: how a platform works, whether an app pays, where to start."),
    ),
    "pay-and-rights": (
        _l("Pay & rights"),
        _l("Fair pay, rejections, contracts, organising, the law."),
    ),
    "disputes": (
        _l("Disputes"),
        _l("Unfair rejections and unpaid work: get help from other workers."),
    ),
    "off-topic": (_l("Off-topic"), _l("Everything else, kindly.")),
}


def category_name(category) -> str:
    if category.platform is not None:
        return category.platform.name
    return str(CATEGORY_NAMES.get(category.slug, (category.slug, ""))[0])


def category_url(category) -> str:
    if category.platform is not None:
        return url_for("forum.platform_forum", slug=category.platform.slug)
    return url_for("forum.category", slug=category.slug)


def post_url(post) -> str:
    return url_for(
        "forum.thread",
        thread_id=post.thread_id,
        page=service.page_of(post.number),
        _anchor=f"p{post.number}",
    )


@bp.app_context_processor
def forum_helpers() -> dict:
    return {
        "forum_permissions": permissions,
        "category_name": category_name,
        "category_url": category_url,
        "category_descriptions": {slug: text for slug, (_name, text) in CATEGORY_NAMES.items()},
        "post_url": post_url,
    }


@bp.get("/forum")
@cached_page
def index():
    return render_template(
        "forum/index.html",
        categories=service.general_categories(),
        platform_forums=service.platform_forums(),
        active=service.active_threads(10),
    )


@bp.get("/forum/<slug>")
@cached_page
def category(slug: str):
    category = service.get_category_or_404(slug)
    if category.platform is not None:
        return redirect(category_url(category))
    threads = service.threads_in(category, page_number(request.args.get("page")))
    return render_template(
        "forum/category.html",
        category=category,
        platform=None,
        threads=threads,
        unread=service.unread_counts(current_user, threads.items),
    )


@bp.get("/forum/platforms/<slug>")
@cached_page
def platform_forum(slug: str):
    platform = catalog.get_platform_by_slug_or_404(slug)
    category = service.category_of_platform(platform)
    threads = (
        service.threads_in(category, page_number(request.args.get("page"))) if category else None
    )
    return render_template(
        "forum/category.html",
        category=category,
        platform=platform,
        threads=threads,
        unread=service.unread_counts(current_user, threads.items if threads else []),
    )


def _thread_form() -> ThreadForm:
    form = ThreadForm()
    form.link_platform.choices = options(
        [(0, _("None")), *((p.id, p.name) for p in catalog.all_platforms())]
    )
    return form


def _new_thread(category, platform):
    form = _thread_form()
    if request.method == "GET":
        form.link_platform.data = request.args.get("platform", 0, type=int) or (
            platform.id if platform else 0
        )
        form.link_requester.data = request.args.get("requester", "")

    def page():
        return render_template(
            "forum/new_thread.html", form=form, category=category, platform=platform
        )

    if not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    linked_platform, linked_requester = service.validate_link(
        form.link_platform.data, form.link_requester.data
    )
    data = service.ThreadData(
        form.title.data,
        form.body.data,
        linked_platform.id if linked_platform else None,
        linked_requester.id if linked_requester else None,
    )
    thread = service.start_thread(current_user, category, data, platform=platform)
    flash(_("Your thread is open."))
    return redirect(url_for("forum.thread", thread_id=thread.id))


@bp.route("/forum/<slug>/new", methods=["GET", "POST"])
@login_required
@limit_writes
def new_thread(slug: str):
    category = service.get_category_or_404(slug)
    if not permissions.can_start_thread(current_user, category):
        raise PermissionDenied(_("Only moderators can open threads in this category."))
    return _new_thread(category, None)


@bp.route("/forum/platforms/<slug>/new", methods=["GET", "POST"])
@login_required
@limit_writes
def new_platform_thread(slug: str):
    return _new_thread(None, catalog.get_platform_by_slug_or_404(slug))


@bp.get("/threads/<int:thread_id>")
@cached_page
def thread(thread_id: int):
    thread = service.get_thread_or_404(thread_id)
    if not can_read(current_user, thread):  # hidden for personal information or illegality
        raise NotFound(_("This thread does not exist or was deleted."))
    pages = service.page_count(thread)
    page = min(page_number(request.args.get("page")), pages)
    posts = service.posts_on_page(thread, page)
    subscription = service.subscription_of(current_user, thread)
    form = PostForm() if permissions.can_reply(current_user, thread) else None
    return render_template(
        "forum/thread.html",
        thread=thread,
        posts=posts,
        page=page,
        pages=pages,
        subscription=subscription,
        form=form,
    )


@bp.route("/threads/<int:thread_id>/reply", methods=["GET", "POST"])
@reads_first
@login_required
@limit_writes
def reply(thread_id: int):
    thread = service.get_thread_or_404(thread_id)
    if not permissions.can_reply(current_user, thread):
        raise PermissionDenied(_("This thread is locked: it takes no more replies."))
    form = PostForm()
    reply_to = None
    quote_id = request.values.get("quote", type=int)
    if quote_id:
        reply_to = service.get_post_or_404(quote_id)
        if request.method == "GET" and reply_to.is_public:
            form.body.data = service.quote_of(reply_to)

    def page():
        return render_template("forum/reply.html", form=form, thread=thread, reply_to=reply_to)

    if not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    post = service.reply(current_user, thread, form.body.data, reply_to)
    return redirect(post_url(post))


@bp.get("/posts/<int:post_id>")
def post(post_id: int):
    return redirect(post_url(service.get_post_or_404(post_id)))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
@limit_writes
def edit_post(post_id: int):
    post = service.get_post_or_404(post_id)
    if not permissions.can_edit_post(current_user, post):
        raise PermissionDenied(_("Only the author can edit this post."))
    form = PostForm()
    if request.method == "GET":
        form.body.data = post.body

    def page():
        return render_template("forum/edit_post.html", form=form, post=post)

    if not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    service.edit_post(current_user, post, form.body.data)
    flash(_("Your post is updated. The earlier version is kept in its history."))
    return redirect(post_url(post))


@bp.post("/posts/<int:post_id>/delete")
@login_required
@limit_writes
def delete_post(post_id: int):
    post = service.get_post_or_404(post_id)
    service.delete_post(current_user, post)
    flash(_("Your post is deleted."))
    return redirect(post_url(post))


@bp.get("/posts/<int:post_id>/history")
@login_required
def post_history(post_id: int):
    post = service.get_post_or_404(post_id)
    return render_template(
        "forum/history.html", post=post, revisions=service.history(current_user, post)
    )


@bp.post("/threads/<int:thread_id>/subscription")
@login_required
@limit_writes
def subscription(thread_id: int):
    thread = service.get_thread_or_404(thread_id)
    if request.form.get("follow") == "1":
        service.subscribe(current_user, thread)
        flash(_("You follow this thread: new posts will be in your notifications."))
    else:
        service.unsubscribe(current_user, thread)
        flash(_("You no longer follow this thread."))
    return redirect(url_for("forum.thread", thread_id=thread.id))


@bp.post("/threads/<int:thread_id>/read")
@login_required
@limit_read_marks
def mark_read(thread_id: int):
    thread = service.get_thread_or_404(thread_id)
    number = request.form.get("number", type=int)
    if number is None:
        abort(400)
    service.mark_read(current_user, thread, number)
    if request.form.get("silent"):
        return "", 204
    return redirect(
        url_for("forum.thread", thread_id=thread.id, page=service.page_of(max(number, 1)))
    )
