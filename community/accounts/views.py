from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from community.accounts import service
from community.accounts.forms import LoginForm, PasswordForm, RegisterForm, SettingsForm
from community.core.limits import limit_writes
from community.core.views import on_refusal, safe_next
from community.extensions import limiter
from community.reviews import service as reviews

bp = Blueprint("accounts", __name__)

TRUST_LABELS = {0: _l("New member (TL0)"), 1: _l("Member (TL1)"), 2: _l("Trusted member (TL2)")}


@bp.app_context_processor
def account_helpers() -> dict:
    return {"trust_labels": TRUST_LABELS}


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _register_rate_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _start_session(user, remember: bool) -> None:
    lang = session.get("lang")
    session.clear()  # nothing from before the login survives into the member's session
    if lang:
        session["lang"] = lang
    login_user(user, remember=remember)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_rate_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = RegisterForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("accounts/register.html", form=form), status
    on_refusal(lambda: render_template("accounts/register.html", form=form))
    locale = session.get("lang")
    user = service.register(
        service.Registration(form.username.data, form.password.data, form.email.data, locale)
    )
    _start_session(user, remember=False)
    flash(_("Welcome, %(name)s. Your account is ready.", name=user.username))
    return redirect(url_for("pages.home"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login():
    next_url = safe_next(request.values.get("next"), url_for("pages.home"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("accounts/login.html", form=form, next_url=next_url), status
    on_refusal(lambda: render_template("accounts/login.html", form=form, next_url=next_url))
    user = service.authenticate(form.username.data, form.password.data)
    _start_session(user, remember=form.remember.data)
    flash(_("You are logged in."))
    return redirect(next_url)


@bp.post("/logout")
@login_required
def logout():
    service.end_all_sessions(current_user)
    logout_user()
    session.clear()
    flash(_("You are logged out on every device."))
    return redirect(url_for("pages.home"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@limit_writes
def settings():
    form = SettingsForm(obj=current_user)
    if request.method == "GET" or not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template(
            "accounts/settings.html", form=form, password_form=PasswordForm()
        ), status
    service.update_settings(
        current_user,
        service.Settings(
            form.email.data, form.country.data, form.locale.data, form.anonymous_by_default.data
        ),
    )
    if form.locale.data:
        session["lang"] = form.locale.data
    flash(_("Your settings are saved."))
    return redirect(url_for("accounts.settings"))


@bp.post("/settings/password")
@login_required
@limit_writes
def change_password():
    form = PasswordForm()

    def page():
        return render_template(
            "accounts/settings.html", form=SettingsForm(obj=current_user), password_form=form
        )

    if not form.validate_on_submit():
        return page(), 422
    on_refusal(page)
    service.change_password(current_user, form.current.data, form.password.data)
    _start_session(current_user._get_current_object(), remember=False)
    flash(_("Your password is changed. Every other session of your account has ended."))
    return redirect(url_for("accounts.settings"))


@bp.get("/members/<username>")
def profile(username: str):
    member = service.get_member_or_404(username)
    return render_template(
        "accounts/profile.html", member=member, signed_reviews=reviews.public_review_count(member)
    )


@bp.post("/language")
@limit_writes
def set_language():
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated:
        service.set_locale(current_user, lang)
    return redirect(safe_next(request.form.get("next"), url_for("pages.home")))
