"""Secrets handed out once (resume links, invitation cards) are stored only as their SHA-256."""

import hashlib


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
