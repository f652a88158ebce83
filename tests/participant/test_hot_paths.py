"""The participant's busiest requests send each statement they need once: no lazy load, no row
read twice. The statements are counted as the database receives them, on both databases."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from support import TOKEN, answer_page, start

from survey.extensions import db

TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE)\s+\"?(\w+)", re.IGNORECASE)


@contextmanager
def statements(app):
    """The statements sent meanwhile, each as « VERB table » (transaction control left out)."""
    sent = []

    def record(_conn, _cursor, statement, *_args):
        verb = statement.split(None, 1)[0].upper()
        if verb in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            sent.append(f"{verb} {TABLE.search(statement)[1]}")

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def answering(app, client, facilitator, make_group, make_meeting):
    group = make_group(facilitator, member_cap=5)
    meeting = make_meeting(group, status="open")
    start(client, meeting.join_token)
    return meeting.join_token


# What every participant page reads: the session with its group and establishments (one
# query), this browser's draft, and how many responses the session has (is it full?).
READS = ["SELECT meeting", "SELECT draft", "SELECT submission"]


def test_a_page_of_questions_reads_the_session_the_draft_and_the_count_once(app, client, answering):
    client.get(f"/j/{answering}/1")  # the questionnaire's form classes are built once
    with statements(app) as sent:
        assert client.get(f"/j/{answering}/1").status_code == 200
    assert sent == READS


def test_a_saved_page_reads_its_draft_again_only_under_the_write_lock(app, client, answering):
    """The page is merged into the draft as it is when the write begins (another tab may have
    saved another page since it was read), then written in one statement."""
    url = f"/j/{answering}/1"
    token = TOKEN.search(client.get(url).get_data(as_text=True))[1]
    with statements(app) as sent:
        saved = client.post(url, data={"csrf_token": token, "action": "next", "overall_gap": "6"})
    assert saved.status_code == 302
    assert sent == [*READS, "SELECT draft", "UPDATE draft"]


def test_a_submission_writes_its_answers_in_one_statement(app, client, answering):
    """Under the session's lock: the session and the draft (locked), the count of responses,
    then the ledger line, the response, the draft's deletion and every answer in one insert."""
    for page in (1, 2, 3):
        answer_page(client, answering, page, {"overall_gap": "6"} if page == 1 else {})
    url = f"/j/{answering}/4"
    token = TOKEN.search(client.get(url).get_data(as_text=True))[1]
    with statements(app) as sent:
        sent_page = client.post(
            url, data={"csrf_token": token, "action": "submit", "code-choice": "none"}
        )
    assert sent_page.status_code == 200 and "Merci" in sent_page.get_data(as_text=True)
    assert sent == [
        *READS,
        "SELECT meeting",
        "SELECT draft",
        "SELECT submission",
        "INSERT submission",
        "INSERT response",
        "DELETE draft",
        "INSERT answer",
    ]
