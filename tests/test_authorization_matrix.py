"""Every route of the app, as anonymous, as a participant, as another facilitator and as the owner.

Routes come from the URL map, so a new route is checked as soon as it exists; a route whose
parameters this test does not know fails until a value is given below.
"""

from support import PASSWORD, SECRET_GROUP, csrf_token, login, routes, start

from survey.extensions import db
from survey.models import Meeting
from survey.results import queries

#: Endpoints anyone may reach: the participant journey, the home page, sign-in, assets.
PUBLIC = {
    "static",
    "site.home",
    "site.set_language",
    "facilitator.login",
    "facilitator.reset_password",  # its token is the credential: see test_accounts.py
    "facilitator.invitation_link",  # likewise: see test_cofacilitator_invitations.py
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
    "facilitator.account",
    "facilitator.rename",
    "facilitator.change_password",
    "facilitator.groups",
    "facilitator.new_group",
    "dashboard.overview_of_groups",  # their own groups only: see dashboard/test_overview.py
}


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
