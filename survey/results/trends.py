"""A group's results over its sessions: the gaps per dimension and per statement, and the actions
decided along the way. Each session's figures are the ones its own results show
(``analytics.paired_trends`` settles them with the group's k)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from .. import analytics, charts
from ..display import chart_json, fmt, too_few
from ..extensions import db
from ..models import Group, Meeting, Outcome, OutcomeKind
from ..questionnaire import frozen_definition
from . import queries


@dataclass
class StatementTrend:
    label: str
    section: str
    cells: list[str]
    change: str


@dataclass
class Trends:
    sessions: list[Meeting]
    chart: str | None
    statements: list[StatementTrend]
    actions: list[tuple[Meeting, Outcome]]
    #: The chart's figures as a table: (column headings, rows).
    chart_table: tuple[list[str], list[list[str]]] = ([], [])


def build(group: Group, language: str) -> Trends:
    """Trends over the group's sessions whose results were shown, oldest first."""
    sessions = queries.published_sessions(group)
    # Items are aligned by id; the latest wording names them.
    asked_by = {
        m.id: queries.items_frame(frozen_definition(m), language, group.familiar) for m in sessions
    }
    items = pd.concat(
        list(asked_by.values()) or [pd.DataFrame(columns=analytics.ITEM_COLUMNS)]
    ).drop_duplicates("item", keep="last")
    items = items[items["kind"] == "paired"]
    answers = queries.sessions_answers_frame(sessions, list(items["item"]))
    section_titles = {
        s.id: s.title.get(language, group.familiar)
        for m in sessions
        for s in frozen_definition(m).sections
    }
    trends = analytics.paired_trends(
        answers,
        items,
        [m.id for m in sessions],
        group.anonymity_threshold,
        queries.publications_of(sessions),
    )
    dimensions = analytics.dimension_trends(trends, items)
    names = _session_names(sessions)
    shown = [m.id for m in sessions]
    actions = _actions(sessions)

    chart, chart_table = None, ([], [])
    if not dimensions.empty:
        sizes = dimensions["mean_abs_gap"].unstack("session").reindex(columns=shown)
        lines = {
            section_titles.get(section, section): [None if pd.isna(v) else v for v in row]
            for section, row in sizes.iterrows()
        }
        decided: dict[str, list[str]] = {}
        for meeting, outcome in actions:
            decided.setdefault(names[meeting.id], []).append(outcome.text)
        chart = chart_json(
            charts.trend_lines(
                [names[m.id] for m in sessions],
                lines,
                decided,
                _("Mean size of the gap per dimension, session after session"),
                _("Mean size of the gap (points)"),
                _("Actions decided"),
            )
        )
        chart_table = (
            [_("Dimension"), *(names[m.id] for m in sessions)],
            [
                [name, *("—" if value is None else fmt(value) for value in values)]
                for name, values in lines.items()
            ],
        )

    statements = []
    gaps = trends["mean_gap"].unstack("session")
    changes = trends["change"].unstack("session")
    # "—": not asked that session; the words: asked, and answered by fewer than k (none
    # included: a page never tells none from one or two).
    asked = {(item, m) for m, frame in asked_by.items() for item in frame["item"]}
    answered = set(answers["item"])
    k = group.anonymity_threshold
    for item, label, section in items[["item", "label", "section"]].itertuples(index=False):
        if item not in answered:
            continue
        row = gaps.loc[item].reindex(shown) if item in gaps.index else pd.Series(index=shown)
        change = changes.loc[item].reindex(shown).dropna() if item in changes.index else pd.Series()
        cells = [
            fmt(value) if pd.notna(value) else (too_few(k) if (item, m) in asked else "—")
            for m, value in zip(shown, row, strict=True)
        ]
        statements.append(
            StatementTrend(
                label,
                section_titles.get(section, ""),
                cells,
                fmt(change.iloc[-1]) if len(change) else "—",
            )
        )
    return Trends(sessions, chart, statements, actions, chart_table)


def _session_names(sessions: list[Meeting]) -> dict[int, str]:
    """Short names for the chart's axis: the date, and the title when two share a date."""
    dates = [format_date(m.date, "short") for m in sessions]
    return {
        m.id: date if dates.count(date) == 1 else f"{date} · {m.title}"
        for m, date in zip(sessions, dates, strict=True)
    }


def _actions(sessions: list[Meeting]) -> list[tuple[Meeting, Outcome]]:
    by_id = {m.id: m for m in sessions}
    outcomes = db.session.scalars(
        select(Outcome)
        .where(Outcome.meeting_id.in_(by_id), Outcome.kind == OutcomeKind.ACTION)
        .order_by(Outcome.id)
    )
    return [(by_id[o.meeting_id], o) for o in outcomes]
