"""Suggested recurrences of a group: statements its shown sessions flagged at least twice.

Each session's flags come from what it shows (``published``, cached per publication): a
statement hidden below k in a session raises no flag there. Statements the group already
recorded as a recurrence (confirmed, or dismissed: a recurrence with status « dropped ») are
not suggested again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..analytics.recurrences import FLAGS, MIN_SESSIONS, recurrences, session_flags
from ..extensions import db
from ..models import Meeting, Outcome, OutcomeKind
from ..questionnaire import frozen_definition
from . import queries
from .published import published


@dataclass
class Suggestion:
    item: str
    label: str
    #: (session, flags raised in it: "shared_gap", "contested", "largest_gap"), oldest first.
    history: list[tuple[Meeting, list[str]]]

    @property
    def latest(self) -> Meeting:
        return self.history[-1][0]

    def by_flag(self) -> list[tuple[str, list[Meeting]]]:
        """Each flag raised, with the sessions that raised it (oldest first)."""
        return [
            (flag, sessions)
            for flag in FLAGS
            if (sessions := [m for m, flags in self.history if flag in flags])
        ]


def _up_to(meeting: Meeting, sessions: list[Meeting]) -> list[Meeting]:
    return [m for m in sessions if (m.date, m.id) <= (meeting.date, meeting.id)]


def recorded(meeting: Meeting) -> set[str]:
    """Statements already recorded as a recurrence by the group, whatever their status."""
    rows = db.session.scalars(
        select(Outcome.item_ids)
        .join(Meeting, Meeting.id == Outcome.meeting_id)
        .where(Meeting.group_id == meeting.group_id, Outcome.kind == OutcomeKind.RECURRENCE)
    )
    return {item for items in rows for item in items or ()}


def suggested(meeting: Meeting, language: str) -> list[Suggestion]:
    """The recurrences to suggest in ``meeting``: from the group's shown sessions up to it."""
    sessions = _up_to(meeting, queries.published_sessions(meeting.group))
    if len(sessions) < MIN_SESSIONS:
        return []
    tables = []
    definitions = {}
    for session in sessions:
        definitions[session.id] = frozen_definition(session)
        stats = published(session, definitions[session.id])
        tables.append((session, session_flags(stats.shown("paired"))))
    done = recorded(meeting)
    found = []
    for recurrence in recurrences(tables):
        if recurrence.item in done:
            continue
        latest = recurrence.history[-1][0]
        labels = (
            queries.items_frame(definitions[latest.id], language, meeting.group.familiar)
            .drop_duplicates("item")
            .set_index("item")["label"]
        )
        label = str(labels.get(recurrence.item, recurrence.item))
        found.append(Suggestion(recurrence.item, label, list(recurrence.history)))
    return found
