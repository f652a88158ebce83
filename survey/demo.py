"""Demo data: a reception group with three past sessions whose answers hold designed patterns.

The answers are synthetic (seeded, so every demo looks the same) and go through the same write
path as real ones (drafts, then submission). Patterns a facilitator should find:

- a shared gap: helping with online procedures takes far more time than is expected of staff;
- a contested activity: calming an upset visitor, where the group splits in two;
- hindered quality: keeping waiting times short is wanted but not feasible;
- a task in overload: explaining a refusal (demanding, little mastery);
- a priority mismatch: the number of people seen weighs more in perceived expectations than
  in the staff's own view.
"""

from __future__ import annotations

import datetime as dt
import random

from .extensions import db
from .kinds import kind_of
from .models import Group, Meeting, MeetingStatus
from .questionnaire import Questionnaire, frozen_definition
from .services import groups, meetings, participation, publication

RESPONDENTS = 9
MODULES = ["task_map", "priorities", "self_evaluation"]


def seed_group(owner, today: dt.date | None = None) -> Group:
    """Create the demo group, its three past sessions with answers, and one open session."""
    today = today or dt.date.today()
    group = groups.create_group(
        owner,
        name="Accueil des publics — Maison des services",
        domain="public_reception",
        establishments=["Maison des services — Nord", "Maison des services — Sud"],
        member_cap=12,
        anonymity_threshold=4,
    )
    titles = [
        "Séance 1 — Premiers repères",
        "Séance 2 — L'accueil numérique",
        "Séance 3 — Les situations tendues",
    ]
    for number, title in enumerate(titles):
        meeting = meetings.plan_meeting(
            group, title=title, date=today - dt.timedelta(days=28 * (3 - number)), modules=MODULES
        )
        meetings.open_collection(meeting)
        _answer(meeting, random.Random(f"praxis-demo-{number}"), progress=number / 2)
        meetings.close_collection(meeting)
        publication.record(meeting)
    _open_upcoming(group, today)
    return group


def open_session_with_room(group: Group, today: dt.date | None = None) -> Meeting:
    """The group's open session (by join code) with the most places left, or a new one opened
    when none has at least k places left: trying the demo out takes k answers to see results."""
    places = {
        meeting: group.member_cap - participation.submitted_count(meeting)
        for meeting in group.meetings
        if meeting.status == MeetingStatus.OPEN and not meeting.invitation_only
    }
    roomiest = max(places, key=places.get, default=None)
    if roomiest is not None and places[roomiest] >= group.anonymity_threshold:
        return roomiest
    return _open_upcoming(group, today or dt.date.today())


def _open_upcoming(group: Group, today: dt.date) -> Meeting:
    """A session next week, open for answers."""
    upcoming = meetings.plan_meeting(
        group,
        title=f"Séance {len(group.meetings) + 1} — Travail prescrit, travail réel",
        date=today + dt.timedelta(days=7),
        modules=["task_map", "priorities"],
    )
    meetings.open_collection(upcoming)
    db.session.flush()
    return upcoming


def _answer(meeting: Meeting, rng: random.Random, progress: float) -> None:
    """Nine synthetic respondents; ``progress`` (0 to 1) slowly closes the shared gap."""
    definition = frozen_definition(meeting)
    establishments = [e.id for e in meeting.group.establishments]
    for person in range(RESPONDENTS):
        answers = list(_person(definition, rng, person, progress))
        draft, _token = participation.start_draft(meeting)
        participation.submit(meeting, draft.id, answers, establishments[person % 2])


def _person(definition: Questionnaire, rng: random.Random, person: int, progress: float):
    """One synthetic respondent's answers: each kind invents its own, in the questionnaire's
    order (the seeded draws follow that order, so that every demo looks the same)."""
    for section in definition.sections:
        for item in section.items:
            yield from kind_of(item).demo_answers(item, definition, rng, person, progress)
