"""A group's results over its sessions, for every dimension of the questionnaire: the gaps of
paired statements, the task map, priorities and every rated statement (self-evaluation, the
implicit side...), with the actions and solutions decided along the way as markers.

Each session's figures are the ones its own results show: ``analytics.*_trends`` settle every
(session, statistic) cell with the group's k from the publication snapshot its own n allows.
Items are aligned by id across questionnaire versions; a session that did not ask an item
leaves a gap ("—"), one where fewer than k answered it says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from .. import analytics, charts
from ..display import chart_json, fmt, formatter, percent_of, too_few
from ..extensions import db
from ..models import Group, Meeting, Outcome, OutcomeKind, OutcomeStatus
from ..questionnaire import frozen_definition
from . import queries

#: The kinds whose answers have trends.
KINDS = ("paired", "task_map", "allocation", "rating")
#: Decisions drawn as markers on the session where they were taken.
MARKED = (OutcomeKind.ACTION, OutcomeKind.SOLUTION)


@dataclass
class StatementTrend:
    label: str
    section: str
    cells: list[str]
    change: str


@dataclass
class TrendChart:
    """One chart of series over the sessions, and the same figures as a table."""

    key: str
    title: str
    chart: str | None
    #: (column headings, rows): a row per series, a column per session, then the change.
    columns: list[str]
    rows: list[list[str]]
    #: The indicator outcome it follows, for an indicator's series.
    outcome_id: int | None = None
    #: The figures drawn, for charts drawn on the server (print): the sessions' names, the
    #: shown values per series (None where not shown), the target and the decimals.
    x: list[str] = field(default_factory=list)
    lines: dict[str, list[float | None]] = field(default_factory=dict)
    target: float | None = None
    digits: int = 1


@dataclass
class Dimension:
    key: str
    title: str
    hint: str
    charts: list[TrendChart]


@dataclass
class IndicatorSeries:
    """An evaluation indicator's values over the sessions, against its target."""

    label: str
    #: Per session id, the value its results show, already settled and rounded; None where
    #: fewer than k answered (the table says so). Sessions left out: not measured ("—").
    values: dict[int, float | None]
    target: float | None = None
    #: Decimals shown: 1 for means, 0 for points.
    digits: int = 1
    #: The outcome it measures (None for series built elsewhere).
    outcome_id: int | None = None


@dataclass
class Trends:
    sessions: list[Meeting]
    chart: str | None
    statements: list[StatementTrend]
    #: Actions and solutions, with the session where they were decided.
    decisions: list[tuple[Meeting, Outcome]]
    #: The chart's figures as a table: (column headings, rows).
    chart_table: tuple[list[str], list[list[str]]] = ([], [])
    #: The other dimensions: task map, priorities, rated statements by section.
    dimensions: list[Dimension] = field(default_factory=list)
    indicators: list[TrendChart] = field(default_factory=list)
    #: The chart's lines (a dimension's mean size of gap per session), for print.
    chart_lines: dict[str, list[float | None]] = field(default_factory=dict)


class _Page:
    """What every chart of the page shares: sessions, their names, k, what each asked, and the
    decisions to mark."""

    def __init__(self, sessions, asked, k, markers):
        self.shown = [m.id for m in sessions]
        self.names = _session_names(sessions)
        self.x = [self.names[m] for m in self.shown]
        self.asked = asked
        self.k = k
        self.markers = markers
        self.fmt = formatter()
        self.too_few = too_few(k)

    def chart(
        self,
        key: str,
        title: str,
        y_title: str,
        values: pd.Series | pd.DataFrame,
        rows: list[tuple[str, str]],
        percent: bool = False,
        digits: int = 1,
        target: float | None = None,
        asked: set | None = None,
        heading: str | None = None,
    ) -> TrendChart:
        """A chart with a line per row (item, label) of ``values`` (indexed by item and session,
        shown cells only), and its table: "—" where the session did not ask the item (``asked``:
        the page's pairs of item and session by default), the words where fewer than k answered
        it, and the change between the last two sessions shown."""
        asked = self.asked if asked is None else asked
        wide = grid(values, [item for item, _label in rows], self.shown, percent)
        lines, table = {}, []
        for (item, label), row in zip(rows, wide.tolist(), strict=True):
            points = [None if v != v else v for v in row]  # NaN: not shown
            lines[label] = points
            cells = [
                self._figure(p, percent, digits)
                if p is not None
                else (self.too_few if (item, m) in asked else "—")
                for m, p in zip(self.shown, points, strict=True)
            ]
            shown = [p for p in points if p is not None]
            change = "—"
            if len(shown) >= 2:
                change = self.fmt(shown[-1] - shown[-2], 0 if percent else digits)
            table.append([label, *cells, change])
        chart = None
        if any(p is not None for points in lines.values() for p in points):
            chart = chart_json(
                charts.trend_lines(self.x, lines, self.markers, title, y_title, target, _("Target"))
            )
        columns = [heading or _("Series"), *self.x, _("Change since the previous session")]
        return TrendChart(
            key,
            title,
            chart,
            columns,
            table,
            x=self.x,
            lines=lines,
            target=target,
            digits=0 if percent else digits,
        )

    def _figure(self, value: float, percent: bool, digits: int) -> str:
        return percent_of(value) if percent else self.fmt(value, digits)


def grid(values: pd.Series | pd.DataFrame, keys: list[str], shown: list[int], percent=False):
    """A chart's figures as the page shows them: a row per item of ``keys``, a column per
    session of ``shown``, NaN where the cell is not shown; shares as whole percents."""
    if values.empty:
        wide = np.full((len(keys), len(shown)), np.nan)
    else:
        if isinstance(values, pd.Series):  # a frame is already one column per session
            values = values.unstack("session")
        wide = values.reindex(index=keys, columns=shown).to_numpy()
    return np.round(wide * 100, 0) if percent else wide


def build(group: Group, language: str) -> Trends:
    """Trends over the group's sessions whose results were shown, oldest first."""
    sessions = queries.published_sessions(group)
    definitions, items, asked = _items(group, sessions, language)
    sections, questions = {}, {}
    for definition in definitions.values():
        for section in definition.sections:
            sections[section.id] = section.title.get(language, group.familiar)
            for item in section.items:
                questions[item.id] = item.prompt.get(language, group.familiar)

    k = group.anonymity_threshold
    frames = settled(group, sessions, items)
    decisions = _decisions(sessions)
    names = _session_names(sessions)
    markers = {
        _("Actions decided"): _marked(decisions, names, OutcomeKind.ACTION),
        _("Solutions adopted"): _marked(decisions, names, OutcomeKind.SOLUTION),
    }
    page = _Page(sessions, asked, k, markers)

    paired = items[items["kind"] == "paired"]
    chart, chart_table, chart_lines = _dimension_chart(frames["paired"], paired, page, sections)
    statements = _statements(frames["paired"], paired, page, sections)
    dimensions = [
        *_task_dimension(frames["task_map"], items, page, sections),
        *_priority_dimension(frames["allocation"], items, page, sections),
        *_rating_dimensions(frames["rating"], items, page, sections, questions),
    ]
    return Trends(
        sessions,
        chart,
        statements,
        decisions,
        chart_table,
        dimensions,
        [
            _indicator_chart(i, number, page)
            for number, i in enumerate(indicators(group, sessions, (items, asked)))
        ],
        chart_lines,
    )


def _items(group: Group, sessions: list[Meeting], language: str):
    """Each session's frozen questionnaire, the items with trends (aligned by id, named by the
    latest wording), and the pairs (item, session) each session asked."""
    definitions = {m.id: frozen_definition(m) for m in sessions}
    asked_by = {m: queries.items_frame(d, language, group.familiar) for m, d in definitions.items()}
    items = pd.concat(
        list(asked_by.values()) or [pd.DataFrame(columns=analytics.ITEM_COLUMNS)]
    ).drop_duplicates("item", keep="last")
    items = items[items["kind"].isin(KINDS)]
    asked = {(item, m) for m, frame in asked_by.items() for item in frame["item"]}
    return definitions, items, asked


#: Settled trends kept per app and worker: they change only with a publication, a session
#: leaving or joining the group's shown sessions, or k.
CACHE_SIZE = 32
#: Sessions whose settled figures are kept per app and worker (a group page holds ~20).
SESSIONS_CACHE_SIZE = 1024


def settled(group: Group, sessions: list[Meeting], items: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each kind's trends, every (session, statistic) cell settled with the group's k.

    A session's cells depend on its own answers and publications only: they are kept per
    session (its id and token, its number of publications, k and the items they were computed
    for), so that after a new publication only that session is computed, with one query for
    its answers and one pass per kind. The trends themselves (the sessions' order, the changes)
    are kept per group state, so that a later view only lays the figures out.
    """
    publications = queries.publications_of(sessions)
    k = group.anonymity_threshold
    ids = tuple(items["item"])
    key = (group.id, k, tuple((m.id, m.join_token, publications.get(m.id)) for m in sessions), ids)
    computed = current_app.extensions.setdefault("praxis_trends", {})
    found = computed.get(key)
    if found is None:
        cells = _session_cells(sessions, items, publications, k)
        shown = [m.id for m in sessions]
        found = {
            kind: in_order(cells[kind], shown)
            for kind, (_cells, in_order) in analytics.TRENDS.items()
        }
        _keep(computed, key, found, CACHE_SIZE)
    return found


@dataclass(frozen=True)
class _Batch:
    """Cells computed together: each kind's frame, for these sessions."""

    sessions: frozenset
    frames: dict


def _session_cells(sessions, items, publications, k) -> dict[str, pd.DataFrame]:
    """Each kind's settled cells of ``sessions``: those kept per session, the others computed
    together in one pass (a batch, kept under each of its sessions' keys)."""
    kept = current_app.extensions.setdefault("praxis_trend_cells", {})
    computed_for = _items_key(items)
    keys = {m.id: (m.id, m.join_token, publications.get(m.id), k, computed_for) for m in sessions}
    missing = [m for m in sessions if keys[m.id] not in kept]
    if missing:
        answers = queries.sessions_answers_frame(missing, list(items["item"]))
        cells = analytics.SessionCells(answers, publications)
        batch = _Batch(
            frozenset(m.id for m in missing),
            {
                kind: cells_of(cells, items[items["kind"] == kind], k)
                for kind, (cells_of, _in_order) in analytics.TRENDS.items()
            },
        )
        for m in missing:
            _keep(kept, keys[m.id], batch)
    batches: dict[int, tuple[_Batch, set]] = {}
    for m in sessions:
        batch = kept[keys[m.id]]
        batches.setdefault(id(batch), (batch, set()))[1].add(m.id)
    return {
        kind: _joined([_only(b.frames[kind], b.sessions, wanted) for b, wanted in batches.values()])
        for kind in analytics.TRENDS
    }


def _only(frame: pd.DataFrame, has: frozenset, wanted: set) -> pd.DataFrame:
    """A batch's rows of the sessions wanted from it (an older batch may hold a session whose
    cells were computed again since)."""
    if frame.empty or has == wanted:
        return frame
    return frame[frame.index.get_level_values("session").isin(list(wanted))]


def _items_key(items: pd.DataFrame) -> int:
    """What the cells were computed for: the items, their kinds and scales (a later version
    of the questionnaire may change a scale). Hashed by pandas, which hashes every NaN alike
    (Python hashes each NaN object by its identity)."""
    return hash(pd.util.hash_pandas_object(items, index=False).to_numpy().tobytes())


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    present = [f for f in frames if not f.empty]
    return pd.concat(present) if present else pd.DataFrame()


def _keep(cache: dict, key, value, size: int = SESSIONS_CACHE_SIZE) -> None:
    if len(cache) >= size:
        cache.pop(next(iter(cache)))  # the oldest first
    cache[key] = value


def indicators(
    group: Group,
    sessions: list[Meeting],
    known: tuple[pd.DataFrame, set] | None = None,
) -> list[IndicatorSeries]:
    """The group's live evaluation indicators, with their value at each shown session from the
    one where they were decided onward, against their targets.

    An indicator read from a statement takes each value from a cell of ``settled``, the one the
    page shows for that session: a paired statement's facet mean or mean gap, or a rated
    statement's mean. None where fewer than k answered it; sessions that did not ask the
    statement are left out. ``known``: the page's items and asked pairs, when it has them
    already. An indicator the group measures by hand takes the values noted at its reviews
    (facilitator figures, not answers)."""
    found = db.session.scalars(
        select(Outcome)
        .join(Meeting, Meeting.id == Outcome.meeting_id)
        .where(
            Meeting.group_id == group.id,
            Outcome.kind == OutcomeKind.INDICATOR,
            Outcome.status != OutcomeStatus.DROPPED,
        )
        .order_by(Meeting.date, Meeting.id, Outcome.id)
    ).all()
    if not found or not sessions:
        return []
    series = [_manual_series(o, sessions) for o in found if o.indicator_item is None]
    read = [o for o in found if o.indicator_item is not None]
    if read:
        series += _read_series(group, sessions, read, known)
    order = {o.id: n for n, o in enumerate(found)}
    return sorted(series, key=lambda s: order[s.outcome_id])


def _read_series(group, sessions, found, known) -> list[IndicatorSeries]:
    # Labels do not matter here: the cells are keyed by item id.
    items, asked = known if known is not None else _items(group, sessions, "en")[1:]
    frames = settled(group, sessions, items)
    by_id = {row.item: row for row in items.itertuples(index=False)}
    series = []
    for outcome in found:
        row = by_id.get(outcome.indicator_item)
        column = _indicator_column(row, outcome.indicator_facet)
        if column is None:
            continue
        frame = frames[row.kind]
        decided = (outcome.meeting.date, outcome.meeting.id)
        values: dict[int, float | None] = {}
        for m in sessions:
            if (m.date, m.id) < decided or (row.item, m.id) not in asked:
                continue
            key = (row.item, m.id)
            value = frame.at[key, column] if key in frame.index else np.nan
            values[m.id] = None if pd.isna(value) else float(value)
        series.append(
            IndicatorSeries(outcome.text, values, outcome.target_value, outcome_id=outcome.id)
        )
    return series


def manual_values(outcome: Outcome) -> dict[int, float]:
    """Per session id, the value noted for a hand-measured indicator in that session's review
    (the last one noted there)."""
    values: dict[int, float] = {}
    for revision in outcome.revisions:
        if revision.value is not None and revision.meeting_id is not None:
            values.pop(revision.meeting_id, None)
            values[revision.meeting_id] = revision.value
    return values


def manual_digits(values) -> int:
    """Decimals to show for figures typed by hand: none for counts, up to two otherwise."""
    values = list(values)
    if all(float(v).is_integer() for v in values):
        return 0
    return 1 if all(round(v, 1) == v for v in values) else 2


def _manual_series(outcome: Outcome, sessions: list[Meeting]) -> IndicatorSeries:
    noted = manual_values(outcome)
    values: dict[int, float | None] = {m.id: noted[m.id] for m in sessions if m.id in noted}
    return IndicatorSeries(
        outcome.text,
        values,
        outcome.target_value,
        digits=manual_digits(
            [*noted.values(), *([outcome.target_value] if outcome.target_value is not None else [])]
        ),
        outcome_id=outcome.id,
    )


def _indicator_column(row, facet: str | None) -> str | None:
    """The settled column an indicator reads: a paired statement's facet mean or its mean gap
    (the gap when no facet is named), a rated statement's mean; None for other kinds."""
    if row is None:
        return None
    if row.kind == "paired":
        return {row.facet_a: "mean_a", row.facet_b: "mean_b"}.get(facet, "mean_gap")
    if row.kind == "rating" and facet is None:
        return "mean"
    return None


@dataclass
class Latest:
    """An indicator's latest value as the review shows it: the figure, or the words when fewer
    than k answered, and the session it comes from."""

    text: str
    session: Meeting
    hidden: bool


def latest_values(meeting: Meeting) -> dict[int, Latest]:
    """Per indicator outcome id, its latest value at a session shown no later than ``meeting``:
    the very cell the trends page shows for that session (never an earlier one standing in for
    a hidden cell)."""
    group = meeting.group
    sessions = [
        m for m in queries.published_sessions(group) if (m.date, m.id) <= (meeting.date, meeting.id)
    ]
    fmt, few = formatter(), too_few(group.anonymity_threshold)
    by_id = {m.id: m for m in sessions}
    found = {}
    for series in indicators(group, sessions):
        if not series.values or series.outcome_id is None:
            continue
        last = list(series.values)[-1]
        value = series.values[last]
        text = few if value is None else fmt(value, series.digits)
        found[series.outcome_id] = Latest(text, by_id[last], value is None)
    found.update(_latest_noted(meeting))
    return found


def _latest_noted(meeting: Meeting) -> dict[int, Latest]:
    """Hand-measured indicators' latest noted values, in any session up to ``meeting`` (its own
    review included, shown or not: these are the facilitator's figures, not answers)."""
    group_sessions = {
        m.id: m for m in meeting.group.meetings if (m.date, m.id) <= (meeting.date, meeting.id)
    }
    found = {}
    manual = db.session.scalars(
        select(Outcome).where(
            Outcome.meeting_id.in_(list(group_sessions)),
            Outcome.kind == OutcomeKind.INDICATOR,
            Outcome.indicator_item.is_(None),
        )
    ).all()
    for outcome in manual:
        noted = {m: v for m, v in manual_values(outcome).items() if m in group_sessions}
        if noted:
            last = max(noted, key=lambda m: (group_sessions[m].date, m))
            text = fmt(noted[last], manual_digits(noted.values()))
            found[outcome.id] = Latest(text, group_sessions[last], False)
    return found


def _indicator_chart(indicator: IndicatorSeries, number: int, page: _Page) -> TrendChart:
    """An indicator's series against its target line, with its table (same figures)."""
    values = pd.Series(
        {(indicator.label, m): v for m, v in indicator.values.items() if v is not None},
        dtype=float,
    )
    if not values.empty:
        values.index.names = ["item", "session"]
    chart = page.chart(
        f"indicator-{number}",
        indicator.label,
        _("Value"),
        values,
        [(indicator.label, indicator.label)],
        digits=indicator.digits,
        target=indicator.target,
        asked={(indicator.label, m) for m in indicator.values},
        heading=_("Indicator"),
    )
    chart.outcome_id = indicator.outcome_id
    return chart


def _dimension_chart(trends, items, page: _Page, sections):
    """The mean size of gap per paired dimension (shown statements only), and its table."""
    dimensions = analytics.dimension_trends(trends, items)
    if dimensions.empty:
        return None, ([], []), {}
    sizes = dimensions["mean_abs_gap"].unstack("session").reindex(columns=page.shown)
    lines = {
        sections.get(section, section): [None if pd.isna(v) else v for v in row]
        for section, row in sizes.iterrows()
    }
    chart = chart_json(
        charts.trend_lines(
            page.x,
            lines,
            page.markers,
            _("Mean size of the gap per dimension, session after session"),
            _("Mean size of the gap (points)"),
        )
    )
    table = (
        [_("Dimension"), *page.x],
        [
            [name, *("—" if value is None else fmt(value) for value in values)]
            for name, values in lines.items()
        ],
    )
    return chart, table, lines


def _statements(trends, items, page: _Page, sections) -> list[StatementTrend]:
    keys = items["item"].tolist()
    if trends.empty:
        gaps = changes = [[float("nan")] * len(page.shown) for _ in keys]
    else:
        wide = trends[["mean_gap", "change"]].unstack("session")
        gaps = wide["mean_gap"].reindex(index=keys, columns=page.shown).to_numpy().tolist()
        changes = wide["change"].reindex(index=keys, columns=page.shown).to_numpy().tolist()
    statements = []
    for item, label, section, row, moves in zip(
        keys, items["label"].tolist(), items["section"].tolist(), gaps, changes, strict=True
    ):
        cells = [
            page.fmt(value)
            if value == value  # NaN: not shown
            else (page.too_few if (item, m) in page.asked else "—")
            for m, value in zip(page.shown, row, strict=True)
        ]
        moved = [v for v in moves if v == v]
        statements.append(
            StatementTrend(
                label, sections.get(section, ""), cells, page.fmt(moved[-1]) if moved else "—"
            )
        )
    return statements


def _rows(items: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(items["item"].tolist(), items["label"].tolist(), strict=True))


def _task_dimension(trends, items, page: _Page, sections) -> list[Dimension]:
    tasks = items[items["kind"] == "task_map"]
    if tasks.empty:
        return []
    rows = _rows(tasks)
    figures = [
        (
            "valence",
            _("Mean valence per task (from −3 tedious to +3 motivating)"),
            _("Mean valence"),
            False,
        ),
        ("overload_share", _("Share in overload per task"), _("Share in overload (%)"), True),
        ("routine_share", _("Share in routine per task"), _("Share in routine (%)"), True),
        (
            "automatic",
            _("Automaticity per task (from 1 never to 7 always)"),
            _("Mean automaticity"),
            False,
        ),
    ]
    return [
        Dimension(
            "task_map",
            _sections_title(tasks, sections),
            _(
                "Overload: the task demands at least two points more than one masters it; "
                "routine: one masters it at least two points more than it demands. Shares of "
                "the people who rated both."
            ),
            [
                page.chart(
                    f"tasks-{column}",
                    title,
                    y_title,
                    _shown(trends, column),
                    rows,
                    percent,
                    heading=_("Task"),
                )
                for column, title, y_title, percent in figures
            ],
        )
    ]


def _priority_dimension(trends, items, page: _Page, sections) -> list[Dimension]:
    objectives = items[items["kind"] == "allocation"]
    if objectives.empty:
        return []
    rows = _rows(objectives)
    return [
        Dimension(
            "priorities",
            _sections_title(objectives, sections),
            _(
                "Mean points out of 100. Above zero, people give the objective more weight "
                "than they perceive their management expects."
            ),
            [
                page.chart(
                    "priorities-gap",
                    _("My view minus perceived expectation, per objective"),
                    _("Points"),
                    _shown(trends, "mine_minus_expected"),
                    rows,
                    digits=0,
                    heading=_("Objective"),
                ),
                page.chart(
                    "priorities-time",
                    _("Real time, per objective"),
                    _("Mean points"),
                    _shown(trends, "actual_time"),
                    rows,
                    digits=0,
                    heading=_("Objective"),
                ),
            ],
        )
    ]


def _rating_dimensions(trends, items, page: _Page, sections, questions) -> list[Dimension]:
    ratings = items[items["kind"] == "rating"]
    if ratings.empty:
        return []
    means = _shown(trends, "mean")
    means = means.unstack("session") if not means.empty else means
    dimensions = []
    for section, in_section in ratings.groupby("section", sort=False):
        charts_ = []
        for question, asked in in_section.groupby("question", sort=False):
            low, high = int(asked["scale_min"].iloc[-1]), int(asked["scale_max"].iloc[-1])
            title = questions.get(question, question)
            charts_.append(
                page.chart(
                    f"rating-{question}",
                    title,
                    _("Mean (from %(low)s to %(high)s)", low=low, high=high),
                    means,
                    _rows(asked),
                    heading=_("Statement"),
                )
            )
        dimensions.append(
            Dimension(
                f"section-{section}",
                sections.get(section, section),
                _("Mean answer per statement, on the scale it was asked with."),
                charts_,
            )
        )
    return dimensions


def _shown(trends: pd.DataFrame, column: str) -> pd.Series:
    if trends.empty:
        return pd.Series(dtype=float)
    return trends[column].dropna()


def _sections_title(items: pd.DataFrame, sections: dict[str, str]) -> str:
    return " · ".join(sections.get(s, s) for s in dict.fromkeys(items["section"]))


def _session_names(sessions: list[Meeting]) -> dict[int, str]:
    """Short names for the chart's axis: the date, and the title when two share a date."""
    dates = [format_date(m.date, "short") for m in sessions]
    return {
        m.id: date if dates.count(date) == 1 else f"{date} · {m.title}"
        for m, date in zip(sessions, dates, strict=True)
    }


def _decisions(sessions: list[Meeting]) -> list[tuple[Meeting, Outcome]]:
    """The actions and solutions decided at the sessions, oldest session first."""
    by_id = {m.id: m for m in sessions}
    order = {m.id: number for number, m in enumerate(sessions)}
    outcomes = db.session.scalars(
        select(Outcome)
        .where(Outcome.meeting_id.in_(by_id), Outcome.kind.in_(MARKED))
        .order_by(Outcome.id)
    )
    found = sorted(outcomes, key=lambda o: (order[o.meeting_id], o.id))
    return [(by_id[o.meeting_id], o) for o in found]


def _marked(decisions, names, kind: OutcomeKind) -> dict[str, list[str]]:
    marked: dict[str, list[str]] = {}
    for meeting, outcome in decisions:
        if outcome.kind == kind:
            marked.setdefault(names[meeting.id], []).append(outcome.text)
    return marked


# The same figures as plain numbers, for the JSON API
# ---------------------------------------------------


@dataclass
class Point:
    """One session's cell of a series: the value the page shows (None where it says « moins
    de k réponses » or "—"), the n it rests on where known, and whether the session asked it."""

    session: int
    value: float | None
    n: int | None
    asked: bool


@dataclass
class Series:
    dimension: str
    statistic: str
    #: The statement, task or objective (a section id for a dimension's mean size of gap).
    item: str
    label: str
    section: str
    unit: str
    points: list[Point]
    #: The change the page shows beside the series ("—": None).
    change: float | None


@dataclass
class PlainTrends:
    sessions: list[Meeting]
    k: int
    series: list[Series]


#: The columns each kind's charts show: (dimension, frame, column, its n, percent, digits).
SERIES = (
    ("paired", "paired", "mean_gap", "n", False, 1),
    ("task_map", "task_map", "valence", "n_valence", False, 1),
    ("task_map", "task_map", "overload_share", "n_flow", True, 0),
    ("task_map", "task_map", "routine_share", "n_flow", True, 0),
    ("task_map", "task_map", "automatic", "n_automatic", False, 1),
    ("priorities", "allocation", "mine_minus_expected", None, False, 0),
    ("priorities", "allocation", "actual_time", "n_actual_time", False, 0),
    ("rating", "rating", "mean", "n", False, 1),
)


def series(group: Group, language: str) -> PlainTrends:
    """Every series of the trends page as numbers: the cells its tables show, from the same
    settled frames (``settled``) and the same layout (``grid``)."""
    sessions = queries.published_sessions(group)
    definitions, items, asked = _items(group, sessions, language)
    sections = {}
    for definition in definitions.values():
        for section in definition.sections:
            sections[section.id] = section.title.get(language, group.familiar)
    frames = settled(group, sessions, items)
    shown = [m.id for m in sessions]
    found = []
    for dimension, kind, column, n_column, percent, digits in SERIES:
        rows = items[items["kind"] == kind]
        if rows.empty:
            continue
        keys = rows["item"].tolist()
        frame = frames[kind]
        values = grid(_shown(frame, column), keys, shown, percent)
        counts = grid(_shown(frame, n_column), keys, shown) if n_column else None
        changes = None
        if kind == "paired":  # the statements' table shows the change of the mean gap
            changes = grid(_shown(frame, "change"), keys, shown)
        for number, (item, label, section) in enumerate(
            zip(keys, rows["label"].tolist(), rows["section"].tolist(), strict=True)
        ):
            points = [
                Point(
                    m,
                    None if value != value else float(value),
                    _n(value, counts, number, place),
                    (item, m) in asked,
                )
                for place, (m, value) in enumerate(zip(shown, values[number].tolist(), strict=True))
            ]
            if changes is not None:
                moved = [v for v in changes[number].tolist() if v == v]
                change = round(float(moved[-1]), digits) if moved else None
            else:
                figures = [p.value for p in points if p.value is not None]
                change = round(figures[-1] - figures[-2], digits) if len(figures) >= 2 else None
            unit = "percent" if percent else "points" if kind == "allocation" else "mean"
            found.append(
                Series(
                    dimension, column, item, label, sections.get(section, ""), unit, points, change
                )
            )
    found += _dimension_series(frames["paired"], items[items["kind"] == "paired"], shown, sections)
    return PlainTrends(sessions, group.anonymity_threshold, found)


def _n(value, counts, row: int, column: int) -> int | None:
    if value != value or counts is None or counts[row][column] != counts[row][column]:
        return None
    return int(counts[row][column])


def _dimension_series(trends, items, shown, sections) -> list[Series]:
    """The mean size of gap per dimension (``_dimension_chart``): "—" where no statement of
    the dimension was shown that session."""
    dimensions = analytics.dimension_trends(trends, items)
    if dimensions.empty:
        return []
    sizes = dimensions["mean_abs_gap"].unstack("session").reindex(columns=shown)
    return [
        Series(
            "paired_dimension",
            "mean_abs_gap",
            section,
            sections.get(section, section),
            section,
            "mean",
            [
                Point(m, None if pd.isna(v) else float(v), None, not pd.isna(v))
                for m, v in zip(shown, row.tolist(), strict=True)
            ],
            None,
        )
        for section, row in sizes.iterrows()
    ]
