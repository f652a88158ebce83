"""Time to build one session's dashboard, next to a bare pandas groupby over the same answers.

12 respondents on the standard questionnaire with every module (synthetic answers from the demo
generator), SQLite in a temporary folder. Prints medians over repeated runs and their ratio.

    .venv/bin/python bench/dashboard.py [--runs 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from survey import create_app  # noqa: E402
from survey.dashboard import queries, results  # noqa: E402
from survey.demo import MODULES, _person  # noqa: E402
from survey.extensions import db  # noqa: E402
from survey.facilitator import services  # noqa: E402
from survey.models import Facilitator  # noqa: E402
from survey.participant import services as participant_services  # noqa: E402
from survey.questionnaire import Questionnaire  # noqa: E402

RESPONDENTS = 12


def median_ms(function, runs: int) -> float:
    function()  # warm up caches and imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp(prefix="praxis-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
        },
        instance_path=str(folder),
    )
    with app.app_context():
        db.create_all()
        owner = Facilitator(email="bench@example.org")
        owner.set_password("bench password")
        db.session.add(owner)
        db.session.flush()
        group = services.create_group(
            owner,
            name="Bench",
            domain="public_reception",
            establishments=["A"],
            member_cap=12,
            anonymity_threshold=4,
        )
        meeting = services.plan_meeting(
            group, title="Bench", date=dt.date(2026, 1, 1), modules=MODULES
        )
        services.open_collection(meeting)
        definition = Questionnaire.model_validate(meeting.snapshot)
        rng = random.Random(1)
        for person in range(RESPONDENTS):
            draft, _ = participant_services.start_draft(meeting)
            answers = list(_person(definition, rng, person, 0.0))
            participant_services.submit(meeting, draft.id, answers, None, None, "bench")
        services.close_collection(meeting)
        queries.publish(meeting)
        db.session.commit()
        meeting_id = meeting.id

    with app.test_request_context():
        meeting = db.session.get(type(meeting), meeting_id)
        definition = Questionnaire.model_validate(meeting.snapshot)
        frame = queries.answers_frame(meeting)
        baseline = median_ms(lambda: frame.groupby(["item", "facet"])["value"].mean(), runs)
        dashboard = median_ms(lambda: results.build(meeting, definition, "fr"), runs)
        metrics = median_ms(lambda: _metrics_only(meeting, definition), runs)

    client = app.test_client()
    signed_in = client.post(
        "/login", data={"email": "bench@example.org", "password": "bench password"}
    )
    assert signed_in.status_code == 302, "could not sign in"
    url = f"/sessions/{meeting_id}/results/prescribed_actual"
    assert client.get(url).status_code == 200
    page = median_ms(lambda: client.get(url), runs)

    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{RESPONDENTS} respondents, {len(frame)} numeric answers, {runs} runs (medians)"
    )
    print(f"bare pandas groupby-mean over the answers: {baseline:8.2f} ms")
    print(
        f"metrics and agenda (from the database):    {metrics:8.2f} ms  "
        f"({metrics / baseline:.0f}x the groupby)"
    )
    print(
        f"whole dashboard data, charts included:     {dashboard:8.2f} ms  "
        f"({dashboard / baseline:.0f}x the groupby)"
    )
    print(f"one section page over HTTP (test client):  {page:8.2f} ms")


def _metrics_only(meeting, definition):
    from survey import analytics

    items = queries.items_frame(definition, "fr")
    answers = queries.answers_frame(meeting)
    paired = analytics.paired_metrics(answers, items)
    tasks = analytics.task_map_metrics(answers, items)
    priorities = analytics.allocation_metrics(answers, items)
    analytics.rating_metrics(answers, items)
    return analytics.agenda(paired, tasks, priorities)


if __name__ == "__main__":
    main()
