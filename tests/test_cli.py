"""The create-facilitator and demo commands."""

import re

import pytest
from sqlalchemy import func, select
from support import post

from survey.extensions import db
from survey.kinds.form import AnswerValue
from survey.models import Facilitator, Group, Meeting, MeetingStatus
from survey.services import meetings, participation


def facilitator_named(app, email):
    with app.app_context():
        return db.session.scalar(select(Facilitator).where(Facilitator.email == email))


def test_create_facilitator_with_password(app, runner):
    result = runner.invoke(
        args=["create-facilitator", "Alex@Example.org", "--password", "a long passphrase"]
    )
    assert result.exit_code == 0, result.output
    assert "alex@example.org" in result.output
    created = facilitator_named(app, "alex@example.org")
    assert created.check_password("a long passphrase")
    assert "a long passphrase" not in created.password_hash


def test_create_facilitator_prompts_for_the_password(app, runner):
    result = runner.invoke(
        args=["create-facilitator", "sam@example.org"],
        input="a long passphrase\na long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert facilitator_named(app, "sam@example.org").check_password("a long passphrase")


def test_create_facilitator_refuses_bad_input(app, runner):
    short = runner.invoke(args=["create-facilitator", "a@example.org", "--password", "short"])
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    not_email = runner.invoke(args=["create-facilitator", "nobody", "--password", "long enough!"])
    assert not_email.exit_code != 0 and "not an email address" in not_email.output
    runner.invoke(args=["create-facilitator", "b@example.org", "--password", "long enough!"])
    again = runner.invoke(
        args=["create-facilitator", "B@example.org", "--password", "long enough!"]
    )
    assert again.exit_code != 0 and "already exists" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Facilitator.id))) == 1


def test_demo_prints_working_credentials_and_is_idempotent(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo"])
    lines = dict(
        line.strip().split(":", 1) for line in second.output.splitlines() if line.startswith("  ")
    )
    email, password = lines["email"].strip(), lines["password"].strip()

    with app.app_context():
        assert db.session.scalar(select(func.count(Group.id))) == 1
        assert db.session.scalar(select(func.count(Meeting.id))) == 4  # three past, one open

    client = app.test_client()
    response = post(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302
    assert "Accueil des publics" in client.get("/groups").text


@pytest.mark.parametrize(
    ("email", "password", "reason"),
    [
        ("a@example.org", "1234567890", "one of the most common passwords"),
        ("a@example.org", "AZERTYUIOP", "one of the most common passwords"),
        ("a@example.org", "motdepasse2024!", "one of the most common passwords"),
        ("a@example.org", "Password123", "one of the most common passwords"),
        ("dominique.martin@example.org", "Dominique.Martin", "your email address"),
        ("dominique.martin@example.org", "dominique.martin@example.org", "your email address"),
        ("dominique.martin@example.org", "dominique.martin2024", "your email address"),
        ("a@example.org", " " * 12, "only spaces"),
        ("a@example.org", "\t \u00a0" * 4, "only spaces"),
    ],
)
def test_create_facilitator_refuses_guessable_passwords(app, runner, email, password, reason):
    result = runner.invoke(args=["create-facilitator", email, "--password", password])
    assert result.exit_code != 0
    assert reason in result.output
    assert facilitator_named(app, email) is None


def test_the_password_is_checked_against_the_email_whatever_the_order(app, runner):
    """The email is known to the check even when --password comes first on the command line."""
    result = runner.invoke(
        args=["create-facilitator", "--password", "sam@example.org", "sam@example.org"]
    )
    assert result.exit_code != 0 and "your email address" in result.output


def test_a_refused_prompted_password_is_asked_again(app, runner):
    result = runner.invoke(
        args=["create-facilitator", "sam@example.org"],
        input="azertyuiop\nazertyuiop\na long passphrase\na long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "one of the most common passwords" in result.output
    assert facilitator_named(app, "sam@example.org").check_password("a long passphrase")


def printed_join_code(result) -> str:
    assert result.exit_code == 0, result.output
    return re.search(r"Open demo session, join code: (\w+)", result.output)[1]


def answer(app, join_code, count):
    """``count`` members of the demo group answer the session of this join code."""
    with app.app_context():
        meeting = db.session.scalar(select(Meeting).where(Meeting.join_code == join_code))
        for _ in range(count):
            draft, _ = participation.start_draft(meeting)
            participation.submit(meeting, draft.id, [AnswerValue("overall_gap", "", 5)], None)
        db.session.commit()


def test_demo_always_prints_an_open_session_with_room_left(app, runner):
    """The demo group has 12 members and k = 4: a printed session leaves room for k answers."""
    code = printed_join_code(runner.invoke(args=["demo"]))
    answer(app, code, 8)
    assert printed_join_code(runner.invoke(args=["demo"])) == code  # 4 places left: enough
    answer(app, code, 1)
    fresh = printed_join_code(runner.invoke(args=["demo"]))
    assert fresh != code
    assert printed_join_code(runner.invoke(args=["demo"])) == fresh
    with app.app_context():
        meeting = db.session.scalar(select(Meeting).where(Meeting.join_code == fresh))
        assert meeting.status == MeetingStatus.OPEN and not meeting.invitation_only
        assert meeting.title == "Séance 5 — Travail prescrit, travail réel"
        assert participation.submitted_count(meeting) == 0
        assert db.session.scalar(select(func.count(Meeting.id))) == 5
        # The previous one stays open: whoever was answering it can still send.
        assert (
            db.session.scalar(select(Meeting.status).where(Meeting.join_code == code))
            == MeetingStatus.OPEN
        )
    assert post(app.test_client(), "/join", {"code": fresh}).status_code == 302


def test_demo_opens_a_session_when_none_is_open(app, runner):
    code = printed_join_code(runner.invoke(args=["demo"]))
    with app.app_context():
        meetings.close_collection(
            db.session.scalar(select(Meeting).where(Meeting.join_code == code))
        )
        db.session.commit()
    fresh = printed_join_code(runner.invoke(args=["demo"]))
    assert fresh != code
    assert post(app.test_client(), "/join", {"code": fresh}).status_code == 302
