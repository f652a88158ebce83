"""Shared fixtures: an app per test on SQLite and on PostgreSQL, and data factories."""

import datetime as dt
import fcntl
import os
import sqlite3
import uuid

import pytest
from helpers import PASSWORD, login
from sqlalchemy import create_engine
from sqlalchemy import text as sql
from sqlalchemy.exc import OperationalError

from survey import create_app
from survey.config import normalize_database_url
from survey.demo import seed_group
from survey.extensions import db
from survey.models import Facilitator, Group
from survey.services import groups, meetings

POSTGRES_ENV = "SURVEY_TEST_DATABASE_URL"


def pytest_report_header(config):
    url = os.environ.get(POSTGRES_ENV)
    return f"PostgreSQL tests: {url if url else f'skipped ({POSTGRES_ENV} is not set)'}"


@pytest.fixture(scope="session")
def postgres_url():
    """A private schema in the PostgreSQL of SURVEY_TEST_DATABASE_URL, dropped after the run.

    Unset means "no PostgreSQL here" and the PostgreSQL half of the suite is skipped, except in
    CI, where it must run; set but unreachable is an error, never a skip.
    """
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} must be set in CI: PostgreSQL tests may not be skipped")
        pytest.skip(f"{POSTGRES_ENV} is not set")
    base = normalize_database_url(url)
    engine = create_engine(base)
    schema = f"praxis_test_{uuid.uuid4().hex[:12]}"
    try:
        with engine.begin() as connection:
            connection.execute(sql(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        pytest.fail(f"PostgreSQL at {url} is unreachable: {error}")
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(sql(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def make_app(tmp_path):
    """Build an app with its own instance folder; the configuration given wins over defaults."""
    created = []

    def make(database_url=None, **config):
        settings = {"TESTING": True, "SECRET_KEY": "test-secret"}
        if database_url:
            settings["SQLALCHEMY_DATABASE_URI"] = database_url
        settings.update(config)
        app = create_app(settings, instance_path=str(tmp_path / f"instance{len(created)}"))
        created.append(app)
        return app

    yield make
    for app in created:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app, database_url):
    """An app whose schema is created for the test and dropped after it."""
    app = make_app(database_url)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_facilitator(app):
    def make(email=None, password=PASSWORD, **fields) -> Facilitator:
        with app.app_context():
            facilitator = Facilitator(
                email=email or f"{uuid.uuid4().hex[:8]}@example.org", **fields
            )
            facilitator.set_password(password)
            db.session.add(facilitator)
            db.session.commit()
            db.session.refresh(facilitator)
            db.session.expunge(facilitator)
            return facilitator

    return make


@pytest.fixture
def make_group(app):
    def make(owner: Facilitator, **fields) -> int:
        values = {
            "name": "Accueil Nord",
            "domain": "public_reception",
            "establishments": ["Maison des services"],
            "member_cap": 12,
            "anonymity_threshold": 4,
        }
        values.update(fields)
        with app.app_context():
            group = groups.create_group(db.session.merge(owner), **values)
            db.session.commit()
            return group.id

    return make


@pytest.fixture
def make_meeting(app):
    def make(group_id: int, title="Séance 1", date=None, status=None) -> int:
        with app.app_context():
            group = db.session.get(Group, group_id)
            meeting = meetings.plan_meeting(group, title=title, date=date or dt.date(2026, 12, 3))
            if status in ("open", "closed"):
                meetings.open_collection(meeting)
            if status == "closed":
                meetings.close_collection(meeting)
            db.session.commit()
            return meeting.id

    return make


@pytest.fixture
def facilitator(make_facilitator):
    return make_facilitator(email="camille@example.org", display_name="Camille")


@pytest.fixture
def demo_groups(app, facilitator):
    """Seed the demo group (three sessions with results, one open) for ``facilitator``, as many
    times as asked; returns the groups' ids."""

    def seed(count: int = 1) -> list[int]:
        with app.app_context():
            owner = db.session.get(Facilitator, facilitator.id)
            ids = [seed_group(owner).id for _ in range(count)]
            db.session.commit()
            return ids

    return seed


@pytest.fixture
def signed_in(client, facilitator):
    """A client signed in as ``facilitator``."""
    response = login(client, facilitator)
    assert response.status_code == 302
    return client


@pytest.fixture
def writers_free(app):
    """Whether another connection could write right now, without waiting: SQLite's writers'
    queue and write lock; on PostgreSQL, the rows of ``tables`` (row locks, FOR UPDATE NOWAIT).
    For tests that slow work (a password hash, a KDF) never holds the write lock."""

    def free(tables=("meeting", "draft", "response", "facilitator")) -> bool:
        with app.app_context():
            url = db.engine.url
            if url.get_backend_name() == "sqlite":
                with open(f"{url.database}.writers", "a+b") as queue:
                    try:
                        fcntl.flock(queue, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        return False
                other = sqlite3.connect(url.database, timeout=0, isolation_level=None)
                try:
                    other.execute("BEGIN IMMEDIATE")
                    other.execute("ROLLBACK")
                    return True
                except sqlite3.OperationalError:
                    return False
                finally:
                    other.close()
            with db.engine.connect() as other:
                try:
                    for table in tables:
                        other.execute(sql(f"SELECT 1 FROM {table} FOR UPDATE NOWAIT"))
                    return True
                except OperationalError:
                    return False
                finally:
                    other.rollback()

    return free
