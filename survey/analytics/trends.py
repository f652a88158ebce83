"""Longitudinal results: the same metrics per session, aligned by item id (DESIGN.md §5).

Descriptive only: respondents differ from one session to the next. Each session's figure is the
one its own results show (``privacy.settle``): a trend never holds a value its session hides.
Every dimension is computed the same way: the answers of all sessions are repeated once per
publication snapshot (``privacy.snapshots``), each metric runs once over every (session,
snapshot) cell with its ``by`` argument, and ``settle`` picks each (session, statistic) cell's
snapshot, NaN where fewer than k answered it. Values compared across sessions (a change) or
pooled (a dimension's mean) come from shown cells only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial

import numpy as np
import pandas as pd

from .metrics import allocation_metrics, paired_metrics, rating_metrics, task_map_metrics
from .privacy import rounded, settle, snapshots

#: The figures a trend keeps for each session and paired statement.
TREND_COLUMNS = ["n", "mean_a", "mean_b", "mean_gap", "mean_abs_gap", "ad_gap"]
#: Per task and session: each statistic after the n it rests on.
TASK_COLUMNS = [
    "n_valence",
    "valence",
    "n_flow",
    "overload_share",
    "routine_share",
    "n_automatic",
    "automatic",
]
#: Per objective and session: the gap between two shown means, and the real time.
PRIORITY_COLUMNS = ["n_mine", "n_expected", "mine_minus_expected", "n_actual_time", "actual_time"]
#: Per rated statement and session.
RATING_COLUMNS = ["n", "mean"]


class SessionCells:
    """The answers of several sessions, repeated once per publication snapshot, with a ``cell``
    column naming each (session, snapshot): one expansion shared by every dimension."""

    def __init__(self, answers: pd.DataFrame, publications: Mapping | None = None):
        if publications is None:
            publications = answers.groupby("session")["publication"].max().to_dict()
        self.empty = answers.empty
        if self.empty:
            self.expanded = answers
            return
        # Integer codes pair one person's answers faster than their ids, in every metric.
        answers = answers.assign(response=pd.factorize(answers["response"])[0])
        expanded = snapshots(answers, answers["session"].map(publications))
        code, self.sessions = pd.factorize(expanded["session"])
        self.width = int(expanded["snapshot"].max()) + 1
        expanded["cell"] = code * self.width + expanded["snapshot"].to_numpy()
        self.expanded = expanded

    def metrics(self, metric: Callable[..., pd.DataFrame], items: pd.DataFrame) -> pd.DataFrame:
        """``metric`` over every cell at once, indexed by (session, snapshot, item)."""
        if self.empty:
            return pd.DataFrame()
        frame = metric(self.expanded, items, by="cell")
        if frame.empty:
            return frame
        cell = frame.index.get_level_values("cell").to_numpy(dtype=np.int64)
        frame.index = pd.MultiIndex.from_arrays(
            [
                np.asarray(self.sessions)[cell // self.width],
                cell % self.width,
                frame.index.get_level_values("item"),
            ],
            names=["session", "snapshot", "item"],
        )
        return frame


def _cells(answers, publications) -> SessionCells:
    return answers if isinstance(answers, SessionCells) else SessionCells(answers, publications)


def _in_order(settled: pd.DataFrame, sessions: Sequence, columns: list[str]) -> pd.DataFrame:
    """Settled (session, item) rows of the sessions asked for, as (item, session) in the order
    of ``sessions``; rows where no statistic is shown are dropped."""
    if settled.empty:
        return _empty(columns)
    n_columns = [c for c in columns if c == "n" or c.startswith("n_")]
    order = pd.Index(list(sessions)).get_indexer(settled.index.get_level_values("session"))
    keep = (order >= 0) & settled[n_columns].notna().to_numpy().any(axis=1)
    if not keep.any():
        return _empty(columns)
    table = settled.loc[keep, columns]
    items = table.index.get_level_values("item")
    item_code, _ = pd.factorize(items, sort=True)
    position = np.lexsort((order[keep], item_code))
    table = table.iloc[position]
    table.index = pd.MultiIndex.from_arrays(
        [items[position], table.index.get_level_values("session")], names=["item", "session"]
    )
    return table


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=["item", "session", *columns]).set_index(["item", "session"])


def paired_trends(
    answers: pd.DataFrame | SessionCells,
    items: pd.DataFrame,
    sessions: Sequence,
    k: int,
    publications: Mapping | None = None,
) -> pd.DataFrame:
    """Per paired statement and session, in the order of ``sessions``: the figures of
    ``TREND_COLUMNS`` as the session shows them (at least k answers), and ``change``, the mean
    gap's change since the last session where it was shown (NaN the first time).

    ``answers`` carries ``session`` and ``publication`` columns on top of the usual four (or is
    a ``SessionCells`` of them); ``publications`` gives each session's number of publications
    (default: the largest seen). Index: (item, session).
    """
    return _trend("paired", answers, items, sessions, k, publications)


def paired_cells(cells: SessionCells, items: pd.DataFrame, k: int) -> pd.DataFrame:
    """Each (session, statement)'s figures as that session shows them, index (session, item):
    a session's rows depend on its own answers only, so they may be kept per session."""
    metrics = cells.metrics(paired_metrics, items)
    if metrics.empty:
        return metrics
    return rounded(settle(metrics[TREND_COLUMNS], k, {"n": TREND_COLUMNS[1:]}))


def paired_in_order(settled: pd.DataFrame, sessions: Sequence) -> pd.DataFrame:
    """``paired_cells`` of the sessions asked for, in their order, with each mean gap's change."""
    table = _in_order(settled, sessions, TREND_COLUMNS)
    if table.empty:
        return _empty([*TREND_COLUMNS, "change"])
    table["change"] = table.groupby(level="item", sort=False)["mean_gap"].diff().round(1)
    table["n"] = table["n"].astype(int)
    return table


def task_trends(
    answers: pd.DataFrame | SessionCells,
    items: pd.DataFrame,
    sessions: Sequence,
    k: int,
    publications: Mapping | None = None,
) -> pd.DataFrame:
    """Per task and session: mean valence, the shares of people in the overload and routine
    flow channels, and mean automaticity, each as the session shows it: from the snapshot its
    own n allows (the axis answered; for the shares, both challenge and skill), NaN below k.
    Index: (item, session); columns ``TASK_COLUMNS``."""
    return _trend("task_map", answers, items, sessions, k, publications)


def task_cells(cells: SessionCells, items: pd.DataFrame, k: int) -> pd.DataFrame:
    """``task_trends``' figures per (session, task), as each session shows them."""
    metrics = cells.metrics(task_map_metrics, items)
    if metrics.empty:
        return metrics
    frame = pd.DataFrame(index=metrics.index)
    for axis in ("valence", "automatic"):
        frame[f"n_{axis}"] = metrics.get(f"n_{axis}", np.nan)
        frame[axis] = metrics.get(f"mean_{axis}", np.nan)
    flow = metrics.get("n_flow", pd.Series(0, index=metrics.index)).astype(float)
    frame["n_flow"] = flow
    with np.errstate(divide="ignore", invalid="ignore"):
        for channel in ("overload", "routine"):
            frame[f"{channel}_share"] = metrics.get(channel, np.nan) / flow.where(flow > 0)
    guards = {
        "n_valence": ["valence"],
        "n_flow": ["overload_share", "routine_share"],
        "n_automatic": ["automatic"],
    }
    return rounded(settle(frame.astype(float), k, guards))


def priority_trends(
    answers: pd.DataFrame | SessionCells,
    items: pd.DataFrame,
    sessions: Sequence,
    k: int,
    publications: Mapping | None = None,
) -> pd.DataFrame:
    """Per objective and session: my view minus the perceived expectation (the difference of
    the two mean points the session shows, NaN unless both are shown) and the real time (mean
    points), in whole points. Index: (item, session); columns ``PRIORITY_COLUMNS``."""
    return _trend("allocation", answers, items, sessions, k, publications)


def priority_cells(cells: SessionCells, items: pd.DataFrame, k: int) -> pd.DataFrame:
    """``priority_trends``' figures per (session, objective), as each session shows them."""
    metrics = cells.metrics(allocation_metrics, items)
    if metrics.empty:
        return metrics
    viewpoints = ("mine", "expected", "actual_time")
    frame = pd.DataFrame(index=metrics.index)
    for viewpoint in viewpoints:
        frame[f"n_{viewpoint}"] = metrics.get(f"n_{viewpoint}", np.nan)
        frame[viewpoint] = metrics.get(viewpoint, np.nan)
    frame = frame.astype(float)
    guards = {f"n_{v}": [v] for v in viewpoints}
    settled = rounded(settle(frame, k, guards), dict.fromkeys(viewpoints, 0))
    # Both sides shown, each from its own snapshot: the difference rests on shown cells only.
    settled["mine_minus_expected"] = settled["mine"] - settled["expected"]
    return settled


def rating_trends(
    answers: pd.DataFrame | SessionCells,
    items: pd.DataFrame,
    sessions: Sequence,
    k: int,
    publications: Mapping | None = None,
) -> pd.DataFrame:
    """Per rated statement and session: the mean as the session shows it (NaN below k).
    Index: (item, session); columns ``RATING_COLUMNS``."""
    return _trend("rating", answers, items, sessions, k, publications)


def rating_cells(cells: SessionCells, items: pd.DataFrame, k: int) -> pd.DataFrame:
    """``rating_trends``' figures per (session, rated statement), as each session shows them."""
    metrics = cells.metrics(rating_metrics, items)
    if metrics.empty:
        return metrics
    return rounded(settle(metrics[RATING_COLUMNS].astype(float), k, {"n": ["mean"]}))


#: Per kind of answer: its figures per (session, item) as each session shows them, and how a
#: trend puts them in the sessions' order. The first depends on each session's own answers
#: only, so that a caller may keep it per session and compute only new publications.
TRENDS = {
    "paired": (paired_cells, paired_in_order),
    "task_map": (task_cells, partial(_in_order, columns=TASK_COLUMNS)),
    "allocation": (priority_cells, partial(_in_order, columns=PRIORITY_COLUMNS)),
    "rating": (rating_cells, partial(_in_order, columns=RATING_COLUMNS)),
}


def _trend(kind: str, answers, items, sessions, k, publications) -> pd.DataFrame:
    cells_of, in_order = TRENDS[kind]
    return in_order(cells_of(_cells(answers, publications), items, k), sessions)


def dimension_trends(trends: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Per section (dimension) and session: the mean size of gap and the mean gap over the
    statements shown that session, and how many there were. Index: (section, session)."""
    if trends.empty:
        return pd.DataFrame(columns=["mean_abs_gap", "mean_gap", "statements"])
    table = trends[["mean_abs_gap", "mean_gap"]].reset_index()
    table["section"] = table["item"].map(items.drop_duplicates("item").set_index("item")["section"])
    grouped = table.groupby(["section", "session"], sort=False)
    result = grouped[["mean_abs_gap", "mean_gap"]].mean()
    result["statements"] = grouped.size()
    return rounded(result)
