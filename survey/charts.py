"""Plotly figures from analytics frames. No Flask: callers pass every label in the UI language.

Figures are plain Plotly specifications (``{"data": [...], "layout": {...}}``): the same JSON a
``plotly.graph_objects.Figure`` would produce, without its property validation, which cost most
of the dashboard's time. Figures only ever receive values that the privacy layer settled and rounded
(``results.published``): a value that is not shown on the page is not in the payload either.
"""

from __future__ import annotations

import html
import json
import textwrap

import pandas as pd
from plotly.utils import PlotlyJSONEncoder

INK, MUTED, ACCENT, WARM = "#1d2433", "#525b6d", "#1f5f8b", "#b35c00"
GRID = "#e5e8ee"
#: Reference lines and the dumbbell's gap: quieter than the data, still 3.6:1 on white.
QUIET = "#7d8799"
#: Every colour that marks data keeps a contrast of at least 3:1 with white (WCAG 1.4.11), so
#: the palette stops where BrBG's light middle begins; the middle point is a mid grey.
DIVERGING_LOW = ("#543005", "#8c510a", "#b57a2e")  # strongest first
DIVERGING_HIGH = ("#2a8a82", "#01665e", "#003c30")  # weakest first
DIVERGING_MIDDLE = "#7a7a7a"
#: Series told apart without colour too: a marker and a dash per line, a pattern per bar.
SERIES = (ACCENT, WARM, "#3a7d44", "#7b3f8c", MUTED)
SYMBOLS = ("circle", "square", "diamond", "cross", "x", "triangle-down", "pentagon", "hexagram")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
PATTERNS = ("", "/", ".", "x")

Figure = dict


def to_json(figure: Figure) -> str:
    """The figure as JSON (numpy and pandas values included)."""
    return json.dumps(figure, cls=PlotlyJSONEncoder, ensure_ascii=False)


def text(value) -> str:
    """A label as plain text: Plotly reads ``<``, ``>`` and ``&`` in any string of a figure as
    its own HTML (links, styles), and labels are typed by facilitators."""
    return html.escape(str(value), quote=False)


def _texts(values) -> list[str]:
    return [text(v) for v in values]


def wrapped(value, width: int) -> str:
    """A label as text, broken into lines of about ``width`` characters (Plotly never wraps)."""
    lines = textwrap.wrap(str(value), width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(text(line) for line in lines or [""])


#: Characters a line of a row's name holds: about 270 px at 13 px, a phone's plot width.
ROW_NAME = 40


def _named_rows(categories: list[str], names, thickness: int) -> tuple[int, dict, list[dict]]:
    """Horizontal rows each named above its marks, across the whole width (tick labels on the
    left took half of a phone's width, and more at 200 % zoom): the height of a row, the y axis
    and the names, for rows ``thickness`` pixels thick."""
    names = [wrapped(name, ROW_NAME) for name in names]
    lines = max((name.count("<br>") + 1 for name in names if name), default=0)
    band = thickness + 10 + (17 * lines + 4 if lines else 0)
    axis = {"showticklabels": False, "range": [-0.5, len(categories) - 0.5], "fixedrange": True}
    words = [
        {
            "x": 0,
            "xref": "paper",
            "y": category,
            "yref": "y",
            "yshift": thickness / 2 + 2,
            "xanchor": "left",
            "yanchor": "bottom",
            "align": "left",
            "text": name,
            "showarrow": False,
        }
        for category, name in zip(categories, names, strict=True)
        if name
    ]
    return band, axis, words


def make_figure(data: list[dict], title: str, height: int, **layout) -> Figure:
    """A figure in Praxis's style; ``layout`` entries are merged into the defaults."""
    base = {
        "title": {"text": text(title), "x": 0, "font": {"size": 16, "color": INK}},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 50, "b": 40},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"family": "system-ui, sans-serif", "color": INK, "size": 13},
        "legend": {"orientation": "h", "y": -0.15},
        "xaxis": {"gridcolor": GRID, "zeroline": False},
        "yaxis": {"automargin": True},
    }
    for key, value in layout.items():
        base[key] = {**base.get(key, {}), **value} if isinstance(value, dict) else value
    return {"data": data, "layout": base}


def _list(series) -> list:
    return [None if pd.isna(v) else v for v in series]


def dumbbell(
    rows: pd.DataFrame, title: str, facet_a: str, facet_b: str, scale: tuple[int, int]
) -> Figure:
    """Both facets of each statement and the gap between them (``label``, ``mean_a``, ``mean_b``).

    The gap is drawn neutral: a gap between prescribed and actual work is not a fault. Each
    statement's words sit above its line, across the whole width, so that a phone keeps the
    scale readable instead of giving half its width to tick labels.
    """
    rows = rows.iloc[::-1]
    labels = _texts(rows["label"])
    segments_x, segments_y = [], []
    for label, a, b in zip(labels, rows["mean_a"], rows["mean_b"], strict=True):
        segments_x += [a, b, None]
        segments_y += [label, label, None]
    data = [
        {
            "type": "scatter",
            "x": segments_x,
            "y": segments_y,
            "mode": "lines",
            "line": {"color": QUIET, "width": 5},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "x": _list(rows["mean_a"]),
            "y": labels,
            "mode": "markers",
            "name": text(facet_a),
            "marker": {"size": 14, "color": MUTED, "symbol": "circle-open", "line": {"width": 3}},
        },
        {
            "type": "scatter",
            "x": _list(rows["mean_b"]),
            "y": labels,
            "mode": "markers",
            "name": text(facet_b),
            "marker": {"size": 14, "color": ACCENT, "symbol": "diamond"},
        },
    ]
    band, yaxis, words = _named_rows(labels, rows["label"], 16)
    return make_figure(
        data,
        title,
        140 + band * len(rows),
        xaxis={"range": [scale[0] - 0.5, scale[1] + 0.5], "dtick": 1},
        yaxis=yaxis,
        annotations=words,
        legend={"orientation": "h", "y": 0, "yref": "container", "yanchor": "bottom"},
        margin={"b": 80},
    )


def diverging(
    distribution: pd.DataFrame, title: str, scale: tuple[int, int], anchors: dict[int, str]
) -> Figure:
    """Likert answers as diverging stacked bars (``label``, ``value``, ``share``), centred on the
    middle of the scale; a middle point is split half on each side. Segments stay in scale
    order, outlined in white, so they read apart without their colours."""
    low, high = scale
    middle = (low + high) / 2
    labels = list(dict.fromkeys(_texts(distribution["label"])))[::-1]
    palette = _palette(high - low + 1)
    percent: dict[tuple[str, float], float] = {}
    for label, value, share in zip(
        _texts(distribution["label"]), distribution["value"], distribution["share"], strict=True
    ):
        percent[label, value] = percent.get((label, value), 0.0) + share * 100
    below, above = [], []  # each side stacks outwards from 0, in the order it is given
    for index, value in enumerate(range(low, high + 1)):
        share = [percent.get((label, value), 0.0) for label in labels]
        name = text(anchors.get(value, value))
        common = {
            "type": "bar",
            "y": labels,
            "orientation": "h",
            "name": name,
            "legendrank": index,  # the legend in scale order, whatever the stacking order
            "marker": {"color": palette[index], "line": {"color": "white", "width": 1.5}},
            "customdata": share,
            "hovertemplate": "%{y}: %{customdata:.0f} %<extra></extra>",
        }
        if value == middle:
            below.append(
                {**common, "x": [-s / 2 for s in share], "legendgroup": name, "showlegend": False}
            )
            above.append({**common, "x": [s / 2 for s in share], "legendgroup": name})
        elif value < middle:
            below.append({**common, "x": [-s for s in share]})
        else:
            above.append({**common, "x": share})
    data = below[::-1] + above  # the middle next to 0, the strongest answers at the ends
    band, yaxis, words = _named_rows(labels, [html.unescape(label) for label in labels], 22)
    return make_figure(
        data,
        title,
        170 + band * len(labels),
        barmode="relative",
        bargap=1 - 22 / band,
        yaxis=yaxis,
        annotations=words,
        xaxis={
            "range": [-100, 100],
            "tickvals": [-100, -50, 0, 50, 100],
            "ticktext": ["100 %", "50 %", "0", "50 %", "100 %"],
        },
        legend={"orientation": "h", "y": 0, "yref": "container", "yanchor": "bottom"},
        margin={"b": 110},
    )


def histogram(
    counts: pd.DataFrame, title: str, scale: tuple[int, int], anchors: dict[int, str], y_title: str
) -> Figure:
    """How many people chose each point of a long scale (``value``, ``count``).

    The anchors' words go under the axis, the first and last aligned on the ends of the scale:
    as tick labels, the long ones overlapped and Plotly dropped the last.
    """
    low, high = scale
    values = list(range(low, high + 1))
    people = counts.groupby("value")["count"].sum().reindex(values).fillna(0)
    data = [
        {
            "type": "bar",
            "x": values,
            "y": list(people),
            "marker": {"color": ACCENT},
            "hovertemplate": "%{x}: %{y}<extra></extra>",
        }
    ]
    words = [
        {
            "x": value,
            "y": 0,
            "xref": "x",
            "yref": "paper",
            "yshift": -34,
            "yanchor": "top",
            "xanchor": "left" if value == low else "right" if value == high else "center",
            "text": wrapped(anchor, 16),  # side by side on a phone
            "showarrow": False,
            "font": {"color": MUTED, "size": 12},
        }
        for value, anchor in sorted(anchors.items())
    ]
    return make_figure(
        data,
        title,
        340,
        xaxis={"tickvals": values, "range": [low - 0.6, high + 0.6]},
        yaxis={"title": {"text": text(y_title)}, "dtick": 1, "rangemode": "tozero"},
        margin={"b": 90},
        annotations=words,
    )


def _palette(points: int) -> list[str]:
    """Brown to blue-green, darker towards the ends, a grey middle point on odd scales."""
    half = points // 2
    picks = {0: [], 1: [1], 2: [0, 2]}.get(half, [0, 1, 2])
    low = [DIVERGING_LOW[i] for i in picks]
    high = [DIVERGING_HIGH[2 - i] for i in reversed(picks)]
    if half > 3:  # not drawn this way (LONG_SCALE), but never short of colours
        low = [DIVERGING_LOW[min(i, 2)] for i in range(half)]
        high = [DIVERGING_HIGH[max(2 - i, 0)] for i in reversed(range(half))]
    return low + ([DIVERGING_MIDDLE] if points % 2 else []) + high


def grouped_bars(table: pd.DataFrame, title: str, series: dict[str, str], x_title: str) -> Figure:
    """Horizontal bars per ``label``, one bar per series column (e.g. priorities by viewpoint),
    each series with its own pattern as well as its colour."""
    table = table.iloc[::-1]
    colours = [ACCENT, WARM, MUTED, "#5b8db8"]
    data = [
        {
            "type": "bar",
            "y": _texts(table["label"]),
            "x": _list(table[column]),
            "name": text(name),
            "orientation": "h",
            "marker": {
                "color": colour,
                "pattern": {
                    "shape": pattern,
                    "fillmode": "overlay",
                    "fgcolor": "white",
                    "solidity": 0.25,
                },
            },
            "hovertemplate": "%{y}: %{x:.0f}<extra></extra>",
        }
        for (column, name), colour, pattern in zip(series.items(), colours, PATTERNS, strict=False)
    ]
    thickness = 16 * max(len(data), 1)
    band, yaxis, words = _named_rows(_texts(table["label"]), table["label"], thickness)
    return make_figure(
        data[::-1],  # Plotly groups bars upwards: the first series on top, as in the legend
        title,
        170 + band * len(table),
        barmode="group",
        bargap=1 - thickness / band,
        bargroupgap=0,
        xaxis={"title": {"text": text(x_title)}},
        yaxis=yaxis,
        annotations=words,
        legend={
            "orientation": "h",
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
            "traceorder": "reversed",
        },
        margin={"b": 90},
    )


#: Decisions drawn under the lines: a shape each, so they read apart without colour.
MARKER_SYMBOLS = ("triangle-up", "star", "hourglass")


def trend_lines(
    sessions: list[str],
    series: dict[str, list[float | None]],
    markers: dict[str, dict[str, list[str]]],
    title: str,
    y_title: str,
    target: float | None = None,
    target_name: str = "",
) -> Figure:
    """One line per series across the sessions (gaps where a value is not shown), each with its
    own marker and dash, and, for each kind of decision in ``markers`` (its name → the texts
    decided per session), a marker at the foot of each session where some were decided, listing
    them on hover. ``target`` draws a horizontal target line (an indicator's)."""
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": text(name),
            "x": _texts(sessions),
            "y": values,
            "line": {
                "color": SERIES[index % len(SERIES)],
                "width": 3,
                "dash": DASHES[index % len(DASHES)],
            },
            "marker": {
                "color": SERIES[index % len(SERIES)],
                "symbol": SYMBOLS[index % len(SYMBOLS)],
                "size": 10,
            },
            "connectgaps": False,
            # The name is the trace's, not pasted in: a label could hold a %{placeholder}.
            "hovertemplate": "%{x}<br>%{fullData.name} : %{y}<extra></extra>",
        }
        for index, (name, values) in enumerate(series.items())
    ]
    if target is not None:
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": text(target_name),
                "x": _texts(sessions),
                "y": [target] * len(sessions),
                "line": {"color": INK, "width": 2, "dash": "longdashdot"},
                "hovertemplate": "%{fullData.name} : %{y}<extra></extra>",
            }
        )
    for (name, decided), symbol in zip(markers.items(), MARKER_SYMBOLS, strict=False):
        at = [s for s in sessions if decided.get(s)]
        if not at:
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": text(name),
                "x": _texts(at),
                # On an axis of its own, at the foot of the plot whatever the lines' values.
                "y": [0.04] * len(at),
                "yaxis": "y2",
                "marker": {"symbol": symbol, "size": 14, "color": INK},
                "customdata": ["<br>".join(_texts(decided[s])) for s in at],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
    return make_figure(
        data,
        title,
        400,
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": _texts(sessions)},
        yaxis={
            "title": {"text": text(y_title), "standoff": 12},
            "rangemode": "tozero",
            "gridcolor": GRID,
        },
        yaxis2={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True},
        legend={"orientation": "h", "y": 0, "yref": "container", "yanchor": "bottom"},
        margin={"b": 90},
    )
