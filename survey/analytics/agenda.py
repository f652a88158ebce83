"""The suggested discussion agenda: what to talk about first, and why, from the metrics."""

from __future__ import annotations

import pandas as pd

#: How much an agenda entry weighs: gap size and disagreement, each on a 0-1 footing.
AGENDA_SIZE = 6
OVERLOAD_SHARE = 1 / 3
PRIORITY_GAP = 10


def agenda(
    paired: pd.DataFrame,
    tasks: pd.DataFrame | None = None,
    priorities: pd.DataFrame | None = None,
    size: int = AGENDA_SIZE,
) -> pd.DataFrame:
    """Entries sorted by score, each with reason codes and the figures that justify them.

    Score of a paired statement = mean |d| / range + AD(d) / range: how far apart prescribed and
    actual (or ideal and feasible) are, plus how much the group disagrees about it; a shared gap
    and a professional controversy both rise. A task scores the share of people in overload; a
    priority the mismatch between one's own view and the perceived expectation, over 50 points.
    Columns: ``item``, ``kind``, ``score``, ``reasons`` (codes), and the figures quoted.
    """
    entries = []
    if paired is not None and not paired.empty:
        span = paired["scale_max"] - paired["scale_min"]
        score = paired["mean_abs_gap"] / span + paired["ad_gap"] / span
        for item, row in paired.assign(score=score).iterrows():  # one row per statement
            reasons = [
                code
                for code, flag in (
                    ("shared_gap", row["shared_gap"]),
                    ("contested", row["contested"]),
                    ("unclear_prescription", row["unclear_prescription"]),
                )
                if flag
            ]
            entries.append(
                {
                    "item": item,
                    "kind": "paired",
                    "score": row["score"],
                    "reasons": reasons or ["gap"],
                    "mean_gap": row["mean_gap"],
                    "mean_abs_gap": row["mean_abs_gap"],
                    "ad_gap": row["ad_gap"],
                    "n": row["n"],
                }
            )
    if tasks is not None and not tasks.empty and "overload" in tasks:
        people = tasks[["overload", "routine", "flow", "apathy", "other"]].sum(axis=1)
        share = tasks["overload"] / people.where(people > 0)
        for item, value in share[share >= OVERLOAD_SHARE].items():
            entries.append(
                {
                    "item": item,
                    "kind": "task",
                    "score": float(value),
                    "reasons": ["overload"],
                    "overload": int(tasks.loc[item, "overload"]),
                    "n": int(people[item]),
                }
            )
    if priorities is not None and not priorities.empty and {"mine", "expected"} <= set(priorities):
        gap = priorities["expected"] - priorities["mine"]
        for item, value in gap[gap.abs() >= PRIORITY_GAP].items():
            entries.append(
                {
                    "item": item,
                    "kind": "priority",
                    "score": abs(float(value)) / 50,
                    "reasons": ["priority_mismatch"],
                    "mine": float(priorities.loc[item, "mine"]),
                    "expected": float(priorities.loc[item, "expected"]),
                    "n": int(priorities.loc[item, "n"]),
                }
            )
    if not entries:
        return pd.DataFrame(columns=["item", "kind", "score", "reasons"])
    ranked = pd.DataFrame(entries).sort_values("score", ascending=False, kind="stable")
    return ranked.head(size).reset_index(drop=True)
