"""A session's published results, assembled for the pages: blocks, charts, agenda, texts.

Every figure comes from ``published.Published``, where the anonymity rules were applied to each
statistic; this module only lays them out, and says in words where fewer than k answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from flask_babel import gettext as _

from .. import analytics
from ..display import Block, fmt
from ..kinds import kind_of
from ..kinds.base import ResultsContext
from ..models import Meeting
from ..questionnaire import Questionnaire
from . import queries
from .published import Published, published

#: Scales with more points are drawn as a histogram rather than diverging bars.
LONG_SCALE = 7


@dataclass
class SectionResults:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class AgendaEntry:
    label: str
    section: str
    reasons: list[str]
    #: The statement's id, for « Noter » (an outcome linked to it).
    item: str = ""


@dataclass
class Breakdown:
    """Gaps per establishment for the statements that allow it; ``pooled`` when none does."""

    pooled: bool
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    #: Statements kept pooled although others are broken down.
    kept_pooled: int = 0


@dataclass
class Results:
    responses: int
    sections: list[SectionResults]
    agenda: list[AgendaEntry]
    flags: dict[str, list[str]]
    texts: list[tuple[str, list[str]]]
    breakdown: Breakdown | None = None
    #: The flagged statements as (item id, label), beside ``flags``' labels, for « Noter ».
    flagged: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def build(meeting: Meeting, definition: Questionnaire, language: str) -> Results:
    """Everything the dashboard shows for the published responses of a closed session."""
    stats = published(meeting, definition)
    k = stats.k
    familiar = meeting.group.familiar
    items = queries.items_frame(definition, language, familiar)
    labels = items.set_index("item")["label"]
    section_of = items.set_index("item")["section"]
    section_titles = {s.id: s.title.get(language, familiar) for s in definition.sections}

    context = ResultsContext(definition, items, stats, k, language, familiar)
    sections = [
        SectionResults(
            section.id,
            section_titles[section.id],
            [block for item in section.items for block in kind_of(item).blocks(item, context)],
        )
        for section in definition.sections
    ]

    paired = stats.shown("paired")
    entries = analytics.agenda(
        paired, stats.shown("tasks", "n_flow"), _priorities_for_agenda(stats)
    )
    agenda = [
        AgendaEntry(
            labels.get(row["item"], row["item"]),
            section_titles.get(section_of.get(row["item"]), ""),
            _reasons(row, items, definition, language, familiar),
            row["item"],
        )
        for _, row in entries.iterrows()
    ]
    flagged = {
        flag: [(i, labels[i]) for i in paired.index[paired[flag].astype(bool)]]
        if len(paired)
        else []
        for flag in ("shared_gap", "contested")
    }
    flags = {flag: [label for _i, label in pairs] for flag, pairs in flagged.items()}
    texts = _texts(stats, definition, language, familiar)
    breakdown = _breakdown(meeting, stats, labels)
    return Results(stats.responses, sections, agenda, flags, texts, breakdown, flagged)


def _priorities_for_agenda(stats: Published) -> pd.DataFrame:
    """Objectives whose two compared viewpoints are both shown."""
    table = stats.priorities
    if table.empty or not {"mine", "expected"} <= set(table):
        return table.iloc[0:0] if not table.empty else table
    return table[table["mine"].notna() & table["expected"].notna()]


def group_means(meeting: Meeting, definition: Questionnaire) -> dict[tuple[str, str], float]:
    """Published group means by (item, facet), for a personal journal: NaN where fewer than k
    answered (the journal says so), absent where nobody did."""
    stats = published(meeting, definition)
    items = queries.items_frame(definition, "fr")
    means: dict[tuple[str, str], float] = {}
    facets = items.set_index("item")[["facet_a", "facet_b"]]
    for item, row in stats.paired.iterrows():
        means[(item, facets.loc[item, "facet_a"])] = row["mean_a"]
        means[(item, facets.loc[item, "facet_b"])] = row["mean_b"]
    for item, row in stats.ratings.iterrows():
        means[(item, "")] = row["mean"]
    for item, row in stats.tasks.iterrows():
        for column in row.index:
            if column.startswith("mean_"):
                means[(item, column.removeprefix("mean_"))] = row[column]
    for item, row in stats.priorities.iterrows():
        for viewpoint, value in row.items():
            if viewpoint != "n" and not str(viewpoint).startswith("n_"):
                means[(item, viewpoint)] = value
    return means


def _breakdown(meeting: Meeting, stats: Published, labels) -> Breakdown | None:
    """Mean gaps per establishment, for each statement whose cells allow it."""
    names = {e.id: e.name for e in meeting.group.establishments}
    if len(names) < 2:
        return None
    if not stats.breakdown:
        return Breakdown(pooled=True)
    cells = sorted(
        {cell for gaps in stats.breakdown.values() for cell in gaps},
        key=lambda c: (c is None, names.get(c, "")),
    )
    columns = [_("Statement"), *[names.get(c, _("Not stated")) for c in cells]]
    rows = [
        [labels[item], *[fmt(gaps[c]["mean_gap"]) if c in gaps else "—" for c in cells]]
        for item, gaps in stats.breakdown.items()
    ]
    kept = len(stats.shown("paired")) - len(rows)
    return Breakdown(False, columns, rows, kept)


def _reasons(row, items, definition, language, familiar) -> list[str]:
    reasons = []
    info = items.set_index("item").loc[row["item"]]
    if row["kind"] == "paired":
        item = next(i for s in definition.sections for i in s.items if i.id == info["question"])
        facet_a, facet_b = (f.label.get(language, familiar) for f in item.facets)
        for code in row["reasons"]:
            if code == "shared_gap":
                reasons.append(
                    _(
                        "Shared gap: on average %(gap)s points between “%(a)s” and “%(b)s”, "
                        "and the group broadly agrees on it.",
                        gap=fmt(abs(row["mean_gap"])),
                        a=facet_a,
                        b=facet_b,
                    )
                )
            elif code == "contested":
                reasons.append(
                    _(
                        "Professional controversy: gaps of %(gap)s points on average, with answers "
                        "far apart (mean deviation %(ad)s).",
                        gap=fmt(row["mean_abs_gap"]),
                        ad=fmt(row["ad_gap"]),
                    )
                )
            elif code == "unclear_prescription":
                reasons.append(
                    _(
                        "Answers on “%(a)s” differ widely: what is expected may be unclear.",
                        a=facet_a,
                    )
                )
            else:
                reasons.append(
                    _("A gap of %(gap)s points on average.", gap=fmt(row["mean_abs_gap"]))
                )
    elif row["kind"] == "task":
        reasons.append(
            _(
                "%(count)s people out of %(n)s find this task more demanding than "
                "their mastery of it.",
                count=int(row["overload"]),
                n=int(row["n"]),
            )
        )
    elif row["kind"] == "priority":
        reasons.append(
            _(
                "In my view: %(mine)s points; perceived expectations: %(expected)s "
                "points (mean of 100).",
                mine=fmt(row["mine"], 0),
                expected=fmt(row["expected"], 0),
            )
        )
    return reasons


def _texts(stats: Published, definition, language, familiar):
    """Free texts, and the "other" answers of choice questions, under the k + 2 rule."""
    shown = []
    for section in definition.sections:
        for item in section.items:
            for key, title in kind_of(item).texts(item, item.prompt.get(language, familiar)):
                texts = stats.texts.get(key)
                if texts:
                    shown.append((title, texts))
    return shown
