"""What each participant path costs inside the app: CPU time per request through the Flask test
client (no server, no network, no other process), next to what a page costs before its own work.

Rows: bare Flask "hello" (``hello_app.py``) and the limit route of writes (``limit_app.py``, the
same number of answers); Praxis's floor, a route answering "Hello" through
every hook the app installs (sessions, CSRF, rate limits, Talisman's headers, Babel, compression);
an empty page in Praxis's layout (``base.html``); then the welcome page, a page of questions,
saving it and submitting, on the same data as ``http_load.py`` (SQLite). Each figure is the median
of five batches. ``--profile PATH`` prints where that path's time goes (cProfile, cumulative).

    .venv/bin/python bench/in_process.py [--requests 400] [--profile "page of questions"]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import http_load  # noqa: E402
from hello_app import app as hello_app  # noqa: E402

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}
FORM = "application/x-www-form-urlencoded"


def praxis(url: str):
    """The app as the HTTP benchmark serves it, with two routes of nothing for the floor."""
    from flask.templating import _render

    from survey import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    empty = app.jinja_env.from_string('{% extends "base.html" %}{% block content %}{% endblock %}')
    app.add_url_rule("/_bench/floor", "bench_floor", lambda: "Hello")
    app.add_url_rule("/_bench/empty", "bench_empty", lambda: _render(app, empty, {}))
    return app


def paths(world, app, submits: int) -> dict:
    client = app.test_client()
    meeting_id, token, resume = world.reading_draft()
    client.set_cookie(f"praxis-resume-{meeting_id}", resume)
    page = client.get(f"/j/{token}/1").get_data(as_text=True)
    csrf = http_load.csrf_of(page)
    fields = world.first_page_fields()
    save = urllib.parse.urlencode(
        [("csrf_token", csrf), ("action", "next")]
        + [(name, value) for name, values in fields.items() for value in values]
    )
    drafts = iter(world.drafts)
    submitter = app.test_client()

    def submit():
        draft_meeting, draft_token, draft_resume, last, last_fields = next(drafts)
        submitter.set_cookie("session", client.get_cookie("session").value)
        submitter.set_cookie(f"praxis-resume-{draft_meeting}", draft_resume)
        body = urllib.parse.urlencode(
            [("csrf_token", csrf), ("action", "submit"), ("code-choice", "none")]
            + [(name, value) for name, values in last_fields.items() for value in values]
        )
        return submitter.post(
            f"/j/{draft_token}/{last}", data=body, content_type=FORM, headers=BROWSER
        )

    hello = hello_app.test_client()
    os.environ["LIMIT_DATABASE"] = str(Path(tempfile.mkdtemp(prefix="praxis-limit-")) / "limit.db")
    os.environ["LIMIT_ANSWERS"] = str(round(world.answers))
    from limit_app import app as limit_app

    limit = limit_app.test_client()
    limit_body = urllib.parse.urlencode(
        [(f"field{i}", str(i % 11)) for i in range(round(world.answers))]
    )
    return {
        "bare Flask hello": (lambda: hello.get("/"), 200),
        "limit route": (
            lambda: limit.post("/submit", data=limit_body, content_type=FORM, headers=BROWSER),
            200,
        ),
        "Praxis floor (hooks only)": (lambda: client.get("/_bench/floor", headers=BROWSER), 200),
        "empty page in the layout": (lambda: client.get("/_bench/empty", headers=BROWSER), 200),
        "welcome page": (lambda: client.get(f"/j/{token}", headers=BROWSER), 200),
        "page of questions": (lambda: client.get(f"/j/{token}/1", headers=BROWSER), 200),
        "page save": (
            lambda: client.post(f"/j/{token}/1", data=save, content_type=FORM, headers=BROWSER),
            302,
        ),
        "submit": (submit, 200),
    }


def cpu_ms(call, expected: int, requests: int) -> float:
    batches = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(requests):
            status = call().status_code
        batches.append((time.process_time() - start) / requests * 1000)
        if status != expected:
            raise RuntimeError(f"status {status}, expected {expected}")
    return statistics.median(batches)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="per batch (5 batches)")
    parser.add_argument("--profile", help="a path's name: print its profile instead")
    args = parser.parse_args()
    for setting in ("START", "JOIN", "JOIN_GLOBAL"):
        os.environ[f"SURVEY_{setting}_RATE_LIMIT"] = '"100000000 per hour"'
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='praxis-inproc-')) / 'bench.db'}"
    submits = 5 * args.requests + 20
    world = http_load.World(url, submits)
    measured = paths(world, praxis(url), submits)
    for call, _expected in measured.values():
        for _ in range(10):  # warm: form classes, kept HTML, compiled templates
            call()
    if args.profile:
        call, _expected = measured[args.profile]
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            call()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        return
    hello = None
    print(f"CPU per request, median of 5 batches of {args.requests} (SQLite, test client)")
    print(f"| {'path':28s} | {'ms':>6s} | {'× hello':>8s} |")
    print(f"|{'-' * 30}|{'-' * 8}|{'-' * 10}|")
    for name, (call, expected) in measured.items():
        ms = cpu_ms(call, expected, args.requests)
        hello = hello or ms
        print(f"| {name:28s} | {ms:6.2f} | {ms / hello:8.1f} |")


if __name__ == "__main__":
    main()
