"""Many groups at once: statements across sessions, from the sums the database computed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .privacy import suppress


def gap_overview(sums: pd.DataFrame, k: int) -> pd.DataFrame:
    """Per paired statement: n, sessions, mean_a, mean_b, mean_gap, mean_abs_gap and sd_gap,
    for the statements that at least k people answered, largest gaps first.

    ``sums`` has, per item, the count, the means of each side, of the gap, of its size and of its
    square (``queries.paired_overview``); the standard deviation follows from the last two.
    """
    if sums.empty:
        return pd.DataFrame(
            columns=["n", "sessions", "mean_a", "mean_b", "mean_gap", "mean_abs_gap", "sd_gap"]
        )
    table = suppress(sums.set_index("item"), k).astype(float)
    n = table["n"]
    variance = (table["mean_square_gap"] - table["mean_gap"] ** 2).clip(lower=0) * n / (n - 1)
    table["sd_gap"] = np.sqrt(variance)
    table[["n", "sessions"]] = table[["n", "sessions"]].astype(int)
    return table.drop(columns="mean_square_gap").sort_values(
        "mean_abs_gap", ascending=False, kind="stable"
    )
