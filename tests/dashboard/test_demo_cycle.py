"""The demo's past sessions carry the cycle (issue 14, item 8): actions in every status with
their notes, an indicator read from « Limiter l'attente des personnes » that moves, a recurrence
and solutions; the upcoming session opens with its review, the trends with markers and series."""

import html

from sqlalchemy import select

from survey.demo import SHORT_WAIT
from survey.extensions import db
from survey.models import Group, Meeting, Outcome, OutcomeKind, OutcomeStatus
from survey.results import queries
from survey.results import trends as group_trends


def test_the_demo_carries_outcomes_of_every_kind(app, demo_groups):
    (group_id,) = (group.id for group in demo_groups())
    with app.test_request_context():
        group = db.session.get(Group, group_id)
        found = db.session.scalars(
            select(Outcome)
            .join(Meeting, Meeting.id == Outcome.meeting_id)
            .where(Meeting.group_id == group_id)
        ).all()
        actions = {o.status for o in found if o.kind == OutcomeKind.ACTION}
        assert actions == {
            OutcomeStatus.OPEN,
            OutcomeStatus.IN_PROGRESS,
            OutcomeStatus.DONE,
            OutcomeStatus.DROPPED,
        }
        notes = [r.note for o in found for r in o.revisions if r.note]
        assert len(notes) >= 5
        kinds = {o.kind for o in found}
        assert {OutcomeKind.RECURRENCE, OutcomeKind.SOLUTION, OutcomeKind.INDICATOR} <= kinds
        (indicator, manual) = [o for o in found if o.kind == OutcomeKind.INDICATOR]
        assert (indicator.indicator_item, indicator.indicator_facet) == (SHORT_WAIT, "gap")
        assert manual.indicator_item is None
        sessions = queries.published_sessions(group)
        series, by_hand = group_trends.indicators(group, sessions)
        values = [series.values[m.id] for m in sessions]
        # Shown at each of the three sessions, the gap narrowing a little each time.
        assert len(values) == 3 and None not in values
        assert values[0] < values[1] < values[2] < 0
        # Measured by hand: noted at the second and third sessions' reviews.
        assert list(by_hand.values.values()) == [8.0, 5.0]


def test_the_next_session_opens_with_the_review_and_the_trends_with_the_series(
    app, signed_in, demo_groups
):
    (group_id,) = (group.id for group in demo_groups())
    with app.app_context():
        group = db.session.get(Group, group_id)
        upcoming = max(group.meetings, key=lambda m: m.date).id
        shown = queries.published_sessions(group)
    review = html.unescape(signed_in.get(f"/sessions/{upcoming}/review").get_data(as_text=True))
    assert "Proposer un créneau d'aide aux démarches en ligne" in review  # in progress
    assert "Préparer ensemble une trame pour expliquer un refus" in review  # open
    assert "Tenir un relevé des temps d'attente" not in review  # dropped
    slot = review[review.index('class="indicator-latest"') :]
    assert shown[-1].title in slot[: slot.index("</p>")]
    trends = html.unescape(signed_in.get(f"/groups/{group_id}/trends").get_data(as_text=True))
    assert 'id="chart-indicator-0"' in trends
    assert "L'écart entre l'attente souhaitée et l'attente réaliste se réduit" in trends
