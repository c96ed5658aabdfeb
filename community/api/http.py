"""What every answer under /api/ shares: no session, open CORS for reads, caching with ETag.

The API is public and the same for everyone: it never reads nor sets a session or remember
cookie, so a shared cache may keep its answers (they vary only by Accept-Language, which
translates labels and error messages).
"""

from flask import Flask, Request, Response, current_app, request
from flask.sessions import SecureCookieSessionInterface

API_PREFIX = "/api/"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, Accept-Language, If-None-Match"
EXPOSED_HEADERS = "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
PREFLIGHT_MAX_AGE_SECONDS = 86400


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX)


def is_api_request() -> bool:
    return is_api_path(request.path)


def api_locale(languages: list[str], default: str) -> str:
    """The API's language: ?lang=, else the Accept-Language header; never a cookie."""
    wanted = request.args.get("lang")
    if wanted in languages:
        return wanted
    return request.accept_languages.best_match(languages) or default


class ApiAwareSessionInterface(SecureCookieSessionInterface):
    """The site's signed cookie session, except under /api/: an empty session that is never
    saved, so API answers carry no Set-Cookie and no `Vary: Cookie`."""

    def open_session(self, app: Flask, request: Request):
        if is_api_path(request.path):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response: Response) -> None:
        if is_api_path(request.path):
            return
        super().save_session(app, session, response)


def _cors(response: Response) -> None:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE_SECONDS)


def _cache(response: Response) -> Response:
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        response.headers["Cache-Control"] = "no-store"
        return response
    max_age = current_app.config["API_CACHE_MAX_AGE_SECONDS"]
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.vary.add("Accept-Language")
    response.add_etag()  # a hash of the body: the same data gives the same ETag
    return response.make_conditional(request)


def finish_api_response(response: Response) -> Response:
    """After every request under /api/ (answers, errors and preflights alike)."""
    if not is_api_request():
        return response
    _cors(response)
    return _cache(response)
