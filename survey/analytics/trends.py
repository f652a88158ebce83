"""Longitudinal results: the same metrics per session, aligned by item id (DESIGN.md §5).

Descriptive only: respondents differ from one session to the next. Each session's figure is the
one its own results show (``privacy.settle``): a trend never holds a value its session hides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .metrics import paired_metrics
from .privacy import rounded, settle, snapshots

#: The figures a trend keeps for each session and paired statement.
TREND_COLUMNS = ["n", "mean_a", "mean_b", "mean_gap", "mean_abs_gap", "ad_gap"]


def paired_trends(
    answers: pd.DataFrame,
    items: pd.DataFrame,
    sessions: Sequence,
    k: int,
    publications: Mapping | None = None,
) -> pd.DataFrame:
    """Per paired statement and session, in the order of ``sessions``: the figures of
    ``TREND_COLUMNS`` as the session shows them (at least k answers), and ``change``, the mean
    gap's change since the last session where it was shown (NaN the first time).

    ``answers`` carries ``session`` and ``publication`` columns on top of the usual four;
    ``publications`` gives each session's number of publications (default: the largest seen).
    Index: (item, session).
    """
    empty = pd.DataFrame(columns=["item", "session", *TREND_COLUMNS, "change"])
    empty = empty.set_index(["item", "session"])
    if answers.empty:
        return empty
    if publications is None:
        publications = answers.groupby("session")["publication"].max().to_dict()
    expanded = snapshots(answers, answers["session"].map(publications))
    session_code, session_values = pd.factorize(expanded["session"])
    width = int(expanded["snapshot"].max()) + 1
    expanded["cell"] = session_code * width + expanded["snapshot"].to_numpy()
    metrics = paired_metrics(expanded, items, by="cell")
    if metrics.empty:
        return empty
    cell = metrics.index.get_level_values("cell").to_numpy(dtype=np.int64)
    metrics.index = pd.MultiIndex.from_arrays(
        [
            np.asarray(session_values)[cell // width],
            cell % width,
            metrics.index.get_level_values("item"),
        ],
        names=["session", "snapshot", "item"],
    )
    settled = rounded(settle(metrics[TREND_COLUMNS], k, {"n": TREND_COLUMNS[1:]}))
    settled = settled[settled["n"].notna()]
    order = {session: number for number, session in enumerate(sessions)}
    table = settled.reset_index()
    table = table[table["session"].isin(order)]
    if table.empty:
        return empty
    table = table.assign(order=table["session"].map(order)).sort_values(["item", "order"])
    table["change"] = table.groupby("item", sort=False)["mean_gap"].diff().round(1)
    table["n"] = table["n"].astype(int)
    return table.drop(columns="order").set_index(["item", "session"])


def dimension_trends(trends: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Per section (dimension) and session: the mean size of gap and the mean gap over the
    statements shown that session, and how many there were. Index: (section, session)."""
    if trends.empty:
        return pd.DataFrame(columns=["mean_abs_gap", "mean_gap", "statements"])
    table = trends.reset_index()
    table["section"] = table["item"].map(items.drop_duplicates("item").set_index("item")["section"])
    return rounded(
        table.groupby(["section", "session"], sort=False).agg(
            mean_abs_gap=("mean_abs_gap", "mean"),
            mean_gap=("mean_gap", "mean"),
            statements=("item", "count"),
        )
    )
