"""Who is calling: a bearer token, and nothing else (a session cookie never opens the API).

Also the API's rate limit (per token) and its CORS headers (none unless origins are set).
"""

from __future__ import annotations

from flask import abort, current_app, g, request
from flask.wrappers import Response

from ..database import begin_writing, end_writing
from ..errors import json_error
from ..extensions import db, limiter
from ..models import ApiToken, Facilitator
from ..services import api_tokens
from . import bp

#: The scheme of the Authorization header.
SCHEME = "bearer"
#: Endpoints that need no token: the OpenAPI document.
PUBLIC = frozenset({"api.openapi"})


def _secret() -> str | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    return secret if scheme.lower() == SCHEME and secret else None


def _token() -> ApiToken | None:
    """The live token the request carries, looked up once per request."""
    if "api_token" not in g:
        secret = _secret()
        g.api_token = api_tokens.find(secret) if secret else None
    return g.api_token


def rate_key() -> str:
    """Counted per token, else per client address: made-up tokens share their address's
    budget (and cannot fill the counters' storage with keys of their own)."""
    token = _token()
    if token is None:
        return f"api-address:{request.remote_addr}"
    return f"api-token:{token.id}"


limiter.limit(
    lambda: current_app.config["API_RATE_LIMIT"],
    key_func=rate_key,
)(bp)


def unauthorized() -> Response:
    return json_error(401, headers={"WWW-Authenticate": 'Bearer realm="praxis"'})


@bp.before_request
def authenticate():
    """Every API request needs a live token; its day of use is recorded once a day."""
    if request.method == "OPTIONS" or request.endpoint in PUBLIC:
        return None  # a CORS preflight carries no credentials; the document holds no data
    token = _token()
    if token is None:
        return unauthorized()
    if api_tokens.needs_use_recorded(token):
        token_id = token.id
        begin_writing()
        token = db.session.get(ApiToken, token_id)
        if token is None:  # revoked meanwhile
            return unauthorized()
        api_tokens.record_use(token)
        end_writing()
    g.api_facilitator = db.session.get(Facilitator, token.facilitator_id)
    return None


def facilitator() -> Facilitator:
    """The facilitator whose token this request carries."""
    found = g.get("api_facilitator")
    if found is None:  # authenticate() runs first: this cannot happen
        abort(unauthorized())
    return found


@bp.after_request
def cors(response: Response) -> Response:
    """Browsers on the configured origins only (API_CORS_ORIGINS); none by default."""
    origin = request.headers.get("Origin")
    allowed = current_app.config.get("API_CORS_ORIGINS") or ()
    if origin and origin in allowed:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Headers"] = "Authorization"
        response.headers["Access-Control-Allow-Methods"] = "GET"
        response.vary.add("Origin")
    return response
