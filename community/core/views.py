"""Small helpers shared by every feature's views."""

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app, g, has_request_context, url_for


def on_refusal(render: Callable[[], str]) -> None:
    """Tell the DomainError handler how to show this form again, with what the member typed."""
    g.form_page = render


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site paths: `next=` must never send a member to another site."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return fallback
    return target


def path_for(endpoint: str, **values) -> str:
    """The path of a page, inside a request or outside one (services run from commands too)."""
    if has_request_context():
        return url_for(endpoint, **values)
    anchor = values.pop("_anchor", None)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return f"{path}#{anchor}" if anchor else path
