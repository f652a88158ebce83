"""Configuration layering, secrets, database URLs, SQLite pragmas and cookie flags."""

import stat

import pytest
from sqlalchemy.exc import IntegrityError

from survey import create_app
from survey.config import normalize_database_url
from survey.extensions import db
from survey.models import Answer


def test_defaults_use_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SURVEY_DATABASE_URL", raising=False)
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'survey.db'}"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "fr"


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SURVEY_SECRET_KEY", raising=False)
    first = create_app(instance_path=str(tmp_path)).config["SECRET_KEY"]
    second = create_app(instance_path=str(tmp_path)).config["SECRET_KEY"]
    assert first == second
    assert len(first) == 64
    key_file = tmp_path / "secret_key"
    assert key_file.read_text() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    other = create_app(instance_path=str(tmp_path / "elsewhere")).config["SECRET_KEY"]
    assert other != first


def test_instance_config_then_environment_override_defaults(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        "DATABASE_URL = 'sqlite:////from/instance.db'\nSECRET_KEY = 'from-instance'\nHTTPS = True\n"
    )
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////from/instance.db"
    assert app.config["SECRET_KEY"] == "from-instance"

    monkeypatch.setenv("SURVEY_DATABASE_URL", "postgresql://u@db.internal/praxis")
    monkeypatch.setenv("SURVEY_SECRET_KEY", "from-environment")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.internal/praxis"
    assert app.config["SECRET_KEY"] == "from-environment"
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgres_urls_use_psycopg3(given, expected):
    assert normalize_database_url(given) == expected


def test_cookies_are_secure_only_over_https(make_app):
    plain = make_app("sqlite://")
    assert plain.config["SESSION_COOKIE_SECURE"] is False
    assert plain.config["SESSION_COOKIE_HTTPONLY"] is True
    assert plain.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    secure = make_app("sqlite://", HTTPS=True)
    assert secure.config["SESSION_COOKIE_SECURE"] is True
    assert secure.config["REMEMBER_COOKIE_SECURE"] is True
    assert secure.config["PREFERRED_URL_SCHEME"] == "https"


def test_sqlite_connections_read_back_wal_busy_timeout_foreign_keys_and_secure_delete(
    make_app, tmp_path
):
    app = make_app(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_foreign_keys_are_enforced(app):
    import uuid

    with app.app_context():
        db.session.add(Answer(response_id=uuid.uuid4(), item_id="a1", facet="", value=3))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_read_only_requests_do_not_wait_for_a_writer(make_app, tmp_path):
    """GET pages begin DEFERRED: with WAL they read while another connection writes."""
    import sqlite3

    path = tmp_path / "busy.db"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        assert app.test_client().get("/j/unknown-token").status_code == 404
        with app.app_context():
            from survey.database import write_intent

            assert write_intent.get() is True  # outside requests (CLI, tests): IMMEDIATE
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_sqlite_writers_queue_and_each_finds_the_write_lock_free(make_app, tmp_path):
    """A writer waits for the one before it, is woken when it commits or rolls back, and never
    meets SQLite's busy handler; the queue outlives failed transactions."""
    import fcntl
    import threading
    import time

    from sqlalchemy import text

    app = make_app(f"sqlite:///{tmp_path / 'queue.db'}")
    order = []
    with app.app_context():
        db.create_all()
        engine = db.engine
        holder = engine.connect()
        holder.begin()
        holder.execute(text("CREATE TABLE t (x INTEGER)"))

        def second_writer():
            with engine.begin() as connection:
                order.append("second writer in")
                connection.execute(text("INSERT INTO t VALUES (2)"))

        queue_file = tmp_path / "queue.db.writers"
        with open(queue_file, "rb") as queue, pytest.raises(BlockingIOError):
            fcntl.flock(queue, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the first writer holds it
        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(0.3)
        order.append("first writer commits")
        holder.commit()
        thread.join(timeout=5)
        assert order == ["first writer commits", "second writer in"]

        holder.begin()
        holder.execute(text("INSERT INTO t VALUES (3)"))
        holder.rollback()  # leaves the queue too
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("INSERT INTO answer (response_id) VALUES ('none')"))
        with open(queue_file, "rb") as queue:
            fcntl.flock(queue, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody is left holding it
        with engine.begin() as connection:
            assert connection.execute(text("SELECT x FROM t")).scalars().all() == [2]
        holder.close()


def test_a_public_url_without_scheme_or_host_is_refused_at_start(make_app):
    with pytest.raises(ValueError, match="PUBLIC_URL"):
        make_app("sqlite://", PUBLIC_URL="praxis.example.org")


def test_instance_folder_database_and_secret_key_are_owner_only(tmp_path, monkeypatch):
    """Another account on the server reads neither the answers nor the key that guards them."""
    import os

    monkeypatch.delenv("SURVEY_DATABASE_URL", raising=False)
    monkeypatch.delenv("SURVEY_SECRET_KEY", raising=False)
    previous = os.umask(0o022)  # the usual umask: group and others may read new files
    try:
        instance = tmp_path / "instance"
        app = create_app({"TESTING": True}, instance_path=str(instance))
        with app.app_context(), db.engine.connect() as connection:
            with connection.begin():  # a write: the database, its WAL and the writers' file
                connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            modes = {
                p.name: stat.S_IMODE(p.stat().st_mode) for p in [instance, *instance.iterdir()]
            }
    finally:
        os.umask(previous)
    assert {
        "survey.db",
        "survey.db-wal",
        "survey.db-shm",
        "survey.db.writers",
        "secret_key",
    } <= set(modes)
    assert modes.pop("instance") == 0o700
    assert modes == dict.fromkeys(modes, 0o600), modes
