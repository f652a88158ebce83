"""Configuration: defaults, then ``instance/config.py``, then ``SURVEY_*`` environment variables."""

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

SECRET_KEY_FILE = "secret_key"


class Defaults:
    """Settings every deployment starts from."""

    #: Database URL; None means SQLite at ``instance/survey.db``.
    DATABASE_URL: str | None = None
    #: Set to true when served over HTTPS: cookies become Secure.
    HTTPS = False
    #: Base of every absolute URL given to participants (join links, QR codes, cards), e.g.
    #: ``https://praxis.example.org``; None: from SERVER_NAME if set, else the request's host.
    PUBLIC_URL: str | None = None
    #: Number of proxies in front of the app whose X-Forwarded-* headers are trusted.
    TRUSTED_PROXIES = 0
    #: Where rate-limit counters live: ``memory://`` for one process, ``redis://...`` for several.
    RATELIMIT_STORAGE = "memory://"
    #: Failed logins allowed per client address before slowing down.
    LOGIN_RATE_LIMIT = "5 per minute;30 per hour"
    #: Wrong join codes and personal codes per client address (right ones are not counted).
    JOIN_RATE_LIMIT = "10 per minute;60 per hour"
    #: Wrong join codes from all addresses together: many addresses share one budget of guesses.
    JOIN_GLOBAL_RATE_LIMIT = "30 per minute;300 per hour"
    #: New drafts started per client address (a shared office PC may start a dozen).
    START_RATE_LIMIT = "30 per hour"
    #: Requests to the JSON API per token (per client address without a token).
    API_RATE_LIMIT = "120 per minute"
    #: Origins whose pages may read the JSON API from a browser (CORS); none by default.
    API_CORS_ORIGINS: tuple[str, ...] = ()

    #: PostgreSQL: how long a statement waits for a lock, and runs at most (PostgreSQL units:
    #: "5s", "500ms"; 0 turns it off). A stuck transaction then costs a request seconds and the
    #: app's own "try again" page, not gunicorn's bare 500 after 30 s.
    DATABASE_LOCK_TIMEOUT = "5s"
    DATABASE_STATEMENT_TIMEOUT = "15s"

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = 4 * 3600
    BABEL_DEFAULT_LOCALE = "fr"
    LANGUAGES = ("fr", "en")
    MAX_CONTENT_LENGTH = 1024 * 1024
    RATELIMIT_HEADERS_ENABLED = True


def load_config(app: Flask, test_config: dict | None) -> None:
    """Layer the configuration sources, later ones winning, then derive dependent settings."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("SURVEY")
    if test_config:
        app.config.from_mapping(test_config)

    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        url = app.config["DATABASE_URL"] or f"sqlite:///{Path(app.instance_path) / 'survey.db'}"
        app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(url)

    public = app.config.get("PUBLIC_URL")
    if public and not (urlsplit(public).scheme in ("http", "https") and urlsplit(public).netloc):
        raise ValueError(
            f"PUBLIC_URL must be an http(s) address such as https://host, not {public!r}"
        )

    app.config["API_CORS_ORIGINS"] = cors_origins(app.config.get("API_CORS_ORIGINS"))

    https = bool(app.config["HTTPS"])
    app.config["SESSION_COOKIE_SECURE"] = https
    app.config["REMEMBER_COOKIE_SECURE"] = https
    app.config["PREFERRED_URL_SCHEME"] = "https" if https else "http"
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["RATELIMIT_STORAGE"])


def cors_origins(value) -> tuple[str, ...]:
    """The origins the API answers browsers from, each exactly ``scheme://host[:port]``.

    A JSON list, or (as an environment variable is easily written) a plain string of origins
    separated by commas or spaces: a plain string kept as is would be matched by ``in`` as a
    substring, and allow ``https://intranet.ch`` for ``https://intranet.chu.fr``.
    """
    if not value:
        return ()
    found = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    origins = []
    for origin in found:
        parts = urlsplit(str(origin).strip().lower())
        extra = parts.path.strip("/") or parts.query or parts.fragment  # a bare "/" is let be
        if parts.scheme not in ("http", "https") or not parts.netloc or extra:
            raise ValueError(
                f"API_CORS_ORIGINS must list origins such as https://host, not {origin!r}"
            )
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return tuple(origins)


def normalize_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver we ship with."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _instance_secret_key(instance_path: Path) -> str:
    """Read the instance's secret key, generating it on first start (never hard-coded)."""
    path = instance_path / SECRET_KEY_FILE
    if not path.exists():
        instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Write then link: several workers starting at once all end up with the first key.
        fd, tmp = tempfile.mkstemp(dir=instance_path)
        try:
            os.write(fd, secrets.token_hex(32).encode())
            os.close(fd)
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()
