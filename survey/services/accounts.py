"""Facilitators' accounts: signing in."""

import functools
import secrets

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import (
    Facilitator,
)


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
