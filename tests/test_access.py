"""A facilitator reaches only the groups they facilitate; every form needs its CSRF token."""

import pytest
from support import login, post

from survey.extensions import db
from survey.models import Group, Meeting, MeetingStatus

GROUP_ROUTES = [
    ("GET", "/groups/{group}"),
    ("GET", "/groups/{group}/edit"),
    ("POST", "/groups/{group}/edit"),
    ("POST", "/groups/{group}/facilitators"),
    ("POST", "/groups/{group}/facilitators/{owner}/remove"),
    ("GET", "/groups/{group}/sessions/new"),
    ("POST", "/groups/{group}/sessions/new"),
    ("GET", "/sessions/{meeting}"),
    ("GET", "/sessions/{meeting}/edit"),
    ("POST", "/sessions/{meeting}/edit"),
    ("POST", "/sessions/{meeting}/open"),
    ("POST", "/sessions/{meeting}/close"),
    ("POST", "/sessions/{meeting}/delete"),
]


@pytest.fixture
def someone_elses(make_facilitator, make_group, make_meeting):
    owner = make_facilitator(email="owner@example.org")
    meeting = make_meeting(make_group(owner, name="Groupe privé"), title="Séance privée")
    return {"group": meeting.group_id, "meeting": meeting.id, "owner": owner.id}


@pytest.mark.parametrize(("method", "route"), GROUP_ROUTES)
def test_another_facilitators_group_is_not_found(app, signed_in, someone_elses, method, route):
    url = route.format(**someone_elses)
    if method == "GET":
        response = signed_in.get(url)
    else:
        response = post(signed_in, url, {"title": "x", "date": "2027-01-01", "email": "a@b.org"})
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    with app.app_context():
        meeting = db.session.get(Meeting, someone_elses["meeting"])
        assert meeting.status == MeetingStatus.DRAFT and meeting.title == "Séance privée"
        assert len(db.session.get(Group, someone_elses["group"]).facilitators) == 1


def test_the_group_list_shows_only_ones_own_groups(signed_in, someone_elses):
    assert "Groupe privé" not in signed_in.get("/groups").text


@pytest.mark.parametrize(("method", "route"), GROUP_ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(client, someone_elses, method, route):
    url = route.format(**someone_elses)
    response = client.get(url) if method == "GET" else post(client, url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_missing_csrf_token_is_refused_and_changes_nothing(
    app, signed_in, facilitator, make_group, make_meeting
):
    group = make_group(facilitator)
    meeting = make_meeting(group)

    response = signed_in.post(f"/sessions/{meeting.id}/open")
    assert response.status_code == 400
    assert "Ce formulaire a expiré" in response.get_data(as_text=True).replace("&#39;", "'")

    forged = signed_in.post(
        "/groups/new",
        data={
            "csrf_token": "forged",
            "name": "Forgé",
            "domain": "other",
            "establishments": "X",
            "member_cap": "12",
            "anonymity_threshold": "4",
        },
    )
    assert forged.status_code == 400
    with app.app_context():
        assert db.session.get(Meeting, meeting.id).status == MeetingStatus.DRAFT
        assert db.session.scalar(db.select(Group).where(Group.name == "Forgé")) is None


def test_login_form_needs_csrf_too(client, facilitator):
    response = client.post("/login", data={"email": facilitator.email, "password": "x"})
    assert response.status_code == 400


def test_a_token_from_another_session_is_refused(
    app, client, facilitator, make_meeting, make_group
):
    meeting = make_meeting(make_group(facilitator))
    login(client, facilitator)
    attacker = app.test_client()
    token = attacker.get("/").text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(f"/sessions/{meeting.id}/open", data={"csrf_token": token})
    assert response.status_code == 400
