"""The server-drawn bar charts: an image with its title and description, one bar per month
and series, escaped text, an axis that rounds up."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from frontiers_de.editorial.charts import Series, bar_chart, nice_top

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def test_a_chart_is_a_titled_image_with_a_bar_per_month_and_series():
    months = ["Jan", "Feb", "Mar"]
    svg = _parse(
        bar_chart(
            "c1",
            "Decisions <2025>",
            "Accepted & rejected",
            months,
            [Series("Accepted", "bar-accepted", [1, 0, 4]), Series("Rejected", "bar-x", [2, 3, 0])],
        )
    )
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "Decisions <2025>"  # escaped in, read back
    assert svg.find(f"{SVG}desc").text == "Accepted & rejected"
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == 6
    heights = [float(b.get("height")) for b in bars]
    tallest = bars[heights.index(max(heights))]
    assert tallest.find(f"{SVG}title").text == "Mar, Accepted: 4"
    assert [float(b.get("height")) for b in bars if b.find(f"{SVG}title").text.endswith(": 0")] == [
        0.0,
        0.0,
    ]
    labels = [t.text for t in svg.findall(f"{SVG}text")]
    assert all(m in labels for m in months) and "0" in labels


def test_an_empty_chart_still_draws():
    svg = _parse(bar_chart("c2", "t", "d", ["Jan"], [Series("R", "bar", [0])]))
    assert float(svg.find(f"{SVG}rect").get("height")) == 0.0


@pytest.mark.parametrize(
    "value, top", [(0, 1), (1, 1), (3, 5), (7, 10), (12, 20), (49, 50), (51, 100), (0.4, 1)]
)
def test_nice_top(value, top):
    assert nice_top(value) == top


def test_shorter_axis_labels_keep_the_full_names_in_the_bars():
    svg = _parse(
        bar_chart("c3", "t", "d", ["1月", "2月"], [Series("R", "bar", [1, 2])], ["1", "2"])
    )
    assert [t.text for t in svg.findall(f"{SVG}text")][-2:] == ["1", "2"]
    assert svg.find(f"{SVG}rect/{SVG}title").text == "1月, R: 1"
