"""Static files: addressed by a hash of their content, cached a year, served compressed.

``url_for('static', filename=...)`` adds ``?v=<hash>``; a request with the current hash may be
kept a year (a new version is a new address), any other is revalidated. Files are read and
gzipped once per worker (and again when they change on disk), so a large script such as Plotly
costs no compression per request; Flask-Compress leaves responses that carry a Content-Encoding
alone, and compresses the pages.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, request
from flask_compress import Compress
from werkzeug.security import safe_join

FOLDER = Path(__file__).resolve().parent / "static"
A_YEAR = "public, max-age=31536000, immutable"

compress = Compress()


@dataclass(frozen=True)
class Asset:
    stamp: tuple[int, int]  # (mtime_ns, size) when read
    body: bytes
    gzipped: bytes | None  # None when compression does not pay
    version: str
    mimetype: str


_assets: dict[str, Asset] = {}


def asset(filename: str) -> Asset | None:
    """The file under static/, read once per change on disk; None when there is none."""
    path = safe_join(str(FOLDER), filename)
    if path is None:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    if not os.path.isfile(path):
        return None
    stamp = (status.st_mtime_ns, status.st_size)
    found = _assets.get(path)
    if found is None or found.stamp != stamp:
        body = Path(path).read_bytes()
        packed = gzip.compress(body, compresslevel=9, mtime=0)
        mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
        found = Asset(
            stamp,
            body,
            packed if len(packed) < len(body) * 0.9 else None,
            hashlib.sha256(body).hexdigest()[:12],
            "text/javascript" if mimetype == "application/javascript" else mimetype,
        )
        _assets[path] = found
    return found


def add_version(endpoint: str, values: dict) -> None:
    """``url_for('static', ...)`` addresses the current content of the file."""
    if endpoint == "static" and "v" not in values:
        found = asset(values.get("filename", ""))
        if found is not None:
            values["v"] = found.version


def static(filename: str):
    """A static file; kept a year when asked for by its current version."""
    found = asset(filename)
    if found is None:
        abort(404)
    use_gzip = found.gzipped is not None and accepts_gzip(request.headers.get("Accept-Encoding"))
    response = Response(found.gzipped if use_gzip else found.body, mimetype=found.mimetype)
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    if request.args.get("v") == found.version:
        response.headers["Cache-Control"] = A_YEAR
    else:
        response.headers["Cache-Control"] = "no-cache"
    response.set_etag(f"{found.version}-gzip" if use_gzip else found.version)
    return response.make_conditional(request, accept_ranges=False)


def accepts_gzip(header: str | None) -> bool:
    """Whether the Accept-Encoding header allows gzip (``gzip;q=0`` refuses it)."""
    for part in (header or "").lower().split(","):
        name, _, quality = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            return quality.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def init_app(app: Flask) -> None:
    """Serve static/ this way, version its addresses, and compress the other responses."""
    app.add_url_rule("/static/<path:filename>", "static", static)
    app.url_defaults(add_version)
    compress.init_app(app)
