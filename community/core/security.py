"""Headers every answer carries, and what every request's input is cleaned of."""

from flask import Request, Response
from werkzeug.datastructures import MultiDict
from werkzeug.utils import cached_property

NUL = "\x00"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


# NUL bytes: no text a member types holds one, and PostgreSQL refuses them in any text value
# (a query with one would fail as a server error). They are dropped before a view sees them.


def _without_nul(values: MultiDict) -> MultiDict:
    return type(values)(
        (key.replace(NUL, ""), value.replace(NUL, "") if isinstance(value, str) else value)
        for key, value in values.items(multi=True)
    )


class SiteRequest(Request):
    """The request every view reads: query string and form without NUL bytes."""

    @cached_property
    def args(self) -> MultiDict:
        return _without_nul(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])


def strip_nul_from_path(endpoint: str | None, values: dict | None) -> None:
    """The same for the parts of the path a view receives (a pseudonym, a slug)."""
    for name, value in (values or {}).items():
        if isinstance(value, str):
            values[name] = value.replace(NUL, "")
