"""The API's routes: whose groups, what they hold, errors, rate limit, CORS, the document."""

import pytest

from survey.extensions import db
from survey.models import Facilitator, Group
from survey.services import api_tokens


@pytest.fixture
def demo(app, facilitator, demo_groups, token_for):
    """The demo group of ``facilitator``, and the header of a token of theirs."""
    return demo_groups()[0], token_for(facilitator)


def get(app, path, headers, **options):
    return app.test_client().get(path, headers=headers, **options)


def test_a_facilitator_lists_the_groups_they_own_or_co_facilitate(
    app, demo, make_facilitator, make_group, token_for
):
    group, headers = demo
    colleague = make_facilitator(email="collegue@example.org")
    theirs = make_group(colleague, name="Groupe de la collègue")
    assert get(app, "/api/v1/groups", token_for(colleague)).json == {
        "groups": [{"id": theirs.id, "name": "Groupe de la collègue", "k": 4, "role": "owner"}]
    }
    with app.app_context():
        shared = db.session.get(Group, group.id)
        shared.facilitators.append(db.session.get(Facilitator, colleague.id))
        db.session.commit()
    listed = get(app, "/api/v1/groups", token_for(colleague)).json["groups"]
    assert {(g["id"], g["role"]) for g in listed} == {
        (theirs.id, "owner"),
        (group.id, "co-facilitator"),
    }
    assert get(app, f"/api/v1/groups/{theirs.id}", headers).status_code == 404


def test_another_facilitators_token_finds_none_of_the_groups_resources(
    app, demo, make_facilitator, token_for
):
    group, _headers = demo
    stranger = token_for(make_facilitator(email="intrus@example.org"))
    paths = [f"/api/v1/groups/{group.id}"]
    paths += [f"/api/v1/groups/{group.id}/{part}" for part in ("sessions", "trends", "outcomes")]
    paths += [f"/api/v1/sessions/{i}" for i in range(1, 5)]
    paths += [f"/api/v1/sessions/{i}/results" for i in range(1, 5)]
    for path in paths:
        response = get(app, path, stranger)
        assert response.status_code == 404, path
        assert response.json == {
            "error": {"code": "not_found", "message": "No such resource, or it is not yours."}
        }
    assert get(app, "/api/v1/groups", stranger).json == {"groups": []}


def test_a_group_its_sessions_and_outcomes(app, demo):
    group, headers = demo
    detail = get(app, f"/api/v1/groups/{group.id}", headers).json
    assert detail["name"] == group.name and detail["k"] == 4 and detail["sessions"] == 4
    assert detail["establishments"] == ["Maison des services — Nord", "Maison des services — Sud"]
    sessions = get(app, f"/api/v1/groups/{group.id}/sessions", headers).json["sessions"]
    assert [s["status"] for s in sessions] == ["closed", "closed", "closed", "open"]
    assert [s["results_published"] for s in sessions] == [True, True, True, False]
    # An open session: no count of its responses while people answer.
    assert sessions[-1]["responses_shown"] == 0
    outcomes = get(app, f"/api/v1/groups/{group.id}/outcomes", headers).json["outcomes"]
    assert outcomes and {o["kind"] for o in outcomes} >= {"action", "indicator"}
    first = outcomes[0]
    assert first["text"] == "Afficher à l'entrée les horaires et les pièces à fournir"
    assert first["statements"] == ["quality.short_wait"] and first["due_session"] == 2


def test_errors_are_json_with_a_stable_shape(app, demo):
    _group, headers = demo
    unknown = get(app, "/api/v1/nothing/here", headers)
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "not_found"
    written = app.test_client().post("/api/v1/groups", headers=headers)
    assert written.status_code == 405
    assert written.json["error"]["code"] == "method_not_allowed"
    assert "GET" in written.headers["Allow"]
    huge = get(app, f"/api/v1/groups/{2**40}", headers)
    assert huge.status_code == 404 and huge.json["error"]["code"] == "not_found"
    # Errors too are never kept, even where no route matched.
    for response in (unknown, written, huge, get(app, "/api/v1/groups/abc", headers)):
        assert response.headers["Cache-Control"] == "no-store"


def test_responses_are_not_kept_by_browsers_nor_shared_across_origins(app, demo):
    group, headers = demo
    response = get(app, f"/api/v1/groups/{group.id}", {**headers, "Origin": "https://evil.example"})
    assert response.headers["Cache-Control"] == "no-store"
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Set-Cookie" not in response.headers


def test_cors_only_for_the_origins_configured(make_app, database_url, facilitator):
    app = make_app(database_url, API_CORS_ORIGINS=["https://tableau.example.org"])
    with app.app_context():
        _token, secret = api_tokens.create(db.session.get(Facilitator, facilitator.id), "t")
        db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    allowed = get(app, "/api/v1/groups", {**headers, "Origin": "https://tableau.example.org"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://tableau.example.org"
    assert "Origin" in allowed.headers["Vary"]
    other = get(app, "/api/v1/groups", {**headers, "Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = app.test_client().options(
        "/api/v1/groups", headers={"Origin": "https://tableau.example.org"}
    )
    assert preflight.headers["Access-Control-Allow-Headers"] == "Authorization"


def test_origins_written_as_plain_text_are_matched_whole(
    make_app, database_url, facilitator, monkeypatch
):
    # As an environment variable is easily written (not JSON): a plain string, whose every
    # substring ("https://intranet.ch", a domain anyone may register) must not be allowed.
    monkeypatch.setenv("SURVEY_API_CORS_ORIGINS", "https://Intranet.chu.fr/, https://b.example.org")
    app = make_app(database_url)
    with app.app_context():
        _token, secret = api_tokens.create(db.session.get(Facilitator, facilitator.id), "t")
        db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    for origin in ("https://intranet.ch", "https://b.example.or", "https", ","):
        response = get(app, "/api/v1/groups", {**headers, "Origin": origin})
        assert "Access-Control-Allow-Origin" not in response.headers, origin
    for origin in ("https://intranet.chu.fr", "https://b.example.org"):
        response = get(app, "/api/v1/groups", {**headers, "Origin": origin})
        assert response.headers["Access-Control-Allow-Origin"] == origin


@pytest.mark.parametrize("origins", ["*", "https://x.example.org/path", "tableau.example.org"])
def test_a_cors_setting_that_names_no_origin_is_refused(make_app, origins):
    with pytest.raises(ValueError, match="API_CORS_ORIGINS"):
        make_app("sqlite://", API_CORS_ORIGINS=origins)


def test_each_token_is_rate_limited_on_its_own(make_app, database_url, facilitator):
    app = make_app(database_url, API_RATE_LIMIT="3 per minute")
    secrets = []
    with app.app_context():
        owner = db.session.get(Facilitator, facilitator.id)
        for name in ("un", "deux"):
            secrets.append(api_tokens.create(owner, name)[1])
        db.session.commit()
    first, second = ({"Authorization": f"Bearer {s}"} for s in secrets)
    for _ in range(3):
        assert get(app, "/api/v1/groups", first).status_code == 200
    limited = get(app, "/api/v1/groups", first)
    assert limited.status_code == 429
    assert limited.json == {
        "error": {"code": "rate_limited", "message": "Too many requests: wait before trying again."}
    }
    assert "Retry-After" in limited.headers
    assert get(app, "/api/v1/groups", second).status_code == 200
    # Made-up tokens share their address's budget: guessing is limited too.
    guesses = [
        get(app, "/api/v1/groups", {"Authorization": f"Bearer praxis_guess{n}"}).status_code
        for n in range(4)
    ]
    assert guesses == [401, 401, 401, 429]


def test_the_openapi_document_describes_every_route_from_the_models(app):
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/v1/groups",
        "/api/v1/groups/{group_id}",
        "/api/v1/groups/{group_id}/sessions",
        "/api/v1/groups/{group_id}/trends",
        "/api/v1/groups/{group_id}/outcomes",
        "/api/v1/sessions/{meeting_id}",
        "/api/v1/sessions/{meeting_id}/results",
    }
    assert document["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer"}
    }
    results = document["paths"]["/api/v1/sessions/{meeting_id}/results"]["get"]
    assert {"200", "401", "404", "409", "429"} <= set(results["responses"])
    # No documentation page: it would load its scripts from a CDN.
    assert not [r for r in app.url_map.iter_rules() if "apidoc" in r.rule]
