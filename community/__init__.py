"""Taskopticon: a community site run by and for micro-workers."""

from datetime import timedelta
from pathlib import Path

from flask import (
    Flask,
    current_app,
    flash,
    g,
    has_request_context,
    jsonify,
    render_template,
    request,
    session,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from community.api.http import ApiAwareSessionInterface, api_locale, is_api_request
from community.config import build_config, instance_path
from community.core.database import ENGINE_OPTIONS, init_database
from community.core.errors import DomainError, error_code
from community.core.formatting import install_translations, register_filters
from community.core.pagecache import init_page_cache
from community.core.security import SiteRequest, add_security_headers, strip_nul_from_path
from community.extensions import babel, csrf, db, limiter, login_manager, migrate
from community.search.documents import register_source
from community.search.service import drain_after_request

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.instance_path = instance_path(config or {}, app.instance_path)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(build_config(app.instance_path))
    app.config.update(config or {})
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(
        days=app.config["REMEMBER_COOKIE_DURATION_DAYS"]
    )
    app.session_interface = ApiAwareSessionInterface()
    app.request_class = SiteRequest
    app.url_value_preprocessor(strip_nul_from_path)

    _init_extensions(app)
    _register_blueprints(app)
    _register_search_sources()
    _register_errors(app)
    register_filters(app)
    install_translations(app)
    app.context_processor(lambda: {"current_locale": str(get_locale())})
    app.after_request(add_security_headers)
    app.after_request(drain_after_request)

    from community.cli import register_commands

    register_commands(app)
    return app


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if is_api_request():  # the API reads no cookie: the same answer for everyone
        return api_locale(languages, current_app.config["BABEL_DEFAULT_LOCALE"])
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def _init_extensions(app: Flask) -> None:
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", ENGINE_OPTIONS)
    db.init_app(app)
    with app.app_context():
        init_database(app, db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "community" / "translations"),
    )
    limiter.init_app(app)
    # After CSRFProtect (its csrf_token() for templates is wrapped) and the limiter (a kept
    # answer is still counted against the limits).
    init_page_cache(app)

    from community.accounts.service import load_by_session_token

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_by_session_token)


def _register_blueprints(app: Flask) -> None:
    from community.accounts.views import bp as accounts
    from community.api.pages import bp as api_pages
    from community.api.views import bp as api
    from community.catalog.views import bp as catalog
    from community.flags.views import bp as flags
    from community.forum.views import bp as forum
    from community.moderation.views import bp as moderation
    from community.notifications.views import bp as notifications
    from community.pages.views import bp as pages
    from community.privacy.views import bp as privacy
    from community.proofs.views import bp as proofs
    from community.reviews.views import bp as reviews
    from community.search.views import bp as search

    for blueprint in (
        pages,
        privacy,
        accounts,
        catalog,
        reviews,
        proofs,
        flags,
        forum,
        notifications,
        search,
        api,
        api_pages,
        moderation,
    ):
        app.register_blueprint(blueprint)


def _register_search_sources() -> None:
    from community.catalog.indexing import SOURCES as catalog_sources
    from community.flags.indexing import SOURCES as flag_sources
    from community.forum.indexing import SOURCES as forum_sources
    from community.reviews.indexing import SOURCES as review_sources

    for source in (*catalog_sources, *forum_sources, *review_sources, *flag_sources):
        register_source(source)


def _wants_json() -> bool:
    return is_api_request()


def json_error(status: int, message: str, code: str | None = None):
    """The one shape of every error the API answers: {"error": {"status", "code", "message"}}."""
    body = {"status": status, "code": code or error_code(status), "message": str(message)}
    return jsonify(error=body), status


def _api_messages(error: HTTPException) -> dict[int, str]:
    """Messages for API clients, where the site's pages speak of pages and forms."""
    return {
        404: _("Nothing here. The API documentation lists every address: /api/v1/openapi.json"),
        405: _("The API only reads: use GET."),
        429: _(
            "Too many requests: the API allows %(limit)s from one address. Wait the number of "
            "seconds given in the Retry-After header, then try again.",
            limit=error.description,
        ),
    }


def _register_errors(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        db.session.rollback()
        if _wants_json():
            return json_error(error.status_code, error.message, error.code)
        if g.get("form_page") is not None and request.method == "POST":
            flash(error.message, "error")
            return g.form_page(), error.status_code
        return render_template(
            "errors/error.html", status=error.status_code, message=error.message
        ), error.status_code

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _("This form had expired. Please go back, reload the page and send it again.")
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        messages = {
            400: _("The request could not be understood. Please go back and try again."),
            403: _("You are not allowed to do this."),
            404: _("This page does not exist, or no longer does."),
            405: _("This address does not accept this kind of request."),
            413: _("What you sent is too large. Please send something smaller."),
            429: _("Too many requests in a short time. Please wait a minute and try again."),
        }
        message = messages.get(error.code, _("Something went wrong. Please try again."))
        if _wants_json():
            return json_error(error.code, _api_messages(error).get(error.code, message))
        return render_template("errors/error.html", status=error.code, message=message), error.code

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        message = _(
            "Something went wrong on our side. Nothing you typed was lost: go back and try again."
        )
        if _wants_json():
            return json_error(500, message)
        return render_template("errors/error.html", status=500, message=message), 500
