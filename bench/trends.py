"""Time to build a group's whole trends page over 20 sessions, next to a bare pandas groupby.

20 closed sessions of 12 respondents on the standard questionnaire with every module (synthetic
answers from the demo generator), SQLite in a temporary folder. The data is everything the
page shows: paired statements, the task map, priorities and every rated statement, settled per
(session, statistic), with their charts and tables: at a worker's first view (nothing kept),
at the first view after a publication (the other sessions' cells kept) and at later views.
Prints medians (wall and CPU time: on a busy machine the CPU time is the steadier figure).

    .venv/bin/python bench/trends.py [--runs 20] [--sessions 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time

from common import closed_session, make_app, make_group, median_ms, sign_in

from survey.extensions import db
from survey.models import Group
from survey.questionnaire import frozen_definition
from survey.results import queries
from survey.results import trends as group_trends


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=20)
    args = parser.parse_args()
    app = make_app()
    with app.app_context():
        group = make_group()
        for number in range(args.sessions):
            day = dt.date(2025, 1, 6) + dt.timedelta(weeks=3 * number)
            closed_session(group, day, seed=number)
        db.session.commit()
        group_id = group.id

    with app.test_request_context():
        group = db.session.get(Group, group_id)
        sessions = queries.published_sessions(group)
        items = queries.items_frame(frozen_definition(sessions[-1]), "fr")
        numeric = items.loc[items["kind"].isin(group_trends.KINDS), "item"]
        frame = queries.sessions_answers_frame(sessions, list(numeric))
        baseline = median_ms(
            lambda: frame.groupby(["session", "item", "facet"])["value"].mean(), args.runs
        )
        query = median_ms(
            lambda: queries.sessions_answers_frame(sessions, list(numeric)), args.runs
        )

        def cold():
            # A worker's first view of the group: nothing computed yet.
            app.extensions.pop("praxis_trends", None)
            app.extensions.pop("praxis_trend_cells", None)
            return group_trends.build(group, "fr")

        latest = sessions[-1]

        def after_publication():
            # The first view after the latest session's results were shown (or shown again):
            # its cells are computed, the 19 others' were kept.
            app.extensions.pop("praxis_trends", None)
            kept = app.extensions.get("praxis_trend_cells", {})
            for key in [key for key in kept if key[0] == latest.id]:
                del kept[key]
            return group_trends.build(group, "fr")

        data = median_ms(cold, args.runs)
        data_cpu = median_cpu_ms(cold, args.runs)
        published = median_ms(after_publication, args.runs)
        published_cpu = median_cpu_ms(after_publication, args.runs)
        warm = median_ms(lambda: group_trends.build(group, "fr"), args.runs)
        warm_cpu = median_cpu_ms(lambda: group_trends.build(group, "fr"), args.runs)
        built = group_trends.build(group, "fr")
        charts = 1 + sum(len(d.charts) for d in built.dimensions)

    client = sign_in(app)
    url = f"/groups/{group_id}/trends"
    assert client.get(url).status_code == 200
    page = median_ms(lambda: client.get(url), args.runs)

    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{args.sessions} sessions of 12 respondents, {len(frame):,} numeric answers, "
        f"{len(built.dimensions) + 1} dimensions, {charts} charts, {args.runs} runs (medians)"
    )
    print(f"bare pandas groupby-mean by session:       {baseline:8.2f} ms")
    print(f"the one query of every session's answers:  {query:8.2f} ms")
    print(
        f"trends data, a worker's first view (query, metrics, charts): {data:8.2f} ms  "
        f"({data / baseline:.0f}x the groupby; CPU time {data_cpu:.2f} ms)"
    )
    print(
        f"trends data, first view after a publication (one session computed): "
        f"{published:8.2f} ms  (CPU time {published_cpu:.2f} ms)"
    )
    print(
        f"trends data, later views (settled kept):          {warm:8.2f} ms  "
        f"(CPU time {warm_cpu:.2f} ms)"
    )
    print(f"trends page over HTTP (test client):       {page:8.2f} ms")


def median_cpu_ms(function, runs: int) -> float:
    """Median CPU time of ``function`` in milliseconds, after one warm-up call."""
    function()
    times = []
    for _ in range(runs):
        start = time.process_time()
        function()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    main()
