"""Sessions: plan, edit, open and close collection, reopen, delete."""

import datetime as dt
import re

from support import post, text

from survey.extensions import db
from survey.models import Meeting, MeetingStatus
from survey.services.meetings import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH


def get_meeting(app, meeting_id) -> Meeting:
    with app.app_context():
        return db.session.get(Meeting, meeting_id)


def test_plan_a_session(app, signed_in, facilitator, make_group):
    group = make_group(facilitator)
    response = post(
        signed_in,
        f"/groups/{group.id}/sessions/new",
        {"title": "Séance 1", "date": "2026-12-03", "questionnaire": "standard"},
    )
    assert response.status_code == 302
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    meeting = get_meeting(app, meeting_id)
    assert (meeting.title, meeting.date, meeting.status) == (
        "Séance 1",
        dt.date(2026, 12, 3),
        MeetingStatus.DRAFT,
    )
    assert meeting.join_code is None
    page = text(signed_in.get(f"/groups/{group.id}"))
    assert "jeudi 3 décembre 2026" in page and "En préparation" in page


def test_a_session_needs_a_title_and_a_real_date(app, signed_in, facilitator, make_group):
    group = make_group(facilitator)
    response = post(
        signed_in, f"/groups/{group.id}/sessions/new", {"title": " ", "date": "2026-02-31"}
    )
    page = text(response)
    assert "Donnez un titre à la séance." in page
    assert re.search(r'<p class="error" id="date-error">N\'est pas une date valide.</p>', page)
    with app.app_context():
        assert db.session.scalars(db.select(Meeting)).all() == []


def test_edit_a_session(app, signed_in, facilitator, make_group, make_meeting):
    meeting_id = make_meeting(make_group(facilitator)).id
    response = post(
        signed_in,
        f"/sessions/{meeting_id}/edit",
        {"title": "Séance de janvier", "date": "2027-01-14", "questionnaire": "standard"},
    )
    assert response.status_code == 302
    meeting = get_meeting(app, meeting_id)
    assert (meeting.title, meeting.date) == ("Séance de janvier", dt.date(2027, 1, 14))


def test_open_close_and_reopen_collection(app, signed_in, facilitator, make_group, make_meeting):
    meeting_id = make_meeting(make_group(facilitator)).id

    post(signed_in, f"/sessions/{meeting_id}/open")
    meeting = get_meeting(app, meeting_id)
    assert meeting.status == MeetingStatus.OPEN
    code = meeting.join_code
    assert len(code) == JOIN_CODE_LENGTH and set(code) <= set(JOIN_CODE_ALPHABET)
    page = text(signed_in.get(f"/sessions/{meeting_id}"))
    assert "Le recueil des réponses est ouvert." in page
    assert code in page and "Recueil en cours" in page

    again = post(signed_in, f"/sessions/{meeting_id}/open")
    assert "Le recueil est déjà ouvert." in text(signed_in.get(again.headers["Location"]))

    post(signed_in, f"/sessions/{meeting_id}/close")
    assert get_meeting(app, meeting_id).status == MeetingStatus.CLOSED
    page = text(signed_in.get(f"/sessions/{meeting_id}"))
    assert "Recueil clos" in page and code not in page

    post(signed_in, f"/sessions/{meeting_id}/open")
    reopened = get_meeting(app, meeting_id)
    assert reopened.status == MeetingStatus.OPEN
    assert reopened.join_code == code  # printed codes and QR sheets keep working


def test_closing_a_session_that_is_not_open_is_refused(
    app, signed_in, facilitator, make_group, make_meeting
):
    meeting = make_meeting(make_group(facilitator))
    response = post(signed_in, f"/sessions/{meeting.id}/close")
    assert "Le recueil n'est pas ouvert." in text(signed_in.get(response.headers["Location"]))
    assert get_meeting(app, meeting.id).status == MeetingStatus.DRAFT


def test_join_codes_are_unique(app, facilitator, make_group, make_meeting):
    group = make_group(facilitator)
    codes = [make_meeting(group, title=f"S{i}", status="open").join_code for i in range(20)]
    assert len(set(codes)) == 20


def test_a_session_in_any_state_can_be_deleted(
    app, signed_in, facilitator, make_group, make_meeting
):
    """Issue 15: a facilitator deletes a session whatever its state (its answers with it, see
    test_lifecycle.py), after a confirmation that names what goes."""
    group = make_group(facilitator)
    for status in ("draft", "open", "closed"):
        meeting_id = make_meeting(group, status=status).id
        response = post(signed_in, f"/sessions/{meeting_id}/delete")
        assert response.headers["Location"] == f"/groups/{group.id}"
        assert get_meeting(app, meeting_id) is None, status


def test_state_changes_refuse_get(app, signed_in, facilitator, make_group, make_meeting):
    meeting = make_meeting(make_group(facilitator))
    for action in ("open", "close"):
        assert signed_in.get(f"/sessions/{meeting.id}/{action}").status_code == 405
    # Deleting answers GET with its confirmation, and deletes nothing.
    assert signed_in.get(f"/sessions/{meeting.id}/delete").status_code == 200
    assert get_meeting(app, meeting.id) is not None


def test_deleting_a_session_asks_for_confirmation_first(
    app, signed_in, facilitator, make_group, make_meeting
):
    group = make_group(facilitator)
    meeting = make_meeting(group, title="Séance à oublier", date=dt.date(2027, 3, 4))
    confirm_url = f"/sessions/{meeting.id}/delete"
    session_page = signed_in.get(f"/sessions/{meeting.id}").get_data(as_text=True)
    assert f'<a class="button danger" href="{confirm_url}">Supprimer la séance</a>' in session_page
    assert f'action="{confirm_url}"' not in session_page

    page = text(signed_in.get(confirm_url))
    assert "Supprimer la séance «\u00a0Séance à oublier\u00a0»\u00a0?" in page
    assert "4 mars 2027" in page
    assert "La séance du 4 mars 2027 sera supprimée, avec tout ce qu'elle contient" in page
    assert "0 réponse, avec tout son contenu" in page
    assert "C'est irréversible." in page
    form = re.search(rf'<form method="post" action="{confirm_url}"[^>]*>(.*?)</form>', page, re.S)
    assert 'name="csrf_token"' in form[1]
    assert '<button type="submit" class="button danger">Supprimer la séance</button>' in form[1]
    assert f'<a class="button" href="/sessions/{meeting.id}">Annuler</a>' in page
    assert get_meeting(app, meeting.id) is not None

    assert signed_in.post(confirm_url).status_code == 400  # no CSRF token
    assert get_meeting(app, meeting.id) is not None
    response = post(signed_in, confirm_url)
    assert response.headers["Location"] == f"/groups/{group.id}"
    assert get_meeting(app, meeting.id) is None


def test_a_session_that_collected_answers_offers_deletion_after_a_confirmation(
    app, signed_in, facilitator, make_group, make_meeting
):
    closed = make_meeting(make_group(facilitator), status="closed").id
    assert "Supprimer la séance" in text(signed_in.get(f"/sessions/{closed}"))
    confirmation = signed_in.get(f"/sessions/{closed}/delete")
    assert confirmation.status_code == 200
    assert "C'est irréversible." in text(confirmation)
    assert get_meeting(app, closed) is not None
