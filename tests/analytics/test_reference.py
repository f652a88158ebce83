"""The vectorised metrics give the figures of their plain pandas formulation, on any answers."""

import numpy as np
import pandas as pd
import reference_metrics as reference
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ITEMS

from survey import analytics

KEYS = [
    ("act.desk", ("prescribed", "actual"), (0, 10)),
    ("act.calm", ("prescribed", "actual"), (0, 10)),
    ("agree", ("",), (1, 5)),
    ("same", ("",), (1, 5)),
    ("tasks.refusal", ("challenge", "skill"), (1, 7)),
    ("tasks.refusal", ("valence",), (-3, 3)),
    ("obj.people", ("mine", "expected"), (0, 100)),
    ("obj.quality", ("mine", "expected"), (0, 100)),
    ("topics", ("workload", "team", "time"), (1, 3)),
    ("obstacles", ("time", "tools"), (1, 1)),
]


@st.composite
def answer_frames(draw):
    """Up to 14 respondents answering any subset of the keys, with any scale point."""
    rows = []
    for person in range(draw(st.integers(0, 14))):
        for item, facets, (low, high) in KEYS:
            for facet in facets:
                if draw(st.booleans()):
                    rows.append((f"r{person}", item, facet, float(draw(st.integers(low, high)))))
    order = draw(st.permutations(range(len(rows))))
    return pd.DataFrame([rows[i] for i in order], columns=["response", "item", "facet", "value"])


def assert_same(actual: pd.DataFrame, expected: pd.DataFrame):
    if expected.empty:
        assert actual.empty
        return
    assert sorted(actual.index) == sorted(expected.index)
    for column in expected.columns:
        left = actual.loc[expected.index, column].to_numpy(dtype=float)
        right = expected[column].to_numpy(dtype=float)
        assert np.allclose(left, right, equal_nan=True), column


@settings(
    max_examples=80,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(answer_frames())
def test_vectorised_metrics_equal_the_pandas_reference(answers):
    for name in ("paired_metrics", "rating_metrics", "allocation_metrics"):
        assert_same(
            getattr(analytics, name)(answers, ITEMS), getattr(reference, name)(answers, ITEMS)
        )
    tasks = analytics.task_map_metrics(answers, ITEMS)
    expected = reference.task_map_metrics(answers, ITEMS)
    # The reference leaves a facet's count blank where the new code says 0 people.
    assert_same(tasks, expected.fillna({c: 0 for c in expected.columns if c.startswith("n_")}))


def rows_of(frame: pd.DataFrame) -> list[tuple]:
    return sorted(tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in
                  frame.itertuples(index=False))  # fmt: skip


@settings(max_examples=60, derandomize=True, deadline=None)
@given(answer_frames())
def test_option_counts_and_distributions_equal_the_pandas_reference(answers):
    for kind in ("ranking", "choice"):
        actual = analytics.option_counts(answers, ITEMS, kind)
        expected = reference.option_counts(answers, ITEMS, kind)
        assert rows_of(actual.astype({"people": int, "points": int})) == rows_of(
            expected.astype({"people": int, "points": int})
        )
        # Sorted by item, then by points, the largest first.
        assert list(actual["item"]) == sorted(actual["item"])
    actual = analytics.scale_distribution(answers, ITEMS)
    expected = reference.scale_distribution(answers, ITEMS)
    columns = ["item", "facet", "value", "count", "share"]
    assert rows_of(actual[columns].astype({"count": int})) == rows_of(
        expected[columns].astype({"count": int})
    )
