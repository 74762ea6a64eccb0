"""Bar charts drawn as SVG on the server: no script, no charting library. A chart is an image
with its title and description (``role="img"``, ``aria-labelledby``); the page puts the
same figures in a table beside it for those who do not see it. Pure: figures in, markup out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 12, 28  # room for the axis labels


@dataclass(frozen=True)
class Series:
    """One kind of bar: its label (for the legend), a CSS class (its colour) and a value
    per category."""

    label: str
    css: str
    values: Sequence[float]


def nice_top(value: float) -> int:
    """A round top for the axis at or above ``value`` (1, 2, 5 times a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return int(max(step * power, 1))
    return int(10 * power)  # pragma: no cover - the loop always returns


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    axis_labels: Sequence[str] | None = None,
) -> Markup:
    """A grouped bar chart: one group of bars per category (month), one bar per series,
    with a value axis (0, half, top) and the categories below (or ``axis_labels``, shorter
    names for the same categories where the full ones would not fit)."""
    axis_labels = axis_labels or categories
    top = nice_top(max((v for s in series for v in s.values), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        'preserveAspectRatio="xMidYMid meet" focusable="false">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
    ]
    for tick in (0, top / 2, top):
        y = TOP + plot_h - plot_h * tick / top
        label = f"{tick:g}"
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="chart-axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
    for i, category in enumerate(categories):
        x0 = LEFT + i * group_w + group_w * 0.1
        for j, s in enumerate(series):
            value = s.values[i]
            h = plot_h * value / top
            parts.append(
                f'<rect class="bar {escape(s.css)}" x="{x0 + j * bar_w:.1f}" '
                f'y="{TOP + plot_h - h:.1f}" width="{max(bar_w - 1, 1):.1f}" height="{h:.1f}">'
                f"<title>{escape(category)}, {escape(s.label)}: {value:g}</title></rect>"
            )
        parts.append(
            f'<text class="chart-axis" x="{LEFT + (i + 0.5) * group_w:.1f}" '
            f'y="{HEIGHT - 8}" text-anchor="middle">{escape(axis_labels[i])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
