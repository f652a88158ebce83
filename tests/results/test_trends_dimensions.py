"""Trends for every dimension (issue 14, item 5): the task map, priorities and every rated
statement, session after session, each cell as its own session shows it; items aligned by id;
actions and solutions as markers on the session where they were decided."""

from __future__ import annotations

import json

import pytest
from support import answered_session as session
from support import trends_tables as built

from survey.extensions import db
from survey.kinds.form import AnswerValue
from survey.models import Group, Meeting, Outcome, OutcomeKind
from survey.questionnaire import frozen_definition
from survey.results import queries
from survey.results import trends as group_trends
from survey.services import meetings, participation, publication

TOO_FEW = "moins de 3 réponses"
DATA_ENTRY = "tasks.data_entry"
QUALITY = "objectives.people_seen"


def task(valence=None, challenge=None, skill=None, automatic=None, key=DATA_ENTRY):
    axes = {"valence": valence, "challenge": challenge, "skill": skill, "automatic": automatic}
    return {(key, axis): v for axis, v in axes.items() if v is not None}


def objective(mine=None, expected=None, actual_time=None, key=QUALITY):
    views = {"mine": mine, "expected": expected, "actual_time": actual_time}
    return {(key, view): v for view, v in views.items() if v is not None}


def rated(reach, hurry, pressure):
    return {
        ("objectives_means.reach_objectives", ""): reach,
        ("lived.hurry", ""): hurry,
        ("pressure", ""): pressure,
    }


def label(app, group_id, item):
    with app.app_context():
        meeting = max(db.session.get(Group, group_id).meetings, key=lambda m: m.id)
        frame = queries.items_frame(frozen_definition(meeting), "fr")
        return frame.set_index("item").loc[item, "label"]


def line(payload: str, name: str) -> list:
    return next(t for t in json.loads(payload)["data"] if t["name"] == name)["y"]


@pytest.fixture
def group_id(make_group, facilitator):
    return make_group(facilitator, anonymity_threshold=3).id


def test_each_dimension_against_hand_computed_values(app, group_id):
    first = [
        task(1, 7, 4, 1) | objective(50, 20, 30) | rated(4, 2, -1),
        task(2, 2, 5, 4) | objective(40, 20, 30) | rated(5, 3, 0),
        task(3, 4, 4, 7) | objective(30, 20, 30) | rated(3, 4, 1),
    ]
    second = [
        task(-3, 6, 2, 2) | objective(10, 40, 25) | rated(1, 5, -3),
        task(-2, 6, 3, 2) | objective(20, 40, 25) | rated(2, 5, -2),
        task(-1, 5, 4, 3) | objective(30, 40, 25) | rated(2, 4, -2),
        task(0, 1, 6, 3) | objective(40, 40, 35) | rated(3, 4, -1),
    ]
    session(app, group_id, 1, first)
    session(app, group_id, 2, second)
    result, tables = built(app, group_id)
    data_entry, quality = label(app, group_id, DATA_ENTRY), label(app, group_id, QUALITY)
    reach = label(app, group_id, "objectives_means.reach_objectives")
    hurry = label(app, group_id, "lived.hurry")

    # Valence: (1 + 2 + 3) / 3 = 2.0, then (-3 - 2 - 1 + 0) / 4 = -1.5; change -3.5.
    assert tables["tasks-valence"][data_entry] == ["2,0", "-1,5", "-3,5"]
    # Overload (challenge - skill ≥ 2): 1 of 3, then 2 of 4; routine: 1 of 3, then 1 of 4.
    assert tables["tasks-overload_share"][data_entry] == ["33\u00a0%", "50\u00a0%", "17"]
    assert tables["tasks-routine_share"][data_entry] == ["33\u00a0%", "25\u00a0%", "-8"]
    assert tables["tasks-automatic"][data_entry] == ["4,0", "2,5", "-1,5"]
    # My view minus perceived expectation: 40 - 20, then 25 - 40; real time 30, then 27.5.
    assert tables["priorities-gap"][quality] == ["20", "-15", "-35"]
    assert tables["priorities-time"][quality] == ["30", "28", "-2"]
    assert tables["rating-objectives_means"][reach] == ["4,0", "2,0", "-2,0"]
    assert tables["rating-lived"][hurry] == ["3,0", "4,5", "1,5"]
    assert list(tables["rating-pressure"].values())[0] == ["0,0", "-2,0", "-2,0"]
    # Every dimension is there; each chart holds its table's numbers.
    keys = [d.key for d in result.dimensions]
    assert keys[:2] == ["task_map", "priorities"]
    assert {"section-self_evaluation", "section-implicit"} <= set(keys)
    assert line(tables["tasks-overload_share"]["_chart"], data_entry) == [33, 50]
    assert line(tables["tasks-valence"]["_chart"], data_entry) == [2.0, -1.5]
    assert line(tables["priorities-gap"]["_chart"], quality) == [20, -15]


def test_a_cell_below_k_says_so_and_enters_no_change(app, group_id, signed_in):
    few = [task(3, automatic=5), task(3, automatic=5), task(automatic=5)]
    session(app, group_id, 1, [task(1, 4, 4, 2)] * 3)
    session(app, group_id, 2, few)  # valence answered by two people only
    session(app, group_id, 3, [task(2, 4, 4, 2)] * 3)
    _result, tables = built(app, group_id)
    data_entry = label(app, group_id, DATA_ENTRY)
    # The hidden cell says so; the change is between the two sessions that show the figure.
    assert tables["tasks-valence"][data_entry] == ["1,0", TOO_FEW, "2,0", "1,0"]
    assert line(tables["tasks-valence"]["_chart"], data_entry) == [1.0, None, 2.0]
    assert "3.0" not in tables["tasks-valence"]["_chart"]  # the hidden mean is not sent
    # Automaticity was answered by three that session: shown.
    assert tables["tasks-automatic"][data_entry] == ["2,0", "5,0", "2,0", "-3,0"]
    # Challenge and skill by one person that session: both shares hidden.
    assert tables["tasks-overload_share"][data_entry][1] == TOO_FEW
    page = signed_in.get(f"/groups/{group_id}/trends").get_data(as_text=True)
    assert TOO_FEW in page


def test_a_hidden_paired_statement_stays_out_of_its_dimension_mean(app, group_id):
    welcome = {("activities.welcome_direct", "prescribed"): 2}
    welcome |= {("activities.welcome_direct", "actual"): 8}
    phone = {("activities.phone_messages", facet): 5 for facet in ("prescribed", "actual")}
    session(app, group_id, 1, [welcome | phone] * 3)
    session(app, group_id, 2, [welcome | phone, welcome | phone, welcome])  # phone: two
    result, _tables = built(app, group_id)
    section = next(t for t in json.loads(result.chart)["data"] if t["name"].startswith("A."))
    # Session 1 pools both statements: (6 + 0) / 2 = 3; session 2 only the one shown: 6.
    assert section["y"] == [3.0, 6.0]


def test_items_a_session_did_not_ask_are_gaps_not_zeros(app, group_id):
    core = {("overall_gap", ""): 4}
    session(app, group_id, 1, [core] * 3, modules=[])  # no task map, no priorities
    session(app, group_id, 2, [core | task(2, 4, 4, 3)] * 3)
    _result, tables = built(app, group_id)
    data_entry = label(app, group_id, DATA_ENTRY)
    assert tables["tasks-valence"][data_entry] == ["—", "2,0", "—"]
    assert line(tables["tasks-valence"]["_chart"], data_entry) == [None, 2.0]
    # Asked but answered by nobody: the words, never a zero nor a gap.
    assert tables["priorities-time"][label(app, group_id, QUALITY)] == ["—", TOO_FEW, "—"]
    assert list(tables["rating-overall_gap"].values())[0] == ["4,0", "4,0", "0,0"]


def test_actions_and_solutions_are_markers_on_their_session(app, group_id, signed_in):
    people = [task(1, 4, 4, 2) | {("overall_gap", ""): 5}] * 3
    first = session(app, group_id, 1, people)
    second = session(app, group_id, 2, people)
    with app.app_context():
        db.session.add_all(
            [
                Outcome(meeting_id=first, kind=OutcomeKind.ACTION, text="Relancer <b>le</b> point"),
                Outcome(meeting_id=second, kind=OutcomeKind.SOLUTION, text="Binôme d'accueil"),
                Outcome(meeting_id=second, kind=OutcomeKind.RECURRENCE, text="Thème récurrent"),
            ]
        )
        db.session.commit()
    result, tables = built(app, group_id)
    assert [(m.id, o.text) for m, o in result.decisions] == [
        (first, "Relancer <b>le</b> point"),
        (second, "Binôme d'accueil"),
    ]
    for payload in [tables["tasks-valence"]["_chart"], tables["rating-overall_gap"]["_chart"]]:
        chart = json.loads(payload)
        sessions = chart["layout"]["xaxis"]["categoryarray"]
        marks = {t["marker"]["symbol"]: t for t in chart["data"] if t.get("yaxis") == "y2"}
        actions, solutions = marks["triangle-up"], marks["star"]
        assert actions["name"] == "Actions décidées"
        assert actions["x"] == [sessions[0]] and solutions["x"] == [sessions[1]]
        assert actions["customdata"] == ["Relancer &lt;b&gt;le&lt;/b&gt; point"]
    page = signed_in.get(f"/groups/{group_id}/trends").get_data(as_text=True)
    assert "Thème récurrent" not in page
    assert "Relancer &lt;b&gt;le&lt;/b&gt; point" in page and "<b>le</b>" not in page


def test_indicators_have_a_hook_and_none_yet(app, group_id):
    session(app, group_id, 1, [task(1, 4, 4, 2)] * 3)
    result, _tables = built(app, group_id)
    assert result.indicators == []
    with app.app_context():
        group = db.session.get(Group, group_id)
        assert group_trends.indicators(group, list(group.meetings)) == []


def test_indicator_series_from_the_hook_are_drawn_against_their_target(
    app, group_id, signed_in, monkeypatch
):
    first = session(app, group_id, 1, [task(1, 4, 4, 2)] * 3)
    second = session(app, group_id, 2, [task(1, 4, 4, 2)] * 3)
    third = session(app, group_id, 3, [task(1, 4, 4, 2)] * 3)

    def indicators(group, sessions, known=None):
        values = {first: 6.5, second: None}  # hidden at the second, not measured at the third
        return [group_trends.IndicatorSeries("Attente <5 min>", values, target=8.0)]

    monkeypatch.setattr(group_trends, "indicators", indicators)
    result, _tables = built(app, group_id)
    (indicator,) = result.indicators
    assert indicator.rows == [["Attente <5 min>", "6,5", TOO_FEW, "—", "—"]]
    chart = json.loads(indicator.chart)
    lines = {t["name"]: t["y"] for t in chart["data"] if "lines" in t["mode"]}
    assert lines["Attente &lt;5 min&gt;"] == [6.5, None, None]
    target = next(
        t for t in chart["data"] if t["line"]["dash"] == "longdashdot" and not t.get("marker")
    )
    assert target["y"] == [8.0, 8.0, 8.0] and target["mode"] == "lines"
    page = signed_in.get(f"/groups/{group_id}/trends").get_data(as_text=True)
    assert 'id="chart-indicator-0"' in page and "Attente &lt;5 min&gt;" in page
    assert third


def test_an_unpublished_session_and_its_outcomes_stay_off(app, group_id):
    session(app, group_id, 1, [task(1, 4, 4, 2)] * 3)
    hidden = session(app, group_id, 2, [task(3, 4, 4, 2)] * 3, publish=False)
    with app.app_context():
        db.session.add(Outcome(meeting_id=hidden, kind=OutcomeKind.ACTION, text="Pas encore"))
        db.session.commit()
        assert db.session.get(Meeting, hidden).outcomes
    result, tables = built(app, group_id)
    assert len(result.sessions) == 1 and result.decisions == []
    assert tables["tasks-valence"][label(app, group_id, DATA_ENTRY)] == ["1,0", "—"]


def reopen_and_add(app, meeting_id, people):
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meetings.open_collection(meeting)
        for answers in people:
            draft, _ = participation.start_draft(meeting)
            values = [AnswerValue(item, facet, float(v)) for (item, facet), v in answers.items()]
            participation.submit(meeting, draft.id, values, None)
        meetings.close_collection(meeting)
        publication.record(meeting)
        db.session.commit()


def test_a_republished_session_moves_a_cell_only_by_k_people_or_more(app, group_id):
    meeting = session(app, group_id, 1, [task(1, 4, 4, 2)] * 3)
    data_entry = label(app, group_id, DATA_ENTRY)
    assert built(app, group_id)[1]["tasks-valence"][data_entry] == ["1,0", "—"]
    # Two more people: the cell keeps the value it was shown with (the view is not stale:
    # the page was computed again for the new publication).
    reopen_and_add(app, meeting, [task(4, 4, 4, 6)] * 2)
    tables = built(app, group_id)[1]
    assert tables["tasks-valence"][data_entry] == ["1,0", "—"]
    assert tables["tasks-automatic"][data_entry] == ["2,0", "—"]
    # One more: five new answers since the value shown, at least k: (3 × 1 + 3 × 4) / 6.
    reopen_and_add(app, meeting, [task(4, 4, 4, 6)])
    tables = built(app, group_id)[1]
    assert tables["tasks-valence"][data_entry] == ["2,5", "—"]
    assert tables["tasks-automatic"][data_entry] == ["4,0", "—"]


def test_the_page_in_english_names_every_dimension(app, group_id, signed_in, facilitator):
    from survey.models import Facilitator

    people = [task(1, 7, 4, 2) | objective(50, 20, 30) | rated(4, 2, -1)] * 3
    session(app, group_id, 1, people)
    session(app, group_id, 2, people)
    with app.app_context():
        db.session.get(Facilitator, facilitator.id).locale = "en"
        db.session.commit()
    page = signed_in.get(f"/groups/{group_id}/trends").get_data(as_text=True)
    for heading in ("C. A closer look at my tasks", "D. My priorities", "F. The invisible side"):
        assert heading in page
    assert "<td>100%</td>" in page  # everyone in overload, an English percent
    # Four task charts, two priorities, three rated questions answered (no chart for the rest).
    assert page.count('class="chart-data"') == 9
