"""What the benchmarks share: an app on a fresh database, closed sessions with synthetic answers,
and a median timer."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from survey import create_app  # noqa: E402
from survey.demo import MODULES, _person  # noqa: E402
from survey.extensions import db  # noqa: E402
from survey.models import Facilitator, Group, Meeting  # noqa: E402
from survey.questionnaire import frozen_definition  # noqa: E402
from survey.services import groups, meetings, participation, publication  # noqa: E402

EMAIL, PASSWORD = "bench@example.org", "bench password"


def median_ms(function, runs: int) -> float:
    """Median wall time of ``function`` in milliseconds, after one warm-up call."""
    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def make_app(database_url: str | None = None, **config):
    """The app on ``database_url`` (a fresh SQLite file by default), its tables created;
    ``config`` overrides settings."""
    folder = Path(tempfile.mkdtemp(prefix="praxis-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{folder / 'bench.db'}",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            **config,
        },
        instance_path=str(folder),
    )
    with app.app_context():
        db.create_all()
    return app


def make_group(name: str = "Bench", owner: Facilitator | None = None) -> Group:
    """A group (k = 4, 12 members at most) of a facilitator who can sign in; call in app context."""
    if owner is None:
        owner = Facilitator(email=EMAIL)
        owner.set_password(PASSWORD)
        db.session.add(owner)
        db.session.flush()
    return groups.create_group(
        owner,
        name=name,
        domain="public_reception",
        establishments=["A"],
        member_cap=12,
        anonymity_threshold=4,
    )


def closed_session(group: Group, day: dt.date, respondents: int = 12, seed: int = 1) -> Meeting:
    """A session on the standard questionnaire with every module, answered by ``respondents``
    synthetic people (the demo's generator), closed and its results shown."""
    meeting = meetings.plan_meeting(group, title=f"Séance du {day}", date=day, modules=MODULES)
    meetings.open_collection(meeting)
    definition = frozen_definition(meeting)
    rng = random.Random(seed)
    for person in range(respondents):
        draft, _ = participation.start_draft(meeting)
        answers = list(_person(definition, rng, person, 0.0))
        participation.submit(meeting, draft.id, answers, None)
    meetings.close_collection(meeting)
    publication.record(meeting)
    return meeting


def sign_in(app):
    client = app.test_client()
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302, "could not sign in"
    return client
