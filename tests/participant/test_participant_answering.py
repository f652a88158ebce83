"""Answering over HTTP for everyone: errors tied to their questions, clearing an answer,
the resume link after a save, a fresh start on a shared computer."""

import datetime as dt
import re

import pytest
from sqlalchemy import func, select
from support import answer_all, answer_page, page_token, start, text

from survey.extensions import db
from survey.models import Draft, Response

BANNER = "Certaines réponses de cette page demandent votre attention."


@pytest.fixture
def open_meeting(app, facilitator, make_group, make_meeting):
    """An open session: (join token, id)."""
    meeting = make_meeting(make_group(facilitator), status="open")
    return meeting.join_token, meeting.id


def drafts(app) -> list[dict]:
    with app.app_context():
        return [d.data for d in db.session.scalars(select(Draft))]


def test_an_answer_can_be_cleared_without_javascript(app, client, open_meeting):
    token, _ = open_meeting
    start(client, token)
    given = {"overall_gap": "7", "activities__welcome_direct__actual": "4"}
    answer_page(client, token, 1, given, action="save")
    page = client.get(f"/j/{token}/1").get_data(as_text=True)
    assert re.search(r'<button[^>]*name="clear"[^>]*value="overall_gap"', page)
    url = f"/j/{token}/1"
    response = client.post(
        url, data={"csrf_token": page_token(client, url), "clear": "overall_gap", **given}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{token}/1#q-overall_gap")
    (data,) = drafts(app)
    assert "overall_gap" not in data
    assert data["activities__welcome_direct__actual"] == ["4"]
    assert not re.search(r'checked id="overall_gap-', client.get(url).get_data(as_text=True))


def test_errors_are_summarised_and_tied_to_their_fields(
    app, client, facilitator, make_group, make_meeting
):
    group = make_group(facilitator)
    token = make_meeting(
        group, "Avec priorités", dt.date(2027, 1, 7), "open", modules=["priorities"]
    ).join_token
    start(client, token)
    response = answer_page(client, token, 3, {"objectives__welcome_quality__mine": "60"})
    page = text(response)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary and BANNER in summary[0]
    assert 'href="#q-objectives"' in summary[0]
    field = re.search(r'<input[^>]*id="objectives__welcome_quality__mine"[^>]*>', page)[0]
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field)[1].split()
    for error_id in described:
        assert f'id="{error_id}"' in page
    assert any("les points font 60 au lieu de 100" in _error(page, i) for i in described)


def _error(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', page, re.S)
    return found[1] if found else ""


def test_a_malformed_personal_code_shows_the_banner_and_its_field(client, open_meeting):
    token, _ = open_meeting
    start(client, token)
    page = text(answer_all(client, token, code="existing", last={"code-existing": "123"}))
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary and 'href="#code-existing"' in summary[0]
    field = re.search(r'<input[^>]*id="code-existing"[^>]*>', page)[0]
    assert 'aria-invalid="true"' in field and "aria-describedby=" in field


def test_an_empty_existing_personal_code_is_refused(app, client, open_meeting):
    token, _ = open_meeting
    start(client, token)
    response = answer_all(client, token, code="existing", last={"code-existing": ""})
    page = text(response)
    assert response.status_code == 200
    assert "Saisissez votre code personnel, ou choisissez une autre option." in page
    assert BANNER in page
    assert "Ces réponses sont reliées à votre code personnel" not in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_the_resume_link_is_shown_with_the_save_confirmation(client, open_meeting):
    token, _ = open_meeting
    start(client, token)
    response = answer_page(client, token, 1, {"overall_gap": "5"}, action="save")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    saved = re.search(r'<section class="saved-notice".*?</section>', page, re.S)
    assert saved, "the save is confirmed in a block of its own"
    assert re.search(r'value="http://localhost/r/[^"]+"', saved[0])
    assert "copy-link" in saved[0]
    assert "<details" not in page.split('class="saved-notice"')[0]
    # Without a save, the link stays out of the way.
    assert 'class="saved-notice"' not in client.get(f"/j/{token}/1").get_data(as_text=True)


def test_a_second_person_can_start_afresh_on_a_shared_computer(app, client, open_meeting):
    token, _ = open_meeting
    start(client, token)
    answer_page(client, token, 1, {"overall_gap": "5"}, action="save")
    welcome = text(client.get(f"/j/{token}"))
    assert "Reprendre mes réponses" in welcome
    assert "Commencer un nouveau questionnaire" in welcome
    response = client.post(
        f"/j/{token}", data={"csrf_token": page_token(client, f"/j/{token}"), "fresh": "1"}
    )
    assert response.headers["Location"] == f"/j/{token}/1"
    # The first person's draft is kept, for their resume link.
    assert sorted(drafts(app), key=len) == [{}, {"overall_gap": ["5"]}]
    assert 'checked id="overall_gap-5"' not in client.get(f"/j/{token}/1").get_data(as_text=True)
