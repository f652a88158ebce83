"""Showing a session's results to the group.

A publication adds the responses not yet shown; once made it never changes, and the privacy
layer shows each statistic from the publication its own n allows (docs/privacy.md). The rule
for making one lives here, and only here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from ..analytics import publishable
from ..extensions import db
from ..models import Meeting, MeetingStatus, Response
from ..results import queries
from . import ServiceError


@dataclass(frozen=True)
class Publication:
    """Where a session's results stand: responses shown, responses waiting, and k."""

    shown: int
    waiting: int
    k: int
    closed: bool

    @property
    def possible(self) -> bool:
        """A new publication may be made: the collection is closed and ≥ k responses wait."""
        return self.closed and publishable(self.waiting, self.k)


def state(meeting: Meeting) -> Publication:
    """Where the session's results stand now."""
    shown, waiting = queries.response_counts(meeting)
    k = meeting.group.anonymity_threshold
    return Publication(shown, waiting, k, meeting.status == MeetingStatus.CLOSED)


def check(meeting: Meeting) -> Publication:
    """The session's state if a publication may be made, else ``ServiceError`` saying why."""
    current = state(meeting)
    if not current.closed:
        raise ServiceError(_l("Close the collection before showing the results."))
    if not current.possible:
        raise ServiceError(
            _l("%(k)s new responses are needed before new results can be shown.", k=current.k)
        )
    return current


def publish(meeting: Meeting) -> int:
    """Include the responses not yet shown in a new publication, if the rule allows it;
    returns its number."""
    check(meeting)
    return record(meeting)


def record(meeting: Meeting) -> int:
    """The publication itself, without the rule: for the demo's past sessions and for tests
    that build what the rule would refuse (the privacy layer must hold even then)."""
    number = queries.latest_publication(meeting) + 1
    db.session.execute(
        update(Response)
        .where(Response.meeting_id == meeting.id, Response.publication.is_(None))
        .values(publication=number)
    )
    return number
