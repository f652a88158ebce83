"""Time to build one session's dashboard, next to a bare pandas groupby over the same answers.

12 respondents on the standard questionnaire with every module (synthetic answers from the demo
generator), SQLite in a temporary folder. Prints medians over repeated runs and their ratio.

    .venv/bin/python bench/dashboard.py [--runs 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import uuid

import numpy as np
import pandas as pd
from common import closed_session, make_app, make_group, median_ms, sign_in

from survey import analytics
from survey.extensions import db
from survey.models import Meeting
from survey.questionnaire import frozen_definition
from survey.results import queries
from survey.results import session as results

RESPONDENTS = 12
LARGE = 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    app = make_app()
    with app.app_context():
        meeting_id = closed_session(make_group(), dt.date(2026, 1, 1), RESPONDENTS).id
        db.session.commit()

    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        definition = frozen_definition(meeting)
        frame = queries.answers_frame(meeting)
        baseline = median_ms(lambda: frame.groupby(["item", "facet"])["value"].mean(), runs)
        settled = app.extensions.setdefault("praxis_published", {})
        dashboard = median_ms(
            lambda: (settled.clear(), results.build(meeting, definition, "fr")), runs
        )
        metrics = median_ms(lambda: _metrics_only(meeting, definition), runs)

        items = queries.items_frame(definition, "fr")

    client = sign_in(app)
    url = f"/sessions/{meeting_id}/results/prescribed_actual"
    assert client.get(url).status_code == 200
    page = median_ms(lambda: client.get(url), runs)
    cached = app.extensions["praxis_results"]
    cold_page = median_ms(lambda: (cached.clear(), settled.clear(), client.get(url)), runs)

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
