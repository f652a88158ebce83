"""A session's shown statistics as plain numbers, for the JSON API.

The very figures the results pages show, read from ``published.Published`` (the anonymity rules
already applied and the values rounded), laid out the way each kind's ``blocks`` lays them out:
the same rows (``ResultsContext.rows_of``), the same columns, the same precision. Where a page
says « moins de k réponses » a value here is ``None`` with no n. Nothing is computed from
answers here; ``tests/api`` compares these numbers with the pages' tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pandas as pd

from ..analytics.metrics import FLOW_CHANNELS
from ..analytics.privacy import MEAN_DIGITS
from ..kinds import kind_of
from ..kinds.base import ResultsContext
from ..kinds.task_map import AXES
from ..models import Meeting
from ..questionnaire import Questionnaire
from . import queries
from .published import published

#: Decimals of the mean points of an allocation, as its table shows them.
POINT_DIGITS = 0


@dataclass
class Value:
    """One statistic as the page shows it: ``value`` and ``n`` are None where fewer than k
    answered (the page says so in words)."""

    statistic: str
    value: float | None
    n: int | None
    facet: str | None = None
    option: str | None = None

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass
class ItemStatistics:
    """One answer key (a statement, a task, an objective, a choice question)."""

    item: str
    question: str
    kind: str
    section: str
    label: str
    values: list[Value]
    #: What the page's "Reading" or "Agreement" column says, as codes (shown rows only).
    flags: list[str] = field(default_factory=list)


@dataclass
class Texts:
    item: str
    facet: str
    texts: list[str]


@dataclass
class SessionStatistics:
    k: int
    responses: int
    items: list[ItemStatistics]
    #: Free texts exactly as the texts page shows them (k + 2 rule, sorted by content).
    texts: list[Texts]


def statistics(meeting: Meeting, definition: Questionnaire, language: str) -> SessionStatistics:
    """Every statistic the session's results pages show, item by item, in the questionnaire's
    order (free texts apart, as on their own page)."""
    stats = published(meeting, definition)
    familiar = meeting.group.familiar
    items = queries.items_frame(definition, language, familiar)
    ctx = ResultsContext(definition, items, stats, stats.k, language, familiar)
    found: list[ItemStatistics] = []
    texts: list[Texts] = []
    for section in definition.sections:
        for item in section.items:
            layout = LAYOUTS.get(item.kind)
            if layout is not None:
                found.extend(layout(item, ctx, section.id))
            prompt = ctx.text(item.prompt)
            for (item_id, facet), _title in kind_of(item).texts(item, prompt):
                shown = stats.texts.get((item_id, facet))
                if shown:
                    texts.append(Texts(item_id, facet, list(shown)))
    return SessionStatistics(stats.k, stats.responses, found, texts)


def _number(value, digits: int) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), digits)


def _count(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _entry(item, key: str, ctx: ResultsContext, section: str, values, flags=()) -> ItemStatistics:
    return ItemStatistics(
        key, item.id, item.kind, section, ctx.label_of[key], list(values), list(flags)
    )


#: The paired table's columns after the two facets' means (``kinds.paired``).
PAIRED_STATISTICS = ("mean_gap", "mean_abs_gap", "ad_gap")
PAIRED_FLAGS = ("shared_gap", "contested", "unclear_prescription")


def _paired(item, ctx: ResultsContext, section: str) -> Iterator[ItemStatistics]:
    columns = ["mean_a", "mean_b", *PAIRED_STATISTICS, "n", *PAIRED_FLAGS]
    facet_a, facet_b = (f.id for f in item.facets)
    for key, row in ctx.rows_of("paired", ctx.keys(item), columns).iterrows():
        n = _count(row["n"])

        def value(column, facet=None, row=row, n=n):
            shown = _number(row[column], MEAN_DIGITS) if n is not None else None
            return Value(
                "mean" if facet else column, shown, n if shown is not None else None, facet
            )

        values = [
            value("mean_a", facet_a),
            value("mean_b", facet_b),
            *(value(c) for c in PAIRED_STATISTICS),
        ]
        flags = [f for f in PAIRED_FLAGS if n is not None and bool(row[f])]
        yield _entry(item, key, ctx, section, values, flags)


RATING_STATISTICS = ("mean", "median", "ad")


def _rating(item, ctx: ResultsContext, section: str) -> Iterator[ItemStatistics]:
    columns = [*RATING_STATISTICS, "n", "polarised", "disagreement"]
    for key, row in ctx.rows_of("ratings", ctx.keys(item), columns).iterrows():
        n = _count(row["n"])
        values = []
        for column in RATING_STATISTICS:
            shown = _number(row[column], MEAN_DIGITS) if n is not None else None
            values.append(Value(column, shown, n if shown is not None else None))
        flags = []
        if n is not None:  # the "Agreement" column (``kinds.rating._agreement``)
            flags = ["split" if row["polarised"] else "varied" if row["disagreement"] else "close"]
        yield _entry(item, key, ctx, section, values, flags)


def _task_map(item, ctx: ResultsContext, section: str) -> Iterator[ItemStatistics]:
    columns = [f"{stat}_{axis}" for axis in AXES for stat in ("n", "mean")]
    columns += ["n_flow", *FLOW_CHANNELS]
    for key, row in ctx.rows_of("tasks", ctx.keys(item), columns).iterrows():
        values = []
        for axis in AXES:
            shown = _number(row[f"mean_{axis}"], MEAN_DIGITS)
            n = _count(row[f"n_{axis}"]) if shown is not None else None
            values.append(Value("mean", shown, n, facet=axis))
        people = _count(row["n_flow"])
        for channel in FLOW_CHANNELS:
            count = _count(row[channel]) if people is not None else None
            values.append(
                Value("people", count, people if count is not None else None, option=channel)
            )
        yield _entry(item, key, ctx, section, values)


def _allocation(item, ctx: ResultsContext, section: str) -> Iterator[ItemStatistics]:
    viewpoints = [v.id for v in item.viewpoints]
    columns = [*viewpoints, *(f"n_{v}" for v in viewpoints)]
    for key, row in ctx.rows_of("priorities", ctx.keys(item), columns).iterrows():
        values = []
        for viewpoint in viewpoints:
            shown = _number(row[viewpoint], POINT_DIGITS)
            n = _count(row[f"n_{viewpoint}"]) if shown is not None else None
            values.append(Value("mean_points", shown, n, facet=viewpoint))
        yield _entry(item, key, ctx, section, values)


def _options(column: str) -> Callable:
    """Choice and ranking questions: a count per option once the question's n may be shown
    (``kinds.options.options_block``), every option hidden otherwise."""

    def layout(item, ctx: ResultsContext, section: str) -> Iterator[ItemStatistics]:
        people = _count(ctx.stats.option_people.get(item.id))
        options = [o.id for o in ctx.definition.rows(item.options)]
        if people is None:
            values = [Value(column, None, None, option=o) for o in options]
        else:
            counts = ctx.stats.options.get(item.kind, pd.DataFrame(columns=["item", "option"]))
            counts = counts[(counts["item"] == item.id) & counts["option"].isin(options)]
            values = [
                Value(column, float(int(r[column])), people, option=r["option"])
                for r in counts.to_dict("records")
            ]
        yield _entry(item, item.id, ctx, section, values)

    return layout


#: How each kind's figures are laid out; kinds without figures (free texts) are absent.
LAYOUTS: dict[str, Callable] = {
    "paired": _paired,
    "rating": _rating,
    "task_map": _task_map,
    "allocation": _allocation,
    "choice": _options("people"),
    "ranking": _options("points"),
}
