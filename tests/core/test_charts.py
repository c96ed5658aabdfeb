"""The SVG chart builders: scales, empty and one-point data, escaping, text alternatives."""

import re
import xml.etree.ElementTree as ET

import pytest

from community.core.charts import SVG_ELEMENTS, Bar, Point, bar_chart, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    """The chart is well-formed XML (an SVG document once given its namespace)."""
    return ET.fromstring(  # noqa: S314 - the builder's own output
        str(markup).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    )


def bars(*values):
    return [Bar(f"{i}★", v, str(v), f"s{i}") for i, v in enumerate(values, start=1)]


def points(*values):
    return [Point(f"m{i}", v, f"month {i}: {v}", str(i)) for i, v in enumerate(values)]


def line(values_or_points, **kwargs):
    given = values_or_points
    if given and not isinstance(given[0], Point):
        given = points(*given)
    options = {"chart_id": "c", "title": "T", "description": "D", "format_tick": str}
    return line_chart(given, **{**options, **kwargs})


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [
        (10, [0, 2.5, 5, 7.5, 10]),
        (7, [0, 2, 4, 6, 8]),
        (1234, [0, 500, 1000, 1500]),
        (0.3, [0, 0.1, 0.2, 0.3]),
        (1, [0, 0.25, 0.5, 0.75, 1]),
        (0, [0, 1]),
    ],
)
def test_ticks_are_round_and_reach_the_highest_value(highest, ticks):
    assert nice_ticks(highest) == ticks


def test_bars_are_scaled_to_the_largest_value_or_a_shared_maximum():
    chart = parse(bar_chart(bars(0, 5, 10), chart_id="d", title="T", description="D"))
    tracks = [r for r in chart.iter(f"{SVG}rect") if r.get("class") == "chart-track"]
    filled = [r for r in chart.iter(f"{SVG}rect") if "chart-bar" in r.get("class")]
    assert len(tracks) == 3
    assert len(filled) == 2  # a zero draws no bar, only its track
    full = float(tracks[0].get("width"))
    assert [float(r.get("width")) for r in filled] == [full / 2, full]
    assert [r.get("class") for r in filled] == ["chart-bar s2", "chart-bar s3"]

    shared = parse(bar_chart(bars(5), chart_id="d", title="T", description="D", scale_max=20))
    bar = next(r for r in shared.iter(f"{SVG}rect") if "chart-bar" in r.get("class"))
    assert float(bar.get("width")) == full / 4


def test_a_chart_names_itself_for_screen_readers():
    chart = parse(bar_chart(bars(1, 2), chart_id="pay", title="Pay scores", description="1★: 1"))
    assert chart.get("role") == "img"
    assert chart.get("aria-labelledby") == "pay-title pay-desc"
    assert chart.find(f"{SVG}title").get("id") == "pay-title"
    assert chart.find(f"{SVG}title").text == "Pay scores"
    assert chart.find(f"{SVG}desc").text == "1★: 1"


def test_no_data_draws_nothing():
    assert str(bar_chart([], chart_id="d", title="T", description="D")) == ""
    assert str(line([])) == ""


def test_the_line_rises_with_the_value_and_the_axis_starts_at_zero():
    chart = parse(line([100, 300, 200]))
    circles = list(chart.iter(f"{SVG}circle"))
    ys = [float(c.get("cy")) for c in circles]
    xs = [float(c.get("cx")) for c in circles]
    assert ys[1] < ys[2] < ys[0]  # SVG's y grows downwards
    assert xs == sorted(xs) and xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])
    rules = list(chart.iter(f"{SVG}line"))
    assert [rule.get("class") for rule in rules] == ["chart-axis"] + ["chart-grid"] * 3
    labels = [t.text for t in chart.iter(f"{SVG}text")]
    assert labels[:4] == ["0", "100", "200", "300"]  # format_tick=str, one label per rule
    assert ys[1] == pytest.approx(float(rules[-1].get("y1")))  # 300 touches the top rule
    assert len(list(chart.iter(f"{SVG}polyline"))) == 1


def test_one_point_is_a_dot_without_a_line():
    chart = parse(line([250]))
    assert len(list(chart.iter(f"{SVG}circle"))) == 1
    assert list(chart.iter(f"{SVG}polyline")) == []
    circle = next(chart.iter(f"{SVG}circle"))
    assert circle.find(f"{SVG}title").text == "month 0: 250"


def test_a_month_without_data_breaks_the_line():
    chart = parse(line([100, None, 200, 300]))
    assert len(list(chart.iter(f"{SVG}circle"))) == 3
    runs = [p.get("points").split() for p in chart.iter(f"{SVG}polyline")]
    assert [len(run) for run in runs] == [2]  # 100 stands alone, 200-300 is a line


def test_all_zero_values_still_have_a_scale():
    chart = parse(line([0, 0]))
    ys = {float(c.get("cy")) for c in chart.iter(f"{SVG}circle")}
    assert len(ys) == 1 and all(map(lambda y: y > 0, ys))


def test_counts_and_labels_sit_under_the_axis():
    chart = parse(line([1, 2], count_caption="reviews"))
    texts = {t.text: t for t in chart.iter(f"{SVG}text")}
    assert {"m0", "m1", "0", "1", "reviews"} <= set(texts)
    assert texts["reviews"].get("text-anchor") == "end"


def test_every_word_is_escaped():
    hostile = '<script>alert("x")</script> & "quotes"'
    markup = str(
        bar_chart(
            [Bar(hostile, 1, hostile, '" onload="x')],
            chart_id='x" onload="y',
            title=hostile,
            description=hostile,
        )
    )
    markup += str(line([Point(hostile, 1, hostile, hostile)], title=hostile, description=hostile))
    assert "<script>" not in markup
    assert 'onload="' not in markup
    assert "&lt;script&gt;" in markup and "&amp;" in markup and "&#34;" in markup
    parse(markup.split("</svg>")[0] + "</svg>")


def test_the_svg_carries_no_style_and_no_script():
    markup = str(line([1, 2, 3])) + str(bar_chart(bars(1), chart_id="b", title="", description=""))
    assert "style" not in markup
    assert not re.search(r"\son\w+=", markup)
    assert "<script" not in markup


def test_every_element_written_is_declared():
    markup = str(line([1, 2, None, 3], count_caption="n")) + str(
        bar_chart(bars(0, 1), chart_id="b", title="t", description="d")
    )
    assert set(re.findall(r"<([a-z]+)\b", markup)) == SVG_ELEMENTS
