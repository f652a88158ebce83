"""Rate limits that count what guessing costs (a wrong code, a new draft), never a room of members.

Members of a group often share one address (the room's Wi-Fi, an office's NAT): a right code
typed twelve times, or a draft resumed thirty times, is not an attack and spends nothing.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from flask.wrappers import Response


def wrong_code() -> None:
    """Mark this request as a wrong join or personal code: it spends from the code limits."""
    g.praxis_wrong_code = True


def was_wrong_code(_response: Response) -> bool:
    """``deduct_when`` of the code limits: only wrong codes are counted."""
    return g.get("praxis_wrong_code", False)


def everyone() -> str:
    """The key of limits shared by all addresses: many addresses share one budget of guesses."""
    return "everyone"


def join_limit() -> str:
    return current_app.config["JOIN_RATE_LIMIT"]


def join_global_limit() -> str:
    return current_app.config["JOIN_GLOBAL_RATE_LIMIT"]


def start_limit() -> str:
    return current_app.config["START_RATE_LIMIT"]


def per_worker_storage_warning(app: Flask, workers: int) -> str | None:
    """What to tell the operator when each of several workers would count limits on its own."""
    storage = app.config.get("RATELIMIT_STORAGE_URI", "")
    if workers <= 1 or not storage.startswith("memory://"):
        return None
    return (
        f"Rate limits are counted in each worker's memory ({storage}) and gunicorn runs "
        f"{workers} workers: every limit is up to {workers} times looser than configured. "
        "Set SURVEY_RATELIMIT_STORAGE to a shared storage, e.g. redis://127.0.0.1:6379/0."
    )
