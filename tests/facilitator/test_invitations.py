"""Invitation mode: single-use cards; the server knows whether a card was used, never for what."""

import re

import pytest
import segno
from sqlalchemy import func, inspect, select
from support import TOKEN, answer_all, post, text

from survey.extensions import db
from survey.models import Draft, Invitation, Meeting, Response


@pytest.fixture
def card_meeting(app, signed_in, facilitator, make_group):
    """An open invitation-only session, planned through the facilitator's form: (id, token)."""
    group = make_group(facilitator)
    response = post(
        signed_in,
        f"/groups/{group.id}/sessions/new",
        {
            "title": "Sur invitation",
            "date": "2027-01-14",
            "questionnaire": "standard",
            "invitation_only": "y",
        },
    )
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    post(signed_in, f"/sessions/{meeting_id}/open")
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.invitation_only
        return meeting_id, meeting.join_token, meeting.join_code


def print_cards(client, meeting_id, count) -> list[str]:
    page = text(post(client, f"/sessions/{meeting_id}/invitations", {"count": str(count)}))
    return re.findall(r'<p class="card-url">http://localhost(/i/[^<]+)</p>', page)


def test_cards_are_shown_once_and_only_their_hashes_kept(app, signed_in, card_meeting):
    meeting_id, _, _ = card_meeting
    cards = print_cards(signed_in, meeting_id, 3)
    assert len(cards) == 3 and len(set(cards)) == 3
    with app.app_context():
        stored = db.session.scalars(select(Invitation.token_hash)).all()
    tokens = [card.rsplit("/", 1)[1] for card in cards]
    assert len(stored) == 3 and not set(tokens) & set(stored)
    assert all(len(token) >= 22 for token in tokens)  # 128 bits
    assert "0 carte(s) utilisée(s) sur 3." in text(signed_in.get(f"/sessions/{meeting_id}"))


def test_the_shared_link_and_code_do_not_open_an_invitation_session(client, card_meeting):
    _, join_token, join_code = card_meeting
    assert "Ce code ne donne accès à aucun questionnaire." in text(
        post(client, "/join", {"code": join_code})
    )
    assert "Carte d'invitation nécessaire" in text(client.get(f"/j/{join_token}"))
    assert "Carte d'invitation nécessaire" in text(post(client, f"/j/{join_token}"))


def start_with_card(client, path):
    welcome = client.get(path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": TOKEN.search(welcome).group(1)})


def test_a_card_answers_once_and_is_forgotten(app, client, signed_in, card_meeting):
    meeting_id, join_token, _ = card_meeting
    (card,) = print_cards(signed_in, meeting_id, 1)
    assert start_with_card(client, card).headers["Location"] == f"/j/{join_token}/1"
    assert "Merci, vos réponses sont enregistrées" in text(answer_all(client, join_token))
    with app.app_context():
        assert db.session.scalar(select(Invitation.used)) is True
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0
        db.session.commit()  # release SQLite's write lock before inspecting on another connection
        columns = {c["name"] for c in inspect(db.engine).get_columns("response")}
        assert not any("invitation" in name for name in columns)
    again = app.test_client()
    assert "Vos réponses sont déjà enregistrées" in text(again.get(card))
    assert "1 carte(s) utilisée(s) sur 1." in text(signed_in.get(f"/sessions/{meeting_id}"))


def test_one_card_on_two_devices_gives_one_response(app, signed_in, card_meeting):
    meeting_id, join_token, _ = card_meeting
    (card,) = print_cards(signed_in, meeting_id, 1)
    phone, computer = app.test_client(), app.test_client()
    start_with_card(phone, card)
    start_with_card(computer, card)
    assert "Merci" in text(answer_all(phone, join_token))
    assert "Vos réponses sont déjà enregistrées" in text(answer_all(computer, join_token))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_a_card_of_a_full_group_is_refused_before_any_answer(app, signed_in, card_meeting):
    meeting_id, join_token, _ = card_meeting
    with app.app_context():
        db.session.get(Meeting, meeting_id).group.member_cap = 4  # its k is 4 too
        db.session.commit()
    *cards, spare = print_cards(signed_in, meeting_id, 5)
    for card in cards:
        browser = app.test_client()
        start_with_card(browser, card)
        assert "Merci" in text(answer_all(browser, join_token))
    late = app.test_client()
    page = text(late.get(spare))
    assert "Le groupe a reçu toutes ses réponses" in page
    assert "Aucun nouveau questionnaire ne peut être commencé" in page
    assert "Commencer" not in page
    assert "Le groupe a reçu toutes ses réponses" in text(post(late, spare))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0
        assert db.session.scalar(select(func.count()).select_from(Response)) == 4


def test_an_unknown_card(client, card_meeting):
    response = client.get("/i/not-a-real-card-token-at-all")
    assert response.status_code == 404
    assert "Carte non reconnue" in text(response)


def test_card_count_is_bounded(signed_in, card_meeting):
    meeting_id, _, _ = card_meeting
    response = post(signed_in, f"/sessions/{meeting_id}/invitations", {"count": "40"})
    assert "Entre 1 et 12 cartes à la fois." in text(signed_in.get(response.headers["Location"]))


def test_the_join_qr_code_encodes_the_join_link(
    app, signed_in, facilitator, make_group, make_meeting
):
    meeting = make_meeting(make_group(facilitator), status="open")
    token = meeting.join_token
    link = f"http://localhost/j/{token}"
    expected = segno.make(link, error="m").svg_inline(omitsize=True, title=link)
    page = signed_in.get(f"/sessions/{meeting.id}").get_data(as_text=True)
    assert expected in page
    assert expected.startswith('<svg viewBox="0 0 ')  # sized by CSS, never cropped by it
