"""Line charts drawn on the server as plain SVG, for pages meant for paper: they print the same
in every browser, with no script to wait for. They draw the very figures of the table beside
them (settled cells; a gap where a cell is not shown) and stand for nothing the table lacks.

Presentation attributes only (no ``style``): the pages keep the strict style policy.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from .charts import DASHES, GRID, INK, MUTED, SERIES

WIDTH, PLOT_HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 12, 40
LEGEND_LINE = 18
#: A narrower span of values is drawn as a span of 1 (figures show at most two decimals).
MIN_SPAN = 1e-6
#: SVG dash patterns for the Plotly names the screen charts use.
DASH_ARRAYS = {
    "solid": "",
    "dash": "8 5",
    "dot": "2 4",
    "dashdot": "8 4 2 4",
    "longdash": "14 6",
    "longdashdot": "14 5 2 5",
}


def _ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values spanning [low, high], about ``count`` of them."""
    span = high - low
    if not span >= MIN_SPAN:  # all alike, or closer than any figure is shown (5e-324 is typed)
        span = 1.0
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def lines(
    x: Sequence[str],
    series: dict[str, list[float | None]],
    label: str,
    fmt: Callable[[float, int], str],
    target: float | None = None,
    target_name: str = "",
    digits: int = 1,
) -> Markup | None:
    """A line per series over the categories ``x`` (None: no point, and the line breaks),
    an optional dashed target line, and a legend under the plot. None when nothing is shown."""
    values = [v for points in series.values() for v in points if v is not None]
    if not values or not x:
        return None
    bounds = [*values, 0.0] + ([target] if target is not None else [])
    ticks = _ticks(min(bounds), max(bounds))
    low, high = ticks[0], ticks[-1]
    plot_w = WIDTH - LEFT - RIGHT
    legend = [*series] + ([target_name] if target is not None else [])
    height = TOP + PLOT_HEIGHT + BOTTOM + LEGEND_LINE * len(legend)

    def px(index: int) -> float:
        return LEFT + plot_w * (index + 0.5) / len(x)

    def py(value: float) -> float:
        return TOP + PLOT_HEIGHT * (high - value) / ((high - low) or 1.0)

    parts = [
        f'<svg class="print-chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="sans-serif" font-size="11">'
    ]
    for tick in ticks:
        y = py(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{INK if tick == 0 else GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{escape(fmt(tick, 0 if float(tick).is_integer() else 1))}</text>"
        )
    for index, name in enumerate(x):
        parts.append(
            f'<text x="{px(index):.1f}" y="{TOP + PLOT_HEIGHT + 18}" text-anchor="middle" '
            f'fill="{INK}">{escape(name)}</text>'
        )
    if target is not None:
        y = py(target)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{INK}" '
            f'stroke-width="2" stroke-dasharray="{DASH_ARRAYS["longdashdot"]}"/>'
        )
    for number, points in enumerate(series.values()):
        parts.append(_series(points, number, px, py, fmt, digits))
    top = TOP + PLOT_HEIGHT + BOTTOM
    for number, name in enumerate(legend):
        y = top + LEGEND_LINE * number + 10
        if target is not None and number == len(legend) - 1:
            colour, dash = INK, DASH_ARRAYS["longdashdot"]
        else:
            colour, dash = _look(number)
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + 28}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="3" stroke-dasharray="{dash}"/>'
            f'<text x="{LEFT + 36}" y="{y}" fill="{INK}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _look(number: int) -> tuple[str, str]:
    return SERIES[number % len(SERIES)], DASH_ARRAYS[DASHES[number % len(DASHES)]]


def _series(points, number, px, py, fmt, digits) -> str:
    """One series: its line, broken where a value is not shown, and a labelled dot per value."""
    colour, dash = _look(number)
    runs, run = [], []
    for index, value in enumerate(points):
        if value is None:
            runs, run = runs + [run] if run else runs, []
        else:
            run.append(f"{px(index):.1f},{py(value):.1f}")
    runs += [run] if run else []
    drawn = [
        f'<polyline points="{" ".join(r)}" fill="none" stroke="{colour}" stroke-width="2.5" '
        f'stroke-dasharray="{dash}"/>'
        for r in runs
        if len(r) > 1
    ]
    for index, value in enumerate(points):
        if value is None:
            continue
        x, y = px(index), py(value)
        drawn.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
            f'<text x="{x + 6:.1f}" y="{y - 6:.1f}" fill="{colour}">'
            f"{escape(fmt(value, digits))}</text>"
        )
    return "".join(drawn)
