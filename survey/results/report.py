"""Printable reports: what a session's report and a group's cycle report (« Bilan du cycle »)
show besides the dashboard's own blocks and the trends' tables.

Every figure here is a settled one: the session's ``Published`` statistics (shown cells only)
or the trends' cells. Nothing reads answers; outcomes are facilitator text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup

from .. import print_charts
from ..display import formatter
from ..models import Meeting, Outcome
from ..questionnaire import Questionnaire
from . import queries
from .published import published
from .trends import Trends

#: Statements listed as the largest gaps of the first session, agenda entries recalled.
TOP = 5


@dataclass
class MethodNotes:
    """How a session's figures were made: its date, the responses shown, k, the questionnaire."""

    date: dt.date
    responses: int
    k: int
    questionnaire: str
    publications: int


def method_notes(meeting: Meeting) -> MethodNotes:
    shown, _waiting = queries.response_counts(meeting)
    version = meeting.questionnaire_version
    return MethodNotes(
        meeting.date,
        shown,
        meeting.group.anonymity_threshold,
        f"{version.slug} {version.version}" if version is not None else "—",
        queries.latest_publication(meeting),
    )


@dataclass
class Gap:
    label: str
    section: str
    #: The two views compared, in words (« Prescrit / Réel »).
    views: str
    mean_gap: str


def largest_gaps(
    meeting: Meeting, definition: Questionnaire, language: str, count: int = TOP
) -> list[Gap]:
    """The paired statements with the largest mean gap the session shows (|gap|, largest
    first): settled cells only, a statement fewer than k answered is never among them."""
    familiar = meeting.group.familiar
    paired = published(meeting, definition).shown("paired")
    if paired.empty:
        return []
    paired = paired[paired["mean_gap"].notna()]
    order = paired["mean_gap"].abs().sort_values(ascending=False, kind="stable").index[:count]
    items = queries.items_frame(definition, language, familiar).set_index("item")
    sections = {s.id: s.title.get(language, familiar) for s in definition.sections}
    facets = {
        facet.id: facet.label.get(language, familiar)
        for section in definition.sections
        for item in section.items
        for facet in getattr(item, "facets", ())
    }
    fmt = formatter()
    found = []
    for item in order:
        info = items.loc[item]
        views = " / ".join(facets.get(f, f) for f in (info["facet_a"], info["facet_b"]))
        found.append(
            Gap(
                str(info["label"]),
                sections.get(info["section"], ""),
                views,
                fmt(paired.at[item, "mean_gap"]),
            )
        )
    return found


@dataclass
class Chosen:
    """The outcomes a report shows: all of them, or only those marked shareable."""

    everything: bool
    outcomes: list[Outcome] = field(default_factory=list)
    #: How many were left out (not shareable).
    left_out: int = 0


def chosen(found: list[Outcome], everything: bool) -> Chosen:
    shown = found if everything else [o for o in found if o.shareable]
    return Chosen(everything, shown, len(found) - len(shown))


@dataclass
class CycleCharts:
    """The cycle review's charts, drawn on the server from the trends' own figures."""

    dimensions: Markup | None
    #: Per indicator outcome id, its series against its target.
    indicators: dict[int, Markup | None]


def cycle_charts(trends: Trends) -> CycleCharts:
    fmt = formatter()
    columns, _rows = trends.chart_table
    dimensions = print_charts.lines(
        columns[1:],
        trends.chart_lines,
        _("Mean size of the gap per dimension, session after session"),
        fmt,
    )
    indicators = {
        chart.outcome_id: print_charts.lines(
            chart.x, chart.lines, chart.title, fmt, chart.target, _("Target"), chart.digits
        )
        for chart in trends.indicators
        if chart.outcome_id is not None
    }
    return CycleCharts(dimensions, indicators)
