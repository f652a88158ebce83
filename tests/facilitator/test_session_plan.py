"""A session's plan (« déroulé »): editing its phases, the usual plan, running it in the room,
and the « situations to bring » under the k + 2 rule."""

import re

import pytest
from support import csrf_token, login, post, text

from survey.extensions import db
from survey.kinds.form import AnswerValue
from survey.models import MAX_PLAN_PHASES, Meeting, SessionPlanPhase
from survey.services import meetings, participation, plans, publication

XSS = "<script>alert('phase')</script>"


@pytest.fixture
def meeting_id(facilitator, make_group, make_meeting):
    return make_meeting(make_group(facilitator, anonymity_threshold=4)).id


def stored(app, meeting_id) -> list[tuple]:
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        return [(p.position, p.title, p.minutes, p.roles, p.situations) for p in meeting.plan]


def form_data(phases, action="save") -> dict:
    """The plan form as a browser posts it: unticked boxes are absent."""
    data = {"action": action}
    for i, (title, minutes, roles, *rest) in enumerate(phases):
        data[f"phases-{i}-title"] = title
        data[f"phases-{i}-minutes"] = str(minutes)
        for role in roles:
            data[f"phases-{i}-{role}"] = "y"
        if rest and rest[0]:
            data[f"phases-{i}-situations"] = "y"
    return data


THREE = [
    ("Tour de table", 15, ()),
    ("Récit", 20, ("narrator", "timekeeper")),
    ("Ce que nous retenons", 25, ("observer",)),
]


def save(client, meeting_id, phases, action="save"):
    return post(client, f"/sessions/{meeting_id}/plan", form_data(phases, action))


def test_a_session_without_a_plan_offers_the_usual_one_to_start_from(app, signed_in, meeting_id):
    page = signed_in.get(f"/sessions/{meeting_id}/plan")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    with app.test_request_context():
        usual = plans.default_plan()
    titles = re.findall(r'name="phases-\d+-title"[^>]*value="([^"]*)"', page.text)
    assert [t.replace("&#39;", "'") for t in titles] == [p.title for p in usual]
    assert len(usual) == 9 and plans.total_minutes(usual) == 130
    assert 'id="plan-default-notice"' in page.text
    assert stored(app, meeting_id) == []  # offered, not saved
    # The choice of the situation lists the situations to bring; the account has its narrator.
    assert [p.situations for p in usual].count(True) == 1 and usual[2].situations
    assert usual[3].roles == ("narrator", "timekeeper")

    response = post(signed_in, f"/sessions/{meeting_id}/plan/default")
    assert response.status_code == 302
    assert [row[1] for row in stored(app, meeting_id)] == [p.title for p in usual]


def test_the_plan_is_saved_in_order_with_its_roles(app, signed_in, meeting_id):
    response = save(signed_in, meeting_id, THREE)
    assert response.status_code == 302
    assert stored(app, meeting_id) == [
        (0, "Tour de table", 15, [], False),
        (1, "Récit", 20, ["narrator", "timekeeper"], False),
        (2, "Ce que nous retenons", 25, ["observer"], False),
    ]
    page = text(signed_in.get(f"/sessions/{meeting_id}/plan"))
    assert 'id="plan-default-notice"' not in page
    assert re.search(r"1 h 00", page)  # the total, against a usual 2 to 3 hours
    session_page = text(signed_in.get(f"/sessions/{meeting_id}"))
    summary = re.search(r'<ol class="plan-summary">(.*?)</ol>', session_page).group(1)
    assert re.findall(r"<li>(.*?)</li>", summary) == [p[0] for p in THREE]
    assert "3 phases · 1 h 00" in session_page


@pytest.mark.parametrize(
    ("action", "titles"),
    [
        ("up-1", ["Récit", "Tour de table", "Ce que nous retenons"]),
        ("down-0", ["Récit", "Tour de table", "Ce que nous retenons"]),
        ("up-0", ["Tour de table", "Récit", "Ce que nous retenons"]),  # already first
        ("down-2", ["Tour de table", "Récit", "Ce que nous retenons"]),  # already last
        ("remove-1", ["Tour de table", "Ce que nous retenons"]),
        ("remove-9", ["Tour de table", "Récit", "Ce que nous retenons"]),  # no such phase
    ],
)
def test_phases_move_and_go(app, signed_in, meeting_id, action, titles):
    save(signed_in, meeting_id, THREE)
    response = save(signed_in, meeting_id, THREE, action)
    assert response.status_code == 302
    assert [row[1] for row in stored(app, meeting_id)] == titles
    assert [row[0] for row in stored(app, meeting_id)] == list(range(len(titles)))
    # A moved phase keeps its duration and roles.
    by_title = {row[1]: row[2:] for row in stored(app, meeting_id)}
    if "Récit" in by_title:
        assert by_title["Récit"] == (20, ["narrator", "timekeeper"], False)


def test_adding_a_phase_keeps_the_edits_and_lands_on_the_new_phase(app, signed_in, meeting_id):
    edited = [("Accueil", 5, ()), *THREE[1:]]
    response = save(signed_in, meeting_id, edited, "add")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#phase-3")
    rows = stored(app, meeting_id)
    assert [row[1] for row in rows[:3]] == ["Accueil", "Récit", "Ce que nous retenons"]
    assert rows[3][2] == 10 and rows[3][1]  # a titled phase of ten minutes


@pytest.mark.parametrize(
    "phase",
    [
        ("x" * 81, 10, ()),
        ("", 10, ()),
        ("   ", 10, ()),
        ("Récit", 0, ()),
        ("Récit", 181, ()),
        ("Récit", -5, ()),
    ],
)
def test_bad_phases_are_refused_and_nothing_changes(app, signed_in, meeting_id, phase):
    save(signed_in, meeting_id, THREE)
    response = save(signed_in, meeting_id, [THREE[0], phase])
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert [row[1] for row in stored(app, meeting_id)] == [p[0] for p in THREE]


def test_non_numeric_minutes_are_refused(app, signed_in, meeting_id):
    data = form_data(THREE)
    data["phases-1-minutes"] = "vingt"
    response = post(signed_in, f"/sessions/{meeting_id}/plan", data)
    assert response.status_code == 200 and 'aria-invalid="true"' in response.text
    assert stored(app, meeting_id) == []


def test_a_plan_has_at_most_twenty_phases(app, signed_in, meeting_id):
    full = [(f"Phase {i}", 5, ()) for i in range(MAX_PLAN_PHASES)]
    assert save(signed_in, meeting_id, full).status_code == 302
    response = save(signed_in, meeting_id, full, "add")
    assert response.status_code == 200
    assert len(stored(app, meeting_id)) == MAX_PLAN_PHASES
    assert 'value="add"' not in response.text  # no button to add more
    # Posting more phases than the cap keeps only the first twenty.
    save(signed_in, meeting_id, full + [("De trop", 5, ())])
    assert "De trop" not in [row[1] for row in stored(app, meeting_id)]


def test_the_service_checks_what_the_form_checks(app, meeting_id):
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        for bad in (
            plans.Phase("x" * 81, 10),
            plans.Phase("Récit", 0),
            plans.Phase("Récit", 181),
            plans.Phase("Récit", 10, ("Camille Martin",)),
        ):
            with pytest.raises(plans.ServiceError):
                plans.save_plan(meeting, [bad])
        plans.save_plan(
            meeting, [plans.Phase("  Récit   du  cas ", 10, ("timekeeper", "narrator"))]
        )
        assert [(p.title, p.roles) for p in meeting.plan] == [
            ("Récit du cas", ["narrator", "timekeeper"])
        ]


def test_a_phase_title_is_escaped_on_every_page(app, signed_in, meeting_id):
    save(signed_in, meeting_id, [(XSS, 10, ("narrator",)), THREE[1]])
    for path in (
        f"/sessions/{meeting_id}/plan",
        f"/sessions/{meeting_id}/plan/run",
        f"/sessions/{meeting_id}",
    ):
        page = signed_in.get(path).get_data(as_text=True)
        assert XSS not in page, path
        assert "&lt;script&gt;" in page, path


def test_the_plan_runs_without_javascript_as_a_list(app, signed_in, meeting_id):
    save(signed_in, meeting_id, THREE)
    page = signed_in.get(f"/sessions/{meeting_id}/plan/run")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert html.count('class="plan-slide"') == 3
    assert re.search(r'id="plan-controls" hidden', html)  # the timer needs the script
    assert "<script src=" in html and "js/plan.js" in html
    assert "<script>" not in html  # the CSP forbids inline scripts
    assert 'data-minutes="20"' in html
    slides = re.findall(r'<li class="plan-slide".*?</li>', html, re.S)
    assert "Récit" in slides[0] and "Récit" in slides[1]  # the next phase is said
    assert 'class="plan-role"' in slides[1] and 'class="plan-role"' not in slides[0]


def test_without_a_saved_plan_the_room_sees_the_usual_one(app, signed_in, meeting_id):
    html = signed_in.get(f"/sessions/{meeting_id}/plan/run").get_data(as_text=True)
    assert html.count('class="plan-slide"') == 9


def test_deleting_a_session_deletes_its_plan(app, signed_in, meeting_id):
    save(signed_in, meeting_id, THREE)
    assert post(signed_in, f"/sessions/{meeting_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(SessionPlanPhase)) == 0


# The « situations to bring » under the k + 2 rule (k = 4 here: six responses).


def answered(app, facilitator, make_group, make_meeting, count, show=True) -> int:
    """A closed session of a k = 4 group with ``count`` situations written, published if
    ``show``."""
    meeting_id = make_meeting(make_group(facilitator, anonymity_threshold=4), status="open").id
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        for person in range(count):
            draft, _ = participation.start_draft(meeting)
            answers = [
                AnswerValue("situation_to_bring", "", text=f"Situation n° {person}"),
                AnswerValue("proposal", "", text=f"Proposition {person}"),
            ]
            participation.submit(meeting, draft.id, answers, None)
        meetings.close_collection(meeting)
        if show:
            publication.publish(meeting)
        db.session.commit()
    return meeting_id


def situations_of(client, meeting_id) -> str:
    html = client.get(f"/sessions/{meeting_id}/plan/run").get_data(as_text=True)
    found = re.search(r'<section class="plan-situations".*?</section>', html, re.S)
    assert found, "the choice of the situation lists the situations"
    return found.group(0)


def test_situations_stay_hidden_below_k_plus_two(
    app, signed_in, facilitator, make_group, make_meeting
):
    meeting_id = answered(app, facilitator, make_group, make_meeting, 5)
    listed = situations_of(signed_in, meeting_id)
    assert "Situation n°" not in listed
    said = re.search(r'<p class="situations-hidden">([^<]*)</p>', listed).group(1)
    assert re.findall(r"\d+", said) == ["6"]  # k + 2 with k = 4, as a number


def test_situations_are_listed_from_k_plus_two_in_their_own_order(
    app, signed_in, facilitator, make_group, make_meeting
):
    meeting_id = answered(app, facilitator, make_group, make_meeting, 6)
    listed = situations_of(signed_in, meeting_id)
    shown = re.findall(r"<li>(Situation n° \d)</li>", listed)
    assert shown == sorted(f"Situation n° {i}" for i in range(6))
    assert "Proposition" not in listed  # only the situation items, each on its own


def test_situations_wait_for_the_results_to_be_shown(
    app, signed_in, facilitator, make_group, make_meeting
):
    meeting_id = answered(app, facilitator, make_group, make_meeting, 6, show=False)
    listed = situations_of(signed_in, meeting_id)
    assert "Situation n°" not in listed and 'class="situations-hidden"' in listed


def test_a_phase_without_the_box_lists_no_situation(
    app, signed_in, facilitator, make_group, make_meeting
):
    meeting_id = answered(app, facilitator, make_group, make_meeting, 6)
    save(signed_in, meeting_id, THREE)
    html = signed_in.get(f"/sessions/{meeting_id}/plan/run").get_data(as_text=True)
    assert "plan-situations" not in html and "Situation n°" not in html


# Authorization: another facilitator finds nothing; every change needs the CSRF token.


def test_another_facilitator_finds_no_plan(app, client, meeting_id, make_facilitator):
    other = make_facilitator(email="other@example.org")
    login(client, other)
    for path in (f"/sessions/{meeting_id}/plan", f"/sessions/{meeting_id}/plan/run"):
        assert client.get(path).status_code == 404
    assert save(client, meeting_id, THREE).status_code == 404
    assert post(client, f"/sessions/{meeting_id}/plan/default").status_code == 404
    assert stored(app, meeting_id) == []


def test_changes_need_the_csrf_token(app, signed_in, meeting_id):
    response = signed_in.post(f"/sessions/{meeting_id}/plan", data=form_data(THREE))
    assert response.status_code in (200, 400)
    signed_in.post(f"/sessions/{meeting_id}/plan/default")
    assert stored(app, meeting_id) == []
    assert csrf_token(signed_in)  # the session still works
