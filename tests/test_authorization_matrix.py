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
    "facilitator.create_token",  # a token of their own: see api/test_tokens.py
}
#: The JSON API answers a bearer token only: a session cookie opens nothing there (401 for
#: everyone without a token), another facilitator's token gets 404. Its OpenAPI document holds
#: no data and needs no token.
API_PUBLIC = {"api.openapi"}
#: API endpoints every token uses for its own facilitator, not tied to one group.
API_OWN = {"api.group_list"}


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
        if endpoint in PUBLIC or endpoint.startswith("api."):
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
        if endpoint in PUBLIC or method != "GET" or endpoint.startswith("api."):
            continue
        response = owner.get(path)
        assert response.status_code in (200, 302), ("owner", path, response.status_code)
    # GET only reads: the confirmation pages before a publication or a deletion changed nothing.
    with app.app_context():
        meeting = db.session.get(Meeting, world["values"]["meeting_id"])
        assert meeting is not None and queries.latest_publication(meeting) == 0


def test_every_api_route_needs_a_token_and_shows_only_the_token_holders_groups(app, world):
    """Cookies (a participant's, a signed-in facilitator's, the owner's own) open nothing in
    the API; another facilitator's token finds nothing of the group; the owner's token does."""
    participant = app.test_client()
    start(participant, world["open_token"])
    signed_in_owner = app.test_client()
    login(signed_in_owner, world["owner"], PASSWORD)
    other = app.test_client()
    login(other, world["other"])

    checked = 0
    for endpoint, method, path in routes(app, world["values"]):
        if not endpoint.startswith("api."):
            continue
        assert method == "GET", (endpoint, method)  # the API is read-only
        if endpoint in API_PUBLIC:
            assert app.test_client().get(path).status_code == 200
            continue
        for who, client in (
            ("anonymous", app.test_client()),
            ("participant", participant),
            ("owner's cookie", signed_in_owner),
            ("other's cookie", other),
        ):
            response = client.get(path)
            assert response.status_code == 401, (who, path)
            assert response.headers["WWW-Authenticate"].startswith("Bearer"), (who, path)
            assert response.json["error"]["code"] == "unauthorized", (who, path)
        response = other.get(path, headers=world["other_api_headers"])
        expected = 200 if endpoint in API_OWN else 404
        assert response.status_code == expected, ("other facilitator's token", path)
        assert SECRET_GROUP not in response.get_data(as_text=True), path
        if expected == 404:
            assert response.json["error"]["code"] == "not_found", path
        response = app.test_client().get(path, headers=world["api_headers"])
        # The closed session's results were not shown yet: 409 says so.
        assert response.status_code in (200, 409), ("owner's token", path)
        checked += 1
    assert checked >= 7
