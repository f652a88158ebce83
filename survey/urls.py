"""Helpers for redirect targets."""

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Accept only a path on this site, so redirects cannot be bounced elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
