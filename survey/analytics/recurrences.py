"""Suggested recurrences: statements flagged in at least two of a group's shown sessions."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: A statement counts among a session's largest gaps up to this rank (1 = largest).
LARGEST_GAPS = 3
#: Sessions a statement must be flagged in to be suggested.
MIN_SESSIONS = 2
#: The flags, in the order a history lists them.
FLAGS = ("shared_gap", "contested", "largest_gap")


@dataclass(frozen=True)
class Recurrence:
    item: str
    #: (session key, flags raised in that session), in the order the sessions were given.
    history: list[tuple[object, list[str]]]


def session_flags(paired: pd.DataFrame, largest: int = LARGEST_GAPS) -> pd.DataFrame:
    """One session's flag table from its *shown* paired rows (indexed by statement id, with
    ``shared_gap``, ``contested`` and ``mean_abs_gap``): columns ``item``, the two flags and
    ``gap_rank`` (1 = largest mean absolute gap). A hidden row must not be passed: it is no flag."""
    if paired is None or paired.empty:
        return pd.DataFrame(columns=["item", "shared_gap", "contested", "gap_rank"])
    shown = paired[paired["mean_abs_gap"].notna()]
    rank = shown["mean_abs_gap"].rank(ascending=False, method="min")
    return pd.DataFrame(
        {
            "item": shown.index.astype(str),
            "shared_gap": shown["shared_gap"].fillna(False).astype(bool).to_numpy(),
            "contested": shown["contested"].fillna(False).astype(bool).to_numpy(),
            "gap_rank": rank.to_numpy(),
        }
    )


def recurrences(
    sessions: list[tuple[object, pd.DataFrame]],
    largest: int = LARGEST_GAPS,
    min_sessions: int = MIN_SESSIONS,
) -> list[Recurrence]:
    """Statements flagged (shared gap, contested, or ranked ≤ ``largest`` by gap) in at least
    ``min_sessions`` sessions, most sessions first, then by first appearance.

    ``sessions``: (session key, flag table) in date order, each table as ``session_flags``
    makes it. A row whose flags are missing (a statement hidden below k) raises no flag.
    """
    history: dict[str, list[tuple[object, list[str]]]] = {}
    for key, table in sessions:
        if table is None or table.empty:
            continue
        for row in table.itertuples(index=False):
            rank = row.gap_rank
            raised = [
                flag
                for flag, on in (
                    ("shared_gap", _raised(row.shared_gap)),
                    ("contested", _raised(row.contested)),
                    ("largest_gap", pd.notna(rank) and rank <= largest),
                )
                if on
            ]
            if raised:
                history.setdefault(str(row.item), []).append((key, raised))
    found = [
        Recurrence(item, steps) for item, steps in history.items() if len(steps) >= min_sessions
    ]
    order = {item: i for i, item in enumerate(history)}
    return sorted(found, key=lambda r: (-len(r.history), order[r.item]))


def _raised(value: object) -> bool:
    """A flag is raised only when it is set: NaN or missing (a hidden statement) is not."""
    return bool(pd.notna(value) and value)
