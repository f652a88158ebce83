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
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from survey import analytics, create_app  # noqa: E402
from survey.dashboard import queries, results  # noqa: E402
from survey.demo import MODULES, _person  # noqa: E402
from survey.extensions import db  # noqa: E402
from survey.facilitator import services  # noqa: E402
from survey.models import Facilitator  # noqa: E402
from survey.participant import services as participant_services  # noqa: E402
from survey.questionnaire import Questionnaire  # noqa: E402

RESPONDENTS = 12
LARGE = 1_000_000


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

        items = queries.items_frame(definition, "fr")

    client = app.test_client()
    signed_in = client.post(
        "/login", data={"email": "bench@example.org", "password": "bench password"}
    )
    assert signed_in.status_code == 302, "could not sign in"
    url = f"/sessions/{meeting_id}/results/prescribed_actual"
    assert client.get(url).status_code == 200
    page = median_ms(lambda: client.get(url), runs)
    cached = app.extensions["praxis_results"]
    cold_page = median_ms(lambda: (cached.clear(), client.get(url)), runs)

    large = synthetic_answers(frame, LARGE)
    large_runs = max(3, runs // 4)
    large_baseline = median_ms(lambda: large.groupby(["item", "facet"])["value"].mean(), large_runs)
    large_metrics = median_ms(lambda: _metrics_of(large, items), large_runs)

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
    print(f"one section page over HTTP, first view:    {cold_page:8.2f} ms")
    print(f"one section page over HTTP, cached:        {page:8.2f} ms")
    print(
        f"\n{len(large):,} synthetic answers ({large['response'].nunique():,} respondents), "
        f"{large_runs} runs (medians)"
    )
    print(f"bare pandas groupby-mean over the answers: {large_baseline:8.2f} ms")
    print(
        f"metrics and agenda:                        {large_metrics:8.2f} ms  "
        f"({large_metrics / large_baseline:.2f}x the groupby)"
    )


def synthetic_answers(frame: pd.DataFrame, size: int) -> pd.DataFrame:
    """About ``size`` answers: each respondent answers every key as one of the 12 people did."""
    table = frame.pivot_table(index="response", columns=["item", "facet"], values="value")
    keys = table.columns
    per_person = table.notna().to_numpy().sum() / len(table)
    people = int(np.ceil(size / per_person * 1.05))
    rng = np.random.default_rng(1)
    chosen = table.to_numpy()[
        rng.integers(0, len(table), (people, keys.size)), np.arange(keys.size)
    ]
    person, key = np.nonzero(~np.isnan(chosen))
    names = np.array([str(uuid.UUID(int=int(rng.integers(2**62)))) for _ in range(people)])
    return pd.DataFrame(
        {
            "response": names[person],
            "item": keys.get_level_values("item").to_numpy()[key],
            "facet": keys.get_level_values("facet").to_numpy()[key],
            "value": chosen[person, key],
        }
    ).head(size)


def _metrics_only(meeting, definition):
    items = queries.items_frame(definition, "fr")
    return _metrics_of(queries.answers_frame(meeting), items)


def _metrics_of(answers, items):
    paired = analytics.paired_metrics(answers, items)
    tasks = analytics.task_map_metrics(answers, items)
    priorities = analytics.allocation_metrics(answers, items)
    analytics.rating_metrics(answers, items)
    return analytics.agenda(paired, tasks, priorities)


if __name__ == "__main__":
    main()
