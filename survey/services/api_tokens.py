"""Facilitators' API tokens: created with a random secret shown once, kept as its SHA-256 only,
revoked by deleting them.

The secret is 256 random bits: a fast hash is enough to keep a database reader from using it,
and lets each API request find its token by one indexed lookup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import API_TOKEN_NAME_MAX, ApiToken, Facilitator
from . import ServiceError

#: What every secret starts with, so that a leaked one is recognised (secret scanners, logs).
PREFIX = "praxis_"
#: Tokens one facilitator may hold at once.
MAX_TOKENS = 20


def digest(secret: str) -> str:
    """What is stored of a secret: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create(facilitator: Facilitator, name: str) -> tuple[ApiToken, str]:
    """A new token for ``facilitator``: the row, and the secret to show once (never stored)."""
    name = " ".join(name.split())[:API_TOKEN_NAME_MAX]
    if not name:
        raise ServiceError(_l("Give the token a name."))
    if len(tokens_of(facilitator)) >= MAX_TOKENS:
        raise ServiceError(_l("You hold %(max)s tokens already: revoke one first.", max=MAX_TOKENS))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(facilitator_id=facilitator.id, name=name, token_hash=digest(secret))
    db.session.add(token)
    db.session.flush()
    return token, secret


def tokens_of(facilitator: Facilitator) -> list[ApiToken]:
    """A facilitator's tokens, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.facilitator_id == facilitator.id)
            .order_by(ApiToken.id.desc())
        )
    )


def token_of(facilitator: Facilitator, token_id: int) -> ApiToken | None:
    """One of the facilitator's own tokens, else None."""
    return db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.facilitator_id == facilitator.id)
    )


def revoke(token: ApiToken) -> None:
    """The token stops working at once: nothing of it is kept."""
    db.session.delete(token)
    db.session.flush()


def find(secret: str) -> ApiToken | None:
    """The token whose secret this is, else None (reads only)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))


def needs_use_recorded(token: ApiToken, today: dt.date | None = None) -> bool:
    """Whether the day of last use is behind: the API writes it at most once a day."""
    return token.last_used_on != (today or dt.date.today())


def record_use(token: ApiToken, today: dt.date | None = None) -> None:
    """Note the day the token was used (not the time: a day tells the facilitator enough)."""
    token.last_used_on = today or dt.date.today()
    db.session.flush()
