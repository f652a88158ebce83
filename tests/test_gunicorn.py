"""Under gunicorn with several workers: submissions stored exactly once, limits that hold.

These start real gunicorn processes against the test database (SQLite file or PostgreSQL
schema) and fire concurrent requests over loopback.
"""

import http.client
import os
import re
import signal
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from sqlalchemy import func, select
from support import Browser, gunicorn, worker_pids

from survey.extensions import db
from survey.models import Answer, Draft, Response, Submission

ROUNDS, CONCURRENT, PER_MEETING = 5, 100, 10
PAGES = 4  # the core of the standard questionnaire
SUBMIT = {"action": "submit", "proposal": "Tenir bon", "situation_to_bring": "Un refus difficile"}
ANSWERS_PER_RESPONSE = 2
IN_MEMORY_WARNING = "Rate limits are counted in each worker's memory"


def open_meetings(app, make_group, make_meeting, owner, count) -> list[str]:
    group = make_group(owner, name=f"Charge {uuid.uuid4().hex[:6]}")
    return [make_meeting(group, title=f"S{i}", status="open").join_token for i in range(count)]


def prepare(base, tokens) -> list[tuple[Browser, str, str]]:
    """One browser per respondent: a started draft and the last page's form token."""

    def one(index):
        token = tokens[index // PER_MEETING]
        browser = Browser(base)
        status, _ = browser.post(f"/j/{token}", {}, token_from=f"/j/{token}")
        assert status == 302, status
        _, page = browser.get(f"/j/{token}/{PAGES}")
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        return browser, token, csrf

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(one, range(len(tokens) * PER_MEETING)))


def fire(prepared, twice=True):
    """Every browser sends its submission (twice at once: a double click), all together."""
    requests = [(b, t, c) for b, t, c in prepared for _ in range(2 if twice else 1)]
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def send(index):
        browser, token, csrf = requests[index]
        barrier.wait()
        try:
            results[index] = browser.post(f"/j/{token}/{PAGES}", {"csrf_token": csrf, **SUBMIT})
        except (OSError, http.client.HTTPException) as error:
            # A killed worker drops its connections, even halfway through an answer.
            results[index] = (None, str(error))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def outcome(results) -> Counter:
    counts = Counter()
    for status, body in results:
        if status is None:
            counts["dropped"] += 1
        elif status >= 500:
            counts["error"] += 1
        elif "Merci, vos réponses sont enregistrées" in body:
            counts["stored"] += 1
        elif "Vos réponses sont déjà enregistrées" in body:
            counts["already"] += 1
        else:
            counts[f"other {status}"] += 1
    return counts


def stored(app) -> tuple[int, int, int]:
    with app.app_context():
        responses = db.session.scalar(select(func.count()).select_from(Response))
        submissions = db.session.scalar(select(func.count()).select_from(Submission))
        partial = db.session.scalar(
            select(func.count()).select_from(
                select(Answer.response_id)
                .group_by(Answer.response_id)
                .having(func.count() != ANSWERS_PER_RESPONSE)
                .subquery()
            )
        )
        return responses, submissions, partial


def test_concurrent_submissions_are_stored_exactly_once(
    app, database_url, tmp_path, facilitator, make_group, make_meeting, capsys
):
    with gunicorn(database_url, 4, tmp_path, START_RATE_LIMIT='"100000 per hour"') as (
        base,
        _process,
        log,
    ):
        for number in range(1, ROUNDS + 1):
            tokens = open_meetings(
                app, make_group, make_meeting, facilitator, CONCURRENT // PER_MEETING
            )
            counts = outcome(fire(prepare(base, tokens)))
            responses, submissions, partial = stored(app)
            with capsys.disabled():
                print(
                    f"\n{database_url.split(':')[0]} round {number}: {dict(counts)}; "
                    f"stored {responses}/{number * CONCURRENT}"
                )
            assert counts == {"stored": CONCURRENT, "already": CONCURRENT}, counts
            assert responses == submissions == number * CONCURRENT and partial == 0
        server_log = log.read_text()
    assert "database is locked" not in server_log
    assert "Traceback" not in server_log, server_log[-3000:]


def test_a_killed_worker_leaves_no_partial_response(
    app, database_url, tmp_path, facilitator, make_group, make_meeting, capsys
):
    with gunicorn(database_url, 4, tmp_path, START_RATE_LIMIT='"100000 per hour"') as (
        base,
        process,
        _log,
    ):
        tokens = open_meetings(app, make_group, make_meeting, facilitator, 5)
        prepared = prepare(base, tokens)
        victim = worker_pids(process)[0]
        killer = threading.Timer(0.05, os.kill, (victim, signal.SIGKILL))
        killer.start()
        first = outcome(fire(prepared, twice=False))
        killer.join()
        responses, submissions, partial = stored(app)
        # A worker killed after its commit stores the response but never answers: "dropped".
        assert partial == 0 and responses == submissions
        assert first["stored"] <= responses <= first["stored"] + first["dropped"]
        time.sleep(1)  # gunicorn replaces the killed worker
        retry = outcome(fire(prepared, twice=False))  # browsers send again what failed
        responses, submissions, partial = stored(app)
    with capsys.disabled():
        print(
            f"\n{database_url.split(':')[0]} killed worker: first {dict(first)}, "
            f"retry {dict(retry)}, stored {responses}/{len(prepared)}"
        )
    assert first["error"] == retry["error"] == 0
    assert responses == submissions == len(prepared) and partial == 0
    assert retry["stored"] + retry["already"] == len(prepared)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


@pytest.fixture
def redis_url():
    url = os.environ.get("SURVEY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI at {url}")
        pytest.skip(f"no Redis at {url}")
    return url


def test_rate_limits_hold_across_workers(app, database_url, tmp_path, facilitator, redis_url):
    prefix = f"praxis-test-{uuid.uuid4().hex}"
    with gunicorn(
        database_url, 4, tmp_path, RATELIMIT_STORAGE=redis_url, RATELIMIT_KEY_PREFIX=prefix
    ) as (base, _process, log):
        logins = []
        for _ in range(8):
            browser = Browser(base)  # a new connection each time: any of the four workers
            logins.append(
                browser.post(
                    "/login", {"email": facilitator.email, "password": "no"}, token_from="/login"
                )[0]
            )
        codes = []
        for _ in range(13):
            browser = Browser(base)
            codes.append(browser.post("/join", {"code": "ZZZZZZ"}, token_from="/")[0])
    assert logins == [200] * 5 + [429] * 3
    assert codes == [200] * 10 + [429] * 3
    assert IN_MEMORY_WARNING not in log.read_text()  # shared counters: nothing to warn about
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


def test_several_workers_counting_limits_in_memory_are_warned_about_once(tmp_path):
    """gunicorn.conf.py, read from the working directory, warns from the first worker only."""
    with gunicorn(f"sqlite:///{tmp_path / 'unused.db'}", 3, tmp_path) as (_base, _process, log):
        for _ in range(100):  # the first worker may still be starting when another answers
            if IN_MEMORY_WARNING in log.read_text():
                break
            time.sleep(0.1)
    server_log = log.read_text()
    assert server_log.count(IN_MEMORY_WARNING) == 1, server_log
    assert "[WARNING]" in server_log and "3 workers" in server_log
