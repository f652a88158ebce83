"""Pages that show a join code, answers or results are never kept by the browser: on a shared
computer, the back button or the cache would show them to the next person.

Routes come from the URL map, as in test_authorization_matrix.py: a new page of these
blueprints is checked as soon as it exists.
"""

from support import PASSWORD, login, post, routes, start

PRIVATE_BLUEPRINTS = ("facilitator", "dashboard", "participant", "api")
#: Confirmation pages: here their action is done or impossible (results already shown, session
#: opened), so they send back to the page they came from; that answer is checked too.
CONFIRMATIONS = {"dashboard.publish", "facilitator.delete_meeting"}


def test_every_page_of_the_facilitator_dashboard_and_participant_blueprints_is_no_store(
    app,
    world,
):
    values = world["values"]
    owner = app.test_client()
    login(owner, world["owner"], PASSWORD)
    post(owner, f"/sessions/{values['meeting_id']}/results/publish")  # results pages answer 200
    participant = app.test_client()
    start(participant, world["open_token"])
    anonymous = app.test_client()

    checked, gets = set(), set()
    for endpoint, method, path in routes(app, values):
        if method != "GET" or endpoint.split(".")[0] not in PRIVATE_BLUEPRINTS:
            continue
        gets.add(endpoint)
        client = owner
        if endpoint.startswith("participant."):
            path = path.replace(values["token"], world["open_token"])
            client = participant
        elif endpoint == "facilitator.login":
            client = anonymous
        headers = world["api_headers"] if endpoint.startswith("api.") else {}
        response = client.get(path, headers=headers)
        if response.status_code == 200 or endpoint in CONFIRMATIONS:
            assert response.headers.get("Cache-Control") == "no-store", path
            checked.add(endpoint)
    # Only the links with an unknown token do not answer 200 here (their 404 is no-store too).
    assert gets - checked == {
        "participant.invitation",
        "participant.resume",
        "facilitator.reset_password",
        "facilitator.invitation_link",
    }


def test_pages_answering_a_post_are_no_store_too(app, world):
    """A POST that shows a page (a wrong join code, a journal, the login form) is not kept."""
    client = app.test_client()
    for path, data in (
        ("/join", {"code": "NOPE42"}),
        ("/journal", {"code": "lilas-phare-tortue-moulin-42"}),
        ("/login", {"email": "x@example.org", "password": "not the password"}),
    ):
        response = post(client, path, data)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_public_pages_and_assets_stay_cacheable(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    with client.get("/static/css/praxis.css") as asset:
        assert "no-store" not in asset.headers.get("Cache-Control", "")
