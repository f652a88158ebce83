"""API tokens: made on the account page or by the CLI, shown once, kept as a hash, revoked at
once; a session cookie never stands in for one."""

import datetime as dt
import hashlib
import re

from sqlalchemy import select
from support import post, text

from survey.extensions import db
from survey.models import ApiToken
from survey.services import api_tokens

SECRET = re.compile(r'<code class="token-secret">(praxis_[A-Za-z0-9_-]+)</code>')


def stored(app) -> list[ApiToken]:
    with app.app_context():
        found = db.session.scalars(select(ApiToken)).all()
        for token in found:
            db.session.expunge(token)
        return found


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def test_a_token_made_on_the_account_page_is_shown_once_and_kept_as_a_hash(app, signed_in):
    response = post(signed_in, "/account/tokens", {"name": "Tableur du service"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = SECRET.search(response.get_data(as_text=True))[1]
    assert len(secret) > 40
    # Only its SHA-256 is stored; never the secret, nor in the session cookie.
    (token,) = stored(app)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.name == "Tableur du service" and token.last_used_on is None
    assert token.created_on == dt.date.today()
    assert secret not in response.headers.get("Set-Cookie", "")
    # Listed afterwards, never shown again.
    account = text(signed_in.get("/account"))
    assert "Tableur du service" in account and secret not in account
    assert SECRET.search(account) is None
    assert app.test_client().get("/api/v1/groups", headers=bearer(secret)).status_code == 200


def test_a_token_needs_a_name(app, signed_in):
    response = post(signed_in, "/account/tokens", {"name": "  "})
    assert response.status_code == 400
    assert stored(app) == []


def test_a_revoked_token_stops_working_at_once(app, signed_in):
    page = post(signed_in, "/account/tokens", {"name": "Script"}).get_data(as_text=True)
    secret = SECRET.search(page)[1]
    api = app.test_client()
    assert api.get("/api/v1/groups", headers=bearer(secret)).status_code == 200
    (token,) = stored(app)
    response = post(signed_in, f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert stored(app) == []
    refused = api.get("/api/v1/groups", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert refused.json["error"]["code"] == "unauthorized"


def test_nobody_revokes_another_facilitators_token(app, signed_in, make_facilitator, token_for):
    headers = token_for(make_facilitator(email="autre@example.org"))
    (token,) = stored(app)
    assert post(signed_in, f"/account/tokens/{token.id}/revoke").status_code == 404
    assert app.test_client().get("/api/v1/groups", headers=headers).status_code == 200


def test_the_cli_prints_a_token_once(app, runner, facilitator):
    result = runner.invoke(args=["create-token", facilitator.email, "--name", "Export"])
    assert result.exit_code == 0, result.output
    secret = re.search(r"^(praxis_\S+)$", result.output, re.M)[1]
    (token,) = stored(app)
    assert token.name == "Export" and token.token_hash == api_tokens.digest(secret)
    assert app.test_client().get("/api/v1/groups", headers=bearer(secret)).status_code == 200
    unknown = runner.invoke(args=["create-token", "nobody@example.org"])
    assert unknown.exit_code != 0 and "no facilitator" in unknown.output


def test_the_day_of_last_use_is_recorded(app, facilitator, token_for):
    headers = token_for(facilitator)
    assert stored(app)[0].last_used_on is None
    assert app.test_client().get("/api/v1/groups", headers=headers).status_code == 200
    assert stored(app)[0].last_used_on == dt.date.today()
    # A day only: later requests that day write nothing.
    with app.app_context():
        token = db.session.scalars(select(ApiToken)).one()
        assert not api_tokens.needs_use_recorded(token)
        assert api_tokens.needs_use_recorded(token, dt.date.today() + dt.timedelta(days=1))


def test_missing_wrong_or_malformed_tokens_get_401(app, facilitator, token_for):
    headers = token_for(facilitator)
    secret = headers["Authorization"].split()[1]
    client = app.test_client()
    for sent in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer praxis_not-a-token"},
        {"Authorization": f"Basic {secret}"},
        {"Authorization": f"Bearer {secret}x"},
        {"Authorization": "Bearer " + "x" * 5000},
    ):
        response = client.get("/api/v1/groups", headers=sent)
        assert response.status_code == 401, sent
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="praxis"'
        assert response.json == {
            "error": {
                "code": "unauthorized",
                "message": "A valid API token is needed: Authorization: Bearer <token>.",
            }
        }
    assert client.get("/api/v1/groups", headers={"Authorization": f"bearer {secret}"}).json


def test_a_signed_in_session_does_not_open_the_api(signed_in):
    response = signed_in.get("/api/v1/groups")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
