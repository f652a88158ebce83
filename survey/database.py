"""Engine-level settings that every connection must carry."""

import functools
import os
import sqlite3
from contextlib import suppress
from contextvars import ContextVar

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from .extensions import db

try:
    import fcntl
except ImportError:  # Windows: writers rely on SQLite's busy handler alone
    fcntl = None

SQLITE_BUSY_TIMEOUT_MS = 5000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Whether transactions should take SQLite's write lock up front (True outside requests).
write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)


def configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys and secure delete on every SQLite connection; writes
    start IMMEDIATE.

    pysqlite's own transaction handling begins lazily and cannot upgrade a read to a write under
    concurrency without "database is locked"; we take over BEGIN so a transaction that may write
    reserves the write lock up front, after the writers' queue, instead of failing. Read-only
    requests begin DEFERRED, so pages keep being served while someone submits (WAL readers).
    """
    if engine.dialect.name != "sqlite":
        return
    path = engine.url.database
    in_file = path not in (None, "", ":memory:") and not path.startswith("file:")
    if in_file:
        _created_owner_only(engine, path)
    event.listen(engine, "connect", _pragmas)
    # SQLite's busy handler polls, sleeping up to 100 ms between tries: under a queue of writers
    # the last in line waits far longer than the work ahead of it. Writers first queue on an
    # exclusive lock on a file beside the database, which the kernel hands over as soon as it
    # is released; BEGIN IMMEDIATE then finds SQLite's write lock free.
    lock_path = f"{path}.writers" if in_file and fcntl is not None else None
    _begin_by_intent(engine, lock_path)
    if lock_path is not None:
        _queue_writers(engine)


def _created_owner_only(engine: Engine, path: str) -> None:
    @event.listens_for(engine, "do_connect")
    def owner_only(_dialect, _record, _args, _kwargs) -> None:
        # SQLite creates the file with the umask's mode (often readable by everyone), and its
        # WAL and shared-memory files with the database's: create it owner-only first.
        with suppress(FileNotFoundError):  # a missing folder: let SQLite say so
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))


def _pragmas(dbapi_connection: sqlite3.Connection, _record) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    # Deleted rows (abandoned drafts, rows rewritten at close) are zeroed, not left in the file.
    cursor.execute("PRAGMA secure_delete = ON")
    if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _begin_by_intent(engine: Engine, lock_path: str | None) -> None:
    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        if not write_intent.get():
            connection.exec_driver_sql("BEGIN")
            return
        if lock_path is not None:
            connection.connection.info["writers"] = _enter_queue(lock_path)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _leave_queue(connection.connection.info)
            raise


def _queue_writers(engine: Engine) -> None:
    """Leave the writers' queue when a transaction ends, however it ends."""

    @event.listens_for(engine, "commit")
    def on_commit(connection) -> None:
        # Fires before SQLAlchemy's own COMMIT, which then finds nothing left to commit.
        connection.connection.dbapi_connection.commit()
        _leave_queue(connection.connection.info)

    @event.listens_for(engine, "rollback")
    def on_rollback(connection) -> None:
        connection.connection.dbapi_connection.rollback()
        _leave_queue(connection.connection.info)

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection, record) -> None:
        _leave_queue(record.info)  # a transaction abandoned without commit or rollback


def configure_postgresql(engine: Engine, lock_timeout, statement_timeout) -> None:
    """Every PostgreSQL connection gives up waiting for a lock, or running a statement, after
    the configured time (see ``is_timeout``)."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, false),"
                " set_config('statement_timeout', %s, false)",
                (str(lock_timeout), str(statement_timeout)),
            )
        dbapi_connection.commit()


#: PostgreSQL's lock_not_available and query_canceled (lock and statement timeouts).
TIMEOUT_SQLSTATES = frozenset({"55P03", "57014"})


def is_timeout(error: OperationalError) -> bool:
    """Whether the database gave up waiting (a lock or statement timeout; SQLite's busy
    timeout), rather than failing: the request may simply be tried again."""
    original = error.orig
    if getattr(original, "sqlstate", None) in TIMEOUT_SQLSTATES:
        return True
    return isinstance(original, sqlite3.OperationalError) and "locked" in str(original)


def _enter_queue(path: str):
    """Wait for the writers' lock. Each transaction opens the file itself: flock locks belong to
    an open file, so two connections of one process (threads) exclude each other too."""
    queue = os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600), "a+b")
    try:
        fcntl.flock(queue, fcntl.LOCK_EX)
    except BaseException:
        queue.close()
        raise
    return queue


def _leave_queue(info: dict) -> None:
    queue = info.pop("writers", None)
    if queue is not None:
        queue.close()  # closing the file releases its lock


def reads_first(view):
    """For a view that reads and checks at length before it writes (a submission validates a
    whole questionnaire): its transaction begins without SQLite's write lock, so other writers
    are not kept waiting meanwhile. The view calls ``begin_writing`` before its first write."""

    @functools.wraps(view)
    def reading_view(*args, **kwargs):
        write_intent.set(False)
        return view(*args, **kwargs)

    return reading_view


def begin_writing() -> None:
    """End the read transaction; the next statement begins one that holds the write lock.

    Objects read so far are expired and reload inside it: what the writes rely on is read again
    under the lock, never from the earlier snapshot.
    """
    db.session.commit()
    write_intent.set(True)


def end_writing() -> None:
    """Commit the writes; what the view reads next begins without the write lock again."""
    db.session.commit()
    write_intent.set(False)


def init_app(app: Flask) -> None:
    """Requests that cannot change anything (GET, HEAD, OPTIONS) read without the write lock."""

    @app.before_request
    def declare_intent() -> None:
        write_intent.set(request.method not in READ_ONLY_METHODS)

    @app.teardown_request
    def reset_intent(_error=None) -> None:
        write_intent.set(True)
