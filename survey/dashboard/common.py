"""What the dashboard's views share: the session whose results a page shows, and its results
computed once per publication."""

from __future__ import annotations

from flask import abort, current_app
from flask_babel import get_locale

from ..access import owned_meeting
from ..models import Meeting
from ..questionnaire import frozen_definition
from ..results import queries
from ..results import session as results

#: Results kept per app and worker, by (session, publication, language, "tu", k).
RESULTS_CACHE_SIZE = 64


def frozen_meeting(meeting_id: int) -> Meeting:
    """A session of the facilitator's whose questionnaire is frozen (it has opened); 404 else."""
    meeting = owned_meeting(meeting_id)
    if not meeting.questions_frozen:
        abort(404)
    return meeting


def session_results(meeting: Meeting) -> results.Results:
    """The published results; a publication never changes, so they are computed once each."""
    key = (
        meeting.id,
        queries.latest_publication(meeting),
        str(get_locale()),
        meeting.group.familiar,
        meeting.group.anonymity_threshold,
    )
    computed = current_app.extensions.setdefault("praxis_results", {})
    found = computed.get(key)
    if found is None:
        definition = frozen_definition(meeting)
        found = results.build(meeting, definition, key[2])
        if len(computed) >= RESULTS_CACHE_SIZE:
            computed.pop(next(iter(computed)))  # the oldest first
        computed[key] = found
    return found
