"""Longitudinal results: the same metrics per session, aligned by item id (DESIGN.md §5).

Descriptive only: respondents differ from one session to the next.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .metrics import paired_metrics
from .privacy import suppress

#: The figures a trend keeps for each session and paired statement.
TREND_COLUMNS = ["n", "mean_a", "mean_b", "mean_gap", "mean_abs_gap", "ad_gap"]


def paired_trends(
    answers: pd.DataFrame, items: pd.DataFrame, sessions: Sequence, k: int
) -> pd.DataFrame:
    """Per paired statement and session, in the order of ``sessions``: the figures of
    ``TREND_COLUMNS`` for the sessions where at least k people answered it, and ``change``, the
    mean gap's change since the last session where it was shown (NaN the first time).

    ``answers`` carries a ``session`` column on top of the usual four. Index: (item, session).
    """
    metrics = suppress(paired_metrics(answers, items, by="session"), k)
    order = {session: number for number, session in enumerate(sessions)}
    if metrics.empty:
        empty = pd.DataFrame(columns=["item", "session", *TREND_COLUMNS, "change"])
        return empty.set_index(["item", "session"])
    table = metrics[TREND_COLUMNS].reset_index()
    table = table[table["session"].isin(order)]
    table = table.assign(order=table["session"].map(order)).sort_values(["item", "order"])
    table["change"] = table.groupby("item", sort=False)["mean_gap"].diff()
    return table.drop(columns="order").set_index(["item", "session"])


def dimension_trends(trends: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Per section (dimension) and session: the mean size of gap and the mean gap over the
    statements shown that session, and how many there were. Index: (section, session)."""
    if trends.empty:
        return pd.DataFrame(columns=["mean_abs_gap", "mean_gap", "statements"])
    table = trends.reset_index()
    table["section"] = table["item"].map(items.drop_duplicates("item").set_index("item")["section"])
    return table.groupby(["section", "session"], sort=False).agg(
        mean_abs_gap=("mean_abs_gap", "mean"),
        mean_gap=("mean_gap", "mean"),
        statements=("item", "count"),
    )
