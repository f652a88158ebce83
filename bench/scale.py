"""The organisation-wide overview over 10 k, 100 k and 1 M answers, on SQLite and PostgreSQL.

For each database and size, a fresh database is filled with synthetic closed sessions (12 people
each, 5 sessions a group; each person answers like one of 240 demo respondents), then a separate
process times, as medians:

- the baseline: a bare ``SELECT item_id, avg(value) FROM answer GROUP BY item_id``;
- the overview of every group (``dashboard.overview.build``): each person's gap and its means
  per statement computed in the database, then k, labels and formatting in Python;
- with ``--pandas``, the same figures the pandas way (every answer loaded, then
  ``analytics.paired_metrics``), to show what pushing the work into SQL saves;

and reports its peak resident memory. Prints the growth of time from one size to the next.

    .venv/bin/python bench/scale.py [--sizes 10000 100000 1000000] [--runs 5] [--pandas]
        [--postgres postgresql://postgres@127.0.0.1:5432/test]   ("" to skip PostgreSQL)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import resource
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from common import make_app, make_group, median_ms
from sqlalchemy import create_engine, insert, text

from survey.demo import _person
from survey.extensions import db
from survey.models import Answer, Facilitator, Group, Meeting, MeetingStatus, Response
from survey.questionnaire import catalog, resolve
from survey.questionnaire.lists import group_lists

PEOPLE, SESSIONS = 12, 5
POOL = 240


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pandas", action="store_true")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--measure", nargs=3, metavar=("URL", "MODE", "RUNS"), help="internal")
    args = parser.parse_args()
    if args.measure:
        url, mode, runs = args.measure
        print(json.dumps(measure(url, mode, int(runs))))
        return

    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}; "
        f"{args.runs} runs (medians); each measure in its own process"
    )
    print(
        f"{'database':10} {'answers':>9} {'baseline':>10} {'overview':>10} {'ratio':>6} "
        f"{'growth':>7} {'peak RSS':>9}" + ("   pandas way, peak RSS" if args.pandas else "")
    )
    databases = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    for name, server in databases:
        previous = None
        for size in args.sizes:
            with database(name, server) as url:
                answers = fill(url, size)
                result = run_measure(url, "sql", args.runs)
                took, baseline = result["overview"], result["baseline"]
                growth = f"{took / previous:>6.1f}x" if previous else f"{'':>7}"
                line = (
                    f"{name:10} {answers:>9,} {baseline:>8.0f}ms {took:>8.0f}ms "
                    f"{took / baseline:>5.1f}x {growth} {result['rss']:>6.0f} MB"
                )
                if args.pandas:
                    slow = run_measure(url, "pandas", max(1, args.runs // 2))
                    line += f"   {slow['overview']:>8.0f}ms {slow['rss']:>6.0f} MB"
                print(line, flush=True)
                previous = result["overview"]


def run_measure(url: str, mode: str, runs: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", url, mode, str(runs)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


class database:
    """A fresh SQLite file, or a private schema in the PostgreSQL server, dropped afterwards."""

    def __init__(self, name: str, server: str | None):
        self.name, self.server = name, server

    def __enter__(self) -> str:
        if self.server is None:
            return f"sqlite:///{Path(tempfile.mkdtemp(prefix='praxis-scale-')) / 'scale.db'}"
        self.schema = f"praxis_bench_{uuid.uuid4().hex[:10]}"
        self.engine = create_engine(self.server.replace("postgresql://", "postgresql+psycopg://"))
        with self.engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        separator = "&" if "?" in self.server else "?"
        return f"{self.server}{separator}options=-csearch_path%3D{self.schema}"

    def __exit__(self, *_exc) -> None:
        if self.server is not None:
            with self.engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            self.engine.dispose()


def fill(url: str, size: int) -> int:
    """Closed sessions whose answers add up to about ``size``; returns the number of answers."""
    app = make_app(url)  # tables created
    with app.app_context():
        questionnaire = catalog().get("standard")
        owner = Facilitator(email="bench@example.org", password_hash="x")
        db.session.add(owner)
        db.session.flush()
        group = make_group("G0", owner)
        definition = resolve(
            questionnaire,
            group_lists(group, questionnaire),
            [m.id for m in questionnaire.modules],
        )
        rng = random.Random(1)
        pool = [
            [(a.item, a.facet, a.value) for a in _person(definition, rng, n % 12, 0.0) if a.value]
            for n in range(POOL)
        ]
        per_person = sum(map(len, pool)) / POOL
        people = max(PEOPLE, round(size / per_person))
        sessions = -(-people // PEOPLE)
        groups = [group] + [make_group(f"G{n}", owner) for n in range(1, -(-sessions // SESSIONS))]
        meetings = []
        for number in range(sessions):
            meeting = Meeting(
                group=groups[number // SESSIONS],
                title=f"S{number}",
                date=dt.date(2026, 1, 1) + dt.timedelta(days=number % SESSIONS * 21),
                status=MeetingStatus.CLOSED,
            )
            meetings.append(meeting)
        db.session.add_all(meetings)
        db.session.flush()
        responses, answers = [], []
        for person in range(people):
            response_id = uuid.uuid4()
            responses.append(
                {
                    "id": response_id,
                    "meeting_id": meetings[person // PEOPLE].id,
                    "publication": 1,
                }
            )
            answers.extend((response_id, *answer) for answer in pool[person % POOL])
        db.session.execute(insert(Response), responses)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                raw = connection.connection.dbapi_connection
                with raw.cursor().copy(
                    "COPY answer (response_id, item_id, facet, value) FROM STDIN"
                ) as copy:
                    for row in answers:
                        copy.write_row(row)
                connection.exec_driver_sql("ANALYZE")
        else:
            rows = [
                {"response_id": r, "item_id": i, "facet": f, "value": v} for r, i, f, v in answers
            ]
            db.session.execute(insert(Answer), rows)
            db.session.commit()
            with db.engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
        return len(answers)


def measure(url: str, mode: str, runs: int) -> dict:
    from survey import analytics
    from survey.results import overview, queries

    app = make_app(url)
    with app.test_request_context():
        groups = list(db.session.scalars(db.select(Group)))
        baseline = median_ms(
            lambda: db.session.execute(
                text("SELECT item_id, avg(value) FROM answer GROUP BY item_id")
            ).all(),
            runs,
        )
        if mode == "sql":
            took = median_ms(lambda: overview.build(groups, "fr", organisation=True), runs)
        else:
            statements = overview._statements(groups, "fr").rename_axis("item").reset_index()
            statements["kind"], statements["scale_min"], statements["scale_max"] = "paired", 0, 10
            closed = list(db.session.scalars(db.select(Meeting)))

            def the_pandas_way():
                answers = queries.sessions_answers_frame(closed, list(statements["item"]))
                return analytics.paired_metrics(answers, statements)

            took = median_ms(the_pandas_way, runs)
    return {"baseline": baseline, "overview": took, "rss": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's peak resident memory. Not ``getrusage``: Linux carries its figure over
    ``exec`` from the parent, which here filled the database."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
