"""Analytics against hand-computed values, including the edge cases."""

import math

import pandas as pd
import pytest
from support import ITEMS

from survey.analytics import (
    agenda,
    allocation_metrics,
    breakdown_allowed,
    option_counts,
    paired_metrics,
    publishable,
    rating_metrics,
    settle,
    task_map_metrics,
    texts_in_order,
)


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["response", "item", "facet", "value"])


def paired(item, a_values, b_values, a="prescribed", b="actual"):
    rows = []
    for person, (x, y) in enumerate(zip(a_values, b_values, strict=True)):
        if x is not None:
            rows.append((f"r{person}", item, a, x))
        if y is not None:
            rows.append((f"r{person}", item, b, y))
    return rows


def test_a_shared_gap():
    result = paired_metrics(frame(paired("act.desk", [2, 3, 2, 3], [8, 8, 7, 9])), ITEMS)
    row = result.loc["act.desk"]
    assert row["n"] == 4
    assert row["mean_a"] == 2.5 and row["mean_b"] == 8.0
    assert row["mean_gap"] == 5.5 and row["median_gap"] == 5.5 and row["mean_abs_gap"] == 5.5
    assert row["ad_gap"] == pytest.approx(0.5)
    assert row["sd_gap"] == pytest.approx(math.sqrt(1 / 3))
    assert row["felt_share_up"] == 1.0 and row["felt_share_down"] == 0.0
    assert row["ad_a"] == pytest.approx(0.5)
    assert row["rwg_a"] == pytest.approx(1 - (1 / 3) / 10)
    assert row["consensus_a"] == pytest.approx(1 + math.log2(0.95))
    assert bool(row["shared_gap"]) and not bool(row["contested"])


def test_a_contested_statement():
    result = paired_metrics(frame(paired("act.calm", [5, 5, 5, 5], [0, 1, 9, 10])), ITEMS)
    row = result.loc["act.calm"]
    assert row["mean_gap"] == 0 and row["mean_abs_gap"] == 4.5 and row["ad_gap"] == 4.5
    assert row["felt_share_up"] == 0.5 and row["felt_share_down"] == 0.5
    assert bool(row["polarised_b"]) and not bool(row["polarised_a"])
    assert bool(row["contested"]) and not bool(row["shared_gap"])


def test_only_people_who_answered_both_facets_count():
    rows = paired("act.desk", [2, 3, None, 4], [8, None, 7, 6])
    row = paired_metrics(frame(rows), ITEMS).loc["act.desk"]
    assert row["n"] == 2 and row["mean_gap"] == 4.0


def test_a_missing_facet_gives_no_gap():
    rows = [(f"r{i}", "act.desk", "prescribed", 5) for i in range(4)]
    assert paired_metrics(frame(rows), ITEMS).empty


def test_no_answers_give_empty_results():
    empty = frame([])
    assert paired_metrics(empty, ITEMS).empty
    assert rating_metrics(empty, ITEMS).empty
    assert task_map_metrics(empty, ITEMS).empty
    assert agenda(paired_metrics(empty, ITEMS)).empty


def test_rating_agreement_indices():
    rows = [(f"r{i}", "agree", "", v) for i, v in enumerate([1, 2, 4, 5])]
    rows += [(f"r{i}", "same", "", 3) for i in range(4)]
    result = rating_metrics(frame(rows), ITEMS)
    split, equal = result.loc["agree"], result.loc["same"]
    assert split["mean"] == 3 and split["ad"] == 1.5 and bool(split["disagreement"])
    assert split["rwg"] == 0  # observed variance 3.33 above the uniform 2: clipped
    assert split["consensus"] == pytest.approx(1 + 0.25 * 2 * (-1 + math.log2(0.75)))
    assert bool(split["polarised"])
    assert equal["ad"] == 0 and equal["sd"] == 0 and equal["rwg"] == 1
    assert equal["consensus"] == 1
    assert not bool(equal["disagreement"]) and not bool(equal["polarised"])


def test_skipped_sensitive_items_are_simply_absent():
    rows = [(f"r{i}", "agree", "", 4) for i in range(2)]  # two of five people answered
    result = rating_metrics(frame(rows), ITEMS)
    assert result.loc["agree", "n"] == 2
    shown = settle(pd.concat({1: result}, names=["snapshot"]), 4, {"n": ["mean"]})
    assert shown["n"].isna().all() and shown["mean"].isna().all()


def test_flow_channels():
    people = {"r1": (7, 3), "r2": (3, 6), "r3": (6, 5), "r4": (2, 2), "r5": (5, 4)}
    rows = []
    for person, (challenge, skill) in people.items():
        rows += [
            (person, "tasks.refusal", "challenge", challenge),
            (person, "tasks.refusal", "skill", skill),
            (person, "tasks.refusal", "valence", -2),
        ]
    row = task_map_metrics(frame(rows), ITEMS).loc["tasks.refusal"]
    channels = (row["overload"], row["routine"], row["flow"], row["apathy"], row["other"])
    assert channels == (1, 1, 1, 1, 1)
    assert row["mean_challenge"] == 4.6 and row["mean_valence"] == -2


def test_allocation_and_priority_mismatch():
    rows = [
        ("r1", "obj.people", "mine", 60),
        ("r1", "obj.quality", "mine", 40),
        ("r2", "obj.people", "mine", 40),
        ("r2", "obj.quality", "mine", 60),
        ("r1", "obj.people", "expected", 80),
        ("r1", "obj.quality", "expected", 20),
        ("r2", "obj.people", "expected", 70),
        ("r2", "obj.quality", "expected", 30),
    ]
    table = allocation_metrics(frame(rows), ITEMS)
    assert table.loc["obj.people", "mine"] == 50 and table.loc["obj.people", "expected"] == 75
    entries = agenda(pd.DataFrame(), None, table)
    assert set(entries["item"]) == {"obj.people", "obj.quality"}
    assert entries.iloc[0]["reasons"] == ["priority_mismatch"]
    assert entries.iloc[0]["score"] == pytest.approx(0.5)


def test_rankings_score_borda_points_and_choices_count_people():
    rows = [
        ("r1", "topics", "workload", 1),
        ("r1", "topics", "team", 2),
        ("r2", "topics", "team", 1),
        ("r2", "topics", "workload", 3),
        ("r1", "obstacles", "time", 1),
        ("r2", "obstacles", "time", 1),
        ("r2", "obstacles", "tools", 1),
    ]
    ranks = option_counts(frame(rows), ITEMS, "ranking").set_index("option")
    assert ranks.loc["team", "points"] == 2 + 3 and ranks.loc["workload", "points"] == 3 + 1
    choices = option_counts(frame(rows), ITEMS, "choice").set_index("option")
    assert choices.loc["time", "people"] == 2 and choices.loc["tools", "people"] == 1


def test_the_agenda_puts_gaps_and_controversies_first_with_reasons():
    rows = paired("act.desk", [2, 3, 2, 3], [8, 8, 7, 9])
    rows += paired("act.calm", [5, 5, 5, 5], [0, 1, 9, 10])
    entries = agenda(paired_metrics(frame(rows), ITEMS))
    assert list(entries["item"]) == ["act.calm", "act.desk"]
    assert entries.iloc[0]["reasons"] == ["contested"]
    assert entries.iloc[1]["reasons"] == ["shared_gap"]
    assert entries.iloc[0]["score"] == pytest.approx(0.45 + 0.45)


def test_values_below_k_are_blank_not_dropped():
    metrics = pd.DataFrame(
        {"n": [3, 4, 5], "mean": [1.0, 2.0, 3.0]},
        index=pd.MultiIndex.from_product([[1], ["a", "b", "c"]], names=["snapshot", "item"]),
    )
    shown = settle(metrics, 4, {"n": ["mean"]})
    assert list(shown.index) == ["a", "b", "c"]
    assert shown["mean"].isna().tolist() == [True, False, False]


def test_free_texts_are_sorted_by_their_own_content():
    texts = ["Zèbre", "  ", "avant tout", "Mieux", ""]
    assert texts_in_order(texts) == ["avant tout", "Mieux", "Zèbre"]


def test_breakdowns_never_isolate_anyone():
    assert breakdown_allowed({"Nord": 4, "Sud": 4}, k=4)
    assert not breakdown_allowed({"Nord": 5, "Sud": 3}, k=4)
    assert not breakdown_allowed({"Nord": 9, "Sud": 4, "Est": 1}, k=4)
    assert not breakdown_allowed({"Nord": 8}, k=4)


def test_publication_needs_k_new_responses():
    assert not publishable(3, k=4)
    assert publishable(4, k=4)
