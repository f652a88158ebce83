"""Many groups at once: statements across sessions, from the sums the database computed.

Only cells that their own session shows enter the pool (DESIGN.md §6, rule 4): a statement that
fewer than k answered in a session, or answers a session has not published, never count, so
adding a decoy group or dropping a session reveals nothing about a hidden answer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .privacy import rounded, settle

OVERVIEW_COLUMNS = ["n", "sessions", "mean_a", "mean_b", "mean_gap", "mean_abs_gap", "sd_gap"]
SUMS = ["sum_a", "sum_b", "sum_gap", "sum_abs_gap", "sum_square_gap"]


def gap_overview(sums: pd.DataFrame, k: int) -> pd.DataFrame:
    """Per paired statement: n, sessions, mean_a, mean_b, mean_gap, mean_abs_gap and sd_gap,
    pooled over the sessions that show it, largest gaps first.

    ``sums`` has, per session, item and publication, the count of people who answered both
    sides and the sums of each side, of the gap, of its size and of its square
    (``queries.paired_overview``). Each (session, item) is settled as its session's page
    settles it, with k the strictest threshold of the groups included.
    """
    if sums.empty:
        return pd.DataFrame(columns=OVERVIEW_COLUMNS)
    table = sums.sort_values(["session", "item", "publication"])
    cumulative = table.groupby(["session", "item"], sort=False)[["n", *SUMS]].cumsum()
    cumulative.index = pd.MultiIndex.from_arrays(
        [table["publication"], table["session"], table["item"]],
        names=["snapshot", "session", "item"],
    )
    settled = settle(cumulative.astype(float), k, {"n": SUMS})
    shown = settled[settled["n"].notna()].reset_index()
    if shown.empty:
        return pd.DataFrame(columns=OVERVIEW_COLUMNS)
    pooled = shown.groupby("item").agg(
        n=("n", "sum"), sessions=("session", "nunique"), **{s: (s, "sum") for s in SUMS}
    )
    pooled = pooled[pooled["n"] >= k]
    n = pooled["n"]
    result = pd.DataFrame(
        {
            "n": n.astype(int),
            "sessions": pooled["sessions"].astype(int),
            "mean_a": pooled["sum_a"] / n,
            "mean_b": pooled["sum_b"] / n,
            "mean_gap": pooled["sum_gap"] / n,
            "mean_abs_gap": pooled["sum_abs_gap"] / n,
        }
    )
    variance = (pooled["sum_square_gap"] / n - result["mean_gap"] ** 2).clip(lower=0)
    result["sd_gap"] = np.sqrt(variance * n / (n - 1))
    result = result.sort_values("mean_abs_gap", ascending=False, kind="stable")
    return rounded(result)
