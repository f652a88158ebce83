"""The outcomes service's rules, called as the CLI or the demo would."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import (
    OUTCOME_NOTE_MAX,
    Agreement,
    Group,
    Outcome,
    OutcomeKind,
    OutcomeRevision,
    OutcomeStatus,
)
from survey.services import ServiceError, lifecycle, meetings, outcomes
from survey.services.outcomes import OutcomeFields

STATEMENT = "activities.welcome_direct"


@pytest.fixture
def sessions(app, facilitator, make_group, make_facilitator):
    """Three sessions of one group, the first two with their questions frozen, then a session
    of another facilitator's group."""
    group_id = make_group(facilitator).id
    other_id = make_group(make_facilitator(email="autre@example.org"), name="Autre").id
    with app.test_request_context():  # refusals are worded in the request's language
        group = db.session.get(Group, group_id)
        other = db.session.get(Group, other_id)
        made = []
        for number in (1, 2, 3):
            meeting = meetings.plan_meeting(
                group, title=f"Séance {number}", date=dt.date(2027, number, 10)
            )
            if number < 3:
                meetings.open_collection(meeting)
                meetings.close_collection(meeting)
            made.append(meeting)
        made.append(meetings.plan_meeting(other, title="Ailleurs", date=dt.date(2030, 1, 1)))
        db.session.commit()
        yield made


def test_statements_come_from_the_frozen_questionnaire(app, sessions):
    first, _second, planned, _elsewhere = sessions
    known = outcomes.statements(first, "fr")
    assert STATEMENT in known and known[STATEMENT].label
    assert [f for f, _label in known[STATEMENT].facets] == ["prescribed", "actual"]
    assert outcomes.statements(planned, "fr") == {}  # nothing to link to before it is frozen
    with pytest.raises(ServiceError):
        outcomes.record(planned, OutcomeFields(OutcomeKind.RECURRENCE, "x", [STATEMENT]), "fr")


def test_fields_of_other_kinds_are_cleared_and_duplicates_dropped(app, sessions):
    first = sessions[0]
    given = OutcomeFields(
        OutcomeKind.SOLUTION,
        "  Un binôme  ",
        [STATEMENT, STATEMENT],
        role="Accueil",
        agreement=Agreement.CONSENSUS,
        target_value=3.0,
    )
    solution = outcomes.record(first, given, "fr")
    assert solution.text == "Un binôme" and solution.item_ids == [STATEMENT]
    assert solution.role is None and solution.target_value is None
    assert solution.agreement == Agreement.CONSENSUS


@pytest.mark.parametrize(
    "item, facet, accepted",
    [
        (STATEMENT, "gap", True),
        (STATEMENT, "actual", True),
        (STATEMENT, "ideal", False),
        (None, "gap", False),
        ("overall_gap", "gap", False),  # one scale: no facets, no gap
        ("overall_gap", None, True),
    ],
)
def test_an_indicator_reads_a_facet_or_the_gap_of_a_paired_statement(
    app, sessions, item, facet, accepted
):
    given = OutcomeFields(
        OutcomeKind.INDICATOR, "Indicateur", indicator_item=item, indicator_facet=facet
    )
    if accepted:
        assert outcomes.record(sessions[0], given, "fr").indicator_facet == facet
    else:
        with pytest.raises(ServiceError):
            outcomes.record(sessions[0], given, "fr")


def test_statuses_belong_to_their_kind_and_every_change_is_kept(app, sessions):
    first, second, third, _elsewhere = sessions
    action = outcomes.record(first, OutcomeFields(OutcomeKind.ACTION, "Agir"), "fr")
    recurrence = outcomes.record(first, OutcomeFields(OutcomeKind.RECURRENCE, "Encore"), "fr")
    with pytest.raises(ServiceError):
        outcomes.set_status(recurrence, OutcomeStatus.DONE, "", second)
    with pytest.raises(ServiceError):
        outcomes.set_status(action, OutcomeStatus.HELD, "", second)
    with pytest.raises(ServiceError):
        outcomes.set_status(action, OutcomeStatus.OPEN, "", second)  # nothing changes
    with pytest.raises(ServiceError):
        outcomes.set_status(action, OutcomeStatus.DONE, "n" * (OUTCOME_NOTE_MAX + 1), second)
    outcomes.set_status(action, OutcomeStatus.IN_PROGRESS, "commencé", second)
    outcomes.set_status(action, OutcomeStatus.IN_PROGRESS, "toujours en cours", third)
    assert action.reviewed_in_id == third.id
    assert [(r.status, r.fields, r.note) for r in action.revisions] == [
        (OutcomeStatus.OPEN, ["created"], ""),
        (OutcomeStatus.IN_PROGRESS, ["status"], "commencé"),
        (OutcomeStatus.IN_PROGRESS, [], "toujours en cours"),
    ]
    assert outcomes.review(third).actions == [action]
    with pytest.raises(ServiceError):
        outcomes.update(action, OutcomeFields(OutcomeKind.SOLUTION, "Agir"), "x", third, "fr")


def test_find_keeps_to_the_group_and_to_earlier_sessions(app, sessions):
    first, second, _third, elsewhere = sessions
    later = outcomes.record(second, OutcomeFields(OutcomeKind.ACTION, "Plus tard"), "fr")
    assert outcomes.find(second, later.id) is later
    assert outcomes.find(first, later.id) is None
    assert outcomes.find(elsewhere, later.id) is None


def test_deleting_sessions_leaves_no_outcome_row_pointing_nowhere(app, sessions):
    first, second, _third, _elsewhere = sessions
    action = outcomes.record(first, OutcomeFields(OutcomeKind.ACTION, "Agir"), "fr")
    outcomes.set_status(action, OutcomeStatus.DONE, "fait", second)
    db.session.commit()
    lifecycle.delete_meeting(second)
    db.session.commit()
    db.session.expire_all()
    assert action.reviewed_in_id is None
    assert [r.meeting_id for r in action.revisions] == [first.id, None]
    lifecycle.delete_meeting(first)
    db.session.commit()
    for model in (Outcome, OutcomeRevision):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
