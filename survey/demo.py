"""Demo data: a reception group with three past sessions whose answers hold designed patterns.

The answers are synthetic (seeded, so every demo looks the same) and go through the same write
path as real ones (drafts, then submission). Patterns a facilitator should find:

- a shared gap: helping with online procedures takes far more time than is expected of staff;
- a contested activity: calming an upset visitor, where the group splits in two;
- hindered quality: keeping waiting times short is wanted but not feasible;
- a task in overload: explaining a refusal (demanding, little mastery);
- a priority mismatch: the number of people seen weighs more in perceived expectations than
  in the staff's own view.

Each past session also records what the group found and decided (through the outcome services,
as in the room): actions in every status with their notes, an indicator read from « Limiter
l'attente des personnes » whose gap narrows a little, a recurrence and collective solutions, so
that the next session opens with its review and the trends show markers and the indicator.
"""

from __future__ import annotations

import datetime as dt
import random

from flask_babel import force_locale

from .extensions import db
from .kinds import kind_of
from .models import (
    Agreement,
    Group,
    Meeting,
    MeetingStatus,
    OutcomeKind,
    OutcomeStatus,
    TargetDirection,
)
from .questionnaire import Questionnaire, frozen_definition
from .services import groups, meetings, outcomes, participation, publication
from .services.outcomes import OutcomeFields

RESPONDENTS = 9
MODULES = ["task_map", "priorities", "self_evaluation"]
#: « Limiter l'attente des personnes »: the demo indicator reads its gap.
SHORT_WAIT = "quality.short_wait"
ONLINE = "activities.online_procedures"


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
    decided: dict = {}
    for number, title in enumerate(titles):
        meeting = meetings.plan_meeting(
            group, title=title, date=today - dt.timedelta(days=28 * (3 - number)), modules=MODULES
        )
        meetings.open_collection(meeting)
        _answer(meeting, random.Random(f"praxis-demo-{number}"), progress=number / 2)
        meetings.close_collection(meeting)
        publication.record(meeting)
        # Outcomes are recorded in French, as in the room; the CLI has no request to ask.
        with force_locale("fr"):
            _review_and_decide(meeting, number, decided)
    _open_upcoming(group, today)
    return group


def _action(
    text: str, role: str, by_session: int, items: list[str], shareable: bool = False
) -> OutcomeFields:
    return OutcomeFields(
        OutcomeKind.ACTION,
        text,
        item_ids=items,
        role=role,
        due_session=by_session,
        shareable=shareable,
    )


def _review_and_decide(meeting: Meeting, number: int, decided: dict) -> None:
    """What the group reviews (status changes with notes) and records at session ``number``
    (0 to 2); ``decided`` keeps the outcomes by name across sessions."""

    def record(name: str, given: OutcomeFields) -> None:
        decided[name] = outcomes.record(meeting, given, "fr")

    def review(name: str, status: OutcomeStatus, note: str, value: float | None = None) -> None:
        outcomes.set_status(decided[name], status, note, meeting, value)

    if number == 0:
        record(
            "signs",
            _action(
                "Afficher à l'entrée les horaires et les pièces à fournir",
                "l'équipe d'accueil",
                2,
                [SHORT_WAIT],
                shareable=True,  # what the establishment may read in a report
            ),
        )
        record(
            "slot",
            _action(
                "Proposer un créneau d'aide aux démarches en ligne",
                "la responsable de site",
                3,
                [ONLINE],
            ),
        )
        record(
            "log",
            _action(
                "Tenir un relevé des temps d'attente au guichet",
                "l'équipe d'accueil",
                2,
                [SHORT_WAIT],
            ),
        )
        record(
            "wait",
            OutcomeFields(
                OutcomeKind.INDICATOR,
                "L'écart entre l'attente souhaitée et l'attente réaliste se réduit",
                item_ids=[SHORT_WAIT],
                indicator_item=SHORT_WAIT,
                indicator_facet=outcomes.GAP,
                target_direction=TargetDirection.UP,
                target_value=-4.0,
                shareable=True,
            ),
        )
        record(
            "complaints",
            OutcomeFields(
                OutcomeKind.INDICATOR,
                "Réclamations écrites sur l'attente, par mois (relevé du secrétariat)",
                target_direction=TargetDirection.DOWN,
                target_value=3.0,
            ),
        )
    elif number == 1:
        review("complaints", OutcomeStatus.OPEN, "Relevé de septembre.", 8.0)
        review("signs", OutcomeStatus.IN_PROGRESS, "Affiches prêtes, à valider par la direction.")
        review("slot", OutcomeStatus.IN_PROGRESS, "Un créneau le mardi matin, à l'essai.")
        review("log", OutcomeStatus.DROPPED, "Trop lourd aux heures d'affluence : abandonné.")
        record(
            "online",
            OutcomeFields(
                OutcomeKind.RECURRENCE,
                "Les démarches en ligne prennent bien plus de temps que prévu, séance après séance",
                item_ids=[ONLINE],
                shareable=True,
            ),
        )
        record(
            "pair",
            OutcomeFields(
                OutcomeKind.SOLUTION,
                "Un binôme accueil et aide numérique aux heures d'affluence",
                item_ids=[ONLINE, SHORT_WAIT],
                agreement=Agreement.CONSENT,
                shareable=True,
            ),
        )
    else:
        review("signs", OutcomeStatus.DONE, "Affiches posées dans les deux sites.")
        review(
            "slot",
            OutcomeStatus.IN_PROGRESS,
            "Le créneau du mardi est plein : en ouvrir un second ?",
        )
        review("pair", OutcomeStatus.HELD, "Confirmé : le binôme tourne depuis un mois.")
        review("complaints", OutcomeStatus.OPEN, "Relevé d'octobre.", 5.0)
        record(
            "refusal",
            _action(
                "Préparer ensemble une trame pour expliquer un refus",
                "l'équipe d'accueil",
                4,
                [],
            ),
        )
        record(
            "calm",
            OutcomeFields(
                OutcomeKind.SOLUTION,
                "Face à une personne très en colère, passer le relais à un collègue",
                agreement=Agreement.NONE_YET,
            ),
        )


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
