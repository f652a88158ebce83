"""Property tests of DESIGN.md §6 on random sessions: random skipped items, establishments,
reopenings and publications. Every number a session shows must rest on ≥ k answers to that very
statistic (checked against the answers themselves, not against the n the code reports), and no
statistic may differ between two published views by 1 to k − 1 answers."""

import math

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.analytics import ITEM_COLUMNS, gap_overview, paired_trends
from survey.extensions import db
from survey.models import Meeting
from survey.questionnaire import frozen_definition
from survey.results.published import published

ACTIVITY = "activities.calm_visitor"
TASK = "tasks.explain_refusal"
OBJECTIVE = "objectives.people_seen"
AXES = ("valence", "challenge", "skill")
VIEWPOINTS = ("mine", "expected", "actual_time")
OPTIONS = ("time", "staffing")


def maybe(strategy):
    return st.none() | strategy


responses = st.fixed_dictionaries(
    {
        "where": st.sampled_from(["Nord", "Sud", None]),
        "prescribed": maybe(st.integers(0, 10)),
        "actual": maybe(st.integers(0, 10)),
        "overall_gap": maybe(st.integers(0, 10)),
        "valence": maybe(st.integers(-3, 3)),
        "challenge": maybe(st.integers(1, 7)),
        "skill": maybe(st.integers(1, 7)),
        "mine": maybe(st.integers(0, 100)),
        "expected": maybe(st.integers(0, 100)),
        "actual_time": maybe(st.integers(0, 100)),
        "options": st.sets(st.sampled_from(OPTIONS)),
        "proposal": maybe(st.sampled_from(["aa", "ab", "b", "c"])),
    }
)
scenarios = st.tuples(
    st.sampled_from([3, 4]),
    st.lists(st.lists(responses, max_size=8), min_size=1, max_size=3),
)


def answers_of(person: dict) -> dict:
    answers = {}
    for facet in ("prescribed", "actual"):
        if person[facet] is not None:
            answers[(ACTIVITY, facet)] = person[facet]
    if person["overall_gap"] is not None:
        answers[("overall_gap", "")] = person["overall_gap"]
    for axis in AXES:
        if person[axis] is not None:
            answers[(TASK, axis)] = person[axis]
    for viewpoint in VIEWPOINTS:
        if person[viewpoint] is not None:
            answers[(OBJECTIVE, viewpoint)] = person[viewpoint]
    for option in person["options"]:
        answers[("obstacles", option)] = 1
    if person["proposal"] is not None:
        answers[("proposal", "")] = person["proposal"]
    return answers


def truths(people: list[dict], has, value) -> list[tuple[int, float | None]]:
    """(n, mean) of a statistic at each snapshot; ``people`` carry their publication."""
    last = max((p["publication"] for p in people), default=0)
    result = []
    for snapshot in range(1, last + 1):
        chosen = [p for p in people if p["publication"] <= snapshot and has(p)]
        values = [value(p) for p in chosen]
        result.append((len(chosen), sum(values) / len(values) if values else None))
    return result


def check(shown_n, shown_value, truth, k: int) -> int | None:
    """A shown value rests on ≥ k answers and is the rounded truth of a snapshot; returns the n
    it rests on (None when hidden, which it must say with no value either)."""
    if shown_n is None or pd.isna(shown_n):
        assert shown_value is None or pd.isna(shown_value)
        return None
    digits = 1
    matches = [
        n
        for n, mean in truth
        if n == shown_n and mean is not None and round(mean, digits) == round(shown_value, digits)
    ]
    assert matches and shown_n >= k, (shown_n, shown_value, truth)
    return int(shown_n)


def flow_channel(person) -> str:
    difference = person["challenge"] - person["skill"]
    if difference >= 2:
        return "overload"
    return "other"


def view_of(stats, people, k) -> dict:
    """Each statistic shown, checked against the answers: {name: (n, value)}."""
    view = {}

    def record(name, frame, n_column, column, has, value):
        table = getattr(stats, frame)
        key = name[0]
        if table.empty or key not in table.index or n_column not in table:
            assert not any(has(p) for p in people if p["publication"])
            return
        n, shown = table.loc[key, n_column], table.loc[key, column]
        rests_on = check(n, shown, truths(people, has, value), k)
        if rests_on is not None:
            view[name] = (rests_on, shown)

    def both(p):
        return p["prescribed"] is not None and p["actual"] is not None

    record((ACTIVITY, "a"), "paired", "n", "mean_a", both, lambda p: p["prescribed"])
    record((ACTIVITY, "b"), "paired", "n", "mean_b", both, lambda p: p["actual"])
    record(
        ("overall_gap", ""),
        "ratings",
        "n",
        "mean",
        lambda p: p["overall_gap"] is not None,
        lambda p: p["overall_gap"],
    )
    for axis in AXES:
        record(
            (TASK, axis),
            "tasks",
            f"n_{axis}",
            f"mean_{axis}",
            lambda p, a=axis: p[a] is not None,
            lambda p, a=axis: p[a],
        )

    def rated(p):
        return p["challenge"] is not None and p["skill"] is not None

    if not stats.tasks.empty and TASK in stats.tasks.index and "n_flow" in stats.tasks:
        n_flow, overload = stats.tasks.loc[TASK, "n_flow"], stats.tasks.loc[TASK, "overload"]
        truth = [
            (n, None if share is None else share * n)
            for n, share in truths(people, rated, lambda p: flow_channel(p) == "overload")
        ]
        rests_on = check(n_flow, overload, truth, k)
        if rests_on is not None:
            view[(TASK, "overload")] = (rests_on, overload)
    for viewpoint in VIEWPOINTS:
        if viewpoint in stats.priorities:
            frame = stats.priorities
            n = frame.loc[OBJECTIVE, f"n_{viewpoint}"] if OBJECTIVE in frame.index else None
            shown = frame.loc[OBJECTIVE, viewpoint] if OBJECTIVE in frame.index else None
            truth = truths(
                people, lambda p, v=viewpoint: p[v] is not None, lambda p, v=viewpoint: p[v]
            )
            # Points are shown as whole numbers.
            truth = [(n_, None if m is None else float(round(m))) for n_, m in truth]
            rests_on = check(n, shown, truth, k)
            if rests_on is not None:
                view[(OBJECTIVE, viewpoint)] = (rests_on, shown)
    people_obstacles = stats.option_people.get("obstacles")
    if people_obstacles is not None and not pd.isna(people_obstacles):
        counts = stats.options["choice"]
        counts = counts[counts["item"] == "obstacles"].set_index("option")["people"]
        for option in OPTIONS:
            truth = truths(
                people,
                lambda p: bool(p["options"]),
                lambda p, o=option: o in p["options"],
            )
            truth = [(n, None if share is None else share * n) for n, share in truth]
            rests_on = check(people_obstacles, float(counts.get(option, 0)), truth, k)
            view[("obstacles", option)] = (rests_on, float(counts.get(option, 0)))
    texts = stats.texts.get(("proposal", ""), [])
    if texts:
        last = max(p["publication"] for p in people)
        matches = [
            len(included)
            for snapshot in range(1, last + 1)
            if len(included := [p for p in people if 0 < p["publication"] <= snapshot]) >= k + 2
            and texts == sorted(p["proposal"] for p in included if p["proposal"] is not None)
        ]
        assert matches, texts
        view[("proposal", "")] = (matches[-1], tuple(texts))
    for item, cells in stats.breakdown.items():
        total = sum(cell["n"] for cell in cells.values())
        for where, cell in cells.items():
            assert cell["n"] >= k and total - cell["n"] >= k
            view[(item, where)] = (cell["n"], cell["mean_gap"])
    return view


def check_no_differencing(before: dict, after: dict, k: int):
    for name, (n_before, value_before) in before.items():
        assert name in after, f"{name} was shown, then hidden"
        n_after, value_after = after[name]
        if value_after != value_before:
            step = k + 2 if name == ("proposal", "") else k  # texts need k + 2 more responses
            assert n_after - n_before >= step, (name, before[name], after[name])


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenarios)
def test_every_number_rests_on_k_answers_and_no_two_views_differ_by_fewer(app, workshop, scenario):
    k, rounds = scenario
    group = workshop(anonymity_threshold=k, establishments=["Nord", "Sud"])
    meeting_id = group.session()
    people: list[dict] = []
    views = []
    publication = 0
    for number, round_ in enumerate(rounds):
        if number:
            group.reopen(meeting_id)
        for person in round_:
            if len(people) == 12:  # the group's member cap
                break
            group.respond(meeting_id, answers_of(person), person["where"])
            people.append({**person, "publication": 0})
        pending = [p for p in people if not p["publication"]]
        group.close(meeting_id, publish=len(pending) >= k)
        if len(pending) < k:
            continue
        publication += 1
        for person in pending:
            person["publication"] = publication
        with app.app_context():
            meeting = db.session.get(Meeting, meeting_id)
            stats = published(meeting, frozen_definition(meeting))
        views.append(view_of(stats, people, k))
    for before, after in zip(views, views[1:], strict=False):
        check_no_differencing(before, after, k)


answer_rows = st.lists(
    st.tuples(
        st.integers(1, 3),  # session
        st.integers(0, 7),  # person within the session
        st.integers(1, 2),  # publication
        st.sampled_from(["x", "y"]),  # statement
        maybe(st.integers(0, 10)),
        maybe(st.integers(0, 10)),
    ),
    max_size=60,
)
ITEMS = pd.DataFrame(
    [(item, item, "a", "paired", item, 0, 10, "prescribed", "actual") for item in ("x", "y")],
    columns=ITEM_COLUMNS,
)


def frame_of(rows) -> pd.DataFrame:
    """Answers as the queries give them; one person has one publication."""
    records, seen = [], {}
    for session, person, publication, item, a, b in rows:
        publication = seen.setdefault((session, person), publication)
        for facet, value in (("prescribed", a), ("actual", b)):
            if value is not None and not any(
                r["response"] == f"{session}-{person}" and r["item"] == item and r["facet"] == facet
                for r in records
            ):
                records.append(
                    {
                        "session": session,
                        "response": f"{session}-{person}",
                        "item": item,
                        "facet": facet,
                        "value": float(value),
                        "publication": publication,
                    }
                )
    columns = ["session", "response", "item", "facet", "value", "publication"]
    return pd.DataFrame(records, columns=columns)


def pairs_at(answers, session, item, snapshot) -> list[float]:
    chosen = answers[
        (answers["session"] == session)
        & (answers["item"] == item)
        & (answers["publication"] <= snapshot)
    ]
    wide = chosen.pivot_table(index="response", columns="facet", values="value")
    if not {"prescribed", "actual"} <= set(wide.columns):
        return []
    return list((wide["actual"] - wide["prescribed"]).dropna())


@settings(max_examples=150, deadline=None, derandomize=True)
@given(answer_rows, st.sampled_from([3, 4]))
def test_trends_and_overview_hold_only_cells_their_session_shows(rows, k):
    answers = frame_of(rows)
    publications = answers.groupby("session")["publication"].max().to_dict()
    trends = paired_trends(answers, ITEMS, [1, 2, 3], k, publications)
    shown_cells = {}
    for (item, session), row in trends.iterrows():
        sizes = [len(pairs_at(answers, session, item, s)) for s in (1, 2)]
        gaps = [pairs_at(answers, session, item, s) for s in (1, 2)]
        matches = [
            s
            for s in (0, 1)
            if sizes[s] == row["n"]
            and row["n"] >= k
            and math.isclose(round(sum(gaps[s]) / sizes[s], 1), row["mean_gap"])
        ]
        assert matches, (item, session, row.to_dict())
        shown_cells[(item, session)] = (sizes[matches[0]], sum(gaps[matches[0]]))
    sums = []
    for (session, item, publication), group in answers.groupby(["session", "item", "publication"]):
        wide = group.pivot_table(index="response", columns="facet", values="value")
        if not {"prescribed", "actual"} <= set(wide.columns):
            continue
        wide = wide.dropna()
        gap = wide["actual"] - wide["prescribed"]
        if len(wide):
            sums.append(
                {
                    "session": session,
                    "item": item,
                    "publication": publication,
                    "n": len(wide),
                    "sum_a": wide["prescribed"].sum(),
                    "sum_b": wide["actual"].sum(),
                    "sum_gap": gap.sum(),
                    "sum_abs_gap": gap.abs().sum(),
                    "sum_square_gap": (gap * gap).sum(),
                }
            )
    overview = gap_overview(pd.DataFrame(sums), k) if sums else pd.DataFrame()
    for item, row in overview.iterrows():
        pooled = [cell for (i, _), cell in shown_cells.items() if i == item]
        assert row["n"] == sum(n for n, _ in pooled) >= k  # the shown cells, and only them
        assert math.isclose(row["mean_gap"], round(sum(s for _, s in pooled) / row["n"], 1))
