"""A group addressed with « tu » reads « tu » on every participant page, and only such a group."""

import datetime as dt
import re

import pytest
from support import answer_page, page_token, start, text

from survey.extensions import db
from survey.models import Group, Invitation, Meeting
from survey.services import meetings, participation

#: « vous » words, and the « vous » imperatives of requests (« veuillez patienter »).
VOUS = re.compile(r"\b(vous|votre|vos|veuillez)\b", re.IGNORECASE)


def visible(response) -> str:
    """The text of a page's body, without its markup, scripts and hidden inputs."""
    body = text(response).split("<body", 1)[1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def walk(app, client, familiar: bool, monkeypatch) -> dict[str, str]:
    """Every participant page of a session with all modules: name -> visible text."""
    pages = {}
    with app.app_context():
        group = db.session.scalar(db.select(Group))
        group.familiar = familiar
        meeting = meetings.plan_meeting(
            group,
            title="Séance tu",
            date=dt.date(2027, 1, 7),
            modules=["task_map", "priorities", "self_evaluation"],
        )
        meetings.open_collection(meeting)
        db.session.commit()
        token, meeting_id = meeting.join_token, meeting.id
        count = len(meeting.snapshot["sections"]) if isinstance(meeting.snapshot, dict) else 7
    pages["welcome"] = visible(client.get(f"/j/{token}"))
    start(client, token)
    pages["resume offered"] = visible(client.get(f"/j/{token}"))
    saved = answer_page(client, token, 1, {}, action="save")
    pages["saved"] = visible(client.get(saved.headers["Location"]))
    number = 1
    while True:
        response = client.get(f"/j/{token}/{number}")
        if f"/{number}" not in response.request.path:
            break
        pages[f"page {number}"] = visible(response)
        if 'class="allocation"' in response.get_data(as_text=True):
            wrong = {"objectives__welcome_quality__mine": "60"}
            pages["errors"] = visible(answer_page(client, token, number, wrong))
        if 'value="submit"' in response.get_data(as_text=True):
            break
        number += 1
    assert number == count and "errors" in pages
    last = {"code-choice": "existing", "code-existing": ""}
    pages["code error"] = visible(answer_page(client, token, number, last, action="submit"))
    answers = {"code-choice": "new", "proposal": "Plus de temps d'équipe"}  # not an empty one
    thanks = answer_page(client, token, number, answers, action="submit")
    pages["thanks"] = visible(thanks)
    code = re.search(r'id="personal-code">([^<]+)<', thanks.get_data(as_text=True))[1]
    pages["already"] = visible(client.get(f"/j/{token}/1"))
    journal = client.get("/journal")
    token_field = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', journal.text)[1]
    pages["journal"] = visible(
        client.post("/journal", data={"csrf_token": token_field, "code": code})
    )
    with app.app_context():
        meetings.close_collection(db.session.get(Meeting, meeting_id))
        db.session.commit()
    pages["closed"] = visible(client.get(f"/j/{token}"))
    with app.app_context():
        meetings.open_collection(db.session.get(Meeting, meeting_id))
        db.session.commit()
    pages.update(full(app, token, monkeypatch))
    pages.update(edges(app, token, number))
    pages.update(cards(app, meeting_id))
    return pages


def edges(app, token: str, last: int) -> dict[str, str]:
    """Refusals met inside a session: nothing answered, an expired form, too many starts."""
    pages = {}
    browser = app.test_client()
    start(browser, token)
    empty = answer_page(browser, token, last, {"code-choice": "none"}, action="submit")
    pages["nothing to send"] = visible(browser.get(empty.headers["Location"]))
    expired = browser.post(f"/j/{token}", data={"csrf_token": "stale"})
    assert expired.status_code == 400
    pages["expired form"] = visible(expired)
    app.config["START_RATE_LIMIT"] = "1 per hour"
    assert start(app.test_client(), token).status_code == 302
    refused = start(app.test_client(), token)
    assert refused.status_code == 429
    pages["too many starts"] = visible(refused)
    app.config["START_RATE_LIMIT"] = "30 per hour"
    return pages


def cards(app, meeting_id: int) -> dict[str, str]:
    """An invitation card: its welcome, a draft resumed through it, the card once used; the
    join link without a card."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meeting.invitation_only = True
        card, used = meetings.create_invitations(meeting, 2)
        db.session.commit()
        token = meeting.join_token
    pages = {"card needed": visible(app.test_client().get(f"/j/{token}"))}
    browser = app.test_client()
    pages["card welcome"] = visible(browser.get(f"/i/{card}"))
    browser.post(f"/i/{card}", data={"csrf_token": page_token(browser, f"/i/{card}")})
    pages["card resume offered"] = visible(browser.get(f"/i/{card}"))
    with app.app_context():
        db.session.scalar(db.select(Invitation).where(Invitation.used.is_(False))).used = True
        db.session.commit()
    other = app.test_client()
    pages["card used"] = visible(other.get(f"/i/{used}")) + visible(other.get(f"/i/{card}"))
    return pages


def full(app, token: str, monkeypatch) -> dict[str, str]:
    """The page of a session with as many answers as members, before and after starting."""
    started = app.test_client()
    start(started, token)
    with monkeypatch.context() as patch:
        patch.setattr(participation, "is_full", lambda meeting: True)
        return {
            "full": visible(app.test_client().get(f"/j/{token}")),
            "full, started": visible(started.get(f"/j/{token}/1")),
        }


@pytest.mark.parametrize("familiar", [True, False], ids=["tu", "vous"])
def test_a_familiar_group_reads_tu_everywhere(
    app, client, facilitator, make_group, familiar, monkeypatch
):
    make_group(facilitator)
    pages = walk(app, client, familiar, monkeypatch)
    assert "Le groupe a reçu toutes ses réponses" in pages["full"]
    assert "Trop de tentatives" in pages["too many starts"]
    if familiar:
        found = {name: VOUS.findall(page) for name, page in pages.items() if VOUS.search(page)}
        context = {
            name: [page[max(0, m.start() - 60) : m.end() + 20] for m in VOUS.finditer(page)][:3]
            for name, page in pages.items()
        }
        assert not found, {name: context[name] for name in found}
    else:
        plain = ("welcome", "saved", "thanks", "page 1", "code error", "full", "card needed")
        refusals = ("nothing to send", "expired form", "too many starts")
        for name in plain + refusals:
            assert VOUS.search(pages[name]), name
