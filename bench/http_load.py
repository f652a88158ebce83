"""Requests per second and p99 latency under gunicorn (2 workers, SQLite), against bare Flask.

Measures, in the same run and with the same load generator (Python threads with keep-alive
connections over loopback, bounded in time): a bare Flask "hello" app; the first questionnaire page
of an open session; and submissions (each from its own started draft).

    .venv/bin/python bench/http_load.py [--seconds 5] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import make_group  # noqa: E402

from survey import create_app  # noqa: E402
from survey.demo import MODULES, _person  # noqa: E402
from survey.extensions import db  # noqa: E402
from survey.kinds.form import formdata_of, section_form  # noqa: E402
from survey.models import Facilitator, Meeting, Response  # noqa: E402
from survey.questionnaire import frozen_definition  # noqa: E402
from survey.services import participation  # noqa: E402

SESSIONS = 101


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(target: str, env: dict, cwd: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}", target],
        cwd=cwd,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{target} did not start")


def load(port: int, make_request, seconds: float, concurrency: int) -> tuple:
    """Requests per second, p99 latency (ms), errors and requests, ``concurrency`` clients for
    ``seconds`` (or until ``make_request`` has no more to send)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(index: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed, count = [], 0, 0
        while time.perf_counter() < stop:
            try:
                method, path, body, headers = make_request(index, count)
            except StopIteration:
                break
            start = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 500:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - start)
            count += 1
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = min(seconds, time.perf_counter() - began)  # less if the requests ran out
    p99 = (
        statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 100 else float("nan")
    )
    return len(latencies) / seconds, p99, errors, len(latencies)


def _keep(jar: dict, response) -> str:
    """Add the response's cookies to ``jar``; return the Cookie header to send next."""
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";")[0].partition("=")
        if value:
            jar[name] = value
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def prepare_drafts(port: int, drafts: list[tuple[str, str, int, str, dict]]) -> list[tuple]:
    """For each complete draft (join token, resume token, meeting, page, last page's fields):
    open its last page as the worker's browser would, keeping the cookies and the CSRF token."""
    prepared = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for join_token, resume_token, meeting_id, page, fields in drafts:
        jar = {f"praxis-resume-{meeting_id}": resume_token}
        cookie = "; ".join(f"{name}={value}" for name, value in jar.items())
        connection.request("GET", f"/j/{join_token}/{page}", headers={"Cookie": cookie})
        response = connection.getresponse()
        html = response.read().decode()
        if response.status != 200:
            raise RuntimeError(f"could not open a draft's last page: {response.status}")
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)[1]
        body = urllib.parse.urlencode(
            [("csrf_token", csrf), ("action", "submit"), ("code-choice", "none")]
            + [(name, value) for name, values in fields.items() for value in values],
        )
        prepared.append((f"/j/{join_token}/{page}", _keep(jar, response), body))
    return prepared


def complete_drafts(app, meetings: list[int], per_meeting: int) -> tuple[list[tuple], float]:
    """Drafts holding a whole questionnaire (the demo's synthetic answers), one page to send,
    and the mean number of answers they hold."""
    drafts, answered = [], 0
    with app.test_request_context():
        for meeting_id in meetings:
            meeting = db.session.get(Meeting, meeting_id)
            definition = frozen_definition(meeting)
            pages = [section_form(definition, s, "fr").questions for s in definition.sections]
            rng = random.Random(meeting_id)
            for person in range(per_meeting):
                answers = list(_person(definition, rng, person, 0.0))
                answered += len(answers)
                fields = [formdata_of(questions, answers) for questions in pages]
                draft, resume_token = participation.start_draft(meeting)
                draft.data = {name: v for page in fields for name, v in page.items()}
                draft.page = len(pages)
                drafts.append(
                    (meeting.join_token, resume_token, meeting.id, len(pages), fields[-1])
                )
        db.session.commit()
    return drafts, answered / len(drafts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="praxis-http-"))
    url = f"sqlite:///{folder / 'http.db'}"
    env = {
        "SURVEY_DATABASE_URL": url,
        "SURVEY_SECRET_KEY": "bench",
        "SURVEY_START_RATE_LIMIT": '"1000000 per hour"',
    }
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"}, instance_path=str(folder)
    )
    with app.app_context():
        db.create_all()
        owner = Facilitator(email="bench@example.org", password_hash="x")
        db.session.add(owner)
        db.session.flush()
        meetings = []
        for number in range(SESSIONS):  # a fresh session every 12 submissions (the member cap)
            group = make_group(f"G{number}", owner)
            meeting = meetings.plan_meeting(
                group, title="Bench", date=dt.date(2026, 1, 1), modules=MODULES
            )
            meetings.open_collection(meeting)
            meetings.append(meeting)
        db.session.commit()
        tokens = [m.join_token for m in meetings]
        meeting_ids = [m.id for m in meetings]
    drafts, answers_per_submit = complete_drafts(app, meeting_ids[1:], 12)

    hello, hello_port = serve("hello_app:app", {}, ROOT / "bench")
    praxis, port = serve("wsgi:app", env, ROOT)
    try:
        results = {}
        results["bare Flask hello"] = load(
            hello_port, lambda i, n: ("GET", "/", None, {}), args.seconds, args.concurrency
        )
        results["questionnaire page"] = load(
            port, lambda i, n: ("GET", f"/j/{tokens[0]}", None, {}), args.seconds, args.concurrency
        )
        prepared = prepare_drafts(port, drafts)
        # A page of questions (the first: 8 statements on two scales), as a worker resumes it.
        first_page = prepared[-1][0].rsplit("/", 1)[0] + "/1"
        cookie = prepared[-1][1]
        results["page of questions"] = load(
            port,
            lambda i, n: ("GET", first_page, None, {"Cookie": cookie}),
            args.seconds,
            args.concurrency,
        )
        used = iter(prepared)
        lock = threading.Lock()
        form = {"Content-Type": "application/x-www-form-urlencoded"}

        def submit(i, n):
            with lock:
                draft = next(used, None)
            if draft is None:  # every draft sent: the rest of the time is not measured
                raise StopIteration
            path, cookie, body = draft
            return ("POST", path, body, {"Cookie": cookie, **form})

        results["submit"] = load(port, submit, args.seconds, args.concurrency)
    finally:
        for process in (hello, praxis):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=10)

    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Response))
    sent = results["submit"][3]
    if stored != sent:
        raise RuntimeError(f"{sent} submits sent but {stored} responses recorded")

    base = results["bare Flask hello"][0]
    print(
        f"gunicorn 2 workers, SQLite, {args.concurrency} clients, {args.seconds:.0f} s at most "
        f"each; a submit sends the last page of a whole questionnaire and records it "
        f"({answers_per_submit:.0f} answers)"
    )
    for name, (rate, p99, errors, _count) in results.items():
        print(
            f"{name:20s} {rate:8.0f} req/s  p99 {p99:6.1f} ms  errors {errors}  "
            f"({rate / base:.0%} of bare Flask)"
        )


if __name__ == "__main__":
    main()
