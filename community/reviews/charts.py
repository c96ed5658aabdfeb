"""The charts of a requester or platform page, drawn from its stored figures (never from the
reviews themselves), with every word in the reader's language."""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from community.core import charts
from community.core.formatting import hourly
from community.core.formatting import month as month_name
from community.reviews.aggregates import SCORES, month_shift
from community.reviews.models import PayMonth


def score_labels() -> dict[str, str]:
    return {"pay": _("Pay"), "fairness": _("Fairness"), "communication": _("Communication")}


def score_distribution(window: dict, name: str, chart_id: str) -> Markup:
    """How many reviewers gave each score from 1 to 5, on the scale shared by the three scores
    (so that their bars compare)."""
    counts = window["scores"][name]["dist"]
    shared = max(max(window["scores"][score]["dist"]) for score in SCORES)
    titles = {
        "pay": _("Pay scores given, from 1 to 5"),
        "fairness": _("Fairness scores given, from 1 to 5"),
        "communication": _("Communication scores given, from 1 to 5"),
    }
    bars = [
        charts.Bar(f"{stars}★", count, str(count), f"s{stars}")
        for stars, count in enumerate(counts, start=1)
    ]
    description = "; ".join(
        ngettext("%(stars)d★: %(num)d reviewer", "%(stars)d★: %(num)d reviewers", count, stars=s)
        for s, count in enumerate(counts, start=1)
    )
    return charts.bar_chart(
        bars,
        chart_id=chart_id,
        title=titles[name],
        description=description,
        scale_max=shared,
    )


@dataclass(frozen=True)
class Month:
    month: date
    reviewers: int
    median_usd_cents: int | None


def months_of(rows: list[PayMonth]) -> list[Month]:
    """Every calendar month from the first stored to the last, the empty ones included."""
    if not rows:
        return []
    stored = {row.month: row for row in rows}
    months, month = [], rows[0].month
    while month <= rows[-1].month:
        row = stored.get(month)
        months.append(
            Month(month, row.reviewers, row.median_hourly_usd_cents)
            if row
            else Month(month, 0, None)
        )
        month = month_shift(month, 1)
    return months


def _tooltip(month: Month) -> str:
    when = month_name(month.month)
    return ngettext(
        "%(month)s: median %(pay)s, %(num)d review",
        "%(month)s: median %(pay)s, %(num)d reviews",
        month.reviewers,
        month=when,
        pay=hourly(month.median_usd_cents, "USD"),
    )


def pay_over_time(rows: list[PayMonth], chart_id: str) -> Markup:
    """The median effective hourly pay of each month (US dollars), with its number of reviews."""
    months = months_of(rows)
    if not months:
        return Markup("")
    crowded = len(months) > 6

    def axis_label(index: int, month: Month) -> str:
        if crowded and (len(months) - 1 - index) % 2:
            return ""  # every other month, counted from the latest, keeps the labels apart
        return format_date(month.month, "MMM")

    points = [
        charts.Point(
            label=axis_label(index, month),
            value=month.median_usd_cents,
            tooltip=_tooltip(month) if month.reviewers else month_name(month.month),
            count_label=str(month.reviewers) if month.reviewers else "",
        )
        for index, month in enumerate(months)
    ]
    return charts.line_chart(
        points,
        chart_id=chart_id,
        title=_("Median effective hourly pay by month, in US dollars"),
        description=_describe(months),
        format_tick=lambda cents: format_decimal(cents / 100, "#,##0.##"),
        count_caption=_("reviews"),
    )


def _describe(months: list[Month]) -> str:
    total = sum(month.reviewers for month in months)
    if len(months) == 1:
        return _tooltip(months[0])
    return ngettext(
        "From %(first)s to %(last)s the monthly median went from %(start)s to %(end)s, "
        "over %(num)d review that gives its pay and time.",
        "From %(first)s to %(last)s the monthly median went from %(start)s to %(end)s, "
        "over %(num)d reviews that give their pay and time.",
        total,
        first=month_name(months[0].month),
        last=month_name(months[-1].month),
        start=hourly(months[0].median_usd_cents, "USD"),
        end=hourly(months[-1].median_usd_cents, "USD"),
    )
