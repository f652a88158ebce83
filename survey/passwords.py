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


def problem(password: str, email: str = "") -> str | None:
    """Why this password is refused (English, for the CLI), or None when it may be used."""
    if not password.strip():
        return "it holds only spaces."
    if len(password) < MIN_LENGTH:
        return f"use at least {MIN_LENGTH} characters."
    folded = password.casefold().strip()
    undecorated = _DECORATION.sub("", folded)
    email = email.strip().casefold()
    own = {email, email.partition("@")[0]} - {""}
    if folded in own or undecorated in own:
        return "it is your email address, or its beginning: choose something else."
    if {folded, undecorated} & _common():
        return "it is one of the most common passwords: choose something else."
    return None
