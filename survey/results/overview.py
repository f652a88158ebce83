"""Statements across many groups: where prescribed and actual work diverge most, organisation-wide.

The database computes each person's gap and its means per statement; only the statements that at
least k people answered are shown, k being the strictest of the groups included.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from .. import analytics
from ..display import fmt
from ..extensions import db
from ..models import Group, Meeting, MeetingStatus
from ..questionnaire import catalog, resolve
from ..questionnaire.lists import group_lists
from ..questionnaire.schema import PairedItem
from . import queries


@dataclass
class OverviewRow:
    label: str
    dimension: str
    sides: list[tuple[str, str]]
    n: int
    sessions: int
    mean_gap: str
    mean_abs_gap: str
    sd_gap: str


@dataclass
class Overview:
    groups: int
    k: int
    rows: list[OverviewRow]


def build(groups: list[Group], language: str, organisation: bool = False) -> Overview:
    """The overview of ``groups`` (every group of the database with ``organisation``)."""
    if not groups:
        return Overview(0, 0, [])
    k = max(g.anonymity_threshold for g in groups)
    statements = _statements(groups, language)
    if statements.empty:
        return Overview(len(groups), k, [])
    pairs = list(
        statements[["facet_a", "facet_b"]].drop_duplicates().itertuples(index=False, name=None)
    )
    sums = queries.paired_overview(
        None if organisation else [g.id for g in groups], list(statements.index), pairs
    )
    table = analytics.gap_overview(sums, k).join(statements, how="inner")
    rows = [
        OverviewRow(
            r.label,
            r.dimension,
            [(r.side_a, fmt(r.mean_a)), (r.side_b, fmt(r.mean_b))],
            r.n,
            r.sessions,
            fmt(r.mean_gap),
            fmt(r.mean_abs_gap),
            fmt(r.sd_gap),
        )
        for r in table.itertuples()
    ]
    return Overview(len(groups), k, rows)


def _statements(groups: list[Group], language: str) -> pd.DataFrame:
    """The paired statements the groups' sessions asked, by item id: label, dimension, sides.

    Read from the questionnaire files and each group's lists, not from hundreds of snapshots:
    ids are stable (DESIGN.md §4), so a statement means the same across sessions and groups.
    """
    slugs = db.session.execute(
        select(Meeting.group_id, Meeting.questionnaire_slug)
        .distinct()
        .where(Meeting.group_id.in_([g.id for g in groups]))
        .where(Meeting.status == MeetingStatus.CLOSED)
    ).all()
    by_id = {g.id: g for g in groups}
    seen: set = set()
    rows: dict[str, dict] = {}
    for group_id, slug in slugs:
        group = by_id[group_id]
        questionnaire = catalog().get(slug)
        key = (slug, group.variant, json.dumps(group.own_lists, sort_keys=True))
        if questionnaire is None or key in seen:
            continue
        seen.add(key)
        modules = [m.id for m in questionnaire.modules]
        definition = resolve(questionnaire, group_lists(group, questionnaire), modules)
        for section in definition.sections:
            for item in section.items:
                if not isinstance(item, PairedItem):
                    continue
                side_a, side_b = (f.label.get(language) for f in item.facets)
                for row in definition.rows(item.rows) or (None,):
                    key_id = f"{item.id}.{row.id}" if row else item.id
                    rows.setdefault(
                        key_id,
                        {
                            "label": (row.label if row else item.prompt).get(language),
                            "dimension": section.title.get(language),
                            "side_a": side_a,
                            "side_b": side_b,
                            "facet_a": item.facets[0].id,
                            "facet_b": item.facets[1].id,
                        },
                    )
    return pd.DataFrame.from_dict(rows, orient="index")
