"""A session's settled trend cells are kept per session: after one session's results are shown
again, only its cells are computed, and the trends are exactly those computed from nothing."""

import random

from support import answered_session
from support import trends_tables as built

from survey.extensions import db
from survey.kinds.form import AnswerValue
from survey.models import Meeting
from survey.services import meetings, participation, publication

WELCOME = "activities.welcome_direct"
HURRY = "lived.hurry"


def people(rng, n):
    return [
        {
            (WELCOME, "prescribed"): rng.randint(0, 10),
            (WELCOME, "actual"): rng.randint(0, 10),
            (HURRY, ""): rng.randint(1, 5),
        }
        for _ in range(n)
    ]


def tables_from_nothing(app, group_id):
    app.extensions.pop("praxis_trends", None)
    app.extensions.pop("praxis_trend_cells", None)
    return built(app, group_id)


def test_kept_cells_give_the_trends_computed_from_nothing(app, facilitator, make_group):
    group_id = make_group(facilitator, anonymity_threshold=3).id
    rng = random.Random(5)
    sessions = [answered_session(app, group_id, day, people(rng, 4)) for day in (1, 2, 3)]
    first, first_tables = built(app, group_id)
    assert len(app.extensions["praxis_trend_cells"]) == 3  # one batch, kept per session

    # Three more people answer the last session, whose results are shown again.
    with app.app_context():
        meeting = db.session.get(Meeting, sessions[-1])
        meetings.open_collection(meeting)  # reopened
        for person in people(rng, 3):
            draft, _ = participation.start_draft(meeting)
            values = [AnswerValue(i, f, float(v)) for (i, f), v in person.items()]
            participation.submit(meeting, draft.id, values, None)
        meetings.close_collection(meeting)
        publication.record(meeting)
        db.session.commit()
    again, again_tables = built(app, group_id)
    assert len(app.extensions["praxis_trend_cells"]) == 4  # the last session computed alone
    fresh, fresh_tables = tables_from_nothing(app, group_id)
    assert again_tables == fresh_tables
    assert [s.cells for s in again.statements] == [s.cells for s in fresh.statements]
    assert again.chart_table == fresh.chart_table
    # The new answers moved the last session's figures; the first two stayed as they were.
    assert again_tables != first_tables
    assert [s.cells[:2] for s in again.statements] == [s.cells[:2] for s in first.statements]


def test_equal_items_name_the_same_kept_cells_even_with_gaps():
    """Items rows holding NaN (a scale bound a kind has not) still find their kept cells: NaN
    objects hash by identity, so the key may not hash the values one by one."""
    import numpy as np
    import pandas as pd

    from survey.results.trends import _items_key

    def items(low=1.0):
        # Each NaN computed afresh: a new object every time.
        gaps = np.array([0.0, low]) * np.array([1.0, np.nan])
        return pd.DataFrame({"item": ["a", "b"], "kind": ["paired", "rating"], "low": gaps})

    assert _items_key(items()) == _items_key(items(2.0).copy())
    assert _items_key(items()) != _items_key(items().assign(low=[1.0, np.nan]))
