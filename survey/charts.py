"""Plotly figures from analytics frames. No Flask: callers pass every label in the UI language.

Figures only ever receive frames that already went through ``analytics.suppress``: a value that
is not shown on the page is not in the chart payload either.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import diverging as diverging_scales
from plotly.colors import sample_colorscale

INK, MUTED, ACCENT, WARM = "#1d2433", "#525b6d", "#1f5f8b", "#b35c00"


def _layout(figure: go.Figure, title: str, height: int) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0, "font": {"size": 16, "color": INK}},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": "system-ui, sans-serif", "color": INK, "size": 13},
        legend={"orientation": "h", "y": -0.15},
    )
    figure.update_xaxes(gridcolor="#e5e8ee", zeroline=False)
    figure.update_yaxes(automargin=True)
    return figure


def dumbbell(
    rows: pd.DataFrame, title: str, facet_a: str, facet_b: str, scale: tuple[int, int]
) -> go.Figure:
    """Both facets of each statement and the gap between them (``label``, ``mean_a``, ``mean_b``).

    The gap is drawn neutral: a gap between prescribed and actual work is not a fault.
    """
    rows = rows.iloc[::-1]
    figure = go.Figure()
    for _, row in rows.iterrows():
        figure.add_trace(
            go.Scatter(
                x=[row["mean_a"], row["mean_b"]],
                y=[row["label"]] * 2,
                mode="lines",
                line={"color": "#b8c0cc", "width": 6},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    figure.add_trace(
        go.Scatter(
            x=rows["mean_a"],
            y=rows["label"],
            mode="markers",
            name=facet_a,
            marker={"size": 14, "color": MUTED, "symbol": "circle-open", "line": {"width": 3}},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=rows["mean_b"],
            y=rows["label"],
            mode="markers",
            name=facet_b,
            marker={"size": 14, "color": ACCENT},
        )
    )
    figure.update_xaxes(range=[scale[0] - 0.5, scale[1] + 0.5], dtick=1)
    return _layout(figure, title, 120 + 48 * len(rows))


def diverging(
    distribution: pd.DataFrame, title: str, scale: tuple[int, int], anchors: dict[int, str]
) -> go.Figure:
    """Likert answers as diverging stacked bars (``label``, ``value``, ``share``), centred on the
    middle of the scale; a middle point is split half on each side."""
    low, high = scale
    middle = (low + high) / 2
    labels = list(dict.fromkeys(distribution["label"]))[::-1]
    palette = _palette(high - low + 1)
    figure = go.Figure()
    for index, value in enumerate(range(low, high + 1)):
        share = (
            distribution[distribution["value"] == value]
            .set_index("label")["share"]
            .reindex(labels)
            .fillna(0)
            * 100
        )
        name = anchors.get(value, str(value))
        if value == middle:
            for side in (-1, 1):
                figure.add_trace(
                    go.Bar(
                        y=labels,
                        x=side * share / 2,
                        orientation="h",
                        name=name,
                        marker_color=palette[index],
                        legendgroup=name,
                        showlegend=side == 1,
                        hovertemplate="%{y}: %{customdata:.0f} %",
                        customdata=share,
                    )
                )
            continue
        sign = -1 if value < middle else 1
        figure.add_trace(
            go.Bar(
                y=labels,
                x=sign * share,
                orientation="h",
                name=name,
                marker_color=palette[index],
                hovertemplate="%{y}: %{customdata:.0f} %",
                customdata=share,
            )
        )
    figure.update_layout(barmode="relative")
    figure.update_xaxes(
        range=[-100, 100],
        ticksuffix=" %",
        tickvals=[-100, -50, 0, 50, 100],
        ticktext=["100 %", "50 %", "0", "50 %", "100 %"],
    )
    return _layout(figure, title, 140 + 44 * len(labels))


def histogram(
    counts: pd.DataFrame, title: str, scale: tuple[int, int], anchors: dict[int, str], y_title: str
) -> go.Figure:
    """How many people chose each point of a long scale (``value``, ``count``)."""
    low, high = scale
    values = list(range(low, high + 1))
    people = counts.set_index("value")["count"].reindex(values).fillna(0)
    ticks = [f"{v}<br>{anchors[v]}" if v in anchors else str(v) for v in values]
    figure = go.Figure(
        go.Bar(x=values, y=people, marker_color=ACCENT, hovertemplate="%{x}: %{y}<extra></extra>")
    )
    figure.update_xaxes(tickvals=values, ticktext=ticks)
    figure.update_yaxes(title=y_title, dtick=1, rangemode="tozero")
    return _layout(figure, title, 320)


def _palette(points: int) -> list[str]:
    """Brown to blue, a distinct colour per point, the middle one a light grey."""
    positions = [i / max(points - 1, 1) for i in range(points)]
    colours = sample_colorscale(diverging_scales.BrBG, positions)
    if points % 2:
        colours[points // 2] = "#d9d9d9"
    return colours


def task_map(
    tasks: pd.DataFrame, title: str, x_title: str, y_title: str, quadrants: list[str]
) -> go.Figure:
    """Tasks placed by mean valence (tedious ↔ motivating) and mean challenge, sized by overload.

    ``quadrants`` names the four corners: top-left, top-right, bottom-left, bottom-right.
    """
    figure = go.Figure(
        go.Scatter(
            x=tasks["mean_valence"],
            y=tasks["mean_challenge"],
            mode="markers+text",
            text=tasks["label"],
            textposition="top center",
            marker={"size": 12 + 6 * tasks["overload"], "color": ACCENT, "opacity": 0.8},
            customdata=tasks[["overload", "n"]],
            hovertemplate="%{text}<br>%{customdata[0]} / %{customdata[1]}<extra></extra>",
            showlegend=False,
        )
    )
    figure.add_vline(x=0, line={"color": "#b8c0cc"})
    figure.add_hline(y=4, line={"color": "#b8c0cc"})
    for (x, y, anchor), text in zip(
        [(-3, 7, "left"), (3, 7, "right"), (-3, 1, "left"), (3, 1, "right")],
        quadrants,
        strict=True,
    ):
        figure.add_annotation(
            x=x, y=y, text=text, showarrow=False, xanchor=anchor, font={"color": MUTED, "size": 12}
        )
    figure.update_xaxes(range=[-3.4, 3.4], title=x_title, dtick=1)
    figure.update_yaxes(range=[0.6, 7.4], title=y_title, dtick=1)
    return _layout(figure, title, 460)


def grouped_bars(table: pd.DataFrame, title: str, series: dict[str, str], x_title: str):
    """Horizontal bars per ``label``, one bar per series column (e.g. priorities by viewpoint)."""
    table = table.iloc[::-1]
    figure = go.Figure()
    colours = [ACCENT, WARM, MUTED, "#7fb3d5"]
    for (column, name), colour in zip(series.items(), colours, strict=False):
        figure.add_trace(
            go.Bar(
                y=table["label"],
                x=table[column],
                name=name,
                orientation="h",
                marker_color=colour,
                hovertemplate="%{y}: %{x:.0f}<extra></extra>",
            )
        )
    figure.update_layout(barmode="group")
    figure.update_xaxes(title=x_title)
    return _layout(figure, title, 140 + 30 * len(table) * max(len(series), 1))
