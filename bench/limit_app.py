"""The limit route, the baseline of writes in bench/http_load.py: what recording a submission
costs at the very least on this machine, under the same gunicorn settings as Praxis.

POST /submit parses the same body a Praxis submission sends (werkzeug's form parser, as Flask
does), then inserts 1 response and as many answer rows as a Praxis submission writes (the
``LIMIT_ANSWERS`` environment variable) with raw ``sqlite3``: WAL, ``synchronous=NORMAL``, one
``BEGIN IMMEDIATE`` transaction. No templates, no ORM, no CSRF, no checks: nothing Praxis could
leave out. Each worker keeps one connection.
"""

import os
import sqlite3
import uuid

from flask import Flask, request

app = Flask(__name__)
DATABASE = os.environ.get("LIMIT_DATABASE", "limit.db")
ANSWERS = int(os.environ.get("LIMIT_ANSWERS", "87"))
_connection: sqlite3.Connection | None = None


def connection() -> sqlite3.Connection:
    global _connection
    if _connection is None:
        _connection = sqlite3.connect(DATABASE, isolation_level=None, timeout=30)
        _connection.execute("PRAGMA journal_mode=WAL")
        _connection.execute("PRAGMA synchronous=NORMAL")
        _connection.execute(
            "CREATE TABLE IF NOT EXISTS response (id TEXT PRIMARY KEY, meeting_id INTEGER)"
        )
        _connection.execute(
            "CREATE TABLE IF NOT EXISTS answer (response_id TEXT, item_id TEXT, facet TEXT,"
            " value REAL, PRIMARY KEY (response_id, item_id, facet))"
        )
    return _connection


@app.get("/")
def hello():
    return "Hello"


@app.post("/submit")
def submit():
    fields = request.form  # parsed, as any Flask view that reads it
    values = [value for name in fields for value in fields.getlist(name)]
    response_id = uuid.uuid4().hex
    rows = [(response_id, f"item{i}", "facet", float(i)) for i in range(ANSWERS)]
    db = connection()
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO response VALUES (?, ?)", (response_id, len(values)))
    db.executemany("INSERT INTO answer VALUES (?, ?, ?, ?)", rows)
    db.execute("COMMIT")
    return "Recorded"
