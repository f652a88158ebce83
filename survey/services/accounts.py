"""Facilitators' accounts: signing in, their name and password, and a forgotten password.

Password hashes are slow on purpose: callers compute them (``password_hash``) before the write
transaction begins, so that no one's page save waits behind a hash.
"""

from __future__ import annotations

import functools
import hashlib
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import Facilitator

#: How long a password-reset link stays valid, in seconds.
RESET_MAX_AGE = 3600


def authenticate(email: str, password: str) -> Facilitator | None:
    """The facilitator with these credentials, else None; unknown emails cost the same time."""
    facilitator = db.session.scalar(
        select(Facilitator).where(Facilitator.email == email.strip().lower())
    )
    if facilitator is None:
        check_password_hash(_dummy_password_hash(), password)
        return None
    return facilitator if facilitator.check_password(password) else None


@functools.cache
def _dummy_password_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def by_email(email: str) -> Facilitator | None:
    """The facilitator of an email address, or None."""
    return db.session.scalar(select(Facilitator).where(Facilitator.email == email.strip().lower()))


def rename(facilitator: Facilitator, display_name: str) -> None:
    """The name other facilitators of the same groups see."""
    facilitator.display_name = display_name.strip()
    db.session.flush()


def password_hash(password: str) -> str:
    """The stored form of a new password (slow: call it before the write transaction)."""
    return generate_password_hash(password)


def replace_password(facilitator: Facilitator, new_hash: str) -> None:
    """Set a new password (already hashed); every session of the account ends, this one too,
    and every reset link given before stops working."""
    facilitator.password_hash = new_hash
    facilitator.revoke_sessions()
    db.session.flush()


def _reset_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _fingerprint(facilitator: Facilitator) -> str:
    # Bound to the current password: once it changes, the link is spent.
    return hashlib.sha256(facilitator.password_hash.encode()).hexdigest()[:16]


def reset_token(facilitator: Facilitator) -> str:
    """A one-time token to choose a new password, valid ``RESET_MAX_AGE`` seconds."""
    return _reset_signer().dumps({"id": facilitator.id, "fp": _fingerprint(facilitator)})


def facilitator_of_reset(token: str) -> Facilitator | None:
    """The facilitator a reset token was made for, while it is valid and unused; else None."""
    if not token or len(token) > 300:
        return None
    try:
        data = _reset_signer().loads(token, max_age=RESET_MAX_AGE)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    facilitator = db.session.get(Facilitator, data["id"])
    if facilitator is None or data.get("fp") != _fingerprint(facilitator):
        return None
    return facilitator
