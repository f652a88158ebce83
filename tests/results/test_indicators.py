"""Indicators that measure themselves (issue 14, item 2): an indicator linked to a statement
reads, at every shown session from the one where it was decided, the very cell the trends page
shows for it — « moins de k réponses » where fewer than k answered; the review shows the latest
value against the target."""

from __future__ import annotations

import datetime as dt

import pytest
from support import answered_session as session
from support import csrf_token, text
from support import trends_tables as built

from survey.extensions import db
from survey.models import Group, Meeting, Outcome, OutcomeKind, OutcomeStatus
from survey.results import trends as group_trends
from survey.services import meetings, outcomes

TOO_FEW = "moins de 3 réponses"

WELCOME = "activities.welcome_direct"
HURRY = "lived.hurry"


def person(prescribed=None, actual=None, hurry=None):
    values = {(WELCOME, "prescribed"): prescribed, (WELCOME, "actual"): actual, (HURRY, ""): hurry}
    return {key: v for key, v in values.items() if v is not None}


def indicator(app, meeting_id, text, item, facet=None, target=None, status=None) -> int:
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        found = outcomes.record(
            meeting,
            outcomes.OutcomeFields(
                OutcomeKind.INDICATOR,
                text,
                indicator_item=item,
                indicator_facet=facet,
                target_value=target,
            ),
            "fr",
        )
        if status is not None:
            outcomes.set_status(found, status, "", meeting)
        db.session.commit()
        return found.id


@pytest.fixture
def group_id(make_group, facilitator):
    return make_group(facilitator, anonymity_threshold=3).id


@pytest.fixture
def three(app, group_id):
    """Three shown sessions: the statement hidden at the second (two answers of three)."""
    first = session(
        app,
        group_id,
        1,
        [person(8, 2, 4), person(6, 3, 5), person(7, 4, 6)],
    )
    second = session(app, group_id, 2, [person(9, 1, 2), person(9, 3, 2), person(hurry=5)])
    third = session(app, group_id, 3, [person(5, 4, 7), person(6, 5, 7), person(7, 3, 4)])
    return first, second, third


def test_values_are_the_settled_cells_with_a_hidden_one(app, group_id, three):
    first, second, third = three
    gap = indicator(app, first, "L'écart <se réduit>", WELCOME, "gap", target=-2.0)
    actual = indicator(app, second, "Le temps réel", WELCOME, "actual")
    hurry = indicator(app, first, "Moins de précipitation", HURRY)
    manual = indicator(app, first, "Compter les plaintes", None)
    dropped = indicator(app, first, "Abandonné", HURRY, status=OutcomeStatus.DROPPED)
    with app.test_request_context():
        group = db.session.get(Group, group_id)
        sessions = [db.session.get(Meeting, m) for m in three]
        found = {s.outcome_id: s for s in group_trends.indicators(group, sessions)}
    assert dropped not in found
    assert found[manual].values == {}  # measured by hand: nothing noted yet
    # Gap = actual − prescribed: (−6 − 3 − 3) / 3 = −4.0; hidden (2 < k); (−1 − 1 − 4) / 3.
    assert found[gap].values == {first: -4.0, second: None, third: -2.0}
    assert found[gap].target == -2.0 and found[gap].label == "L'écart <se réduit>"
    # Decided at the second session: nothing before it; the facet's mean (4 + 5 + 3) / 3.
    assert found[actual].values == {second: None, third: 4.0}
    # A rated statement: (4 + 5 + 6) / 3, (2 + 2 + 5) / 3 = 3.0, (7 + 7 + 4) / 3.
    assert found[hurry].values == {first: 5.0, second: 3.0, third: 6.0}

    result, _tables = built(app, group_id)
    rows = {chart.title: chart.rows[0] for chart in result.indicators}
    assert rows["L'écart <se réduit>"] == ["L'écart <se réduit>", "-4,0", TOO_FEW, "-2,0", "2,0"]
    assert rows["Le temps réel"][1:3] == ["—", TOO_FEW]


def test_the_review_shows_the_latest_value_and_the_target(app, group_id, three, signed_in):
    first, second, third = three
    indicator(app, first, "L'écart se réduit", WELCOME, "gap", target=-2.5)
    manual = indicator(app, first, "Compter les plaintes", None)
    with app.app_context():
        group = db.session.get(Group, group_id)
        fourth = meetings.plan_meeting(group, title="Séance 4", date=dt.date(2026, 1, 4))
        db.session.commit()
        fourth = fourth.id
    page = signed_in.get(f"/sessions/{fourth}/review").get_data(as_text=True)
    slot = page[page.index('class="indicator-latest"') :]
    slot = slot[: slot.index("</p>")]
    assert "-2,0" in slot and "Séance 3" in slot and "-2.5" in slot.replace(",", ".")
    # A manual indicator has no value read from the results.
    manual_slot = page[page.index(f'data-indicator="{manual}"') :]
    assert "-2,0" not in manual_slot[: manual_slot.index("</p>")]
    # At the second session the latest cell is hidden: the words, not the first session's value.
    page = signed_in.get(f"/sessions/{second}/review").get_data(as_text=True)
    slot = page[page.index('class="indicator-latest"') :]
    slot = slot[: slot.index("</p>")]
    assert TOO_FEW in slot and "-4,0" not in slot and "Séance 2" in slot
    assert third


def test_the_projection_review_slide_shows_the_latest_value(app, three, signed_in):
    first, second, third = three
    indicator(app, first, "L'écart se réduit", WELCOME, "gap", target=-2.5)
    slide = signed_in.get(f"/sessions/{third}/present").get_data(as_text=True)
    slot = slide[slide.index('class="indicator-latest"') :]
    slot = slot[: slot.index("</p>")]
    # The third session is shown: its own cell is the latest.
    assert "-2,0" in slot and "Séance 3" in slot and "-2.5" in slot.replace(",", ".")
    assert second


def note_value(client, meeting_id, outcome_id, value, note_text=""):
    prefix = f"o{outcome_id}-"
    return client.post(
        f"/sessions/{meeting_id}/outcomes/{outcome_id}/status",
        data={
            f"{prefix}csrf_token": csrf_token(client),
            f"{prefix}status": "open",
            f"{prefix}value": value,
            f"{prefix}note": note_text,
        },
    )


def test_a_manual_indicator_takes_a_value_at_each_review(app, group_id, three, signed_in):
    first, second, third = three
    manual = indicator(app, first, "Plaintes écrites par mois", None, target=2.0)
    read = indicator(app, first, "L'écart se réduit", WELCOME, "gap")
    # The review of the second session shows the field; typed the French way.
    page = signed_in.get(f"/sessions/{second}/review").get_data(as_text=True)
    assert f'name="o{manual}-value"' in page and f'name="o{read}-value"' not in page
    assert note_value(signed_in, second, manual, "7", "Relevé du secrétariat").status_code == 302
    assert note_value(signed_in, third, manual, "4,5").status_code == 302
    # Noted twice in one review: the last value stands.
    note_value(signed_in, third, manual, "4")
    # Not a number, infinite, or on an indicator read from the results: refused, nothing kept.
    for wrong in ("beaucoup", "nan", "inf", "1e12"):
        assert "Saisissez un nombre" in text(
            signed_in.get(note_value(signed_in, third, manual, wrong).location)
        )
    note_value(signed_in, third, read, "3")
    with app.app_context():
        outcome = db.session.get(Outcome, manual)
        assert [(r.meeting_id, r.value) for r in outcome.revisions if r.value is not None] == [
            (second, 7.0),
            (third, 4.5),
            (third, 4.0),
        ]
        assert all(r.value is None for r in db.session.get(Outcome, read).revisions)
        group = db.session.get(Group, group_id)
        sessions = [db.session.get(Meeting, m) for m in three]
        found = {s.outcome_id: s for s in group_trends.indicators(group, sessions)}
    assert found[manual].values == {second: 7.0, third: 4.0}
    assert found[manual].digits == 0

    # The review shows the latest noted value; the trends page draws the series with its target.
    slot = signed_in.get(f"/sessions/{third}/review").get_data(as_text=True)
    slot = slot[slot.index(f'data-indicator="{manual}"') :]
    slot = slot[: slot.index("</p>")]
    assert "4" in slot and "Séance 3" in slot and "valeur cible\xa0: 2" in slot
    result, _tables = built(app, group_id)
    rows = {chart.title: chart.rows[0] for chart in result.indicators}
    assert rows["Plaintes écrites par mois"][1:4] == ["—", "7", "4"]


def test_a_value_noted_in_a_session_not_yet_shown_appears_on_its_review(
    app, group_id, three, signed_in
):
    first = three[0]
    manual = indicator(app, first, "Plaintes écrites par mois", None)
    with app.app_context():
        group = db.session.get(Group, group_id)
        fourth = meetings.plan_meeting(group, title="Séance 4", date=dt.date(2026, 1, 4))
        db.session.commit()
        fourth = fourth.id
    note_value(signed_in, fourth, manual, "3")
    slot = signed_in.get(f"/sessions/{fourth}/review").get_data(as_text=True)
    slot = slot[slot.index(f'data-indicator="{manual}"') :]
    assert "Séance 4" in slot[: slot.index("</p>")]


def test_a_value_too_small_to_draw_still_prints_the_cycle_review(app, group_id, three, signed_in):
    # The form takes any finite number: the smallest float must not break the printed chart.
    first, second, third = three
    manual = indicator(app, first, "Plaintes écrites par mois", None)
    for meeting_id in (second, third):
        assert note_value(signed_in, meeting_id, manual, "5e-324").status_code == 302
    page = signed_in.get(f"/groups/{group_id}/cycle?outcomes=all")
    assert page.status_code == 200
    assert "Plaintes écrites par mois" in page.get_data(as_text=True)
