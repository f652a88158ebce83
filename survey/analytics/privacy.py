"""The anonymity rules of DESIGN.md §6, in one place that every view, chart and export uses."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import pandas as pd

#: Free texts need this many responses more than the threshold k.
TEXT_MARGIN = 2


def suppress(metrics: pd.DataFrame, k: int, n_column: str = "n") -> pd.DataFrame:
    """Keep only the rows computed from at least k responses; the others are not shown at all."""
    if metrics.empty or n_column not in metrics:
        return metrics
    return metrics[metrics[n_column] >= k]


def texts_to_show(texts: Sequence[str], responses: int, k: int, seed: int | str) -> list[str]:
    """Free texts for a set of responses: only with at least k + 2 of them, and shuffled.

    The order is shuffled with a stable seed (the same page shows the same order), and the texts
    carry nothing else: no link to the other answers of the same person. Sorted first, so that
    the order depends on the texts alone: the seed is no secret, and shuffling them as the
    database returns them would let anyone undo it back to the database's order.
    """
    if responses < k + TEXT_MARGIN:
        return []
    shown = sorted(t for t in texts if t and t.strip())
    random.Random(str(seed)).shuffle(shown)
    return shown


def breakdown_allowed(cells: Mapping[str, int], k: int) -> bool:
    """A breakdown (establishment, role) only if every cell and every complement has ≥ k.

    The complement rule stops a cell being derived by subtracting the others from the total.
    """
    total = sum(cells.values())
    return len(cells) > 1 and all(n >= k and total - n >= k for n in cells.values())


def publishable(unpublished: int, k: int) -> bool:
    """Whether responses not yet shown may now be shown.

    The first publication needs k responses; a later one (after collection reopened) needs k new
    ones, so that two publications never differ by fewer than k people.
    """
    return unpublished >= k
