"""One service call for a view: committed once, or rolled back with the refusal shown.

Services flush and raise ``ServiceError`` for what the rules refuse; the view decides what the
facilitator reads. This is the block every such POST view would otherwise repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from flask import flash

from .extensions import db
from .services import ServiceError


class Outcome(NamedTuple):
    done: bool
    value: Any = None


def attempt(
    service: Callable,
    *args,
    success: str | Callable[[Any], str] | None = None,
    level: str = "success",
    **kwargs,
) -> Outcome:
    """Run ``service(*args, **kwargs)``; commit and flash ``success`` (a message, or a function
    of the service's result) as ``level``, or roll back and flash why the rules refused it."""
    try:
        value = service(*args, **kwargs)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return Outcome(False)
    db.session.commit()
    if success is not None:
        flash(success(value) if callable(success) else success, level)
    return Outcome(True, value)
