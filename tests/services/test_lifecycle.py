"""The data's whole life: deleting a session or a group leaves no row behind, answers go when a
group's retention period ends, and a backup of a live SQLite database is whole."""

import datetime as dt
import sqlite3
import threading

import pytest
from sqlalchemy import func, select
from support import PASSWORD, login, post, text

from survey import create_app
from survey.demo import seed_group
from survey.extensions import db
from survey.models import Facilitator, Group, Meeting, MeetingStatus, Outcome, OutcomeKind
from survey.services import lifecycle, meetings

TODAY = dt.date.today()  # the purge command reads the real date


def row_counts() -> dict[str, int]:
    """Rows in every table of the schema."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def orphans() -> dict[str, int]:
    """Rows whose foreign key points to no row, by table and column (none may exist)."""
    found = {}
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            parent = fk.column
            missing = db.session.scalar(
                select(func.count())
                .select_from(table)
                .where(
                    fk.parent.is_not(None),
                    ~select(parent).where(parent == fk.parent).exists(),
                )
            )
            if missing:
                found[f"{table.name}.{fk.parent.name}"] = missing
    return found


def seeded(app, owner_id: int) -> int:
    """The demo group (three answered and shown sessions, one open with room, eight outcomes)
    with one more outcome and printed cards; returns its id."""
    with app.app_context():
        group = seed_group(db.session.get(Facilitator, owner_id), today=TODAY)
        closed = next(m for m in group.meetings if m.status == MeetingStatus.CLOSED)
        db.session.add(Outcome(meeting=closed, kind=OutcomeKind.ACTION, text="Un créneau"))
        meetings.create_invitations(closed, 3)
        db.session.commit()
        return group.id


@pytest.fixture
def owner(make_facilitator):
    return make_facilitator(email="owner@example.org")


def test_deleting_a_group_leaves_no_row_of_it_in_any_table(app, owner):
    other_group = seeded(app, owner.id)  # stays untouched
    with app.app_context():
        before = row_counts()
    doomed = seeded(app, owner.id)
    with app.app_context():
        group = db.session.get(Group, doomed)
        losses = lifecycle.losses_of(list(group.meetings))
        assert losses.sessions == 4 and losses.responses == 27 and losses.outcomes == 10
        lifecycle.delete_group(group, db.session.get(Facilitator, owner.id))
        db.session.commit()
        assert row_counts() == before
        assert orphans() == {}
        assert db.session.get(Group, other_group) is not None


def test_deleting_a_session_in_any_state_leaves_no_row_of_it(app, owner):
    group_id = seeded(app, owner.id)
    with app.app_context():
        group = db.session.get(Group, group_id)
        by_status = {m.status: m.id for m in group.meetings}
        assert set(by_status) == {MeetingStatus.CLOSED, MeetingStatus.OPEN}
    for meeting_id in by_status.values():
        with app.app_context():
            before = row_counts()
            meeting = db.session.get(Meeting, meeting_id)
            losses = lifecycle.losses_of([meeting])
            lifecycle.delete_meeting(meeting)
            db.session.commit()
            after = row_counts()
            assert after["meeting"] == before["meeting"] - 1
            assert after["response"] == before["response"] - losses.responses
            assert after["invitation"] == before["invitation"] - losses.cards
            assert after["outcome"] == before["outcome"] - losses.outcomes
            assert orphans() == {}


def test_the_confirmation_names_what_goes_and_only_the_owner_deletes_a_group(
    app, client, owner, make_facilitator
):
    group_id = seeded(app, owner.id)
    helper = make_facilitator(email="helper@example.org")
    with app.app_context():
        group = db.session.get(Group, group_id)
        group.facilitators.append(db.session.get(Facilitator, helper.id))
        db.session.commit()

    login(client, helper, PASSWORD)
    refused = post(client, f"/groups/{group_id}/delete")
    assert refused.status_code == 302
    assert "Seule la personne responsable du groupe peut le supprimer" in text(
        client.get(refused.headers["Location"])
    )
    with app.app_context():
        assert db.session.get(Group, group_id) is not None

    owner_client = app.test_client()
    login(owner_client, owner, PASSWORD)
    page = text(owner_client.get(f"/groups/{group_id}/delete"))
    assert (
        "4 séances" in page
        and "27 réponses" in page
        and "10 éléments retenus par le groupe" in page
    )
    done = post(owner_client, f"/groups/{group_id}/delete")
    assert done.headers["Location"].endswith("/groups")
    with app.app_context():
        assert db.session.get(Group, group_id) is None


def test_a_closed_session_with_answers_can_be_deleted_after_its_confirmation(app, client, owner):
    group_id = seeded(app, owner.id)
    with app.app_context():
        closed = next(
            m.id for m in db.session.get(Group, group_id).meetings if m.status.value == "closed"
        )
    login(client, owner, PASSWORD)
    page = text(client.get(f"/sessions/{closed}/delete"))
    assert "9 réponses" in page and "3 cartes d'invitation" in page
    assert post(client, f"/sessions/{closed}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Meeting, closed) is None


def test_purge_is_a_dry_run_until_told_yes_and_keeps_what_is_within_retention(app, runner, owner):
    group_id = seeded(app, owner.id)  # sessions 28, 56 and 84 days before TODAY, one open
    with app.app_context():
        group = db.session.get(Group, group_id)
        group.retention_months = 2
        db.session.commit()
        expired = lifecycle.expired(TODAY)
        assert [e.meeting.date for e in expired] == [TODAY - dt.timedelta(days=84)]
        assert expired[0].responses == 9

    dry = runner.invoke(args=["purge"])
    assert dry.exit_code == 0 and "Dry run" in dry.output
    with app.app_context():
        before = row_counts()

    with app.app_context():
        deleted = lifecycle.purge(lifecycle.expired(TODAY), TODAY)
        db.session.commit()
        assert deleted == 9
        after = row_counts()
        assert after["response"] == before["response"] - 9
        assert after["meeting"] == before["meeting"] and after["outcome"] == before["outcome"]
        purged = db.session.scalar(select(Meeting).where(Meeting.answers_purged_on.is_not(None)))
        assert purged.answers_purged_on == TODAY
        assert lifecycle.expired(TODAY) == []  # nothing left to purge
        open_session = next(m for m in group.meetings if m.status == MeetingStatus.OPEN)
        assert open_session.date > TODAY  # the open one is never purged


def test_the_purge_command_deletes_with_yes(app, runner, owner):
    group_id = seeded(app, owner.id)
    with app.app_context():
        group = db.session.get(Group, group_id)
        group.retention_months = 1
        db.session.commit()
    result = runner.invoke(args=["purge", "--yes"])
    assert result.exit_code == 0 and "Deleted" in result.output
    with app.app_context():
        assert lifecycle.expired() == []


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2027, 3, 31), 1, dt.date(2027, 2, 28)),
        (dt.date(2028, 3, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2027, 1, 15), 24, dt.date(2025, 1, 15)),
        (dt.date(2027, 1, 15), 13, dt.date(2025, 12, 15)),
    ],
)
def test_months_before(day, months, expected):
    assert lifecycle.months_before(day, months) == expected


def test_a_backup_under_write_load_is_whole_and_restores(tmp_path, make_app):
    source = tmp_path / "live.db"
    app = make_app(f"sqlite:///{source}")
    with app.app_context():
        db.create_all()
        owner = Facilitator(email="owner@example.org")
        owner.set_password(PASSWORD)
        db.session.add(owner)
        db.session.commit()
        seed_group(owner, today=TODAY)
        db.session.commit()

    stop = threading.Event()

    def write_meanwhile():
        with app.app_context():
            group = db.session.scalar(select(Group))
            while not stop.is_set():
                meetings.plan_meeting(group, title="Encore", date=TODAY)
                db.session.commit()

    writer = threading.Thread(target=write_meanwhile)
    writer.start()
    try:
        runner = app.test_cli_runner()
        result = runner.invoke(args=["backup", str(tmp_path / "copies" / "copy.db")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    copy = tmp_path / "copies" / "copy.db"
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    restored = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{copy}",
        },
        instance_path=str(tmp_path / "restored"),
    )
    with restored.app_context():
        assert db.session.scalar(select(func.count()).select_from(Group)) == 1
        assert (
            db.session.scalar(select(func.count()).select_from(db.metadata.tables["response"]))
            == 27
        )

    again = app.test_cli_runner().invoke(args=["backup", str(copy)])
    assert again.exit_code != 0 and "already exists" in again.output


def test_backup_copies_sqlite_and_points_postgresql_users_to_pg_dump(app, runner, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "x.db")])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert result.exit_code != 0 and "pg_dump" in result.output
    else:
        assert result.exit_code == 0 and "integrity check: ok" in result.output


def test_a_purged_session_says_when_its_answers_went(app, client, owner):
    group_id = seeded(app, owner.id)
    with app.app_context():
        group = db.session.get(Group, group_id)
        group.retention_months = 2
        db.session.commit()
        (entry,) = lifecycle.expired(TODAY)
        meeting_id = entry.meeting.id
        lifecycle.purge([entry], TODAY)
        db.session.commit()
    login(client, owner, PASSWORD)
    for path in (f"/sessions/{meeting_id}", f"/sessions/{meeting_id}/results"):
        assert "au terme de la durée de conservation du groupe" in text(client.get(path)), path
