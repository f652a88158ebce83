"""Time to build a group's trends over 20 sessions, next to a bare pandas groupby.

20 closed sessions of 12 respondents on the standard questionnaire with every module (synthetic
answers from the demo generator), SQLite in a temporary folder. Prints medians and ratios.

    .venv/bin/python bench/trends.py [--runs 20] [--sessions 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform

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
        paired = list(items.loc[items["kind"] == "paired", "item"])
        frame = queries.sessions_answers_frame(sessions, paired)
        baseline = median_ms(
            lambda: frame.groupby(["session", "item", "facet"])["value"].mean(), args.runs
        )
        data = median_ms(lambda: group_trends.build(group, "fr"), args.runs)

    client = sign_in(app)
    url = f"/groups/{group_id}/trends"
    assert client.get(url).status_code == 200
    page = median_ms(lambda: client.get(url), args.runs)

    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{args.sessions} sessions of 12 respondents, {len(frame):,} answers to paired statements, "
        f"{args.runs} runs (medians)"
    )
    print(f"bare pandas groupby-mean by session:       {baseline:8.2f} ms")
    print(
        f"trends data (query, metrics, chart):       {data:8.2f} ms  "
        f"({data / baseline:.0f}x the groupby)"
    )
    print(f"trends page over HTTP (test client):       {page:8.2f} ms")


if __name__ == "__main__":
    main()
