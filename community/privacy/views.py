from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    session,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from community.accounts import passwords
from community.core.database import utcnow
from community.core.errors import DomainError
from community.core.limits import limit_writes
from community.core.views import on_refusal
from community.privacy import deletion, export
from community.privacy.forms import DeleteAccountForm, ExportForm

bp = Blueprint("privacy", __name__)


def _page(export_form=None, delete_form=None, status=200):
    return render_template(
        "privacy/my_data.html",
        export_form=export_form or ExportForm(),
        delete_form=delete_form or DeleteAccountForm(),
    ), status


@bp.get("/me/data")
@login_required
def my_data():
    return _page()


@bp.post("/me/data/export")
@login_required
@limit_writes
def download():
    form = ExportForm()
    if not form.validate_on_submit():
        return _page(export_form=form, status=422)
    on_refusal(lambda: _page(export_form=form, status=422)[0])
    if not passwords.verify_password(current_user.password_hash, form.password.data):
        raise DomainError(_("Your password is not correct."))
    user = current_user._get_current_object()
    name = f"taskopticon-{user.username}-{utcnow():%Y%m%d}.zip"
    return Response(
        stream_with_context(export.archive(user)),
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/me/data/delete")
@login_required
@limit_writes
def delete_account():
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _page(delete_form=form, status=422)
    on_refusal(lambda: _page(delete_form=form, status=422)[0])
    deletion.delete_account(
        current_user._get_current_object(), form.password.data, form.choice.data
    )
    logout_user()
    session.clear()
    flash(_("Your account is deleted. Thank you for what you shared."))
    return redirect(url_for("pages.home"))
