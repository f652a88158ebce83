"""What a facilitator downloads: a session's published results, or a group's trends, each with
the outcomes, as sheets that ``spreadsheets`` writes as an XLSX workbook or a ZIP of CSV files.

The figures cannot drift from the pages': every table is laid out from the very objects the
pages render (``results.session.Results``: the blocks of each question, the agenda, the flags,
the breakdown; ``results.trends.Trends``: every table of the trends page), so they went through
the same privacy layer and carry the same words where fewer than k answered (« moins de k
réponses », never a value). Only their *type* is decided here: a cell whose text is a figure
exactly as ``display`` writes one (``figure``) becomes a ``Number``, so that a spreadsheet can
compute with it, keeping the page's rounding; every other cell stays the page's text.

Why parse the shown text rather than carry the rounded number beside it: the kinds build their
tables as strings in a dozen places; parsing their output, and keeping a number only when it
formats back to the very same string, guarantees the number equals what the page shows, and
needs no change in the kinds. A figure's text has no grouping (``fmt`` writes « 1234,5 »), so
the parse is exact.

Outcomes are facilitator text: only those marked shareable by default; all of them when the
facilitator asks, for their own use (the Notes sheet says which). Free texts are not exported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from babel.numbers import get_decimal_symbol, get_minus_sign_symbol
from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _

from .display import fmt, percent_of, too_few
from .models import Group, Meeting, Outcome, OutcomeKind, OutcomeStatus
from .questionnaire import frozen_definition
from .results import queries
from .results.session import Results
from .results.trends import TrendChart, Trends
from .results.trends import indicators as indicator_series
from .services import outcomes as outcome_service
from .spreadsheets import (
    XLSX_TYPE,
    ZIP_TYPE,
    Cell,
    Number,
    Sheet,
    csv_zip_bytes,
    file_word,
    xlsx_bytes,
)


@dataclass
class Export:
    """A download: its file name without extension, in the UI language, and its sheets."""

    name: str
    sheets: list[Sheet]

    def file(self, format_: str) -> tuple[bytes, str, str]:
        """(content, media type, file name) in ``xlsx`` or ``csv`` (a ZIP of CSV files)."""
        if format_ == "xlsx":
            return xlsx_bytes(self.sheets), XLSX_TYPE, f"{self.name}.xlsx"
        comma = get_decimal_symbol(str(get_locale())) == ","
        return csv_zip_bytes(self.sheets, comma), ZIP_TYPE, f"{self.name}-csv.zip"


# Figures: the page's text, typed
# -------------------------------


@lru_cache(maxsize=8)
def _number_pattern(locale: str) -> re.Pattern:
    decimal = re.escape(get_decimal_symbol(locale))
    minus = re.escape(get_minus_sign_symbol(locale))
    return re.compile(
        rf"(?P<sign>{minus}|-)?(?P<whole>\d+)(?:{decimal}(?P<decimals>\d+))?"
        r"(?P<percent>[ \u00a0\u202f]?%)?"
    )


def figure(text: str) -> Cell:
    """A table cell as its page shows it: a ``Number`` when the text is a figure written by
    ``display.fmt``, ``display.percent_of`` or a count (it must format back to the very same
    text, so that the number is exactly the page's, rounded as shown); the text otherwise
    (« moins de k réponses », « — », words)."""
    found = _number_pattern(str(get_locale())).fullmatch(text)
    if found is None:
        return text
    digits = len(found["decimals"] or "")
    sign = "-" if found["sign"] else ""
    value = float(f"{sign}{found['whole']}.{found['decimals'] or '0'}")
    percent = bool(found["percent"])
    again = percent_of(value) if percent else fmt(value, digits)
    return Number(value, digits, percent, text) if again == text else text


def _count(value: int) -> Number:
    return Number(float(value), 0, False, str(value))


def _table(sheet: Sheet, columns: list[str], rows: list[list[str]], labels: int = 1) -> None:
    """A page's table: its headings, then its rows (the first ``labels`` cells are words)."""
    sheet.heading(*columns)
    for row in rows:
        sheet.line(*row[:labels], *(figure(cell) for cell in row[labels:]))


# Notes
# -----


def _notes(rows: list[tuple[str, Cell]], k: int, include_all: bool) -> Sheet:
    sheet = Sheet(_("Notes"))
    sheet.heading(_("Exported from Praxis"))
    for label, value in rows:
        sheet.line(label, value)
    sheet.line(_("Anonymity threshold (k)"), _count(k))
    sheet.line(
        too_few(k),
        _(
            "A figure resting on fewer than %(k)s answers to its question is not shown, here as "
            "on the pages: its cell says so instead. “—”: nothing to show (not asked, or not "
            "measured).",
            k=k,
        ),
    )
    sheet.line(
        _("Figures"),
        _(
            "As the pages show them, rounded the same way (in the XLSX file, numbers with the "
            "same digits)."
        ),
    )
    sheet.line(
        _("Outcomes included"),
        _(
            "All outcomes, including those not marked shareable outside the group: for the "
            "facilitator's own use."
        )
        if include_all
        else _("Only the outcomes marked shareable outside the group."),
    )
    sheet.line(_("Free texts"), _("Not exported."))
    sheet.line(_("Exported on"), format_date(dt.date.today(), "long"))
    return sheet


def _questionnaires(sessions: list[Meeting]) -> str:
    versions = dict.fromkeys(
        f"{d.slug} {d.version}" for d in (frozen_definition(m) for m in sessions)
    )
    return ", ".join(versions) or "—"


# A session
# ---------


def session_export(meeting: Meeting, results: Results, include_all: bool, words: dict) -> Export:
    """A session's published results, its agenda and its outcomes (shareable ones unless
    ``include_all``); ``words``: the outcomes' kind, status… labels (``outcome_labels()``)."""
    group = meeting.group
    k = group.anonymity_threshold
    notes = _notes(
        [
            (_("Group"), group.name),
            (_("Session"), meeting.title),
            (_("Date"), format_date(meeting.date, "long")),
            (_("Responses shown (n)"), _count(results.responses)),
            (_("Questionnaire (id and version)"), _questionnaires([meeting])),
        ],
        k,
        include_all,
    )
    found = [o for kind in outcome_service.of_meeting(meeting).values() for o in kind]
    return Export(
        _("praxis-session-%(date)s", date=meeting.date.isoformat()),
        [
            notes,
            _agenda(results),
            _flags(results),
            *_breakdown(results, k),
            *(_section(section) for section in results.sections),
            _outcomes(_chosen(found, include_all), words, sessions=False),
        ],
    )


def _agenda(results: Results) -> Sheet:
    sheet = Sheet(_("Agenda"))
    if not results.agenda:
        sheet.line(_("No clear gap or disagreement stands out: the group may choose freely."))
        return sheet
    sheet.heading(_("Order"), _("Statement"), _("Section"), _("Why"))
    for number, entry in enumerate(results.agenda, start=1):
        sheet.line(_count(number), entry.label, entry.section, " ".join(entry.reasons))
    return sheet


def _flags(results: Results) -> Sheet:
    sheet = Sheet(_("Shared gaps and contested"))
    sheet.heading(_("Reading"), _("Statement"))
    for flag, name in (("shared_gap", _("Shared gaps")), ("contested", _("Contested"))):
        for label in results.flags.get(flag) or [_("None")]:
            sheet.line(name, label)
    return sheet


def _breakdown(results: Results, k: int) -> list[Sheet]:
    breakdown = results.breakdown
    if breakdown is None:
        return []
    sheet = Sheet(_("By establishment"))
    if breakdown.pooled:
        sheet.line(
            _(
                "Establishments have too few responses to be shown apart (at least %(k)s are "
                "needed in each, and in the others together): results stay pooled.",
                k=k,
            )
        )
        return [sheet]
    _table(sheet, breakdown.columns, breakdown.rows)
    return [sheet]


def _section(section) -> Sheet:
    """A section's questions one under the other: title, table, the note under it."""
    sheet = Sheet(f"{_('Results')} — {section.title}")
    for block in section.blocks:
        sheet.heading(block.title)
        if block.rows:
            _table(sheet, block.columns, block.rows)
        for words in (block.note, block.caption):
            if words:
                sheet.line(words)
        sheet.blank()
    return sheet


# A group over time
# -----------------


def group_export(group: Group, trends: Trends, include_all: bool, words: dict) -> Export:
    """The group's trends (every table of the trends page) and the outcomes of all its
    sessions (shareable ones unless ``include_all``)."""
    k = group.anonymity_threshold
    sessions = trends.sessions
    notes = _notes(
        [
            (_("Group"), group.name),
            (_("Sessions"), _count(len(sessions))),
            *(
                (
                    format_date(m.date, "long"),
                    ngettext(
                        "%(title)s: %(num)d response shown",
                        "%(title)s: %(num)d responses shown",
                        n,
                        title=m.title,
                    ),
                )
                for m, n in _shown_counts(sessions)
            ),
            (_("Questionnaire (id and version)"), _questionnaires(sessions)),
        ],
        k,
        include_all,
    )
    sheets = [notes, *_overall(trends)]
    for dimension in trends.dimensions:
        sheets.append(_charts(dimension.title, dimension.hint, dimension.charts))
    shown = _indicators(group, trends, include_all)
    if shown:
        sheets.append(_charts(_("Evaluation indicators"), None, shown))
    found = outcome_service.of_group(group)
    sheets.append(_outcomes(_chosen(found, include_all), words, sessions=True))
    name = _(
        "praxis-trends-%(group)s-%(date)s",
        group=file_word(group.name),
        date=dt.date.today().isoformat(),
    )
    return Export(name, sheets)


def _shown_counts(sessions: list[Meeting]) -> list[tuple[Meeting, int]]:
    return [(m, queries.response_counts(m)[0]) for m in sessions]


def _overall(trends: Trends) -> list[Sheet]:
    """The chart of gaps per dimension as its table, and the table of gaps per statement."""
    sheets = []
    columns, rows = trends.chart_table
    if columns:
        sheet = Sheet(_("Gap per dimension"))
        sheet.heading(_("Mean size of the gap per dimension, session after session"))
        _table(sheet, columns, rows)
        sheets.append(sheet)
    if trends.statements:
        sheet = Sheet(_("Mean gap per statement"))
        sheet.line(
            _(
                "Positive: the second view is higher (for instance, more actual work than "
                "prescribed). “—”: not asked that session."
            )
        )
        _table(
            sheet,
            [
                _("Statement"),
                _("Section"),
                *(f"{m.title} · {format_date(m.date, 'short')}" for m in trends.sessions),
                _("Change since the previous session"),
            ],
            [[s.label, s.section, *s.cells, s.change] for s in trends.statements],
            labels=2,
        )
        sheets.append(sheet)
    return sheets


def _charts(title: str, hint: str | None, charts: list[TrendChart]) -> Sheet:
    sheet = Sheet(title)
    if hint:
        sheet.line(hint)
        sheet.blank()
    for chart in charts:
        sheet.heading(chart.title)
        _table(sheet, chart.columns, chart.rows)
        sheet.blank()
    return sheet


def _indicators(group: Group, trends: Trends, include_all: bool) -> list[TrendChart]:
    """The indicators' tables, without those of outcomes not marked shareable (their name is
    the outcome's text) unless ``include_all``."""
    if include_all or not trends.indicators:
        return trends.indicators
    series = indicator_series(group, trends.sessions)
    if len(series) != len(trends.indicators):  # not the page's list: keep none rather than guess
        return []
    shareable = {o.id for o in outcome_service.of_group(group) if o.shareable}
    return [
        chart
        for chart, one in zip(trends.indicators, series, strict=True)
        if one.outcome_id in shareable
    ]


# Outcomes
# --------


def _chosen(found: list[Outcome], include_all: bool) -> list[Outcome]:
    return [o for o in found if include_all or o.shareable]


def _outcomes(found: list[Outcome], words: dict, sessions: bool) -> Sheet:
    """One row per outcome: what the outcomes page says of it."""
    sheet = Sheet(_("Decisions"))
    labels = outcome_service.statement_labels(found, str(get_locale()))
    sheet.heading(
        *([_("Session")] if sessions else []),
        _("Kind"),
        _("Text"),
        _("Status"),
        _("Who"),
        _("By when"),
        _("Level of agreement"),
        _("Measured by"),
        _("Target"),
        _("Linked statements"),
        _("Shareable outside the group"),
    )
    for outcome in found:
        meeting = outcome.meeting
        named = labels.get(outcome.id, {})
        sheet.line(
            *([f"{meeting.title} · {format_date(meeting.date, 'short')}"] if sessions else []),
            str(words["kind_labels"].get(outcome.kind, outcome.kind.value)),
            outcome.text,
            _status(outcome, words),
            (outcome.role or "") if outcome.kind == OutcomeKind.ACTION else "",
            _due(outcome),
            str(words["agreement_labels"][outcome.agreement]) if outcome.agreement else "",
            _measured_by(outcome, named),
            _target(outcome, words),
            "\n".join(named.get(i, i) for i in outcome.item_ids),
            _("Yes") if outcome.shareable else _("No"),
        )
    if not found:
        sheet.line(_("None"))
    return sheet


def _status(outcome: Outcome, words: dict) -> str:
    if outcome.kind == OutcomeKind.RECURRENCE:
        return ""
    if outcome.kind == OutcomeKind.SOLUTION and outcome.status == OutcomeStatus.OPEN:
        return str(words["solution_open"])
    return str(words["status_labels"][outcome.status])


def _due(outcome: Outcome) -> str:
    parts = []
    if outcome.due_on:
        parts.append(_("by %(date)s", date=format_date(outcome.due_on, "long")))
    if outcome.due_session:
        parts.append(_("by session %(number)s", number=outcome.due_session))
    return " · ".join(parts)


def _measured_by(outcome: Outcome, named: dict[str, str]) -> str:
    if not outcome.indicator_item:
        return ""
    label = named.get(outcome.indicator_item, outcome.indicator_item)
    if outcome.indicator_facet == outcome_service.GAP:
        return f"{label} — {_('The gap between the two')}"
    if outcome.indicator_facet:
        return f"{label} — {named.get('facet', '')}"
    return label


def _target(outcome: Outcome, words: dict) -> str:
    parts = []
    if outcome.target_direction:
        parts.append(str(words["direction_labels"][outcome.target_direction]))
    if outcome.target_value is not None:
        parts.append(_("target value: %(value)s", value=str(outcome.target_value)))
    return " · ".join(parts)
