"""Each participant path under gunicorn (2 workers), against two baselines measured in the same
run: requests per second, p99 latency and bytes per response.

Paths: the welcome page (GET /j/<token>); joining by code (POST /join); starting a draft
(POST /j/<token>); a page of questions (GET /j/<token>/1: 8 statements on two scales, as a
worker resumes it); saving that page (POST, « Suivant »); submitting (POST of the last page of a
whole questionnaire, every module, each request from its own complete draft).

Baselines: bare Flask "hello" for every path, and for writes the limit route
(``bench/limit_app.py``: the same POST body parsed, 1 + as many answer rows inserted with raw
sqlite3, WAL, synchronous=NORMAL, BEGIN IMMEDIATE). Every server is warmed before it is
measured: its workers have imported the app and served each path for a second (the first version
of this script measured bare Flask while Praxis's workers were still importing the app).

Load: ``wrk`` (Debian's package) when it is on the PATH, else Python threads with keep-alive
connections; the output says which. Databases: SQLite; with ``--postgres URL`` also PostgreSQL,
with the rate limits in Redis (``--redis URL``), as in production.

    .venv/bin/python bench/http_load.py [--seconds 5] [--concurrency 8]
        [--postgres postgresql://postgres@127.0.0.1:5432/test --redis redis://127.0.0.1:6379/0]
        [--root ../other-checkout]   # measure another checkout of Praxis (before/after)
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
#: Submissions per session: the member cap.
PER_SESSION = 12
WRK_SCRIPT = BENCH / "requests.lua"


# Servers
# -------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(target: str, env: dict, cwd: Path) -> tuple[subprocess.Popen, int]:
    """gunicorn -w 2 serving ``target``; returns once both workers answer (warm-up comes next)."""
    port = free_port()
    process = subprocess.Popen(
        [str(GUNICORN), "--workers", "2", "--bind", f"127.0.0.1:{port}", target],
        cwd=cwd,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/")
            connection.getresponse().read()
            return process, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{target} did not start")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=20)


# Load generators
# ---------------


class Request(tuple):
    """(method, path, cookie, body): one request to send."""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(port: int, requests: list, seconds: float, concurrency: int) -> dict:
    """wrk with 2 threads and ``concurrency`` connections, cycling through ``requests`` (each
    thread takes every other one, so no request is sent twice while there are enough)."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as listing:
        for method, path, cookie, body in requests:
            listing.write(f"{method}\t{path}\t{cookie}\t{body}\n")
    try:
        output = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{concurrency}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "-s",
                str(WRK_SCRIPT),
                f"http://127.0.0.1:{port}",
                "--",
                listing.name,
                "2",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(listing.name)
    found = re.search(r"RESULT (\d+) (\d+) ([\d.]+) (\d+) (\d+) (\d+)", output)
    if found is None:
        raise RuntimeError(f"wrk said:\n{output}")
    sent, micros, p99, errors, received, bad = found.groups()
    return {
        "rate": int(sent) / (int(micros) / 1e6),
        "p99": float(p99) / 1000,
        "errors": int(errors) + int(bad),
        "sent": int(sent),
        "bytes": int(received) / max(int(sent), 1),
    }


def run_python(port: int, requests: list, seconds: float, concurrency: int) -> dict:
    """The same with Python threads and keep-alive connections (when wrk is missing)."""
    latencies: list[float] = []
    received = errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(index: int) -> None:
        nonlocal received, errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, got, failed, n = [], 0, 0, index
        while time.perf_counter() < stop_at:
            method, path, cookie, body = requests[n % len(requests)]
            n += concurrency
            headers = {"Accept-Encoding": "gzip, deflate, br"}
            if cookie:
                headers["Cookie"] = cookie
            if method == "POST":
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            start = time.perf_counter()
            try:
                connection.request(method, path, body=body or None, headers=headers)
                response = connection.getresponse()
                got += len(response.read())
                failed += response.status >= 400
            except (OSError, http.client.HTTPException):
                failed += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            received += got
            errors += failed

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 100 else None
    return {
        "rate": len(latencies) / elapsed,
        "p99": p99,
        "errors": errors,
        "sent": len(latencies),
        "bytes": received / max(len(latencies), 1),
    }


def measure(port, requests, seconds, concurrency, warm_requests=None) -> dict:
    """Warm the path for a second (discarded), then measure it."""
    run = run_wrk if wrk_available() else run_python
    run(port, warm_requests or requests, 1, concurrency)
    return run(port, requests, seconds, concurrency)


# The app's data: sessions, drafts, and the requests a browser sends
# ------------------------------------------------------------------


def _keep(jar: dict, response) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";")[0].partition("=")
        if value:
            jar[name] = value


def _cookie(jar: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def browse(port: int, path: str, jar: dict) -> str:
    """GET ``path`` as a browser with ``jar``'s cookies: the page, the jar updated."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Cookie": _cookie(jar)} if jar else {})
    response = connection.getresponse()
    page = response.read().decode()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    _keep(jar, response)
    return page


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)[1]


class World:
    """The sessions and drafts of one database: made in-process, before the servers start."""

    def __init__(self, url: str, submits: int):
        from survey import create_app
        from survey.extensions import db
        from survey.models import Facilitator

        self.app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        sessions = 1 + submits // PER_SESSION + 1
        with self.app.app_context():
            db.create_all()
            owner = Facilitator(email=f"bench-{uuid.uuid4().hex[:8]}@example.org")
            owner.set_password("bench password")
            db.session.add(owner)
            db.session.flush()
            opened = [self._open(owner, number) for number in range(sessions)]
            db.session.commit()
            self.sessions = [(m.id, m.join_code, m.join_token) for m in opened]
        self.drafts, self.answers = self._complete_drafts(submits)

    @staticmethod
    def _open(owner, number):
        from common import make_group

        from survey.demo import MODULES
        from survey.services import meetings

        group = make_group(f"G{number}", owner)
        meeting = meetings.plan_meeting(
            group, title="Bench", date=dt.date(2026, 1, 1), modules=MODULES
        )
        meetings.open_collection(meeting)
        return meeting

    def _complete_drafts(self, count: int):
        """``count`` drafts holding a whole questionnaire (the demo's synthetic answers), saved
        page by page as the app saves them, 12 per session after the first; and the mean
        number of answers a submission records."""
        from werkzeug.datastructures import MultiDict

        from survey.demo import _person
        from survey.extensions import db
        from survey.kinds.form import formdata_of, section_form
        from survey.models import Meeting
        from survey.questionnaire import frozen_definition
        from survey.services import participation

        drafts, answered = [], 0
        with self.app.test_request_context():
            for index in range(count):
                meeting_id, _code, token = self.sessions[1 + index // PER_SESSION]
                meeting = db.session.get(Meeting, meeting_id)
                definition = frozen_definition(meeting)
                pages = [section_form(definition, s, "fr") for s in definition.sections]
                answers = list(_person(definition, random.Random(index), index, 0.0))
                answered += len(answers)
                fields = [formdata_of(page.questions, answers) for page in pages]
                draft, resume_token = participation.start_draft(meeting)
                for number, (section, page_fields) in enumerate(
                    zip(definition.sections[:-1], fields[:-1], strict=True), start=1
                ):
                    posted = MultiDict([(k, v) for k, vs in page_fields.items() for v in vs])
                    names = [f.name for f in pages[number - 1] if f.name != "csrf_token"]
                    checked = (section.id, names)
                    try:
                        participation.save_page(draft, names, posted, number + 1, checked)
                    except TypeError:  # an older Praxis (--root): pages saved without digests
                        participation.save_page(draft, names, posted, number + 1)
                drafts.append((meeting_id, token, resume_token, len(pages), fields[-1]))
                if index % 200 == 199:
                    db.session.commit()
            db.session.commit()
        return drafts, answered / max(count, 1)

    def reading_draft(self) -> tuple[int, str, str]:
        """A draft of the first session, for the page of questions and its saves."""
        from survey.extensions import db
        from survey.models import Meeting
        from survey.services import participation

        meeting_id, _code, token = self.sessions[0]
        with self.app.test_request_context():
            meeting = db.session.get(Meeting, meeting_id)
            _draft, resume_token = participation.start_draft(meeting)
            db.session.commit()
        return meeting_id, token, resume_token

    def first_page_fields(self) -> dict:
        from survey.demo import _person
        from survey.extensions import db
        from survey.kinds.form import formdata_of, section_form
        from survey.models import Meeting
        from survey.questionnaire import frozen_definition

        with self.app.test_request_context():
            meeting = db.session.get(Meeting, self.sessions[0][0])
            definition = frozen_definition(meeting)
            answers = list(_person(definition, random.Random(0), 0, 0.0))
            return formdata_of(
                section_form(definition, definition.sections[0], "fr").questions, answers
            )

    def recorded(self) -> int:
        from sqlalchemy import func, select

        from survey.extensions import db
        from survey.models import Response

        with self.app.app_context():
            return db.session.scalar(select(func.count()).select_from(Response))


def requests_for(world: World, port: int) -> dict[str, tuple[list, list | None]]:
    """Per path: the requests to send, and those to warm it with (when they can be sent once
    only, as submissions)."""
    meeting_id, token, resume_token = world.reading_draft()
    jar = {f"praxis-resume-{meeting_id}": resume_token}
    page = browse(port, f"/j/{token}/1", jar)
    csrf, cookie = csrf_of(page), _cookie(jar)
    fields = world.first_page_fields()
    save_body = urllib.parse.urlencode(
        [("csrf_token", csrf), ("action", "next")]
        + [(name, value) for name, values in fields.items() for value in values]
    )
    join_jar: dict = {}
    join_csrf = csrf_of(browse(port, "/", join_jar))
    start_jar: dict = {}
    start_csrf = csrf_of(browse(port, f"/j/{token}", start_jar))
    _id, code, _token = world.sessions[0]

    submits = []
    for draft_meeting, draft_token, draft_resume, last, last_fields in world.drafts:
        body = urllib.parse.urlencode(
            [("csrf_token", csrf), ("action", "submit"), ("code-choice", "none")]
            + [(name, value) for name, values in last_fields.items() for value in values]
        )
        # The same browser session (its CSRF token), each draft's own resume cookie.
        submit_cookie = _cookie({**jar, f"praxis-resume-{draft_meeting}": draft_resume})
        submits.append(Request(("POST", f"/j/{draft_token}/{last}", submit_cookie, body)))
    warm = max(1, len(submits) // 10)
    return {
        "welcome page": ([Request(("GET", f"/j/{token}", "", ""))], None),
        "join": (
            [
                Request(
                    (
                        "POST",
                        "/join",
                        _cookie(join_jar),
                        urllib.parse.urlencode({"csrf_token": join_csrf, "code": code}),
                    )
                )
            ],
            None,
        ),
        "start": (
            [
                Request(
                    (
                        "POST",
                        f"/j/{token}",
                        _cookie(start_jar),
                        urllib.parse.urlencode({"csrf_token": start_csrf}),
                    )
                )
            ],
            None,
        ),
        "page of questions": ([Request(("GET", f"/j/{token}/1", cookie, ""))], None),
        "page save": ([Request(("POST", f"/j/{token}/1", cookie, save_body))], None),
        "submit": (submits[warm:], submits[:warm]),
    }


# A run
# -----


def postgres_database(url: str) -> tuple[str, str]:
    """A new empty database beside ``url``'s: (its URL, its name)."""
    import psycopg

    name = f"praxis_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url.replace("postgresql://", "postgresql://", 1), autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}", name


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_database(label: str, url: str, env: dict, args, root: Path) -> dict:
    world = World(url, args.submits)
    praxis_env = {
        "SURVEY_DATABASE_URL": url,
        "SURVEY_SECRET_KEY": "bench",
        "SURVEY_START_RATE_LIMIT": '"100000000 per hour"',
        "SURVEY_JOIN_RATE_LIMIT": '"100000000 per hour"',
        "SURVEY_JOIN_GLOBAL_RATE_LIMIT": '"100000000 per hour"',
        **env,
    }
    praxis, port = serve("wsgi:app", praxis_env, root)
    try:
        paths = requests_for(world, port)
        results = {}
        for name, (requests, warm) in paths.items():
            results[name] = measure(port, requests, args.seconds, args.concurrency, warm)
    finally:
        stop(praxis)
    sent = results["submit"]["sent"] + (len(paths["submit"][1] or []) and 0)
    recorded = world.recorded()
    results["_check"] = {"submits sent": sent, "responses recorded": recorded}
    results["_answers"] = world.answers
    print(f"  {label}: {recorded} responses recorded", file=sys.stderr)
    return results


def baselines(args, answers: float) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="praxis-limit-"))
    hello, hello_port = serve("hello_app:app", {}, BENCH)
    limit, limit_port = serve(
        "limit_app:app",
        {"LIMIT_DATABASE": str(folder / "limit.db"), "LIMIT_ANSWERS": str(round(answers))},
        BENCH,
    )
    try:
        body = urllib.parse.urlencode([(f"field{i}", str(i % 11)) for i in range(round(answers))])
        return {
            "bare Flask hello": measure(
                hello_port, [Request(("GET", "/", "", ""))], args.seconds, args.concurrency
            ),
            "limit route": measure(
                limit_port,
                [Request(("POST", "/submit", "", body))],
                args.seconds,
                args.concurrency,
            ),
        }
    finally:
        stop(hello)
        stop(limit)


WRITES = {"join", "start", "page save", "submit"}


def report(label: str, results: dict, base: dict) -> None:
    hello, limit = base["bare Flask hello"]["rate"], base["limit route"]["rate"]
    print(f"\n{label}")
    print(
        f"| {'path':22s} | {'req/s':>7s} | {'p99 ms':>7s} | {'of hello':>8s} | "
        f"{'of limit':>8s} | {'bytes':>7s} | errors |"
    )
    print(f"|{'-' * 24}|{'-' * 9}|{'-' * 9}|{'-' * 10}|{'-' * 10}|{'-' * 9}|--------|")
    rows = {**base, **{k: v for k, v in results.items() if not k.startswith("_")}}
    for name, r in rows.items():
        of_limit = f"{r['rate'] / limit:.0%}" if name in WRITES else ""
        p99 = f"{r['p99']:.1f}" if r["p99"] is not None else "n/a"
        print(
            f"| {name:22s} | {r['rate']:7.0f} | {p99:>7s} | {r['rate'] / hello:8.1%} | "
            f"{of_limit:>8s} | {r['bytes']:7.0f} | {r['errors']:6d} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--submits", type=int, default=3000, help="complete drafts to send")
    parser.add_argument("--postgres", help="also measure on PostgreSQL (a database is created)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--root", type=Path, default=BENCH.parent, help="the Praxis to measure")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    root = args.root.resolve()
    sys.path[:0] = [str(root), str(BENCH)]

    generator = "wrk" if wrk_available() else "Python threads (wrk not found)"
    print(
        f"gunicorn 2 workers per server, {args.concurrency} connections, {args.seconds:.0f} s per "
        f"path after 1 s of warm-up; load: {generator}; Praxis at {root}"
    )
    figures = {}
    folder = Path(tempfile.mkdtemp(prefix="praxis-http-"))
    figures["SQLite"] = run_database("SQLite", f"sqlite:///{folder / 'http.db'}", {}, args, root)
    if args.postgres:
        url, name = postgres_database(args.postgres)
        try:
            figures["PostgreSQL + Redis"] = run_database(
                "PostgreSQL + Redis",
                url.replace("postgresql://", "postgresql+psycopg://", 1),
                {"SURVEY_RATELIMIT_STORAGE": args.redis},
                args,
                root,
            )
        finally:
            drop_postgres(args.postgres, name)
    base = baselines(args, figures["SQLite"]["_answers"])
    for label, results in figures.items():
        report(label, results, base)
        check = results["_check"]
        if check["responses recorded"] < check["submits sent"]:
            print(f"  (!) {check}")
    print(
        f"\na submission sends the last page of a whole questionnaire and records "
        f"{figures['SQLite']['_answers']:.0f} answers; the limit route inserts as many rows"
    )
    if args.json:
        args.json.write_text(json.dumps({"baselines": base, **figures}, indent=2))


if __name__ == "__main__":
    main()
