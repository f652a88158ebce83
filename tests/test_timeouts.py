"""A stuck transaction costs a request seconds, then the app's own error page: never gunicorn's
bare 500 after its 30 s timeout."""

import sqlite3
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sql
from support import csrf_token, login, text

from survey import database
from survey.extensions import db


@pytest.fixture
def app(make_app, database_url, monkeypatch):
    """The usual app, waiting one second for a lock: SQLite's busy timeout, PostgreSQL's
    lock_timeout."""
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 1000)
    return make_app(database_url, DATABASE_LOCK_TIMEOUT="1s", DATABASE_STATEMENT_TIMEOUT="3s")


def test_connections_carry_the_configured_timeouts(make_app, postgres_url):
    app = make_app(postgres_url, DATABASE_LOCK_TIMEOUT="1s", DATABASE_STATEMENT_TIMEOUT="3s")
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "1s"
        assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "3s"


def test_the_defaults_are_a_few_seconds(make_app, postgres_url):
    app = make_app(postgres_url)
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "5s"
        assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "15s"


@contextmanager
def stuck_transaction(app, meeting_id):
    """Another connection holds a write lock and does nothing: on PostgreSQL the session's row,
    on SQLite the database's write lock (taken outside the app's writers' queue)."""
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() == "sqlite":
        other = sqlite3.connect(url.database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    holder = create_engine(url)
    try:
        with holder.connect() as stuck:
            stuck.execute(
                sql("SELECT id FROM meeting WHERE id = :id FOR UPDATE"), {"id": meeting_id}
            )
            yield
            stuck.rollback()
    finally:
        holder.dispose()


def test_a_lock_held_elsewhere_gives_the_busy_page_within_seconds(
    app, make_facilitator, make_group, make_meeting
):
    """Closing the collection needs a lock that a stuck transaction holds: the request fails
    after the lock timeout with a 503 that says to try again, and nothing is changed."""
    owner = make_facilitator(email="owner@example.org")
    meeting_id = make_meeting(make_group(owner), status="open").id
    client = app.test_client()
    login(client, owner)

    token = csrf_token(client)
    with stuck_transaction(app, meeting_id):
        started = time.monotonic()
        response = client.post(f"/sessions/{meeting_id}/close", data={"csrf_token": token})
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert 0.9 < elapsed < 4
    page = text(response)
    assert "Serveur occupé" in page and "réessayez dans quelques secondes" in page
    assert response.headers["Retry-After"] == "5"
    with app.app_context():
        status = db.session.execute(sql(f"SELECT status FROM meeting WHERE id = {meeting_id}"))
        assert status.scalar() == "open"
    assert "Séance 1" in client.get(f"/sessions/{meeting_id}").text  # the app goes on
