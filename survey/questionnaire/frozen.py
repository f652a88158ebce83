"""A session's frozen questions, validated once per process: a snapshot never changes."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from .schema import Questionnaire

if TYPE_CHECKING:
    from ..models import Meeting

#: Sessions whose validated questionnaire a worker keeps: each takes about 0.6 MB with its form
#: classes and item table (``derived``), so at most about 40 MB.
CACHE_SIZE = 64

_validated: dict[tuple[int, str | None], Questionnaire] = {}


def frozen_definition(meeting: Meeting) -> Questionnaire:
    """The questionnaire a session was opened with.

    Validating a snapshot costs about a millisecond, on every participant page; the snapshot is
    written once, when collection first opens, together with the random join token, so the pair
    (id, token) names one snapshot for good, even if a deleted session's id is reused.
    """
    key = (meeting.id, meeting.join_token)
    found = _validated.get(key)
    if found is None:
        found = Questionnaire.model_validate(meeting.snapshot)
        if len(_validated) >= CACHE_SIZE:
            _validated.pop(next(iter(_validated)))  # the oldest first
        _validated[key] = found
    return found


_derived: dict[int, dict[Any, Any]] = {}


def derived(definition: Questionnaire) -> dict[Any, Any]:
    """A place to keep what is computed from a questionnaire (form classes, item tables), for as
    long as the questionnaire object lives; frozen models cannot hold it themselves."""
    found = _derived.get(id(definition))
    if found is None:
        found = _derived[id(definition)] = {}
        # Forget it with the questionnaire, before its id can name another object.
        weakref.finalize(definition, _derived.pop, id(definition), None)
    return found
