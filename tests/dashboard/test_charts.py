"""Charts draw every label as text, with marks that stand out, and each has its table."""

import datetime as dt
import re

import pandas as pd
import pytest
from sqlalchemy import select
from support import ESCAPED, HTML_LABELS, figures, seed_html_labels, strings

from survey import charts
from survey.demo import MODULES
from survey.extensions import db
from survey.kinds.form import AnswerValue
from survey.models import Facilitator, Group, Meeting
from survey.questionnaire import frozen_definition
from survey.services import meetings, participation, publication

#: The only markup a figure may carry: line breaks and hover boxes' empty trace name.
OWN_MARKUP = re.compile(r"<br>|<extra></extra>")


def test_labels_typed_as_html_are_drawn_as_text(app, signed_in, facilitator):
    with app.app_context():
        group_id, (first, second) = seed_html_labels(db.session.get(Facilitator, facilitator.id))
        db.session.commit()
    overview = signed_in.get(f"/sessions/{second}/results").text
    urls = sorted(set(re.findall(rf'href="(/sessions/{second}/results/[a-z_]+)"', overview)))
    urls += [f"/sessions/{second}/present?slide={n}" for n in range(2, 12)]
    urls.append(f"/groups/{group_id}/trends")
    found = []
    for url in urls:
        for figure in figures(signed_in.get(url).text):
            texts = list(strings(figure))
            assert not [t for t in texts if "<" in OWN_MARKUP.sub("", t)], (url, texts)
            found.append(" ".join(texts))
    # Statements, tasks, objectives and criteria, session titles and actions are all there.
    assert len(found) >= 15
    for escaped in ESCAPED:
        assert sum(escaped in figure for figure in found) >= 6, escaped
    assert all(label not in " ".join(found) for label in HTML_LABELS)


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb`` or ``rgb(r, g, b)``."""
    colour = colour.strip()
    if colour.startswith("#"):
        channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [float(v) for v in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [
        c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
        for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colours(value) -> list[str]:
    return [value] if isinstance(value, str) else [c for c in value or [] if isinstance(c, str)]


def marks(figure: dict) -> list[str]:
    """The colours of what a figure draws as data: bars, markers, lines, badges, reference lines."""
    found = []
    for trace in figure["data"]:
        if trace.get("visible") is False:
            continue
        marker = trace.get("marker", {})
        assert marker.get("opacity", 1) == 1 and trace.get("opacity", 1) == 1, trace
        if trace.get("type") == "bar":
            found += colours(marker.get("color"))
            continue
        mode = trace.get("mode", "lines+markers")
        if "lines" in mode:
            found += colours(trace.get("line", {}).get("color"))
        if "markers" in mode:
            found += colours(marker.get("color"))
    layout = figure["layout"]
    found += [s["line"]["color"] for s in layout.get("shapes", []) if s.get("type") == "line"]
    found += [a["bgcolor"] for a in layout.get("annotations", []) if "bgcolor" in a]
    return found


def backgrounds(figure: dict) -> list[str]:
    """The plot's background and any area shaded behind the data."""
    layout = figure["layout"]
    shaded = [s["fillcolor"] for s in layout.get("shapes", []) if s.get("fillcolor")]
    return [layout.get("plot_bgcolor", "white").replace("white", "#ffffff"), *shaded]


@pytest.fixture
def demo_figures(app, signed_in, demo_groups):
    """Every figure of the demo's latest session, its projection slides and its group's trends."""
    group_id = demo_groups()[0].id
    with app.app_context():
        meeting_id = db.session.scalar(
            select(Meeting.id).where(Meeting.group_id == group_id, Meeting.title.like("Séance 3%"))
        )
    overview = signed_in.get(f"/sessions/{meeting_id}/results").text
    urls = sorted(set(re.findall(rf'href="(/sessions/{meeting_id}/results/[a-z_]+)"', overview)))
    urls.append(f"/groups/{group_id}/trends")
    return [figure for url in urls for figure in figures(signed_in.get(url).text)]


def test_chart_marks_contrast_at_least_3_to_1_with_what_is_behind_them(demo_figures):
    assert len(demo_figures) >= 10
    faint = {
        (
            figure["layout"]["title"]["text"][:40],
            mark,
            background,
            round(contrast(mark, background), 2),
        )
        for figure in demo_figures
        for mark in marks(figure)
        for background in backgrounds(figure)
        if contrast(mark, background) < 3
    }
    assert not faint, sorted(faint)


def test_series_differ_by_more_than_their_colour(demo_figures):
    checked = 0
    for figure in demo_figures:
        layout = figure["layout"]
        shown = [t for t in figure["data"] if t.get("name") and t.get("showlegend", True)]
        if len(shown) < 2:
            continue
        checked += 1
        if layout.get("barmode") == "relative":
            # Stacked in scale order, each segment outlined apart from its neighbours.
            assert all(t["marker"]["line"]["width"] >= 1 for t in figure["data"]), layout
            continue
        numbered = {a["text"] for a in layout.get("annotations", []) if "bgcolor" in a}
        looks = [
            (
                t.get("mode"),
                t.get("marker", {}).get("symbol"),
                t.get("line", {}).get("dash"),
                t.get("marker", {}).get("pattern", {}).get("shape"),
            )
            for t in shown
            if t["name"].split(" · ", 1)[0] not in numbered  # a numbered badge names it
        ]
        assert len(set(looks)) == len(looks), (layout["title"], looks)
    assert checked >= 5


def test_diverging_bars_put_the_middle_next_to_0_and_the_strongest_answers_at_the_ends():
    distribution = pd.DataFrame(
        {"label": ["S"] * 5, "value": [-2, -1, 0, 1, 2], "share": [0.1, 0.2, 0.4, 0.2, 0.1]}
    )
    anchors = {-2: "Pas du tout", 0: "Neutre", 2: "Tout à fait"}
    figure = charts.diverging(distribution, "T", (-2, 2), anchors)
    # Plotly stacks each side outwards from 0 in the order of the traces.
    below = [t["name"] for t in figure["data"] if t["x"][0] < 0]
    above = [t["name"] for t in figure["data"] if t["x"][0] > 0]
    assert below == ["Neutre", "-1", "Pas du tout"]
    assert above == ["Neutre", "1", "Tout à fait"]
    legend = sorted(
        (t["legendrank"], t["name"]) for t in figure["data"] if t.get("showlegend", True)
    )
    assert [name for _, name in legend] == ["Pas du tout", "-1", "Neutre", "1", "Tout à fait"]


def test_a_task_with_a_hidden_axis_is_left_off_that_chart_and_named(
    app, signed_in, facilitator, make_group
):
    group = make_group(facilitator, anonymity_threshold=4)
    with app.app_context():
        meeting = meetings.plan_meeting(
            db.session.get(Group, group.id), title="S", date=dt.date(2026, 12, 3), modules=MODULES
        )
        meetings.open_collection(meeting)
        definition = frozen_definition(meeting)
        item = next(i for s in definition.sections for i in s.items if i.id == "tasks")
        labels = {r.id: r.label.fr for r in definition.rows(item.rows)}
        tasks = list(labels)
        hard, easy = f"tasks.{tasks[0]}", f"tasks.{tasks[1]}"
        for person in range(5):
            draft, _ = participation.start_draft(meeting)
            answers = [
                AnswerValue(key, axis, value)
                for key in (hard, easy)
                for axis, value in (("valence", 1.0), ("challenge", 5.0))
            ]
            if person < 3:  # mastery of the hard task: 3 answers, fewer than k
                answers.append(AnswerValue(hard, "skill", 2.0))
            answers.append(AnswerValue(easy, "skill", 6.0))
            participation.submit(meeting, draft.id, answers, None)
        meetings.close_collection(meeting)
        publication.record(meeting)
        db.session.commit()
        meeting_id = meeting.id
    page = signed_in.get(f"/sessions/{meeting_id}/results/task_map").text
    task_map, flow = figures(page)
    on_map = [t["name"] for t in task_map["data"]]
    on_flow = [t["name"] for t in flow["data"]]
    assert len(on_map) == 2 and len(on_flow) == 1
    assert labels[tasks[1]] in on_flow[0] and on_flow[0].startswith("2 · ")
    assert flow["data"][0]["x"] == [6.0]  # the easy task's mastery; the hard one's is not sent
    assert all(2.0 not in t["x"] for t in flow["data"])
    # Tasks nobody answered read like those fewer than k answered: named, as the hard one is.
    map_note, flow_note = re.findall(r'<p class="hint">(Absent de la carte.*?)</p>', page)
    assert f"1. {labels[tasks[0]]}" not in map_note and f"1. {labels[tasks[0]]}" in flow_note
    assert f"2. {labels[tasks[1]]}" not in map_note + flow_note
