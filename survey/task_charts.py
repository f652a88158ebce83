"""The task module's charts: the task map and the flow channel, tasks numbered on both.

Plain Plotly specifications, as in ``charts``, from values the privacy layer settled: a task
goes on a chart only where both of its axes are shown, and callers leave the others off.
"""

from __future__ import annotations

import pandas as pd

from .charts import ACCENT, INK, MUTED, QUIET, Figure, make_figure, text, wrapped


def _numbered(tasks: pd.DataFrame, x: str, y: str):
    """Tasks as small dots at their exact place, each named by a numbered badge on a short
    leader line, and in the legend by its number and words.

    Badges start above their dot; ``static/js/charts.js`` then spreads those that collide, in
    pixels once the chart is drawn, so that tasks close together stay readable on any screen.
    """
    traces, badges = [], []
    columns = (tasks["number"], tasks["label"], tasks[x], tasks[y])
    for number, label, px, py in zip(*columns, strict=True):
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [px],
                "y": [py],
                "name": f"{number} · {wrapped(label, 32)}",
                "marker": {"size": 9, "color": INK, "symbol": "circle"},
                "customdata": [text(label)],
                "hovertemplate": "%{customdata}<br>%{x:.1f} ; %{y:.1f}<extra></extra>",
            }
        )
        badges.append(
            {
                "name": BADGE,
                "x": px,
                "y": py,
                "text": str(number),
                "showarrow": True,
                "arrowhead": 0,
                "arrowwidth": 1.5,
                "arrowcolor": INK,
                "ax": 0,
                "ay": -26,
                "standoff": 5,
                "bgcolor": ACCENT,
                "bordercolor": ACCENT,
                "borderpad": 3,
                "font": {"color": "white", "size": 13},
            }
        )
    return traces, badges


#: The name of the annotations that ``charts.js`` moves apart when they collide.
BADGE = "badge"


def _key(traces: list[dict]) -> tuple[dict, int]:
    """A legend under the chart, one task a line, and the height it takes."""
    extra_lines = sum(trace["name"].count("<br>") for trace in traces)
    legend = {
        "orientation": "v",
        "x": 0,
        "xanchor": "left",
        "y": 0,
        "yref": "container",
        "yanchor": "bottom",
        "itemclick": False,
        "itemdoubleclick": False,
    }
    # Measured in Chromium at 13 px: 19 px an entry, 15.5 px each further line.
    return legend, 12 + 19 * len(traces) + 16 * extra_lines


def task_map(
    tasks: pd.DataFrame, title: str, x_title: str, y_title: str, quadrants: list[str]
) -> Figure:
    """Tasks placed by mean valence (tedious ↔ motivating) and mean challenge (``number``,
    ``label``, ``mean_valence``, ``mean_challenge``).

    ``quadrants`` names the four corners: top-left, top-right, bottom-left, bottom-right.
    """
    traces, badges = _numbered(tasks, "mean_valence", "mean_challenge")
    corners = [(-3.3, 7.3, "left"), (3.3, 7.3, "right"), (-3.3, 0.7, "left"), (3.3, 0.7, "right")]
    annotations = [
        {
            "x": x,
            "y": y,
            "text": wrapped(words, 12),
            "showarrow": False,
            "xanchor": anchor,
            "align": anchor,
            "yanchor": "top" if y > 4 else "bottom",
            "font": {"color": MUTED, "size": 12},
        }
        for (x, y, anchor), words in zip(corners, quadrants, strict=True)
    ]
    shapes = [
        {"type": "line", "x0": 0, "x1": 0, "y0": 0, "y1": 1, "yref": "paper"},
        {"type": "line", "x0": 0, "x1": 1, "xref": "paper", "y0": 4, "y1": 4},
    ]
    for shape in shapes:
        shape.update(line={"color": QUIET, "width": 1}, layer="below")
    legend, key_height = _key(traces)
    return make_figure(
        traces,
        title,
        440 + key_height,
        annotations=annotations + badges,
        shapes=shapes,
        legend=legend,
        margin={"b": 80 + key_height},
        xaxis={"range": [-3.4, 3.4], "title": {"text": text(x_title)}, "dtick": 1},
        yaxis={"range": [0.6, 7.4], "title": {"text": text(y_title)}, "dtick": 1},
    )


#: The flow channels as areas of the challenge × skill plane (1 to 7), from the rules applied to
#: each person (``analytics.task_map_metrics``): overload when challenge − skill ≥ 2, routine
#: when skill − challenge ≥ 2, flow when they differ by 1 at most and both are 5 or more,
#: apathy when both are 3 or less. Borders sit half-way between whole answers.
CHANNEL_AREAS = {
    "overload": ("M 0.6,2.1 L 5.9,7.4 L 0.6,7.4 Z", "#fde8dc", (0.75, 7.25, "left", "top")),
    "routine": ("M 2.1,0.6 L 7.4,5.9 L 7.4,0.6 Z", "#e6ecf5", (7.25, 0.75, "right", "bottom")),
    "flow": (
        "M 4.5,4.5 L 4.5,6.0 L 5.9,7.4 L 7.4,7.4 L 7.4,5.9 L 6.0,4.5 Z",
        "#e2f1e6",
        (7.25, 7.25, "right", "top"),
    ),
    "apathy": (
        "M 0.6,0.6 L 0.6,2.1 L 2.0,3.5 L 3.5,3.5 L 3.5,2.0 L 2.1,0.6 Z",
        "#f0f0f0",
        (0.75, 0.75, "left", "bottom"),
    ),
}


def flow_channel(
    tasks: pd.DataFrame, title: str, x_title: str, y_title: str, channels: dict[str, str]
) -> Figure:
    """Tasks placed by mean mastery (x) and mean challenge (y) over the flow channels' areas
    (``number``, ``label``, ``mean_skill``, ``mean_challenge``); ``channels`` names the areas."""
    traces, badges = _numbered(tasks, "mean_skill", "mean_challenge")
    shapes = [
        {
            "type": "path",
            "path": path,
            "fillcolor": fill,
            "line": {"width": 0},
            "layer": "below",
        }
        for path, fill, _ in CHANNEL_AREAS.values()
    ]
    shapes.append(
        {
            "type": "line",
            "x0": 0.6,
            "y0": 0.6,
            "x1": 7.4,
            "y1": 7.4,
            "line": {"color": QUIET, "width": 1, "dash": "dot"},
            "layer": "below",
        }
    )
    names = [
        {
            "x": x,
            "y": y,
            "text": wrapped(channels[channel], 12),
            "showarrow": False,
            "xanchor": xanchor,
            "align": xanchor,
            "yanchor": yanchor,
            "font": {"color": MUTED, "size": 13, "weight": 700},
        }
        for channel, (_, _, (x, y, xanchor, yanchor)) in CHANNEL_AREAS.items()
    ]
    legend, key_height = _key(traces)
    return make_figure(
        traces,
        title,
        460 + key_height,
        annotations=names + badges,
        shapes=shapes,
        legend=legend,
        margin={"b": 80 + key_height},
        xaxis={
            "range": [0.6, 7.4],
            "title": {"text": text(x_title)},
            "dtick": 1,
            "showgrid": False,
        },
        yaxis={"range": [0.6, 7.4], "title": {"text": text(y_title)}, "dtick": 1},
    )
