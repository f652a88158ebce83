"""A group addressed with « tu » reads « tu » on every participant page, and only such a group."""

import datetime as dt
import re

import pytest
from support import answer_page, start, text

from survey.extensions import db
from survey.models import Group, Meeting
from survey.services import meetings

VOUS = re.compile(r"\b(vous|votre|vos)\b", re.IGNORECASE)


def visible(response) -> str:
    """The text of a page's body, without its markup, scripts and hidden inputs."""
    body = text(response).split("<body", 1)[1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def walk(app, client, familiar: bool) -> dict[str, str]:
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
    return pages


@pytest.mark.parametrize("familiar", [True, False], ids=["tu", "vous"])
def test_a_familiar_group_reads_tu_everywhere(app, client, facilitator, make_group, familiar):
    make_group(facilitator)
    pages = walk(app, client, familiar)
    if familiar:
        found = {name: VOUS.findall(page) for name, page in pages.items() if VOUS.search(page)}
        context = {
            name: [page[max(0, m.start() - 60) : m.end() + 20] for m in VOUS.finditer(page)][:3]
            for name, page in pages.items()
        }
        assert not found, {name: context[name] for name in found}
    else:
        for name in ("welcome", "saved", "thanks", "page 1", "code error"):
            assert VOUS.search(pages[name]), name
