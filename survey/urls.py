"""Helpers for redirect targets."""

import unicodedata
from urllib.parse import urlsplit

from flask import redirect


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
