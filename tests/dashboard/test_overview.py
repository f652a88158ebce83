"""The overview of many groups: computed in the database, equal to the pandas metrics, under k."""

import pytest
from sqlalchemy import select
from support import text

from survey import analytics
from survey.extensions import db
from survey.models import Group, Meeting, MeetingStatus
from survey.results import overview, queries
from survey.services import publication


def test_the_database_computes_what_the_pandas_metrics_compute(app, signed_in, demo_groups):
    demo_groups(2)  # six closed sessions, one open in each group
    with app.test_request_context():
        groups = list(db.session.scalars(select(Group)))
        built = overview.build(groups, "fr")
        closed = db.session.scalars(select(Meeting).where(Meeting.status == MeetingStatus.CLOSED))
        items = _statements(groups)
        answers = queries.sessions_answers_frame(list(closed), list(items["item"]))
        expected = analytics.paired_metrics(answers, items)

    computed = {row.label: row for row in built.rows}
    labels = items.set_index("item")["label"]
    assert built.groups == 2 and len(computed) == len(expected) >= 10
    for item, row in expected.iterrows():
        shown = computed[labels[item]]
        assert (shown.n, shown.sessions) == (row["n"], 6)
        assert number(shown.mean_gap) == pytest.approx(row["mean_gap"], abs=0.05)
        assert number(shown.mean_abs_gap) == pytest.approx(row["mean_abs_gap"], abs=0.05)
    sizes = [number(r.mean_abs_gap) for r in built.rows]
    assert sizes == sorted(sizes, reverse=True)

    page = text(signed_in.get("/overview"))
    assert "Aider à effectuer une démarche en ligne" in page and "Séance 1" not in page


def number(cell: str) -> float:
    return float(cell.replace("\u202f", "").replace("−", "-").replace(",", "."))


def _statements(groups):
    """The overview's statements as an items frame (every paired scale runs from 0 to 10)."""
    items = overview._statements(groups, "fr").rename_axis("item").reset_index()
    items["kind"], items["scale_min"], items["scale_max"] = "paired", 0, 10
    return items


def test_statements_under_k_and_other_facilitators_groups_stay_out(
    app,
    signed_in,
    facilitator,
    make_facilitator,
    make_group,
    make_meeting,
    add_responses,
    set_status,
):
    mine = make_group(facilitator, anonymity_threshold=4)
    theirs = make_group(make_facilitator(email="other@example.org"), name="Leur groupe")
    for group, count in ((mine, 3), (theirs, 5)):
        meeting = make_meeting(group, status="open")
        add_responses(meeting.id, count)
        set_status(meeting.id, "closed")
        with app.app_context():
            publication.record(db.session.get(Meeting, meeting.id))
            db.session.commit()
    page = text(signed_in.get("/overview"))
    assert "Accueillir et orienter" not in page  # three answers in my group, five in theirs
    add_responses_to_a_new_session = make_meeting(mine, status="open").id
    add_responses(add_responses_to_a_new_session, 1)
    set_status(add_responses_to_a_new_session, "closed")
    with app.app_context():
        publication.record(db.session.get(Meeting, add_responses_to_a_new_session))
        db.session.commit()
    page = text(signed_in.get("/overview"))
    # Three answers in one session and one in another: neither cell is shown in its own
    # session, so neither enters the pool, although together they would reach k.
    assert "Accueillir et orienter" not in page
    shown_session = make_meeting(mine, status="open").id
    add_responses(shown_session, 4)
    set_status(shown_session, "closed")
    with app.app_context():
        publication.record(db.session.get(Meeting, shown_session))
        db.session.commit()
    page = text(signed_in.get("/overview"))
    row = page.split("Accueillir et orienter", 1)[1].split("</tr>", 1)[0]
    assert "<td>4</td>" in row and "<td>1</td>" in row  # the four of the shown session only
    assert "7,0" in row


@pytest.mark.parametrize("pairs", [[("a", "b"), ("b", "c")]])
def test_a_facet_on_both_sides_is_refused(app, pairs):
    with app.app_context(), pytest.raises(ValueError, match="both sides"):
        queries.paired_overview(None, ["x"], pairs)
