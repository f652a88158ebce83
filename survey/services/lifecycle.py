"""The data's whole life: what deleting a session or a group takes with it, answers purged when
a group's retention period ends, and a consistent copy of a SQLite database.

Deletions say first what will be lost (``losses_of``), then take it all: no row of a deleted
session or group is left behind, in any table.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import (
    Answer,
    Draft,
    Facilitator,
    Group,
    Invitation,
    Meeting,
    MeetingStatus,
    Outcome,
    Response,
    Submission,
)
from . import ServiceError

#: Retention periods a group may choose, in months (None: kept until deleted).
RETENTION_CHOICES = (6, 12, 24, 36, 60)


@dataclass(frozen=True)
class Losses:
    """What a deletion takes: counts to name on the confirmation page."""

    sessions: int
    responses: int
    drafts: int
    cards: int
    outcomes: int


def losses_of(meetings: list[Meeting]) -> Losses:
    """What deleting these sessions would take with them."""
    ids = [m.id for m in meetings]

    def count(model, column) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(column.in_(ids)))

    return Losses(
        sessions=len(ids),
        responses=count(Response, Response.meeting_id),
        drafts=count(Draft, Draft.meeting_id),
        cards=count(Invitation, Invitation.meeting_id),
        outcomes=count(Outcome, Outcome.meeting_id),
    )


def _forget_answers(meeting_ids: list[int]) -> int:
    """Delete every answer, response, draft, ledger entry and card of these sessions, children
    first; returns the number of responses deleted."""
    if not meeting_ids:
        return 0
    fetch = {"synchronize_session": "fetch"}
    responses = select(Response.id).where(Response.meeting_id.in_(meeting_ids))
    session = db.session
    session.execute(
        delete(Answer).where(Answer.response_id.in_(responses)), execution_options=fetch
    )
    deleted = session.execute(
        delete(Response).where(Response.meeting_id.in_(meeting_ids)), execution_options=fetch
    ).rowcount
    for model in (Draft, Submission, Invitation):
        session.execute(
            delete(model).where(model.meeting_id.in_(meeting_ids)), execution_options=fetch
        )
    return deleted


def delete_meeting(meeting: Meeting) -> None:
    """Delete a session in any state, with its answers, drafts, cards and outcomes."""
    _forget_answers([meeting.id])
    db.session.delete(meeting)
    db.session.flush()


def delete_group(group: Group, acting: Facilitator) -> None:
    """Delete a group and everything in it: sessions, answers, outcomes, establishments,
    invitations. Only its owner may."""
    if acting.id != group.owner_id:
        raise ServiceError(_l("Only the group's owner can delete it."))
    _forget_answers([m.id for m in group.meetings])
    db.session.delete(group)
    db.session.flush()


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it has no such day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Expired:
    """A session whose answers are past its group's retention period."""

    meeting: Meeting
    responses: int
    drafts: int


def expired(today: dt.date | None = None) -> list[Expired]:
    """Sessions whose date is older than their group's retention period and that still hold
    answers or drafts, oldest first. Open sessions are left alone: close them first."""
    today = today or dt.date.today()
    found = []
    groups = db.session.scalars(select(Group).where(Group.retention_months.is_not(None)))
    for group in groups:
        limit = months_before(today, group.retention_months)
        for meeting in group.meetings:
            if meeting.date >= limit or meeting.status == MeetingStatus.OPEN:
                continue
            losses = losses_of([meeting])
            if losses.responses or losses.drafts:
                found.append(Expired(meeting, losses.responses, losses.drafts))
    return sorted(found, key=lambda e: (e.meeting.date, e.meeting.id))


def purge(sessions: list[Expired], today: dt.date | None = None) -> int:
    """Delete the answers of these sessions (the sessions, their titles and outcomes stay, with
    the date their answers went); returns the number of responses deleted."""
    deleted = _forget_answers([e.meeting.id for e in sessions])
    for entry in sessions:
        entry.meeting.answers_purged_on = today or dt.date.today()
    db.session.flush()
    return deleted


def backup_sqlite(database: str, target: Path) -> str:
    """Copy a live SQLite database to ``target`` with SQLite's online backup (consistent even
    while others write), owner-only; returns ``PRAGMA integrity_check`` of the copy ("ok")."""
    if target.exists():
        raise ServiceError(f"{target} already exists: choose a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(target, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        return copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
        source.close()
