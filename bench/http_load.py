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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from survey import create_app  # noqa: E402
from survey.extensions import db  # noqa: E402
from survey.facilitator import services  # noqa: E402
from survey.models import Facilitator  # noqa: E402


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


def load(port: int, make_request, seconds: float, concurrency: int) -> tuple[float, float, int]:
    """Requests per second, p99 latency (ms) and errors, ``concurrency`` clients for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(index: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed, count = [], 0, 0
        while time.perf_counter() < stop:
            method, path, body, headers = make_request(index, count)
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
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    p99 = (
        statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 100 else float("nan")
    )
    return len(latencies) / seconds, p99, errors


def _keep(jar: dict, response) -> str:
    """Add the response's cookies to ``jar``; return the Cookie header to send next."""
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, value = header.split(";")[0].partition("=")
        if value:
            jar[name] = value
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def prepare_drafts(port: int, token: str, count: int) -> list[tuple[str, str]]:
    """Started drafts: (cookie header, CSRF token of the last page) for each future submission."""
    drafts = []
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for _ in range(count):
        jar: dict[str, str] = {}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", f"/j/{token}")
        response = connection.getresponse()
        page = response.read().decode()
        cookie = _keep(jar, response)
        csrf = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)[1]
        body = urllib.parse.urlencode({"csrf_token": csrf})
        connection.request("POST", f"/j/{token}", body=body, headers={"Cookie": cookie, **form})
        response = connection.getresponse()
        response.read()
        cookie = _keep(jar, response)
        connection.request("GET", f"/j/{token}/4", headers={"Cookie": cookie})
        response = connection.getresponse()
        page = response.read().decode()
        if response.status != 200:
            raise RuntimeError(f"could not start a draft: {response.status}")
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
        drafts.append((_keep(jar, response), csrf))
    return drafts


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
        for number in range(200):  # a fresh session every 12 submissions (the member cap)
            group = services.create_group(
                owner,
                name=f"G{number}",
                domain="public_reception",
                establishments=["A"],
                member_cap=12,
                anonymity_threshold=4,
            )
            meeting = services.plan_meeting(group, title="Bench", date=dt.date(2026, 1, 1))
            services.open_collection(meeting)
            meetings.append(meeting)
        db.session.commit()
        tokens = [m.join_token for m in meetings]

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
        pool = [prepare_drafts(port, token, 12) for token in tokens[:40]]
        flat = [d for group in pool for d in group]
        used = iter(range(len(flat)))
        lock = threading.Lock()

        def submit(i, n):
            with lock:
                index = next(used, None)
            if index is None:
                return ("GET", "/", None, {})
            cookie, csrf = flat[index]
            token = tokens[index // 12]
            body = urllib.parse.urlencode(
                {"csrf_token": csrf, "action": "submit", "proposal": "Tenir bon"}
            )
            return (
                "POST",
                f"/j/{token}/4",
                body,
                {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
            )

        results["submit"] = load(port, submit, min(args.seconds, 3), args.concurrency)
    finally:
        for process in (hello, praxis):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=10)

    base = results["bare Flask hello"][0]
    print(f"gunicorn 2 workers, SQLite, {args.concurrency} clients, {args.seconds:.0f} s each")
    for name, (rate, p99, errors) in results.items():
        print(
            f"{name:20s} {rate:8.0f} req/s  p99 {p99:6.1f} ms  errors {errors}  "
            f"({rate / base:.0%} of bare Flask)"
        )


if __name__ == "__main__":
    main()
