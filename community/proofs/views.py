from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from community.catalog import service as catalog
from community.core import images
from community.core.limits import limit_writes
from community.core.pagination import page_number
from community.core.views import on_refusal
from community.extensions import db
from community.moderation import service as moderation
from community.proofs import legit, permissions, service
from community.proofs.forms import (
    MARK_LABELS,
    PAYOUT_METHOD_LABELS,
    REMOVAL_LABELS,
    ProofForm,
)

bp = Blueprint("proofs", __name__)

GALLERY_PAGE_SIZE = 24
IMAGE_MAX_AGE_SECONDS = 3600
# The image alone, as a document: no script, no plug-in, no same-origin rights if opened directly.
IMAGE_CSP = "default-src 'none'; sandbox"


@bp.app_context_processor
def proof_helpers() -> dict:
    return {
        "proof_permissions": permissions,
        "payout_method_labels": PAYOUT_METHOD_LABELS,
        "mark_labels": MARK_LABELS,
        "removal_labels": REMOVAL_LABELS,
    }


@bp.get("/proofs")
def index():
    page = service.proofs_of(None, page_number(request.args.get("page")), GALLERY_PAGE_SIZE)
    return render_template("proofs/index.html", page=page)


@bp.route("/proofs/new", methods=["GET", "POST"])
@login_required
@limit_writes
def new():
    form = ProofForm()
    form.offer_platforms()
    if request.method == "GET":
        form.prefill_target(request.args)

    def page():
        return render_template("proofs/new.html", form=form)

    if not form.validate_on_submit():
        return page(), 422 if request.method == "POST" else 200
    on_refusal(page)
    try:
        proof = service.submit_proof(
            current_user, form.to_data(), form.screenshot.data.stream, form.submission_key.data
        )
    except images.ImageRefused as refusal:  # shown beside the file field, where it belongs
        db.session.rollback()
        form.screenshot.errors = [refusal.message]
        return page(), refusal.status_code
    flash(_("Thank you — your proof of payment is published. Trusted members will check it."))
    return redirect(url_for("proofs.show", proof_id=proof.id))


@bp.get("/proofs/<int:proof_id>")
def show(proof_id: int):
    proof = service.get_visible_proof_for(current_user, proof_id)
    return render_template(
        "proofs/show.html", proof=proof, my_mark=service.mark_of(current_user, proof)
    )


def _send_image(proof_id: int, thumbnail: bool):
    path, name = service.image_file(proof_id, thumbnail)
    response = send_file(
        path,
        mimetype=images.STORED_MIMETYPE,
        conditional=True,
        etag=True,
        max_age=IMAGE_MAX_AGE_SECONDS,
    )
    response.headers["Cache-Control"] = f"private, max-age={IMAGE_MAX_AGE_SECONDS}"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Content-Security-Policy"] = IMAGE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@bp.get("/proofs/<int:proof_id>/image")
def image(proof_id: int):
    return _send_image(proof_id, thumbnail=False)


@bp.get("/proofs/<int:proof_id>/thumbnail")
def thumbnail(proof_id: int):
    return _send_image(proof_id, thumbnail=True)


def _back_to(proof) -> str:
    return url_for("proofs.show", proof_id=proof.id, _anchor="checks")


@bp.post("/proofs/<int:proof_id>/mark")
@login_required
@limit_writes
def mark(proof_id: int):
    proof = service.get_proof_or_404(proof_id)
    service.mark_proof(current_user, proof, request.form.get("verdict", ""))
    flash(_("Thank you — your mark is recorded."))
    return redirect(_back_to(proof))


@bp.post("/proofs/<int:proof_id>/confirm")
@login_required
@limit_writes
def confirm(proof_id: int):
    proof = service.get_proof_or_404(proof_id)
    service.confirm_proof(current_user, proof)
    flash(_("The proof is confirmed. It now counts in the “Is it legit?” card."))
    return redirect(_back_to(proof))


@bp.post("/proofs/<int:proof_id>/remove")
@login_required
@limit_writes
def remove(proof_id: int):
    proof = service.get_proof_or_404(proof_id)
    on_refusal(lambda: render_template("proofs/show.html", proof=proof, my_mark=None))
    moderation.hide(
        current_user, "proof", proof.id, request.form.get("reason", ""), request.form.get("note")
    )
    flash(_("The proof is removed from public view."))
    return redirect(url_for("catalog.platform", slug=proof.platform.slug))


@bp.post("/proofs/<int:proof_id>/withdraw")
@login_required
@limit_writes
def withdraw(proof_id: int):
    proof = service.get_proof_or_404(proof_id)
    service.withdraw_proof(current_user, proof)
    flash(_("Your proof is withdrawn and its screenshot deleted."))
    return redirect(url_for("catalog.platform", slug=proof.platform.slug))


@bp.get("/platforms/<slug>/proofs")
def platform_proofs(slug: str):
    platform = catalog.get_platform_by_slug_or_404(slug)
    page = service.proofs_of(platform, page_number(request.args.get("page")), GALLERY_PAGE_SIZE)
    return render_template(
        "proofs/gallery.html",
        target=platform,
        platform=platform,
        page=page,
        totals=service.totals_of(platform),
    )


@bp.get("/requesters/<int:requester_id>/proofs")
def requester_proofs(requester_id: int):
    requester = catalog.get_requester_or_404(requester_id)
    page = service.proofs_of(requester, page_number(request.args.get("page")), GALLERY_PAGE_SIZE)
    return render_template(
        "proofs/gallery.html",
        target=requester,
        platform=requester.platform,
        page=page,
        totals=service.totals_of(requester),
    )


@bp.get("/legit-rules")
def legit_rules():
    return render_template(
        "proofs/legit_rules.html",
        rules=legit.Rules.from_config(current_app.config),
        labels=legit.LABELS,
    )
