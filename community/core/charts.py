"""Small charts drawn on the server as SVG: no script, no library, nothing fetched.

The builders take numbers for the geometry and ready-made (translated, formatted) strings for
every word a reader sees; they escape those strings. Colours come from the site's CSS through
classes (`chart-*`); the SVG itself carries only geometry. Every chart has a <title> and a
<desc> read out in place of the drawing; the page adds the figures as a table.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

# Every element the builders write (pages are checked against what the site writes).
SVG_ELEMENTS = frozenset({"svg", "title", "desc", "rect", "text", "line", "polyline", "circle"})


@dataclass(frozen=True)
class Bar:
    label: str  # beside the bar: "4★"
    value: float
    value_label: str  # after the bar: "12"
    css_class: str = ""  # e.g. "s4", to colour a bar by what it stands for


@dataclass(frozen=True)
class Point:
    label: str  # under the point, on the time axis: "Mar"; may be "" to keep the axis light
    value: float | None  # None: nothing reported then (a gap in the line)
    tooltip: str  # shown on hover: "March 2026: $4.50/h, 3 reviews"
    count_label: str = ""  # the row of counts under the axis: "3"


def nice_ticks(highest: float, count: int = 4) -> list[float]:
    """0 and round steps (1, 2, 2.5 or 5 times a power of ten) up to at least `highest`."""
    if highest <= 0 or not math.isfinite(highest):
        return [0.0, 1.0]
    rough = highest / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(power * m for m in (1, 2, 2.5, 5, 10) if power * m >= rough)
    steps = math.ceil(highest / step - 1e-9)
    return [round(step * index, 10) for index in range(steps + 1)]


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _attributes(**values) -> Markup:
    return Markup(" ").join(
        Markup('{}="{}"').format(name.rstrip("_").replace("_", "-"), value)
        for name, value in values.items()
    )


def _frame(chart_id: str, width: int, height: int, title: str, description: str, body) -> Markup:
    head = Markup(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
    ).format(w=width, h=height, id=chart_id, title=title, desc=description)
    return head + Markup("").join(body) + Markup("</svg>")


def _text(x: float, y: float, content: str, css_class: str, anchor: str = "start") -> Markup:
    return Markup("<text {}>{}</text>").format(
        _attributes(x=_number(x), y=_number(y), class_=css_class, text_anchor=anchor), content
    )


BAR_ROW = 22
BAR_WIDTH = 200
BAR_LABEL_WIDTH = 30
BAR_VALUE_WIDTH = 34


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    scale_max: float | None = None,
) -> Markup:
    """Horizontal bars, one row each, against a shared scale (the largest bar by default)."""
    if not bars:
        return Markup("")
    top = max(scale_max or 0, *(bar.value for bar in bars)) or 1
    track = BAR_WIDTH - BAR_LABEL_WIDTH - BAR_VALUE_WIDTH
    body = []
    for index, bar in enumerate(bars):
        y = index * BAR_ROW
        length = track * max(bar.value, 0) / top
        body.append(_text(BAR_LABEL_WIDTH - 6, y + 15, bar.label, "chart-label", "end"))
        body.append(
            Markup("<rect {}/>").format(
                _attributes(
                    x=BAR_LABEL_WIDTH, y=y + 5, width=track, height=12, class_="chart-track"
                )
            )
        )
        if length > 0:
            body.append(
                Markup("<rect {}/>").format(
                    _attributes(
                        x=BAR_LABEL_WIDTH,
                        y=y + 5,
                        width=_number(max(length, 1.5)),
                        height=12,
                        class_=f"chart-bar {bar.css_class}".strip(),
                    )
                )
            )
        body.append(_text(BAR_WIDTH - 2, y + 15, bar.value_label, "chart-value", "end"))
    return _frame(chart_id, BAR_WIDTH, len(bars) * BAR_ROW, title, description, body)


LINE_WIDTH = 320
LINE_LEFT = 48  # room for the value labels of the vertical axis
LINE_RIGHT = 10
LINE_TOP = 10
LINE_PLOT_HEIGHT = 120


def line_chart(
    points: Sequence[Point],
    *,
    chart_id: str,
    title: str,
    description: str,
    format_tick: Callable[[float], str],
    count_caption: str = "",
) -> Markup:
    """Values over equal time steps, from 0 up; a None value leaves a gap in the line. Under
    the axis: each point's label, then its count (with `count_caption` at the left)."""
    if not points:
        return Markup("")
    values = [point.value for point in points if point.value is not None]
    ticks = nice_ticks(max(values, default=0))
    top = ticks[-1]
    slot = (LINE_WIDTH - LINE_LEFT - LINE_RIGHT) / len(points)
    bottom = LINE_TOP + LINE_PLOT_HEIGHT

    def x_of(index: int) -> float:
        return LINE_LEFT + slot * (index + 0.5)

    def y_of(value: float) -> float:
        return bottom - LINE_PLOT_HEIGHT * value / top

    body = []
    for tick in ticks:
        y = y_of(tick)
        body.append(
            Markup("<line {}/>").format(
                _attributes(
                    x1=LINE_LEFT,
                    x2=LINE_WIDTH - LINE_RIGHT,
                    y1=_number(y),
                    y2=_number(y),
                    class_="chart-axis" if tick == 0 else "chart-grid",
                )
            )
        )
        body.append(_text(LINE_LEFT - 5, y + 4, format_tick(tick), "chart-label", "end"))

    runs, run = [], []
    for index, point in enumerate(points):
        if point.value is None:
            runs.append(run)
            run = []
        else:
            run.append(f"{_number(x_of(index))},{_number(y_of(point.value))}")
    runs.append(run)
    for run in runs:
        if len(run) > 1:
            body.append(
                Markup("<polyline {}/>").format(
                    _attributes(points=" ".join(run), class_="chart-line")
                )
            )
    for index, point in enumerate(points):
        if point.value is not None:
            body.append(
                Markup("<circle {}><title>{}</title></circle>").format(
                    _attributes(
                        cx=_number(x_of(index)),
                        cy=_number(y_of(point.value)),
                        r=4,
                        class_="chart-point",
                    ),
                    point.tooltip,
                )
            )
        if point.label:
            body.append(_text(x_of(index), bottom + 16, point.label, "chart-label", "middle"))
        if point.count_label:
            body.append(_text(x_of(index), bottom + 34, point.count_label, "chart-count", "middle"))
    if count_caption:
        body.append(_text(LINE_LEFT - 5, bottom + 34, count_caption, "chart-count", "end"))
    return _frame(chart_id, LINE_WIDTH, bottom + 42, title, description, body)
