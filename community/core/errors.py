"""Domain errors: refusals that carry a message written for the person who was refused."""


class DomainError(Exception):
    """A rule said no. `message` is already translated for the user."""

    status_code = 422

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class RateLimited(DomainError):
    status_code = 429
