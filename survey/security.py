"""HTTP security headers (Flask-Talisman): a strict Content-Security-Policy and friends."""

from flask import Flask
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


def init_app(app: Flask) -> None:
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
