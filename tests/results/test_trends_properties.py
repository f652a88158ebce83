"""Property test of the trends of every dimension on random sessions, skipped items and
publications: each shown value is the rounded value of some publication snapshot of its session
where at least k people answered that very statistic (checked against the answers themselves)."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.analytics import ITEM_COLUMNS, priority_trends, rating_trends, task_trends

TASK, OBJECTIVE, RATING = "tasks.queue", "objectives.people_seen", "pressure"
ITEMS = pd.DataFrame(
    [
        {"item": TASK, "question": "tasks", "kind": "task_map", "scale_min": 1, "scale_max": 7},
        {
            "item": OBJECTIVE,
            "question": "objectives",
            "kind": "allocation",
            "scale_min": 0,
            "scale_max": 100,
        },
        {"item": RATING, "question": RATING, "kind": "rating", "scale_min": -3, "scale_max": 3},
    ],
    columns=ITEM_COLUMNS,
).assign(section="s", label="l")
FACETS = {
    (TASK, "valence"): st.integers(-3, 3),
    (TASK, "challenge"): st.integers(1, 7),
    (TASK, "skill"): st.integers(1, 7),
    (TASK, "automatic"): st.integers(1, 7),
    (OBJECTIVE, "mine"): st.integers(0, 100),
    (OBJECTIVE, "expected"): st.integers(0, 100),
    (OBJECTIVE, "actual_time"): st.integers(0, 100),
    (RATING, ""): st.integers(-3, 3),
}
person = st.tuples(
    st.integers(1, 2), st.fixed_dictionaries({key: st.none() | s for key, s in FACETS.items()})
)
sessions = st.lists(st.lists(person, max_size=9), min_size=1, max_size=3)


def frame_of(groups) -> pd.DataFrame:
    rows = []
    for session, people in enumerate(groups, start=1):
        for number, (publication, answers) in enumerate(people):
            for (item, facet), value in answers.items():
                if value is not None:
                    rows.append(
                        {
                            "session": session,
                            "response": f"{session}-{number}",
                            "item": item,
                            "facet": facet,
                            "value": float(value),
                            "publication": publication,
                        }
                    )
    columns = ["session", "response", "item", "facet", "value", "publication"]
    return pd.DataFrame(rows, columns=columns)


def candidates(people, snapshot_count, has, value, k, digits=1, scale=1.0) -> list[float]:
    """The rounded values of a statistic at every snapshot where ≥ k people have it."""
    found = []
    for snapshot in range(1, snapshot_count + 1):
        chosen = [a for p, a in people if p <= snapshot and has(a)]
        if len(chosen) >= k:
            found.append(round(sum(value(a) for a in chosen) / len(chosen) * scale, digits))
    return found


def matches(value, options) -> bool:
    return any(math.isclose(value, option, abs_tol=1e-9) for option in options)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(sessions, st.sampled_from([3, 4]))
def test_no_shown_trend_value_rests_on_fewer_than_k_answers(groups, k):
    answers = frame_of(groups)
    if answers.empty:
        return
    publications = {s: 2 for s in range(1, len(groups) + 1)}
    order = list(publications)
    tasks = task_trends(answers, ITEMS, order, k, publications)
    priorities = priority_trends(answers, ITEMS, order, k, publications)
    ratings = rating_trends(answers, ITEMS, order, k, publications)

    def given_(item, facet):
        return lambda a: a[(item, facet)] is not None

    def of(item, facet):
        return lambda a: a[(item, facet)]

    def both(a):
        return a[(TASK, "challenge")] is not None and a[(TASK, "skill")] is not None

    for (_item, session), row in tasks.iterrows():
        people = groups[session - 1]
        for axis in ("valence", "automatic"):
            if pd.notna(row[axis]):
                assert matches(
                    row[axis], candidates(people, 2, given_(TASK, axis), of(TASK, axis), k)
                )
        for channel, test in (("overload", lambda d: d >= 2), ("routine", lambda d: d <= -2)):
            share = row[f"{channel}_share"]
            if pd.notna(share):

                def hit(a, test=test):
                    return float(test(a[(TASK, "challenge")] - a[(TASK, "skill")]))

                assert matches(share, candidates(people, 2, both, hit, k, digits=2))
    for (_item, session), row in priorities.iterrows():
        people = groups[session - 1]
        if pd.notna(row["actual_time"]):
            view = (OBJECTIVE, "actual_time")
            options = candidates(people, 2, given_(*view), of(*view), k, digits=0)
            assert matches(row["actual_time"], options)
        if pd.notna(row["mine_minus_expected"]):
            mine = candidates(
                people, 2, given_(OBJECTIVE, "mine"), of(OBJECTIVE, "mine"), k, digits=0
            )
            expected = candidates(
                people, 2, given_(OBJECTIVE, "expected"), of(OBJECTIVE, "expected"), k, digits=0
            )
            assert matches(row["mine_minus_expected"], [m - e for m in mine for e in expected])
    for (_item, session), row in ratings.iterrows():
        if pd.notna(row["mean"]):
            people = groups[session - 1]
            assert matches(
                row["mean"], candidates(people, 2, given_(RATING, ""), of(RATING, ""), k)
            )
