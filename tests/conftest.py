"""Shared fixtures: an app per test on SQLite and on PostgreSQL, and data factories.

The schema is built once per run and database kind; each test gets it empty (a copy of a
SQLite template file; PostgreSQL tables truncated), which is most of what makes tests fast."""

import contextlib
import datetime as dt
import fcntl
import functools
import os
import random
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import create_engine
from sqlalchemy import text as sql
from sqlalchemy.exc import OperationalError
from support import DISTINCT, PASSWORD, SECRET_GROUP, login
from werkzeug.security import generate_password_hash

from survey import create_app
from survey.config import normalize_database_url
from survey.demo import MODULES, _person, seed_group
from survey.extensions import db
from survey.kinds.form import AnswerValue
from survey.models import (
    CofacilitatorInvitation,
    Facilitator,
    Group,
    Meeting,
    Outcome,
    OutcomeKind,
)
from survey.questionnaire import frozen_definition
from survey.services import api_tokens, groups, meetings, participation, publication

POSTGRES_ENV = "SURVEY_TEST_DATABASE_URL"


def pytest_report_header(config):
    url = os.environ.get(POSTGRES_ENV)
    return f"PostgreSQL tests: {url if url else f'skipped ({POSTGRES_ENV} is not set)'}"


def _postgres_schema(name: str):
    """A new private schema in the PostgreSQL of SURVEY_TEST_DATABASE_URL: (engine, schema, URL
    whose connections use it). Unset means "no PostgreSQL here" and the PostgreSQL half of the
    suite is skipped, except in CI, where it must run; set but unreachable is an error."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} must be set in CI: PostgreSQL tests may not be skipped")
        pytest.skip(f"{POSTGRES_ENV} is not set")
    base = normalize_database_url(url)
    engine = create_engine(base)
    schema = f"praxis_{name}_{uuid.uuid4().hex[:12]}"
    try:
        with engine.begin() as connection:
            connection.execute(sql(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        pytest.fail(f"PostgreSQL at {url} is unreachable: {error}")
    separator = "&" if "?" in base else "?"
    return engine, schema, f"{base}{separator}options=-csearch_path%3D{schema}"


@contextlib.contextmanager
def _dropped_after(engine, schema: str):
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.execute(sql(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_url():
    """An empty private schema, dropped after the run, for tests that build their own tables
    (migrations) or none."""
    engine, schema, url = _postgres_schema("empty")
    with _dropped_after(engine, schema):
        yield url


@pytest.fixture(scope="session")
def _postgres_tables():
    """A private schema whose tables are created once for the run: (URL, TRUNCATE statement).
    Emptying every table is far cheaper than creating and dropping them for each test."""
    engine, schema, url = _postgres_schema("test")
    with _dropped_after(engine, schema):
        schema_engine = create_engine(url)
        db.metadata.create_all(schema_engine)
        schema_engine.dispose()
        tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        yield url, f"TRUNCATE {tables} RESTART IDENTITY CASCADE"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    """A SQLite database holding the schema, built once for the run, that tests get a copy of.

    Built by the app itself (WAL, owner-only file); disposing the engine closes the last
    connection, which checkpoints and removes the -wal and -shm files, so the file alone is
    the whole database. The writers' lock file beside it is not copied: SQLite writers create
    their own."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        },
        instance_path=str(folder / "instance"),
    )
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A database holding the app's tables, empty, for this test alone: on SQLite a copy of
    the template file, on PostgreSQL the run's schema with every table emptied and its ids
    restarted (before the test, so that whatever a test leaves behind never reaches another)."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("_sqlite_template"), path)
        return f"sqlite:///{path}"
    url, truncate = request.getfixturevalue("_postgres_tables")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(sql("SET LOCAL lock_timeout = '10s'"))
            connection.execute(sql(truncate))
    finally:
        engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    """A database without any table, for tests that build the schema themselves (migrations)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("postgres_url")


class _CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept for the run: each test has an app of its own, and
    compiling the same templates again for each would be a third of the suite's time. Keyed by
    template name and source checksum, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED_TEMPLATES = _CompiledTemplates()


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
        app.jinja_env.bytecode_cache = _COMPILED_TEMPLATES
        created.append(app)
        return app

    yield make
    for app in created:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app, database_url):
    """An app on a database of its own, its tables created and empty."""
    return make_app(database_url)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@functools.cache
def _cheap_hash(password: str) -> str:
    """The scrypt the app uses at 1/32 of its cost (N = 2**10, not 2**15), computed once per
    password for the run: signing in still goes through the app's own check, in a few
    milliseconds instead of a tenth of a second. Passwords set through the app keep its cost."""
    return generate_password_hash(password, method="scrypt:1024:8:1")


def _detached(row):
    """``row`` as committed: its columns loaded, detached from the session, so that a test reads
    it without an app context. A relationship not loaded raises DetachedInstanceError rather
    than querying: a lazy load would begin a transaction that, on SQLite, holds the write lock.
    To see what requests changed since, load the row again in an app context."""
    db.session.refresh(row)
    db.session.expunge(row)
    return row


@pytest.fixture
def make_facilitator(app):
    def make(email=None, password=PASSWORD, **fields) -> Facilitator:
        with app.app_context():
            facilitator = Facilitator(
                email=email or f"{uuid.uuid4().hex[:8]}@example.org", **fields
            )
            # What set_password does, with the cheap hash.
            facilitator.password_hash = _cheap_hash(password)
            facilitator.revoke_sessions()
            db.session.add(facilitator)
            db.session.commit()
            return _detached(facilitator)

    return make


@pytest.fixture
def make_group(app):
    """A group of ``owner`` (k = 4, 12 members, one establishment unless told): a detached Group."""

    def make(owner: Facilitator, **fields) -> Group:
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
            return _detached(group)

    return make


@pytest.fixture
def make_meeting(app):
    """A session of ``group`` (a Group, or its id), planned, open or closed: a detached Meeting."""

    def make(group: Group | int, title="Séance 1", date=None, status=None, modules=()) -> Meeting:
        with app.app_context():
            group = db.session.get(Group, group if isinstance(group, int) else group.id)
            meeting = meetings.plan_meeting(
                group, title=title, date=date or dt.date(2026, 12, 3), modules=modules
            )
            if status in ("open", "closed"):
                meetings.open_collection(meeting)
            if status == "closed":
                meetings.close_collection(meeting)
            db.session.commit()
            return _detached(meeting)

    return make


@pytest.fixture
def facilitator(make_facilitator):
    return make_facilitator(email="camille@example.org", display_name="Camille")


@pytest.fixture
def demo_groups(app, facilitator):
    """Seed the demo group (three sessions with results, one open) for ``facilitator``, as many
    times as asked: detached Groups."""

    def seed(count: int = 1) -> list[Group]:
        with app.app_context():
            owner = db.session.get(Facilitator, facilitator.id)
            seeded = [seed_group(owner) for _ in range(count)]
            db.session.commit()
            return [_detached(group) for group in seeded]

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


@pytest.fixture
def add_responses(app):
    """Submit ``count`` responses to an open session through the services the views call: the
    same answers each, an overall gap of ``overall_gap`` (DISTINCT unless told)."""

    def add(meeting_id, count, overall_gap=DISTINCT, proposal="Une idée à discuter", where=None):
        with app.app_context():
            meeting = db.session.get(Meeting, meeting_id)
            for person in range(count):
                draft, _ = participation.start_draft(meeting)
                answers = [
                    AnswerValue("activities.welcome_direct", "prescribed", 2.0),
                    AnswerValue("activities.welcome_direct", "actual", 9.0),
                    AnswerValue("overall_gap", "", overall_gap),
                    AnswerValue("proposal", "", text=f"{proposal} {person}"),
                    AnswerValue("obstacles", "other", text=f"Autre obstacle {person}"),
                ]
                participation.submit(meeting, draft.id, answers, where)
            db.session.commit()

    return add


@pytest.fixture
def set_status(app):
    """Close (``"closed"``) or open a session's collection."""

    def change(meeting_id, status):
        with app.app_context():
            meeting = db.session.get(Meeting, meeting_id)
            if status == "closed":
                meetings.close_collection(meeting)
            else:
                meetings.open_collection(meeting)
            db.session.commit()

    return change


@pytest.fixture
def world(app, make_facilitator, make_group, make_meeting, add_responses, set_status):
    """A group nobody else may see: a closed session with four responses, an open one and a
    pending invitation; with the values every route of the URL map needs (see ``routes``)."""
    owner = make_facilitator(email="owner@example.org")
    group = make_group(owner, name=SECRET_GROUP)
    closed = make_meeting(group, title="Séance close", status="open")
    add_responses(closed.id, 4)
    set_status(closed.id, "closed")
    token = closed.join_token
    open_token = make_meeting(group, title="Séance ouverte", status="open").join_token
    with app.app_context():
        # Pending: neither the other facilitator nor a visitor may answer or withdraw it.
        invitation = CofacilitatorInvitation(
            group_id=group.id, email="invited@example.org", inviter_id=owner.id
        )
        db.session.add(invitation)
        # An outcome of the closed session, reviewed from the open one (a later session).
        outcome = Outcome(
            meeting_id=closed.id, kind=OutcomeKind.ACTION, text=f"Action de {SECRET_GROUP}"
        )
        db.session.add(outcome)
        # An API token of the owner's (the other facilitator may not revoke it).
        api_token, secret = api_tokens.create(db.session.get(Facilitator, owner.id), "Tableur")
        db.session.commit()
        invitation_id = invitation.id
        outcome_id = outcome.id
        token_id = api_token.id
    other = make_facilitator(email="other@example.org")
    with app.app_context():
        _other_token, other_secret = api_tokens.create(
            db.session.get(Facilitator, other.id), "Autre"
        )
        db.session.commit()
    return {
        "open_token": open_token,
        "owner": owner,
        "other": other,
        "api_headers": {"Authorization": f"Bearer {secret}"},
        "other_api_headers": {"Authorization": f"Bearer {other_secret}"},
        "values": {
            "group_id": group.id,
            "meeting_id": closed.id,
            "facilitator_id": owner.id,
            "invitation_id": invitation_id,
            "outcome_id": outcome_id,
            "key_id": token_id,  # an API token of the owner's (its id: not a secret)
            "section_id": "prescribed_actual",
            "token": token,
            "page": 1,
            "resume_token": "unknown-resume-token",
            "card_token": "unknown-card-token",
            "invitation_token": "unknown-invitation-token",
            "filename": "css/praxis.css",
        },
    }


# The API's and the cross-path tests' session with hidden cells, and API tokens
# ---------------------------------------------------------------------------

#: Only the first two respondents answer these (item, facet); facet None: every facet. With
#: k = 4 each is « moins de 4 réponses » on the pages.
SKIPPED = {
    ("activities.phone_messages", None),  # a paired statement
    ("lived.hurry", None),  # a rated statement
    ("tasks.queue", "valence"),  # one axis of a task
    ("tasks.mail", "skill"),  # an axis, and so the task's flow channel
    ("objectives.welcome_quality", "actual_time"),  # a viewpoint of an objective
    ("objectives.people_seen", "actual_time"),
    ("objectives.procedures", "actual_time"),
    ("objectives.full_resolution", "actual_time"),
    ("objectives.other_services", "actual_time"),
    ("topics", None),  # a ranking question
}
RESPONDENTS = 6  # k + 2: the free texts are shown


def _skipped(answer) -> bool:
    return (answer.item, None) in SKIPPED or (answer.item, answer.facet) in SKIPPED


@pytest.fixture
def token_for(app):
    """A new API token of a facilitator: the Authorization header that carries it."""

    def make(facilitator, name="Tests") -> dict:
        with app.app_context():
            _token, secret = api_tokens.create(db.session.get(Facilitator, facilitator.id), name)
            db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def sparse_session(app, facilitator):
    """A closed session of ``facilitator``'s, its results shown, in which some statements,
    axes, viewpoints and a question were answered by two people only: (group id, session id)."""
    with app.app_context():
        owner = db.session.get(Facilitator, facilitator.id)
        group = groups.create_group(
            owner,
            name="Groupe clairsemé",
            domain="public_reception",
            establishments=["Maison des services"],
            member_cap=12,
            anonymity_threshold=4,
        )
        meeting = meetings.plan_meeting(
            group, title="Séance clairsemée", date=dt.date(2026, 10, 1), modules=MODULES
        )
        meetings.open_collection(meeting)
        definition = frozen_definition(meeting)
        rng = random.Random("praxis-api")
        for person in range(RESPONDENTS):
            answers = [
                a for a in _person(definition, rng, person, 0.5) if person < 2 or not _skipped(a)
            ]
            draft, _token = participation.start_draft(meeting)
            participation.submit(meeting, draft.id, answers, None)
        meetings.close_collection(meeting)
        publication.record(meeting)
        db.session.commit()
        return group.id, meeting.id
