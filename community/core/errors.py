"""Domain errors: refusals that carry a message written for the person who was refused.

Each error also has a stable, machine-readable `code` (the JSON API answers
`{"error": {"status", "code", "message"}}`); `ERROR_CODES` names every HTTP status the site
answers with, so clients can rely on the code even where the message is translated.
"""

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}


def error_code(status: int) -> str:
    return ERROR_CODES.get(status, "server_error" if status >= 500 else "bad_request")


class DomainError(Exception):
    """A rule said no. `message` is already translated for the user; `code` overrides the
    code of the status when a client needs to tell this refusal from others."""

    status_code = 422

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        self._code = code

    @property
    def code(self) -> str:
        return self._code or error_code(self.status_code)


class BadRequest(DomainError):
    status_code = 400


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class RateLimited(DomainError):
    status_code = 429
