"""Helpers for redirect targets."""

import unicodedata
from urllib.parse import urlsplit

from flask import current_app, redirect, url_for


def safe_next(target: str | None) -> str | None:
    """Accept only a path on this site, so redirects cannot be bounced elsewhere.

    Control characters are refused too: a line break cannot go into a Location header (it
    would answer 500), and browsers drop tabs and line breaks from URLs, turning "/\\t/x" into
    "//x", another host.
    """
    if not target or not isinstance(target, str):
        return None
    if any(unicodedata.category(c) == "Cc" for c in target) or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def redirect_next(target: str | None, fallback: str):
    """Redirect to ``target`` when it is a safe path on this site, else to ``fallback``."""
    return redirect(safe_next(target) or fallback)


def public_url(endpoint: str, **values) -> str:
    """An absolute URL for participants (join link, QR code, card, resume link).

    With ``PUBLIC_URL`` set, it is always the base: a forged Host header cannot put another site
    into a printed card or a QR code. Without it, Flask builds it from ``SERVER_NAME`` when set,
    else from the request's host.
    """
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path.rstrip("/") or "/", url_scheme=parts.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
