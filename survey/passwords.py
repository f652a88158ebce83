"""What a facilitator's password may not be: short, blank, among the commonest, or the email.

The common passwords are the 30,000 most frequent of the leaked-password corpus that zxcvbn
(MIT, maintained on PyPI) ships as its ``passwords`` frequency list: it holds the French habits
too (« azerty », « motdepasse », « soleil »).
"""

from __future__ import annotations

import functools
import re

MIN_LENGTH = 10

#: Digits and punctuation people add to a word to pass a rule ("motdepasse2024!").
_DECORATION = re.compile(r"[\W\d_]+$")


@functools.cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


#: Why a password is refused, in English for the command line (the UI translates the keys).
REASONS = {
    "blank": "it holds only spaces.",
    "short": f"use at least {MIN_LENGTH} characters.",
    "own": "it is your email address, or its beginning: choose something else.",
    "common": "it is one of the most common passwords: choose something else.",
}


def refusal(password: str, email: str = "") -> str | None:
    """Why this password is refused (a key of ``REASONS``), or None when it may be used."""
    if not password.strip():
        return "blank"
    if len(password) < MIN_LENGTH:
        return "short"
    folded = password.casefold().strip()
    undecorated = _DECORATION.sub("", folded)
    email = email.strip().casefold()
    own = {email, email.partition("@")[0]} - {""}
    if folded in own or undecorated in own:
        return "own"
    if {folded, undecorated} & _common():
        return "common"
    return None


def problem(password: str, email: str = "") -> str | None:
    """Why this password is refused (English, for the CLI), or None when it may be used."""
    reason = refusal(password, email)
    return REASONS[reason] if reason else None
