"""Every route of the app, as anonymous, as a participant, as another facilitator and as the owner.

Routes come from the URL map, so a new route is checked as soon as it exists; a route whose
parameters this test does not know fails until a value is given below.
"""

import pytest
from helpers import PASSWORD, csrf_token, login
from participant_helpers import start
from test_dashboard import add_responses, set_status

from survey.extensions import db
from survey.models import CofacilitatorInvitation, Meeting
from survey.results import queries

#: Endpoints anyone may reach: the participant journey, the home page, sign-in, assets.
PUBLIC = {
    "static",
    "site.home",
    "site.set_language",
    "facilitator.login",
} | {
    "participant.join",
    "participant.welcome",
    "participant.invitation",
    "participant.resume",
    "participant.answer",
    "participant.journal",
}
#: Endpoints every signed-in facilitator uses for their own account, not tied to one group.
OWN_ACCOUNT = {
    "facilitator.logout",
    "facilitator.groups",
    "facilitator.new_group",
    "dashboard.overview_of_groups",  # their own groups only: see test_overview.py
}
SECRET_GROUP = "Groupe très confidentiel"


@pytest.fixture
def world(app, make_facilitator, make_group, make_meeting):
    owner = make_facilitator(email="owner@example.org")
    group = make_group(owner, name=SECRET_GROUP)
    closed = make_meeting(group, title="Séance close", status="open")
    add_responses(app, closed.id, 4)
    set_status(app, closed.id, "closed")
    token = closed.join_token
    open_token = make_meeting(group, title="Séance ouverte", status="open").join_token
    with app.app_context():
        # Pending: neither the other facilitator nor a visitor may answer or withdraw it.
        invitation = CofacilitatorInvitation(
            group_id=group.id, email="invited@example.org", inviter_id=owner.id
        )
        db.session.add(invitation)
        db.session.commit()
        invitation_id = invitation.id
    return {
        "open_token": open_token,
        "owner": owner,
        "other": make_facilitator(email="other@example.org"),
        "values": {
            "group_id": group.id,
            "meeting_id": closed.id,
            "facilitator_id": owner.id,
            "invitation_id": invitation_id,
            "section_id": "prescribed_actual",
            "token": token,
            "page": 1,
            "resume_token": "unknown-resume-token",
            "card_token": "unknown-card-token",
            "filename": "css/praxis.css",
        },
    }


def routes(app, values):
    found = []
    for rule in app.url_map.iter_rules():
        missing = set(rule.arguments) - set(values)
        assert not missing, f"give a value for {missing} of {rule.rule}"
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<{rule._converters[name].__class__.__name__.lower()}:{name}>", "")
        path = app.url_map.bind("localhost").build(
            rule.endpoint, {a: values[a] for a in rule.arguments}
        )
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, path))
    return found


def call(client, method, path):
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(client)})


def test_every_facilitator_route_is_closed_to_everyone_but_its_facilitators(app, world):
    anonymous = app.test_client()
    participant = app.test_client()
    start(participant, world["open_token"])  # holds a draft, a resume cookie and a session
    other = app.test_client()
    login(other, world["other"])
    owner = app.test_client()
    login(owner, world["owner"], PASSWORD)

    checked = 0
    for endpoint, method, path in routes(app, world["values"]):
        if endpoint in PUBLIC:
            continue
        for who, client in (("anonymous", anonymous), ("participant", participant)):
            response = call(client, method, path)
            assert response.status_code == 302, (who, method, path)
            assert response.headers["Location"].startswith("/login"), (who, method, path)
        if endpoint == "facilitator.logout":
            continue  # signing the other facilitator out would end the test's session
        response = call(other, method, path)
        if endpoint not in OWN_ACCOUNT:
            assert response.status_code == 404, ("other facilitator", method, path)
        assert SECRET_GROUP not in response.get_data(as_text=True), (method, path)
        checked += 1
    assert checked >= 25

    for endpoint, method, path in routes(app, world["values"]):
        if endpoint in PUBLIC or method != "GET":
            continue
        response = owner.get(path)
        assert response.status_code in (200, 302), ("owner", path, response.status_code)
    # GET only reads: the confirmation pages before a publication or a deletion changed nothing.
    with app.app_context():
        meeting = db.session.get(Meeting, world["values"]["meeting_id"])
        assert meeting is not None and queries.latest_publication(meeting) == 0
