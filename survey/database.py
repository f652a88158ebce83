"""Engine-level settings that every connection must carry."""

import sqlite3
from contextvars import ContextVar

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_MS = 5000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Whether transactions should take SQLite's write lock up front (True outside requests).
write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)


def configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout and foreign keys on every SQLite connection; writes start IMMEDIATE.

    pysqlite's own transaction handling begins lazily and cannot upgrade a read to a write under
    concurrency without "database is locked"; we take over BEGIN so a transaction that may write
    reserves the write lock up front and waits (busy_timeout) instead of failing. Read-only
    requests begin DEFERRED, so pages keep being served while someone submits (WAL readers).
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def init_app(app: Flask) -> None:
    """Requests that cannot change anything (GET, HEAD, OPTIONS) read without the write lock."""

    @app.before_request
    def declare_intent() -> None:
        write_intent.set(request.method not in READ_ONLY_METHODS)

    @app.teardown_request
    def reset_intent(_error=None) -> None:
        write_intent.set(True)
