from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from community.catalog import service as catalog
from community.core.limits import limit_writes
from community.core.pagination import page_number
from community.core.views import on_refusal
from community.flags import permissions, service
from community.flags.forms import (
    CATEGORY_EXPLANATIONS,
    CATEGORY_LABELS,
    DECISION_LABELS,
    STATUS_LABELS,
    DecisionForm,
    FlagForm,
    ReasonForm,
)
from community.flags.models import DecisionAction, FlagCategory, FlagStatus

bp = Blueprint("flags", __name__)

PAGE_SIZE = 20


@bp.app_context_processor
def flag_helpers() -> dict:
    return {
        "flag_permissions": permissions,
        "flag_category_labels": CATEGORY_LABELS,
        "flag_category_explanations": CATEGORY_EXPLANATIONS,
        "flag_status_labels": STATUS_LABELS,
        "flag_decision_labels": DECISION_LABELS,
    }


def _choice(name: str, allowed) -> str:
    value = request.args.get(name, "")
    return value if value in set(allowed) else ""


@bp.get("/flags")
def index():
    category = _choice("category", FlagCategory)
    status = _choice("status", FlagStatus)
    platform_slug = request.args.get("platform") or None
    platform = catalog.get_platform_by_slug_or_404(platform_slug) if platform_slug else None
    requester_id = request.args.get("requester", type=int)
    requester = catalog.get_requester_or_404(requester_id) if requester_id else None
    filters = service.FlagFilters(
        category=category or None,
        platform_id=platform.id if platform else None,
        requester_id=requester.id if requester else None,
        status=status or None,
    )
    page = service.list_flags(filters, page_number(request.args.get("page")), PAGE_SIZE)
    return render_template(
        "flags/index.html",
        page=page,
        category=category,
        status=status,
        platform=platform,
        requester=requester,
        platforms=catalog.all_platforms(),
    )


@bp.route("/flags/new", methods=["GET", "POST"])
@login_required
@limit_writes
def new():
    form = FlagForm()
    form.offer_platforms()
    if request.method == "GET":
        form.prefill_target(request.args)

    def page():
        return render_template("flags/new.html", form=form)

    if not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    flag = service.submit_flag(current_user, form.to_data(), form.submission_key.data)
    flash(_("Thank you — the task is flagged. Trusted members will check it."))
    return redirect(url_for("flags.show", flag_id=flag.id))


def _show_page(flag, decision_form=None, reopen_form=None) -> str:
    return render_template(
        "flags/show.html",
        flag=flag,
        seen_too=service.seen_too_of(flag),
        has_seen_too=service.has_seen_too(current_user, flag),
        decisions=service.decisions_of(flag),
        decision_form=decision_form or DecisionForm(formdata=None),
        reopen_form=reopen_form or ReasonForm(formdata=None, prefix="reopen"),
    )


@bp.get("/flags/<int:flag_id>")
def show(flag_id: int):
    return _show_page(service.get_visible_flag_for(current_user, flag_id))


def _back_to(flag, anchor: str = "decision") -> str:
    return url_for("flags.show", flag_id=flag.id, _anchor=anchor)


@bp.post("/flags/<int:flag_id>/seen-too")
@login_required
@limit_writes
def seen_too(flag_id: int):
    flag = service.get_visible_flag_for(current_user, flag_id)
    on_refusal(lambda: _show_page(flag))
    service.say_seen_too(current_user, flag)
    flash(_("Thank you — you said you saw this task too."))
    return redirect(_back_to(flag, "seen-too"))


@bp.post("/flags/<int:flag_id>/decision")
@login_required
@limit_writes
def decide(flag_id: int):
    flag = service.get_visible_flag_for(current_user, flag_id)
    form = DecisionForm()

    def page():
        return _show_page(flag, decision_form=form)

    on_refusal(page)
    service.ensure_can_decide(current_user, flag)
    if not form.validate_on_submit():
        return page(), 422
    if form.decision.data == DecisionAction.CONFIRM:
        service.confirm_flag(current_user, flag, form.reason.data)
        flash(_("The flag is confirmed: it now shows as a warning on the requester and platform."))
    else:
        service.dismiss_flag(current_user, flag, form.reason.data)
        flash(_("The flag is dismissed. Your reason is shown with it."))
    return redirect(_back_to(flag))


@bp.post("/flags/<int:flag_id>/reopen")
@login_required
@limit_writes
def reopen(flag_id: int):
    flag = service.get_visible_flag_for(current_user, flag_id)
    form = ReasonForm(prefix="reopen")

    def page():
        return _show_page(flag, reopen_form=form)

    on_refusal(page)
    service.ensure_can_reopen(current_user, flag)
    if not form.validate_on_submit():
        return page(), 422
    service.reopen_flag(current_user, flag, form.reason.data)
    flash(_("The flag is open again. The earlier decision stays in its history."))
    return redirect(_back_to(flag))


@bp.post("/flags/<int:flag_id>/withdraw")
@login_required
@limit_writes
def withdraw(flag_id: int):
    flag = service.get_flag_or_404(flag_id)
    service.withdraw_flag(current_user, flag)
    flash(_("Your flag is withdrawn."))
    return redirect(url_for("flags.index"))
