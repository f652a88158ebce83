"""Plotly figures from analytics frames. No Flask: callers pass every label in the UI language.

Figures are plain Plotly specifications (``{"data": [...], "layout": {...}}``): the same JSON a
``plotly.graph_objects.Figure`` would produce, without its property validation, which cost most
of the dashboard's time. Figures only ever receive values that the privacy layer settled and rounded
(``dashboard.published``): a value that is not shown on the page is not in the payload either.
"""

from __future__ import annotations

import html
import json

import pandas as pd
from plotly.colors import diverging as diverging_scales
from plotly.colors import sample_colorscale
from plotly.utils import PlotlyJSONEncoder

INK, MUTED, ACCENT, WARM = "#1d2433", "#525b6d", "#1f5f8b", "#b35c00"
GRID = "#e5e8ee"

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


def _figure(data: list[dict], title: str, height: int, **layout) -> Figure:
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

    The gap is drawn neutral: a gap between prescribed and actual work is not a fault.
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
            "line": {"color": "#b8c0cc", "width": 6},
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
            "marker": {"size": 14, "color": ACCENT},
        },
    ]
    return _figure(
        data,
        title,
        120 + 48 * len(rows),
        xaxis={"range": [scale[0] - 0.5, scale[1] + 0.5], "dtick": 1},
    )


def diverging(
    distribution: pd.DataFrame, title: str, scale: tuple[int, int], anchors: dict[int, str]
) -> Figure:
    """Likert answers as diverging stacked bars (``label``, ``value``, ``share``), centred on the
    middle of the scale; a middle point is split half on each side."""
    low, high = scale
    middle = (low + high) / 2
    labels = list(dict.fromkeys(_texts(distribution["label"])))[::-1]
    palette = _palette(high - low + 1)
    percent: dict[tuple[str, float], float] = {}
    for label, value, share in zip(
        _texts(distribution["label"]), distribution["value"], distribution["share"], strict=True
    ):
        percent[label, value] = percent.get((label, value), 0.0) + share * 100
    data = []
    for index, value in enumerate(range(low, high + 1)):
        share = [percent.get((label, value), 0.0) for label in labels]
        name = text(anchors.get(value, value))
        common = {
            "type": "bar",
            "y": labels,
            "orientation": "h",
            "name": name,
            "marker": {"color": palette[index]},
            "customdata": share,
            "hovertemplate": "%{y}: %{customdata:.0f} %<extra></extra>",
        }
        if value == middle:
            data.append(
                {**common, "x": [-s / 2 for s in share], "legendgroup": name, "showlegend": False}
            )
            data.append({**common, "x": [s / 2 for s in share], "legendgroup": name})
        else:
            sign = -1 if value < middle else 1
            data.append({**common, "x": [sign * s for s in share]})
    return _figure(
        data,
        title,
        140 + 44 * len(labels),
        barmode="relative",
        xaxis={
            "range": [-100, 100],
            "tickvals": [-100, -50, 0, 50, 100],
            "ticktext": ["100 %", "50 %", "0", "50 %", "100 %"],
        },
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
            "text": text(anchor),
            "showarrow": False,
            "font": {"color": MUTED, "size": 12},
        }
        for value, anchor in sorted(anchors.items())
    ]
    return _figure(
        data,
        title,
        340,
        xaxis={"tickvals": values, "range": [low - 0.6, high + 0.6]},
        yaxis={"title": {"text": text(y_title)}, "dtick": 1, "rangemode": "tozero"},
        margin={"b": 70},
        annotations=words,
    )


def _palette(points: int) -> list[str]:
    """Brown to blue, a distinct colour per point, the middle one a light grey."""
    positions = [i / max(points - 1, 1) for i in range(points)]
    colours = sample_colorscale(diverging_scales.BrBG, positions)
    if points % 2:
        colours[points // 2] = "#d9d9d9"
    return colours


def task_map(
    tasks: pd.DataFrame, title: str, x_title: str, y_title: str, quadrants: list[str]
) -> Figure:
    """Tasks placed by mean valence (tedious ↔ motivating) and mean challenge, sized by overload.

    ``quadrants`` names the four corners: top-left, top-right, bottom-left, bottom-right.
    """
    data = [
        {
            "type": "scatter",
            "x": _list(tasks["mean_valence"]),
            "y": _list(tasks["mean_challenge"]),
            "mode": "markers+text",
            "text": _texts(tasks["label"]),
            "textposition": "top center",
            "marker": {
                # Overload hidden (fewer than k people rated both axes): the smallest marker.
                "size": [12 + 6 * (0 if pd.isna(n) else n) for n in tasks["overload"]],
                "color": ACCENT,
                "opacity": 0.8,
            },
            "customdata": [
                [None if pd.isna(a) else int(a), None if pd.isna(b) else int(b)]
                for a, b in zip(tasks["overload"], tasks["n"], strict=True)
            ],
            "hovertemplate": "%{text}<br>%{customdata[0]} / %{customdata[1]}<extra></extra>",
            "showlegend": False,
        }
    ]
    corners = [(-3, 7, "left"), (3, 7, "right"), (-3, 1, "left"), (3, 1, "right")]
    annotations = [
        {
            "x": x,
            "y": y,
            "text": text(words),
            "showarrow": False,
            "xanchor": anchor,
            "font": {"color": MUTED, "size": 12},
        }
        for (x, y, anchor), words in zip(corners, quadrants, strict=True)
    ]
    shapes = [
        {
            "type": "line",
            "x0": 0,
            "x1": 0,
            "y0": 0,
            "y1": 1,
            "yref": "paper",
            "line": {"color": "#b8c0cc"},
        },
        {
            "type": "line",
            "x0": 0,
            "x1": 1,
            "xref": "paper",
            "y0": 4,
            "y1": 4,
            "line": {"color": "#b8c0cc"},
        },
    ]
    return _figure(
        data,
        title,
        460,
        annotations=annotations,
        shapes=shapes,
        xaxis={"range": [-3.4, 3.4], "title": {"text": text(x_title)}, "dtick": 1},
        yaxis={"range": [0.6, 7.4], "title": {"text": text(y_title)}, "dtick": 1},
    )


def grouped_bars(table: pd.DataFrame, title: str, series: dict[str, str], x_title: str) -> Figure:
    """Horizontal bars per ``label``, one bar per series column (e.g. priorities by viewpoint)."""
    table = table.iloc[::-1]
    colours = [ACCENT, WARM, MUTED, "#7fb3d5"]
    data = [
        {
            "type": "bar",
            "y": _texts(table["label"]),
            "x": _list(table[column]),
            "name": text(name),
            "orientation": "h",
            "marker": {"color": colour},
            "hovertemplate": "%{y}: %{x:.0f}<extra></extra>",
        }
        for (column, name), colour in zip(series.items(), colours, strict=False)
    ]
    return _figure(
        data,
        title,
        140 + 30 * len(table) * max(len(series), 1),
        barmode="group",
        xaxis={"title": {"text": text(x_title)}},
    )


def trend_lines(
    sessions: list[str],
    series: dict[str, list[float | None]],
    actions: dict[str, list[str]],
    title: str,
    y_title: str,
    actions_name: str,
) -> Figure:
    """One line per series across the sessions (gaps where a value is not shown), and a marker
    under each session where actions were decided, listing them on hover."""
    palette = [ACCENT, WARM, "#3a7d44", "#7b3f8c", MUTED]
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": text(name),
            "x": _texts(sessions),
            "y": values,
            "line": {"color": palette[index % len(palette)], "width": 3},
            "connectgaps": False,
            # The name is the trace's, not pasted in: a label could hold a %{placeholder}.
            "hovertemplate": "%{x}<br>%{fullData.name} : %{y:.1f}<extra></extra>",
        }
        for index, (name, values) in enumerate(series.items())
    ]
    if actions:
        decided = [s for s in sessions if s in actions]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": text(actions_name),
                "x": _texts(decided),
                "y": [0] * len(decided),
                "marker": {"symbol": "triangle-up", "size": 14, "color": INK},
                "customdata": ["<br>".join(_texts(actions[s])) for s in decided],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
    return _figure(
        data,
        title,
        380,
        xaxis={"type": "category"},
        yaxis={
            "title": {"text": text(y_title), "standoff": 12},
            "rangemode": "tozero",
            "gridcolor": GRID,
        },
    )
