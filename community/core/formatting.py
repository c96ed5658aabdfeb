"""Dates, numbers and money in the reader's locale, as Jinja filters."""

from contextvars import ContextVar
from datetime import date as date_type
from datetime import datetime

from flask import Flask, before_render_template, template_rendered
from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_translations,
)
from flask_babel import gettext as _

from community.core.money import to_decimal


def money(minor: int | None, currency: str | None) -> str:
    if minor is None or not currency:
        return "—"
    return format_currency(to_decimal(minor, currency), currency)


def hourly(minor: int | None, currency: str | None) -> str:
    if minor is None or not currency:
        return "—"
    return _("%(amount)s/h", amount=money(minor, currency))


def number(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return format_decimal(value, format=f"#,##0.{'0' * digits}" if digits else "#,##0")


def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return format_percent(value, format="#,##0%")


def date(value: datetime | None) -> str:
    return format_date(value, "medium") if value else ""


def month(value: date_type | None) -> str:
    """'March 2026', 'mars 2026'."""
    return format_date(value, "MMMM yyyy") if value else ""


def timestamp(value: datetime | None) -> str:
    return format_datetime(value, "medium") if value else ""


# The translations of the page being rendered: read once per render, not at each of the two
# hundred _() of a page (Flask-Babel looks the request, the locale and its cache up every time).
_rendering: ContextVar = ContextVar("translations_of_this_render", default=None)


def _translations():
    return _rendering.get() or get_translations()


def _remember_translations(_sender, template, context, **_extra) -> None:
    _rendering.set(get_translations())


def _forget_translations(_sender, template, context, **_extra) -> None:
    _rendering.set(None)


def install_translations(app: Flask) -> None:
    """The same gettext callables as Flask-Babel's, reading the translations once per render."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    before_render_template.connect(_remember_translations, app)
    template_rendered.connect(_forget_translations, app)


def register_filters(app: Flask) -> None:
    for name, function in {
        "money": money,
        "hourly": hourly,
        "number": number,
        "percent": percent,
        "date": date,
        "month": month,
        "timestamp": timestamp,
    }.items():
        app.add_template_filter(function, name)
