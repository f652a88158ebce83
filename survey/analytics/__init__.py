"""Group analytics in pure pandas: no Flask, no database (DESIGN.md §5 and §6).

Input frames, built at the boundary by ``survey.results.queries``:

- ``answers``: one row per numeric answer, columns ``response``, ``item``, ``facet``, ``value``.
- ``items``: one row per answer key, with the columns of ``ITEM_COLUMNS``: ``facet_a`` and
  ``facet_b`` are the two sides of a paired item.
"""

from .agenda import agenda
from .metrics import (
    allocation_metrics,
    option_counts,
    paired_metrics,
    rating_metrics,
    scale_distribution,
    task_map_metrics,
)
from .overview import gap_overview
from .privacy import (
    breakdown_allowed,
    chosen_snapshots,
    publishable,
    rounded,
    settle,
    shown_snapshots,
    snapshots,
    texts_in_order,
)
from .trends import (
    TREND_COLUMNS,
    TRENDS,
    SessionCells,
    dimension_trends,
    paired_trends,
    priority_trends,
    rating_trends,
    task_trends,
)

#: The columns of the ``items`` frame, in order.
ITEM_COLUMNS = [
    "item",
    "question",
    "section",
    "kind",
    "label",
    "scale_min",
    "scale_max",
    "facet_a",
    "facet_b",
]

__all__ = [
    "ITEM_COLUMNS",
    "SessionCells",
    "TREND_COLUMNS",
    "agenda",
    "allocation_metrics",
    "breakdown_allowed",
    "chosen_snapshots",
    "TRENDS",
    "dimension_trends",
    "gap_overview",
    "option_counts",
    "paired_trends",
    "paired_metrics",
    "priority_trends",
    "rating_trends",
    "publishable",
    "rating_metrics",
    "scale_distribution",
    "rounded",
    "settle",
    "shown_snapshots",
    "snapshots",
    "task_map_metrics",
    "task_trends",
    "texts_in_order",
]
