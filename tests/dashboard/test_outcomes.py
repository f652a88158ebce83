"""Outcomes recorded in the room from the results, edited with a history, and reviewed at the
next sessions (« Où en sommes-nous ? »), projection included."""

import datetime as dt
import re

import pytest
from sqlalchemy import select
from support import PASSWORD, csrf_token, login, post, text

from survey.extensions import db
from survey.models import (
    OUTCOME_TEXT_MAX,
    Agreement,
    Meeting,
    Outcome,
    OutcomeKind,
    OutcomeRevision,
    OutcomeStatus,
    TargetDirection,
)
from survey.services import publication

STATEMENT = "activities.welcome_direct"  # a shared gap in add_responses' answers
LABEL = "Accueillir et orienter les personnes au guichet"
SCRIPT = "<script>alert('outcome')</script>"


@pytest.fixture
def cycle(app, facilitator, make_group, make_meeting, add_responses, set_status):
    """A group; ``session(n)`` makes its n-th session, closed with 4 responses and shown."""
    group_id = make_group(facilitator, anonymity_threshold=4).id

    def session(number: int) -> int:
        meeting_id = make_meeting(
            group_id,
            title=f"Séance {number}",
            date=dt.date(2026, 12, 1) + dt.timedelta(30 * number),
        ).id
        set_status(meeting_id, "open")
        add_responses(meeting_id, 4)
        set_status(meeting_id, "closed")
        with app.app_context():
            publication.publish(db.session.get(Meeting, meeting_id))
            db.session.commit()
        return meeting_id

    return session


def outcomes_of(app, meeting_id) -> list[Outcome]:
    with app.app_context():
        found = db.session.scalars(
            select(Outcome).where(Outcome.meeting_id == meeting_id).order_by(Outcome.id)
        ).all()
        for o in found:
            _ = o.revisions  # loaded before the context closes
        db.session.expunge_all()
        return found


def note(client, meeting_id, kind, data, items=(STATEMENT,)):
    url = f"/sessions/{meeting_id}/outcomes/new"
    query = "&".join([f"kind={kind}"] + [f"item={i}" for i in items])
    page = client.get(f"{url}?{query}")
    assert page.status_code == 200
    return post(client, f"{url}?{query}", {"kind": kind, "items": list(items), **data})


def test_the_results_offer_note_it_on_agenda_entries_and_flags(signed_in, cycle):
    meeting_id = cycle(1)
    page = signed_in.get(f"/sessions/{meeting_id}/results").get_data(as_text=True)
    links = re.findall(r'class="note-link" href="([^"]+)"', page)
    # The agenda entry and the shared gap, both for the statement everyone answered.
    assert len(links) >= 2
    assert all(f"item={STATEMENT}" in link.replace("%2E", ".") for link in links)
    form = text(signed_in.get(links[0].replace("&amp;", "&")))
    assert LABEL in form
    assert re.search(
        rf'value="{re.escape(STATEMENT)}"[^>]*checked|checked[^>]*value="{re.escape(STATEMENT)}"',
        form,
    )


def test_each_statement_row_of_a_section_offers_note_it(signed_in, cycle):
    meeting_id = cycle(1)
    page = signed_in.get(f"/sessions/{meeting_id}/results/prescribed_actual")
    links = re.findall(r'class="note-link" href="([^"]+)"', page.get_data(as_text=True))
    assert any(f"item={STATEMENT}" in link for link in links)
    # Every row of the statements' table, those with fewer than k answers too.
    assert len(links) > 5
    target = [link for link in links if f"item={STATEMENT}" in link][0].replace("&amp;", "&")
    assert LABEL in text(signed_in.get(target))


def test_each_kind_is_recorded_linked_to_its_statement(app, signed_in, cycle):
    meeting_id = cycle(1)
    back = f"/sessions/{meeting_id}/results"
    response = post(
        signed_in,
        f"/sessions/{meeting_id}/outcomes/new?kind=recurrence&item={STATEMENT}&next={back}",
        {"kind": "recurrence", "items": [STATEMENT], "text": "L'accueil revient à chaque séance"},
    )
    assert response.status_code == 302 and response.headers["Location"] == back
    note(
        signed_in,
        meeting_id,
        "action",
        {
            "text": "Afficher les horaires à l'accueil",
            "role": "L'équipe d'accueil",
            "due_on": "2027-02-15",
            "due_session": "3",
            "shareable": "y",
        },
    )
    note(
        signed_in,
        meeting_id,
        "indicator",
        {
            "text": "Moins d'écart sur l'accueil",
            "indicator_item": STATEMENT,
            "indicator_facet": "gap",
            "target_direction": "down",
            "target_value": "2.5",
        },
    )
    note(
        signed_in,
        meeting_id,
        "solution",
        {"text": "Un binôme au guichet le lundi", "agreement": "consent"},
        items=(),
    )
    recorded = outcomes_of(app, meeting_id)
    assert [o.kind for o in recorded] == [
        OutcomeKind.RECURRENCE,
        OutcomeKind.ACTION,
        OutcomeKind.INDICATOR,
        OutcomeKind.SOLUTION,
    ]
    recurrence, action, indicator, solution = recorded
    assert recurrence.item_ids == [STATEMENT] and not recurrence.shareable
    assert action.role == "L'équipe d'accueil" and action.due_on == dt.date(2027, 2, 15)
    assert action.due_session == 3 and action.shareable and action.item_ids == [STATEMENT]
    assert action.status == OutcomeStatus.OPEN
    assert (indicator.indicator_item, indicator.indicator_facet) == (STATEMENT, "gap")
    assert indicator.target_direction == TargetDirection.DOWN and indicator.target_value == 2.5
    assert indicator.role is None  # the fields of other kinds stay empty
    assert solution.agreement == Agreement.CONSENT and solution.item_ids == []
    assert all(len(o.revisions) == 1 and o.revisions[0].fields == ["created"] for o in recorded)

    page = text(signed_in.get(f"/sessions/{meeting_id}/outcomes"))
    for o in recorded:
        assert o.text in page
    assert "L'équipe d'accueil" in page and LABEL in page
    assert page.index("L'accueil revient") < page.index("Afficher les horaires")


def test_the_statement_must_be_in_the_sessions_questionnaire(app, signed_in, cycle):
    meeting_id = cycle(1)
    assert signed_in.get(f"/sessions/{meeting_id}/outcomes/new?item=nope").status_code == 404
    assert signed_in.get(f"/sessions/{meeting_id}/outcomes/new?item=<script>").status_code == 404
    # A statement not offered by the form is refused, and nothing is recorded.
    response = post(
        signed_in,
        f"/sessions/{meeting_id}/outcomes/new",
        {"kind": "recurrence", "items": ["nope"], "text": "x"},
    )
    assert response.status_code == 200
    response = post(
        signed_in,
        f"/sessions/{meeting_id}/outcomes/new?kind=indicator",
        {"kind": "indicator", "text": "x", "indicator_item": STATEMENT, "indicator_facet": "nope"},
    )
    assert response.status_code == 200
    assert outcomes_of(app, meeting_id) == []


def test_texts_are_length_capped(app, signed_in, cycle):
    meeting_id = cycle(1)
    too_long = "é" * (OUTCOME_TEXT_MAX + 1)
    response = note(signed_in, meeting_id, "recurrence", {"text": too_long})
    assert response.status_code == 200
    response = note(signed_in, meeting_id, "action", {"text": "ok", "role": "r" * 121})
    assert response.status_code == 200
    assert outcomes_of(app, meeting_id) == []
    note(signed_in, meeting_id, "recurrence", {"text": "é" * OUTCOME_TEXT_MAX})
    (kept,) = outcomes_of(app, meeting_id)
    response = post(
        signed_in,
        f"/sessions/{meeting_id}/outcomes/{kept.id}/edit",
        {"kind": "recurrence", "items": [STATEMENT], "text": "court", "note": "n" * 281},
    )
    assert response.status_code == 200
    assert outcomes_of(app, meeting_id)[0].text == "é" * OUTCOME_TEXT_MAX


def test_an_edit_is_kept_in_the_history_with_its_note(app, signed_in, cycle):
    meeting_id = cycle(1)
    note(signed_in, meeting_id, "action", {"text": "Première idée", "role": "Tous"})
    (action,) = outcomes_of(app, meeting_id)
    edit = f"/sessions/{meeting_id}/outcomes/{action.id}/edit"
    form = text(signed_in.get(edit))
    assert "Première idée" in form and 'value="Tous"' in form
    response = post(
        signed_in,
        edit,
        {
            "kind": "action",
            "items": [STATEMENT],
            "text": "Idée reformulée",
            "role": "Tous",
            "due_session": "2",
            "note": "Reformulée avec le groupe",
        },
    )
    assert response.status_code == 302
    (action,) = outcomes_of(app, meeting_id)
    assert action.text == "Idée reformulée" and action.due_session == 2
    assert [r.fields for r in action.revisions] == [["created"], ["text", "due_session"]]
    assert action.revisions[1].note == "Reformulée avec le groupe"
    assert action.revisions[1].meeting_id == meeting_id
    assert "Reformulée avec le groupe" in text(signed_in.get(edit))
    # Unchanged and without a note: refused, no empty history line.
    post(
        signed_in,
        edit,
        {
            "kind": "action",
            "items": [STATEMENT],
            "text": "Idée reformulée",
            "role": "Tous",
            "due_session": "2",
        },
    )
    assert len(outcomes_of(app, meeting_id)[0].revisions) == 2
    # An outcome keeps its kind.
    post(signed_in, edit, {"kind": "solution", "text": "Autre", "note": "x"})
    assert outcomes_of(app, meeting_id)[0].kind == OutcomeKind.ACTION


def change_status(client, meeting_id, outcome_id, status, note_text=""):
    prefix = f"o{outcome_id}-"
    return client.post(
        f"/sessions/{meeting_id}/outcomes/{outcome_id}/status",
        data={
            f"{prefix}csrf_token": csrf_token(client),
            f"{prefix}status": status,
            f"{prefix}note": note_text,
        },
    )


def test_the_review_carries_updates_forward_across_three_sessions(app, signed_in, cycle):
    first = cycle(1)
    note(signed_in, first, "action", {"text": "Afficher les horaires", "role": "Accueil"})
    note(signed_in, first, "indicator", {"text": "Écart sur l'accueil", "target_direction": "down"})
    note(signed_in, first, "solution", {"text": "Binôme le lundi", "agreement": "consensus"})
    note(signed_in, first, "recurrence", {"text": "L'accueil, encore"})
    action, indicator, solution, recurrence = outcomes_of(app, first)

    # The session where they were decided has nothing to review.
    assert "Afficher les horaires" not in text(signed_in.get(f"/sessions/{first}/review"))

    second = cycle(2)
    review = text(signed_in.get(f"/sessions/{second}/review"))
    for outcome in (action, indicator, solution):
        assert outcome.text in review
    assert recurrence.text not in review
    assert "indicator-latest" in signed_in.get(f"/sessions/{second}/review").get_data(as_text=True)
    meeting_page = text(signed_in.get(f"/sessions/{second}"))
    assert "Afficher les horaires" in meeting_page and f"/sessions/{second}/review" in meeting_page

    response = change_status(signed_in, second, action.id, "in_progress", "Affiche commandée")
    assert response.status_code == 302
    change_status(signed_in, second, solution.id, "held", "Confirmée par tous")
    # A status that does not apply to the kind is refused.
    change_status(signed_in, second, indicator.id, "done")
    # Still listed in the session where it changed.
    assert "Binôme le lundi" in text(signed_in.get(f"/sessions/{second}/review"))

    third = cycle(3)
    review = text(signed_in.get(f"/sessions/{third}/review"))
    assert "Afficher les horaires" in review and "Affiche commandée" in review
    assert "Binôme le lundi" not in review  # confirmed: nothing left to confirm
    assert "Écart sur l'accueil" in review
    with app.app_context():
        kept = db.session.get(Outcome, action.id)
        assert kept.status == OutcomeStatus.IN_PROGRESS and kept.reviewed_in_id == second
        assert [(r.status, r.meeting_id, r.note) for r in kept.revisions] == [
            (OutcomeStatus.OPEN, first, ""),
            (OutcomeStatus.IN_PROGRESS, second, "Affiche commandée"),
        ]
        assert db.session.get(Outcome, indicator.id).status == OutcomeStatus.OPEN
        assert db.session.get(Outcome, solution.id).status == OutcomeStatus.HELD

    change_status(signed_in, third, action.id, "done", "Affiche posée")
    assert "Affiche posée" in text(signed_in.get(f"/sessions/{third}/review"))
    fourth = cycle(4)
    assert "Afficher les horaires" not in text(signed_in.get(f"/sessions/{fourth}/review"))
    # Its history keeps every step, whichever session shows it.
    history = text(signed_in.get(f"/sessions/{fourth}/outcomes/{action.id}/edit"))
    assert "Affiche commandée" in history and "Affiche posée" in history


def test_the_review_opens_projection_mode(app, signed_in, cycle):
    first = cycle(1)
    note(signed_in, first, "action", {"text": "Afficher les horaires"})
    note(signed_in, first, "solution", {"text": "Binôme le lundi"})
    second = cycle(2)
    slide_one = text(signed_in.get(f"/sessions/{second}/present"))
    assert "Afficher les horaires" in slide_one and "Binôme le lundi" not in slide_one
    slide_two = text(signed_in.get(f"/sessions/{second}/present?slide=2"))
    assert "Binôme le lundi" in slide_two
    slide_three = signed_in.get(f"/sessions/{second}/present?slide=3").get_data(as_text=True)
    assert 'class="agenda"' in slide_three
    # Without earlier outcomes, the agenda comes first as before.
    assert 'class="agenda"' in signed_in.get(f"/sessions/{first}/present").get_data(as_text=True)


def test_outcome_texts_are_escaped_on_every_page(app, signed_in, cycle):
    first = cycle(1)
    note(signed_in, first, "action", {"text": SCRIPT, "role": SCRIPT})
    note(signed_in, first, "indicator", {"text": SCRIPT, "indicator_item": STATEMENT})
    (action, _indicator) = outcomes_of(app, first)
    second = cycle(2)
    change_status(signed_in, second, action.id, "in_progress", SCRIPT)
    pages = [
        f"/sessions/{first}/outcomes",
        f"/sessions/{first}/outcomes/{action.id}/edit",
        f"/sessions/{second}/review",
        f"/sessions/{second}",
        f"/sessions/{second}/present",
        f"/sessions/{second}/present?slide=2",
    ]
    for url in pages:
        raw = signed_in.get(url).get_data(as_text=True)
        assert "<script>alert" not in raw, url
        assert "&lt;script&gt;alert(" in raw, url


def test_outcomes_of_another_group_or_a_later_session_are_not_found(
    app, client, cycle, make_facilitator, make_group, make_meeting
):
    first = cycle(1)
    second = cycle(2)
    owner = make_facilitator(email="owner2@example.org")
    login(client, owner, PASSWORD)
    mine = make_meeting(make_group(owner, name="Mon groupe")).id
    with app.app_context():
        meeting = db.session.get(Meeting, second)
        outcome = Outcome(meeting=meeting, kind=OutcomeKind.ACTION, text="Plus tard")
        db.session.add(outcome)
        db.session.commit()
        later_id = outcome.id
    # Another group's outcome, through one's own session: not found.
    assert client.get(f"/sessions/{mine}/outcomes/{later_id}/edit").status_code == 404
    assert change_status(client, mine, later_id, "done").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    with app.app_context():
        facilitator = db.session.get(Meeting, first).group.facilitators[0]
    login(client, facilitator, PASSWORD)
    # A later session's outcome, from an earlier session: not found either.
    assert client.get(f"/sessions/{first}/outcomes/{later_id}/edit").status_code == 404
    assert client.get(f"/sessions/{second}/outcomes/{later_id}/edit").status_code == 200
    with app.app_context():
        assert db.session.scalars(select(OutcomeRevision)).all() == []


def test_every_outcome_form_needs_its_csrf_token(app, signed_in, cycle):
    first = cycle(1)
    note(signed_in, first, "action", {"text": "Afficher les horaires"})
    (action,) = outcomes_of(app, first)
    second = cycle(2)
    signed_in.post(
        f"/sessions/{first}/outcomes/new?kind=recurrence",
        data={"kind": "recurrence", "text": "Sans jeton"},
    )
    signed_in.post(
        f"/sessions/{first}/outcomes/{action.id}/edit",
        data={"kind": "action", "text": "Sans jeton", "note": "x"},
    )
    signed_in.post(
        f"/sessions/{second}/outcomes/{action.id}/status",
        data={f"o{action.id}-status": "done", f"o{action.id}-note": "x"},
    )
    (action,) = outcomes_of(app, first)
    assert action.text == "Afficher les horaires" and action.status == OutcomeStatus.OPEN
    assert len(action.revisions) == 1
