"""A session's statistics as they may be shown: the anonymity rules applied to every number.

Pages, chart payloads, tables, the agenda and the personal journal read their figures from
``Published`` and nowhere else. Each statistic is settled by ``analytics.privacy``: shown from
the publication snapshot its own n allows (n ≥ k, and grown by ≥ k since it was last shown),
NaN (with n NaN) where fewer than k answered it, and rounded to the precision shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from flask import current_app

from .. import analytics
from ..analytics import privacy
from ..analytics.metrics import FLOW_CHANNELS
from ..models import Meeting
from ..questionnaire import Questionnaire
from . import queries

#: Columns of the metrics frames that describe the scale, not the answers.
SCALE_COLUMNS = ("scale_min", "scale_max")


@dataclass
class Published:
    """Everything a session may show. Frames keep a row per statistic with answers, NaN where it
    rests on fewer than k answers: pages say so in words rather than leave it out."""

    k: int
    #: Responses in the session's publications (a count of the session may always be shown).
    responses: int
    paired: pd.DataFrame
    ratings: pd.DataFrame
    tasks: pd.DataFrame
    priorities: pd.DataFrame
    #: Long frame: item, facet, value, count, share (rating questions shown).
    distribution: pd.DataFrame
    #: People behind each choice or ranking question shown (NaN: fewer than k).
    option_people: pd.Series
    #: Long frames by kind: item, option, people, points.
    options: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Free texts by (item, facet), in the order they may be shown; empty while fewer than k + 2.
    texts: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: Per paired statement that may be broken down, per establishment id (None: not stated):
    #: {"mean_gap", "n"}.
    breakdown: dict[str, dict] = field(default_factory=dict)

    def shown(self, frame: str, n_column: str = "n") -> pd.DataFrame:
        """The rows of a frame whose statistic may be shown."""
        table = getattr(self, frame)
        if table.empty or n_column not in table:
            return table.iloc[0:0] if not table.empty else table
        return table[table[n_column].notna()]

    def hidden(self, frame: str, n_column: str = "n") -> list[str]:
        """The items of a frame that fewer than k answered."""
        table = getattr(self, frame)
        if table.empty or n_column not in table:
            return []
        return list(table.index[table[n_column].isna()])


#: Sessions' statistics kept per app and worker: a publication never changes once made.
CACHE_SIZE = 64


def published(meeting: Meeting, definition: Questionnaire) -> Published:
    """The statistics of a session's published responses, settled and rounded.

    Computed once per publication (and k) and kept: the dashboard and every journal that shows
    the session read the same object.
    """
    sizes = queries.publication_sizes(meeting)
    key = (meeting.id, tuple(sorted(sizes.items())), meeting.group.anonymity_threshold)
    computed = current_app.extensions.setdefault("praxis_published", {})
    found = computed.get(key)
    if found is None:
        found = _published(meeting, definition, sizes)
        if len(computed) >= CACHE_SIZE:
            computed.pop(next(iter(computed)))  # the oldest first
        computed[key] = found
    return found


def _published(meeting: Meeting, definition: Questionnaire, sizes: dict[int, int]) -> Published:
    k = meeting.group.anonymity_threshold
    items = queries.items_frame(definition, "fr")
    answers = queries.answers_frame(meeting)
    last = max(sizes, default=0)
    snapshots = range(1, last + 1)

    def per_snapshot(metric):
        frames = {}
        for number in snapshots:
            frame = metric(answers[answers["publication"] <= number], items)
            if not frame.empty:
                frames[number] = frame
        if not frames:
            return pd.DataFrame()
        return pd.concat(frames, names=["snapshot"])

    paired = per_snapshot(analytics.paired_metrics)
    ratings = per_snapshot(analytics.rating_metrics)
    tasks = per_snapshot(analytics.task_map_metrics)
    priorities = per_snapshot(analytics.allocation_metrics)

    def all_but(frame, *kept):
        return [c for c in frame.columns if c not in ("n", *SCALE_COLUMNS, *kept)]

    settled_ratings = privacy.settle(ratings, k, {"n": all_but(ratings)})
    task_guards = {
        column: [f"mean_{column[2:]}", f"sd_{column[2:]}"]
        for column in tasks.columns
        if column.startswith("n_") and column != "n_flow"
    }
    task_guards["n_flow"] = list(FLOW_CHANNELS)
    viewpoints = [c for c in priorities.columns if c != "n" and not c.startswith("n_")]
    priority_guards = {f"n_{v}": [v] for v in viewpoints} | {"n": []}

    distribution = _long_per_snapshot(answers, items, snapshots, analytics.scale_distribution)
    chosen_ratings = privacy.chosen_snapshots(ratings["n"], k) if not ratings.empty else pd.Series()
    option_people, options = _options(answers, items, snapshots, k)
    result = Published(
        k=k,
        responses=sum(sizes.values()),
        paired=privacy.rounded(privacy.settle(paired, k, {"n": all_but(paired)})),
        ratings=privacy.rounded(settled_ratings),
        tasks=privacy.rounded(privacy.settle(tasks, k, task_guards)),
        priorities=privacy.rounded(
            privacy.settle(priorities, k, priority_guards), dict.fromkeys(viewpoints, 0)
        ),
        distribution=privacy.rounded(privacy.pick(distribution, chosen_ratings)),
        option_people=option_people,
        options=options,
        texts=_texts(meeting, sizes, k),
        breakdown=_breakdown(meeting, answers, items, paired, snapshots, k),
    )
    return result


def _long_per_snapshot(answers, items, snapshots, metric, *args) -> pd.DataFrame:
    frames = [
        metric(answers[answers["publication"] <= number], items, *args).assign(snapshot=number)
        for number in snapshots
    ]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _options(answers, items, snapshots, k):
    """People per choice or ranking question, and its option counts, at each question's shown
    snapshot: an option's count is a number shown, resting on the question's n."""
    kinds = items.set_index("item")["kind"]
    asked = answers[answers["item"].map(kinds).isin(("choice", "ranking"))]
    if asked.empty:
        return pd.Series(dtype=float), {}
    people = (
        privacy.snapshots(asked, max(snapshots)).groupby(["snapshot", "item"])["response"].nunique()
    )
    chosen = privacy.chosen_snapshots(people, k)
    shown_people = pd.Series(
        [people.get((snapshot, item)) for item, snapshot in chosen.items()],
        index=chosen.index,
        dtype=float,
    ).reindex(sorted(asked["item"].unique()))
    options = {
        kind: privacy.pick(
            _long_per_snapshot(answers, items, snapshots, analytics.option_counts, kind), chosen
        )
        for kind in ("choice", "ranking")
    }
    return shown_people, options


def _texts(meeting, sizes: dict[int, int], k: int) -> dict[tuple[str, str], list[str]]:
    """Free texts under the k + 2 rule, sorted by content, from the snapshot the session's
    response count allows."""
    counts = pd.Series(sizes).sort_index().cumsum()
    if counts.empty:
        return {}
    n = pd.Series(
        counts.to_numpy(),
        index=pd.MultiIndex.from_arrays(
            [counts.index, ["texts"] * len(counts)], names=["snapshot", "unit"]
        ),
    )
    chosen = privacy.chosen_snapshots(n, k + privacy.TEXT_MARGIN, k + privacy.TEXT_MARGIN)
    if chosen.empty:
        return {}
    found = queries.texts(meeting)
    found = found[found["publication"] <= chosen.iloc[0]]
    return {
        key: privacy.texts_in_order(group["text"].tolist())
        for key, group in found.groupby(["item", "facet"], sort=True)
    }


def _breakdown(meeting, answers, items, paired, snapshots, k) -> dict[str, dict]:
    """Mean gap per establishment, per statement, where ``breakdown_cells_shown`` allows it."""
    if len(meeting.group.establishments) < 2 or paired.empty:
        return {}
    where = queries.establishments(meeting)
    located = answers.assign(cell=answers["response"].map(where).fillna(-1).astype(int))
    frames = {
        number: analytics.paired_metrics(
            located[located["publication"] <= number], items, by="cell"
        )
        for number in snapshots
    }
    frames = {number: f for number, f in frames.items() if not f.empty}
    if not frames:
        return {}
    cells = pd.concat(frames, names=["snapshot"])
    totals = paired["n"].unstack("snapshot").reindex(columns=list(snapshots))
    shown = privacy.shown_snapshots(totals, k)
    result = {}
    for item in totals.index:
        flags = shown.loc[item].tolist()
        if not any(flags):
            continue
        now = max(number for number, flag in zip(snapshots, flags, strict=True) if flag)
        per_cell = cells.xs(item, level="item")["n"].unstack("snapshot")
        per_cell = per_cell.reindex(columns=list(snapshots)).fillna(0)
        per_cell = per_cell[per_cell[now] > 0]
        if not privacy.breakdown_cells_shown(per_cell, flags, k):
            continue
        gaps = cells.xs(now, level="snapshot").xs(item, level="item")["mean_gap"]
        result[item] = {
            (None if cell == -1 else int(cell)): {
                "mean_gap": round(float(gaps[cell]), privacy.MEAN_DIGITS),
                "n": int(per_cell.loc[cell, now]),
            }
            for cell in per_cell.index
        }
    return result
