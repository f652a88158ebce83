"""Suggested recurrences on « Où en sommes-nous ? »: statements flagged in two shown sessions,
confirmed (a recurrence outcome) or dismissed (kept as a dropped recurrence)."""

import datetime as dt

import pytest
from sqlalchemy import select
from support import login, post, text

from survey.extensions import db
from survey.models import Meeting, Outcome, OutcomeKind, OutcomeStatus
from survey.questionnaire import frozen
from survey.results import recurrences
from survey.services import participation, publication
from survey.services.participation import AnswerValue

STATEMENT = "activities.welcome_direct"  # a shared gap in add_responses' answers
OTHER = "activities.phone_messages"
LABEL = "Accueillir et orienter les personnes au guichet"
SCRIPT = "<script>alert('label')</script>"


@pytest.fixture
def cycle(app, facilitator, make_group, make_meeting, add_responses, set_status):
    """``session(n, answers=None)`` makes the group's n-th session, closed and shown; by default
    4 responses (k = 4) with a shared gap on ``STATEMENT``."""
    group_id = make_group(facilitator, anonymity_threshold=4).id

    def session(number: int, answers=None, title=None) -> int:
        meeting_id = make_meeting(
            group_id,
            title=title or f"Séance {number}",
            date=dt.date(2026, 12, 1) + dt.timedelta(30 * number),
        ).id
        set_status(meeting_id, "open")
        if answers is None:
            add_responses(meeting_id, 4)
        else:
            answers(meeting_id)
        set_status(meeting_id, "closed")
        with app.app_context():
            publication.publish(db.session.get(Meeting, meeting_id))
            db.session.commit()
        return meeting_id

    return session


def hidden_statement(app):
    """4 responses, only 3 of which answer ``STATEMENT`` (hidden at k = 4); all answer OTHER."""

    def answer(meeting_id):
        with app.app_context():
            meeting = db.session.get(Meeting, meeting_id)
            for person in range(4):
                draft, _ = participation.start_draft(meeting)
                values = [
                    AnswerValue(OTHER, "prescribed", 5.0),
                    AnswerValue(OTHER, "actual", 5.0 + (person % 2)),
                ]
                if person < 3:
                    values += [
                        AnswerValue(STATEMENT, "prescribed", 2.0),
                        AnswerValue(STATEMENT, "actual", 9.0),
                    ]
                participation.submit(meeting, draft.id, values, None)
            db.session.commit()

    return answer


def suggested(app, meeting_id):
    with app.app_context():
        found = recurrences.suggested(db.session.get(Meeting, meeting_id), "fr")
        return [(s.item, s.label, [(m.title, flags) for m, flags in s.history]) for s in found]


def review(client, meeting_id) -> str:
    page = client.get(f"/sessions/{meeting_id}/review")
    assert page.status_code == 200
    assert "no-store" in page.headers["Cache-Control"]
    return page.get_data(as_text=True)


def recurrence_outcomes(app):
    with app.app_context():
        found = db.session.scalars(
            select(Outcome).where(Outcome.kind == OutcomeKind.RECURRENCE).order_by(Outcome.id)
        ).all()
        result = [
            (o.meeting_id, o.item_ids, o.status, o.text, [r.note for r in o.revisions])
            for o in found
        ]
        return result


def test_one_shown_session_suggests_nothing_two_do(app, signed_in, cycle):
    first = cycle(1)
    assert suggested(app, first) == []
    assert "Accueillir et orienter" not in review(signed_in, first)
    second = cycle(2)
    assert suggested(app, second) == [
        (
            STATEMENT,
            LABEL,
            [
                ("Séance 1", ["shared_gap", "largest_gap"]),
                ("Séance 2", ["shared_gap", "largest_gap"]),
            ],
        )
    ]
    # An earlier session does not see a later one.
    assert suggested(app, first) == []
    page = text(signed_in.get(f"/sessions/{second}/review"))
    assert LABEL in page
    assert "Séance 1, Séance 2" in page


def test_a_statement_hidden_in_a_session_is_not_flagged_there(app, cycle):
    first = cycle(1)
    second = cycle(2, answers=hidden_statement(app))
    assert suggested(app, second) == []  # hidden in session 2: flagged once only
    third = cycle(3)
    assert suggested(app, third) == [
        (
            STATEMENT,
            LABEL,
            [
                ("Séance 1", ["shared_gap", "largest_gap"]),
                ("Séance 3", ["shared_gap", "largest_gap"]),
            ],
        )
    ]
    assert first < second < third


def test_confirm_records_a_recurrence_linked_to_the_statement(app, signed_in, cycle):
    cycle(1)
    second = cycle(2)
    response = post(signed_in, f"/sessions/{second}/recurrences/confirm", {"item": STATEMENT})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/sessions/{second}/review"
    assert recurrence_outcomes(app) == [(second, [STATEMENT], OutcomeStatus.OPEN, LABEL, [""])]
    assert suggested(app, second) == []
    # The outcomes page of the session lists it; the review no longer suggests it.
    assert LABEL in text(signed_in.get(f"/sessions/{second}/outcomes"))
    assert 'name="item" value="activities.welcome_direct"' not in review(signed_in, second)
    # Confirming again is refused: it is no longer a suggestion.
    post(signed_in, f"/sessions/{second}/recurrences/confirm", {"item": STATEMENT})
    assert len(recurrence_outcomes(app)) == 1


def test_dismiss_keeps_a_dropped_recurrence_and_stops_suggesting_it(app, signed_in, cycle):
    cycle(1)
    second = cycle(2)
    response = post(signed_in, f"/sessions/{second}/recurrences/dismiss", {"item": STATEMENT})
    assert response.status_code == 302
    [(meeting_id, items, status, _text, notes)] = recurrence_outcomes(app)
    assert (meeting_id, items, status) == (second, [STATEMENT], OutcomeStatus.DROPPED)
    assert notes[-1]  # the dismissal is in its history
    assert suggested(app, second) == []
    third = cycle(3)
    assert suggested(app, third) == []  # nor at later sessions


def test_unknown_statement_or_missing_csrf_records_nothing(app, signed_in, cycle):
    cycle(1)
    second = cycle(2)
    post(signed_in, f"/sessions/{second}/recurrences/confirm", {"item": OTHER})
    post(signed_in, f"/sessions/{second}/recurrences/confirm", {"item": "x" * 500})
    signed_in.post(f"/sessions/{second}/recurrences/dismiss", data={"item": STATEMENT})
    assert recurrence_outcomes(app) == []


def test_another_facilitator_gets_404(app, client, make_facilitator, cycle):
    cycle(1)
    second = cycle(2)
    other = make_facilitator(email="dominique@example.org", display_name="Dominique")
    login(client, other)
    for action in ("confirm", "dismiss"):
        response = post(client, f"/sessions/{second}/recurrences/{action}", {"item": STATEMENT})
        assert response.status_code == 404
    assert client.get(f"/sessions/{second}/review").status_code == 404
    assert recurrence_outcomes(app) == []


def test_labels_and_session_titles_are_escaped(app, signed_in, cycle):
    cycle(1, title=SCRIPT)
    second = cycle(2)
    with app.app_context():
        for meeting in db.session.scalars(select(Meeting)):
            snapshot = dict(meeting.snapshot)
            text_of = str(snapshot)
            assert LABEL in text_of
            meeting.snapshot = _replaced(snapshot, LABEL, SCRIPT)
        db.session.commit()
    frozen._validated.clear()
    page = review(signed_in, second)
    assert SCRIPT not in page
    assert "&lt;script&gt;" in page
    assert page.count("&lt;script&gt;") >= 2  # the label and the session's title


def _replaced(value, old, new):
    if isinstance(value, dict):
        return {k: _replaced(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v, old, new) for v in value]
    if isinstance(value, str):
        return value.replace(old, new)
    return value


def test_a_planned_session_confirms_into_the_last_session_that_flagged_it(
    app, signed_in, cycle, make_meeting
):
    cycle(1)
    second = cycle(2)
    with app.app_context():
        group_id = db.session.get(Meeting, second).group_id
    # Not opened yet: its questionnaire is not frozen, so the outcome goes to session 2.
    planned = make_meeting(group_id, title="Séance 3", date=dt.date(2027, 6, 1)).id
    assert LABEL in text(signed_in.get(f"/sessions/{planned}/review"))
    post(signed_in, f"/sessions/{planned}/recurrences/confirm", {"item": STATEMENT})
    [(meeting_id, items, status, _text, _notes)] = recurrence_outcomes(app)
    assert (meeting_id, items, status) == (second, [STATEMENT], OutcomeStatus.OPEN)
