"""HTTP security headers (Flask-Talisman): a strict Content-Security-Policy and friends."""

from flask import Flask, Response, abort, request
from flask_talisman import Talisman

#: No inline script anywhere: every script is a file served by the app; chart data is JSON.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

#: Pages that draw charts: Plotly sets style attributes and style rules as it draws (scripts
#: stay strict). Only these pages relax style-src.
CHART_PAGES_POLICY = {**CONTENT_SECURITY_POLICY, "style-src": "'self' 'unsafe-inline'"}

talisman = Talisman()


#: Ids in URLs are database integers: anything larger cannot exist (and SQLite cannot bind it).
LARGEST_ID = 2**31 - 1


#: Blueprints whose pages show a join code, answers or results (or a form to reach them).
PRIVATE_BLUEPRINTS = frozenset({"facilitator", "dashboard", "participant", "api"})
#: The API's errors too, where no route matched (no blueprint then): its responses are never kept.
API_PREFIX = "/api/"
#: The same for everyone, and cached on purpose.
CACHEABLE_ENDPOINTS = frozenset({"dashboard.plotly_js"})


def private(response: Response) -> Response:
    """Browsers must not keep the pages of these blueprints: on a shared computer, the cache or
    the back button would show them to the next person."""
    private_page = request.blueprint in PRIVATE_BLUEPRINTS or request.path.startswith(API_PREFIX)
    if private_page and request.endpoint not in CACHEABLE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response


def refuse_malformed_input() -> None:
    """NUL bytes are never legitimate in a form or a URL, and PostgreSQL refuses them in text."""
    if "\x00" in request.path or any(
        "\x00" in value for values in request.values.listvalues() for value in values
    ):
        abort(400)


def refuse_impossible_ids(_endpoint, values) -> None:
    if values and any(isinstance(v, int) and v > LARGEST_ID for v in values.values()):
        abort(404)


def init_app(app: Flask) -> None:
    app.before_request(refuse_malformed_input)
    app.url_value_preprocessor(refuse_impossible_ids)
    app.after_request(private)
    https = bool(app.config["HTTPS"])
    talisman.init_app(
        app,
        # The proxy in front redirects to HTTPS; the app only says so (HSTS) when served over it.
        force_https=False,
        strict_transport_security=https,
        session_cookie_secure=https,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
    )
