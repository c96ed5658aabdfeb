from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from community.catalog import service as catalog
from community.core.database import reads_first
from community.core.errors import PermissionDenied
from community.core.limits import limit_writes
from community.core.pagination import page_number
from community.core.views import on_refusal
from community.extensions import db
from community.reviews import charts, permissions, service
from community.reviews.fairpay import minimum_wages
from community.reviews.forms import OUTCOME_CHOICES, ReviewForm, TargetForm

bp = Blueprint("reviews", __name__)


@bp.app_context_processor
def review_helpers() -> dict:
    return {
        "review_permissions": permissions,
        "review_charts": charts,
        "outcome_labels": dict(OUTCOME_CHOICES),
        "wages": minimum_wages(),
    }


def review_url(review) -> str:
    if review.requester_id:
        return url_for(
            "catalog.requester", requester_id=review.requester_id, _anchor=f"r{review.id}"
        )
    return url_for("catalog.platform", slug=review.platform.slug, _anchor=f"r{review.id}")


def _new_review_page(form, target, status=200):
    return render_template("reviews/new.html", form=form, target=target), status


def _publish(form, target):
    on_refusal(lambda: _new_review_page(form, target, 422)[0])
    review = service.submit_review(current_user, target, form.to_data(), form.submission_key.data)
    flash(_("Thank you — your review is published."))
    return redirect(review_url(review))


@bp.route("/requesters/<int:requester_id>/reviews/new", methods=["GET", "POST"])
@reads_first
@login_required
@limit_writes
def review_requester(requester_id: int):
    requester = catalog.get_requester_or_404(requester_id)
    form = ReviewForm()
    if request.method == "GET":
        form.anonymous.data = current_user.anonymous_by_default
    if not form.validate_on_submit():
        return _new_review_page(form, requester, 422 if request.method == "POST" else 200)
    return _publish(form, requester)


@bp.route("/platforms/<slug>/reviews/new", methods=["GET", "POST"])
@reads_first
@login_required
@limit_writes
def review_platform(slug: str):
    platform = catalog.get_platform_by_slug_or_404(slug)
    form = ReviewForm()
    if request.method == "GET":
        form.anonymous.data = current_user.anonymous_by_default
    if not form.validate_on_submit():
        return _new_review_page(form, platform, 422 if request.method == "POST" else 200)
    return _publish(form, platform)


@bp.route("/reviews/new", methods=["GET", "POST"])
@login_required
@limit_writes
def review_by_identifier():
    form = TargetForm()
    form.offer_platforms()
    if request.method == "GET":
        form.anonymous.data = current_user.anonymous_by_default
        form.platform_id.data = request.args.get("platform", 0, type=int)
        form.requester_external_id.data = request.args.get("id", "")
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("reviews/new.html", form=form, target=None), status

    def page():
        return render_template("reviews/new.html", form=form, target=None)

    on_refusal(page)
    platform = catalog.get_platform_or_404(form.platform_id.data)
    requester = catalog.find_or_create_requester(
        platform, form.requester_external_id.data, form.requester_name.data
    )
    db.session.flush()
    review = service.submit_review(
        current_user, requester, form.to_data(), form.submission_key.data
    )
    flash(_("Thank you — your review is published."))
    return redirect(review_url(review))


@bp.get("/reviews/<int:review_id>")
def show(review_id: int):
    return redirect(review_url(service.get_review_or_404(review_id)))


@bp.route("/reviews/<int:review_id>/edit", methods=["GET", "POST"])
@login_required
@limit_writes
def edit(review_id: int):
    review = service.get_review_or_404(review_id)
    if not permissions.can_edit(current_user, review):
        raise PermissionDenied(_("Only the author can edit this review."))
    form = ReviewForm()
    if request.method == "GET":
        form.fill_from(review)

    def page():
        return render_template("reviews/edit.html", form=form, review=review)

    if not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    service.edit_review(current_user, review, form.to_data())
    flash(_("Your review is updated. The earlier version is kept in its history."))
    return redirect(review_url(review))


@bp.post("/reviews/<int:review_id>/withdraw")
@login_required
@limit_writes
def withdraw(review_id: int):
    review = service.get_review_or_404(review_id)
    target_url = review_url(review).split("#")[0]
    service.withdraw_review(current_user, review)
    flash(_("Your review is withdrawn. It no longer counts in any figure."))
    return redirect(target_url)


@bp.get("/reviews/<int:review_id>/history")
@login_required
def history(review_id: int):
    review = service.get_review_or_404(review_id)
    revisions = service.history(current_user, review)
    return render_template("reviews/history.html", review=review, revisions=revisions)


@bp.get("/me/reviews")
@login_required
def mine():
    reviews = service.reviews_by(current_user, page_number(request.args.get("page")), 20)
    waiting = service.waiting_for_outcome(current_user)
    return render_template("reviews/mine.html", reviews=reviews, waiting=waiting)
