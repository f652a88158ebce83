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
from .kinds.form import AnswerValue
from .models import Group, Meeting, MeetingStatus
from .questionnaire import Questionnaire, frozen_definition
from .results import queries
from .services import groups, meetings, participation

RESPONDENTS = 9
MODULES = ["task_map", "priorities", "self_evaluation"]
TEXTS = {
    "recent_situation": [
        "Une personne âgée ne pouvait pas faire sa démarche en ligne : je l'ai faite avec elle "
        "au guichet, même si la consigne est de renvoyer vers le site.",
        "J'ai reçu quelqu'un sans rendez-vous parce qu'il venait de loin.",
        "J'ai pris le temps d'expliquer un refus en détail au lieu de donner le courrier type.",
        "J'ai appelé moi-même un autre service pour éviter un aller-retour à une famille.",
        "J'ai laissé la file d'attente quelques minutes pour calmer une situation tendue.",
        "J'ai accepté un dossier incomplet en notant les pièces manquantes.",
    ],
    "proposal": [
        "Un créneau sans rendez-vous réservé aux démarches en ligne accompagnées.",
        "Une fiche commune pour expliquer les refus avec des mots simples.",
        "Un point d'équipe de dix minutes après les journées difficiles.",
        "Former deux collègues de plus à l'accompagnement numérique.",
        "Afficher les temps d'attente estimés dans la salle.",
        "Un numéro direct entre services pour les situations urgentes.",
    ],
}


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
        queries.publish(meeting)
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


def _clip(value: float, low: int, high: int) -> float:
    return float(min(max(round(value), low), high))


def _person(definition: Questionnaire, rng: random.Random, person: int, progress: float):
    def scale(mean, spread, low, high):
        return _clip(rng.gauss(mean, spread), low, high)

    for section in definition.sections:
        for item in section.items:
            rows = definition.rows(getattr(item, "rows", None) or getattr(item, "options", None))
            if item.kind == "paired":
                for row in rows:
                    a, b = 6.0, 6.0
                    if row.id == "online_procedures":
                        a, b = 2.5, 8.5 - 2 * progress
                    elif row.id == "calm_visitor":
                        a, b = 6.5, (1.5 if person % 2 else 9.5)
                    elif row.id == "short_wait":
                        a, b = 9.0, 3.0
                    elif item.facets[0].id == "ideal":
                        a, b = 8.5, 7.0
                    yield AnswerValue(
                        f"{item.id}.{row.id}", item.facets[0].id, scale(a, 0.7, 0, 10)
                    )
                    yield AnswerValue(
                        f"{item.id}.{row.id}", item.facets[1].id, scale(b, 0.7, 0, 10)
                    )
            elif item.kind == "rating":
                sc = definition.scales[item.scale]
                middle = (sc.min + sc.max) / 2
                for row in rows or (None,):
                    key = f"{item.id}.{row.id}" if row else item.id
                    if item.sensitive and rng.random() < 0.15:
                        continue  # some skip sensitive questions
                    yield AnswerValue(key, "", scale(middle + 0.5, 1, sc.min, sc.max))
            elif item.kind == "task_map":
                for row in rows:
                    key = f"{item.id}.{row.id}"
                    hard = row.id == "explain_refusal"
                    yield AnswerValue(key, "valence", scale(-2 if hard else 0.5, 1, -3, 3))
                    yield AnswerValue(key, "challenge", scale(6.5 if hard else 4, 0.6, 1, 7))
                    yield AnswerValue(key, "skill", scale(2.5 if hard else 5, 0.6, 1, 7))
                    yield AnswerValue(key, "automatic", scale(2 if hard else 5, 1, 1, 7))
            elif item.kind == "allocation":
                weights = {
                    "mine": {"welcome_quality": 35, "people_seen": 10, "full_resolution": 30},
                    "expected": {"people_seen": 40, "procedures": 25, "welcome_quality": 15},
                    "actual_time": {"people_seen": 35, "procedures": 25},
                }
                for viewpoint in item.viewpoints:
                    raw = [
                        max(1.0, weights.get(viewpoint.id, {}).get(r.id, 12) + rng.gauss(0, 3))
                        for r in rows
                    ]
                    points = [round(100 * w / sum(raw)) for w in raw]
                    points[0] += 100 - sum(points)
                    for row, value in zip(rows, points, strict=True):
                        yield AnswerValue(f"{item.id}.{row.id}", viewpoint.id, float(value))
            elif item.kind == "choice":
                for option in rows:
                    if option.id in ("time", "staffing") or rng.random() < 0.25:
                        yield AnswerValue(item.id, option.id, 1.0)
            elif item.kind == "ranking":
                order = sorted(
                    rows, key=lambda o: (o.id != "workload", o.id != "public", rng.random())
                )
                for rank, option in enumerate(order[: item.rank], start=1):
                    yield AnswerValue(item.id, option.id, float(rank))
            elif item.kind == "text" and item.id in TEXTS:
                yield AnswerValue(item.id, "", text=TEXTS[item.id][person % len(TEXTS[item.id])])
