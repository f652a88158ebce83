"""Rate limits count what an attacker spends (wrong codes, new drafts), never a room of members.

Test clients all come from 127.0.0.1: one address, like a room's Wi-Fi or an office's NAT.
"""

import logging
import re
import runpy
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from support import ROOT, TOKEN, answer_all, post, start, text

from survey.errors import wait_message
from survey.extensions import db
from survey.limits import per_worker_storage_warning
from survey.models import Meeting
from survey.services import meetings


@pytest.fixture
def room(app, facilitator, make_group, make_meeting):
    """An open session of a group of 12: (join code, join token)."""
    meeting_id = make_meeting(make_group(facilitator), status="open").id
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        return meeting.join_code, meeting.join_token


def elsewhere(number: int) -> dict:
    """Request options for a client at another address."""
    return {"environ_overrides": {"REMOTE_ADDR": f"10.0.{number // 250}.{number % 250 + 1}"}}


def test_twelve_members_typing_the_right_code_from_one_address_all_join(app, room):
    code, token = room
    for _ in range(12):
        response = post(app.test_client(), "/join", {"code": code})
        assert response.status_code == 302
        assert response.headers["Location"] == f"/j/{token}"


def test_wrong_codes_still_run_out_per_address_and_right_ones_spend_nothing(app, room):
    code, _ = room
    client = app.test_client()
    for _ in range(5):
        assert post(client, "/join", {"code": code}).status_code == 302
    for _ in range(10):
        assert post(client, "/join", {"code": "ZZZZZZ"}).status_code == 200
    assert post(client, "/join", {"code": "ZZZZZZ"}).status_code == 429
    assert post(client, "/join", {"code": code}).status_code == 429
    # Another address is not concerned.
    assert post(client, "/join", {"code": code}, **elsewhere(1)).status_code == 302


def test_wrong_codes_run_out_across_addresses_too(app, room):
    """Many addresses (a botnet) share one budget of wrong codes, JOIN_GLOBAL_RATE_LIMIT."""
    code, token = room
    assert app.config["JOIN_GLOBAL_RATE_LIMIT"] == "30 per minute;300 per hour"
    client = app.test_client()
    for number in range(30):
        assert post(client, "/join", {"code": "ZZZZZZ"}, **elsewhere(number)).status_code == 200
    assert post(client, "/join", {"code": "ZZZZZZ"}, **elsewhere(99)).status_code == 429
    # A refusal never tells a right code from a wrong one, so the right one waits too...
    assert post(client, "/join", {"code": code}, **elsewhere(98)).status_code == 429
    # ...but the session's link and QR code still open it.
    assert start(app.test_client(), token, **elsewhere(97)).status_code == 302


def test_a_correct_personal_code_spends_nothing_and_wrong_ones_run_out(app, room):
    _, token = room
    client = app.test_client()
    start(client, token)
    thanks = text(answer_all(client, token, code="new"))
    code = re.search(r'id="personal-code">([^<]+)<', thanks)[1]
    for _ in range(12):
        page = post(app.test_client(), "/journal", {"code": code})
        assert page.status_code == 200 and "journal-entry" in text(page)
    for _ in range(10):
        assert post(client, "/journal", {"code": "lilas-phare-tortue-moulin-00"}).status_code == 200
    assert post(client, "/journal", {"code": code}).status_code == 429


def test_resuming_a_draft_never_spends_the_start_limit(app, room):
    """« Reprendre mes réponses en cours », clicked 30 times, then a colleague on the same PC."""
    _, token = room
    client = app.test_client()
    start(client, token)
    for _ in range(30):
        response = start(client, token)
        assert response.status_code == 302
        assert response.headers["Location"] == f"/j/{token}/1"
    colleague = app.test_client()
    assert start(colleague, token).status_code == 302


def test_new_drafts_run_out_and_the_page_says_how_long_to_wait(app, room):
    _, token = room
    app.config["START_RATE_LIMIT"] = "3 per hour"
    for _ in range(3):
        assert start(app.test_client(), token).status_code == 302
    refused = start(app.test_client(), token)
    assert refused.status_code == 429
    assert 3590 <= int(refused.headers["Retry-After"]) <= 3600
    page = text(refused)
    assert "Veuillez patienter environ une heure avant de réessayer." in page
    assert "une minute" not in page

    english = app.test_client()
    with english.session_transaction() as session:
        session["lang"] = "en"
    page = text(start(english, token))
    assert "Please wait about an hour before trying again." in page


@pytest.mark.parametrize(
    ("seconds", "french", "english"),
    [
        (20, "une minute", "a minute"),
        (59, "une minute", "a minute"),
        (61, "2\u00a0minutes", "2 minutes"),
        (25 * 60, "25\u00a0minutes", "25 minutes"),
        (3599, "environ une heure", "about an hour"),
        (2 * 3600 - 30, "environ 2\u00a0heures", "about 2 hours"),
    ],
)
def test_the_wait_is_said_in_words(app, seconds, french, english):
    with app.test_request_context():
        with force_locale("fr"):
            assert french in str(wait_message(seconds))
        with force_locale("en"):
            assert english in str(wait_message(seconds))


def test_the_invitation_card_page_spends_the_start_limit_only_for_new_drafts(app, room):
    _, token = room
    app.config["START_RATE_LIMIT"] = "1 per hour"
    with app.app_context():
        meeting = db.session.scalar(db.select(Meeting).where(Meeting.join_token == token))
        (card,) = meetings.create_invitations(meeting, 1)
        db.session.commit()
    client = app.test_client()
    for _ in range(5):
        page = client.get(f"/i/{card}").get_data(as_text=True)
        response = client.post(f"/i/{card}", data={"csrf_token": TOKEN.search(page).group(1)})
        assert response.status_code == 302


def test_several_workers_with_counters_in_memory_are_warned_about(make_app, caplog):
    """gunicorn.conf.py warns once, from the first worker, when each worker counts alone."""
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    logger = logging.getLogger("test.gunicorn.error")

    def worker(app, workers, age=1):
        return SimpleNamespace(age=age, wsgi=app, cfg=SimpleNamespace(workers=workers), log=logger)

    in_memory = make_app()
    shared = SimpleNamespace(config={"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"})
    with caplog.at_level(logging.WARNING, logger=logger.name):
        hooks["post_worker_init"](worker(in_memory, 4))
        hooks["post_worker_init"](worker(in_memory, 4, age=2))  # said once is enough
        hooks["post_worker_init"](worker(in_memory, 1))
        hooks["post_worker_init"](worker(shared, 4))
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert "4 workers" in message and "SURVEY_RATELIMIT_STORAGE" in message
    assert "4 times" in message
    assert per_worker_storage_warning(in_memory, 1) is None
    assert per_worker_storage_warning(shared, 4) is None


def test_the_wait_follows_the_limit_that_was_hit(app, room):
    """A per-minute limit says a minute, not an hour."""
    code, _ = room
    client = app.test_client()
    for _ in range(10):
        post(client, "/join", {"code": "ZZZZZZ"})
    blocked = post(client, "/join", {"code": "ZZZZZZ"})
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) <= 60
    assert "Veuillez patienter une minute avant de réessayer." in text(blocked)
