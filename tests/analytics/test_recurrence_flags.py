"""Suggested recurrences from per-session flag tables (pure pandas)."""

import numpy as np
import pandas as pd

from survey.analytics.recurrences import recurrences, session_flags


def table(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["item", "shared_gap", "contested", "gap_rank"])


def paired(rows: dict[str, tuple]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=["shared_gap", "contested", "mean_abs_gap"]
    )


def test_a_statement_flagged_in_two_sessions_is_suggested_with_its_history():
    found = recurrences(
        [
            (1, table(("a", True, False, 5), ("b", False, False, 9))),
            (2, table(("a", False, True, 7), ("b", False, False, 8))),
            (3, table(("a", True, False, 1), ("c", True, False, 9))),
        ]
    )
    assert [r.item for r in found] == ["a"]
    assert found[0].history == [
        (1, ["shared_gap"]),
        (2, ["contested"]),
        (3, ["shared_gap", "largest_gap"]),
    ]


def test_one_session_is_not_enough():
    assert recurrences([(1, table(("a", True, True, 1)))]) == []
    assert recurrences([(1, table(("a", True, True, 1))), (2, table())]) == []


def test_among_the_largest_gaps_counts_as_a_flag():
    found = recurrences(
        [(1, table(("a", False, False, 3))), (2, table(("a", False, False, 2)))], largest=3
    )
    assert [(r.item, r.history) for r in found] == [
        ("a", [(1, ["largest_gap"]), (2, ["largest_gap"])])
    ]
    assert (
        recurrences([(1, table(("a", False, False, 4))), (2, table(("a", False, False, 2)))]) == []
    )


def test_a_hidden_row_is_not_a_flag():
    hidden = table(("a", np.nan, np.nan, np.nan))
    assert recurrences([(1, table(("a", True, False, 9))), (2, hidden)]) == []


def test_more_sessions_come_first():
    found = recurrences(
        [
            (1, table(("b", True, False, 9), ("a", True, False, 9))),
            (2, table(("b", True, False, 9), ("a", True, False, 9))),
            (3, table(("a", False, True, 9))),
        ]
    )
    assert [r.item for r in found] == ["a", "b"]


def test_session_flags_skips_hidden_rows_and_ranks_by_gap():
    frame = paired(
        {
            "a": (True, False, 1.0),
            "b": (np.nan, np.nan, np.nan),  # fewer than k answered: hidden
            "c": (False, True, 2.5),
            "d": (False, False, 0.5),
        }
    )
    flags = session_flags(frame)
    assert list(flags["item"]) == ["a", "c", "d"]
    assert list(flags["gap_rank"]) == [2, 1, 3]
    assert list(flags["shared_gap"]) == [True, False, False]
    found = recurrences([(1, session_flags(frame)), (2, session_flags(frame))], largest=1)
    assert [r.item for r in found] == ["a", "c"]
    assert session_flags(pd.DataFrame()).empty
