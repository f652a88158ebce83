"""A session's plan (« déroulé »): its phases, their durations and roles.

The plan is facilitator text: titles are capped and escaped wherever they are shown, roles are
words from ``PLAN_ROLES`` (never a person). The timer that runs a phase lives in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ..analytics.privacy import TEXT_MARGIN
from ..extensions import db
from ..models import (
    MAX_PHASE_MINUTES,
    MAX_PHASE_TITLE,
    MAX_PLAN_PHASES,
    PLAN_ROLES,
    Meeting,
    MeetingStatus,
    SessionPlanPhase,
)
from ..questionnaire import frozen_definition
from ..results.published import published
from . import ServiceError

#: The free-text items whose answers may help the group choose a situation, in that order.
SITUATION_ITEMS = ("situation_to_bring", "recent_situation")


@dataclass(frozen=True)
class Phase:
    """A phase as the forms and pages handle it, before or after it is stored."""

    title: str
    minutes: int
    roles: tuple[str, ...] = field(default=())
    #: List the « situations to bring » on this phase (to help the group choose one).
    situations: bool = False


def default_plan() -> list[Phase]:
    """The usual shape of a practice-analysis session, to start from (about 2 h 15)."""
    return [
        Phase(str(_l("Where are we")), 15),
        Phase(str(_l("Agenda")), 10),
        Phase(str(_l("Choosing the situation")), 10, situations=True),
        Phase(str(_l("Account of the situation")), 15, ("narrator", "timekeeper")),
        Phase(str(_l("Clarifying questions")), 15, ("narrator", "timekeeper")),
        Phase(str(_l("Hypotheses")), 20, ("observer", "timekeeper")),
        Phase(str(_l("The narrator's response")), 10, ("narrator",)),
        Phase(str(_l("What we learn from it")), 15, ("observer",)),
        Phase(str(_l("What we keep")), 20),
    ]


def new_phase() -> Phase:
    """The phase the « add » button appends: titled, so that it can be saved straight away."""
    return Phase(str(_l("New phase")), 10)


def phases_of(meeting: Meeting) -> list[Phase]:
    """The stored plan, in order (empty when none was saved)."""
    return [Phase(p.title, p.minutes, tuple(p.roles), p.situations) for p in meeting.plan]


def total_minutes(phases: list[Phase]) -> int:
    """The plan's length, shown against a usual session of two to three hours."""
    return sum(p.minutes for p in phases)


def edited(phases: list[Phase], action: str) -> list[Phase]:
    """The phases after one of the editing page's buttons: ``add``, ``remove-N``, ``up-N``,
    ``down-N`` (N counted from 0); anything else (``save``) leaves them as they are."""
    phases = list(phases)
    verb, _, number = action.partition("-")
    if verb == "add":
        return phases + [new_phase()]
    if not number.isdigit() or int(number) >= len(phases):
        return phases
    index = int(number)
    if verb == "remove":
        del phases[index]
    elif verb == "up" and index > 0:
        phases[index - 1], phases[index] = phases[index], phases[index - 1]
    elif verb == "down" and index < len(phases) - 1:
        phases[index + 1], phases[index] = phases[index], phases[index + 1]
    return phases


def _checked(phase: Phase) -> Phase:
    title = " ".join(phase.title.split())
    if not title:
        raise ServiceError(_l("Each phase needs a title."))
    if len(title) > MAX_PHASE_TITLE:
        raise ServiceError(
            _l("A phase title has at most %(count)d characters.", count=MAX_PHASE_TITLE)
        )
    if not 1 <= phase.minutes <= MAX_PHASE_MINUTES:
        raise ServiceError(
            _l("A phase lasts from 1 to %(count)d minutes.", count=MAX_PHASE_MINUTES)
        )
    unknown = set(phase.roles) - set(PLAN_ROLES)
    if unknown:
        raise ServiceError(_l("Unknown role."))
    # Stored in the order of PLAN_ROLES so that the slide always reads the same way.
    roles = tuple(r for r in PLAN_ROLES if r in phase.roles)
    return Phase(title, phase.minutes, roles, phase.situations)


def save_plan(meeting: Meeting, phases: list[Phase]) -> None:
    """Replace the session's plan with ``phases``, in that order."""
    if len(phases) > MAX_PLAN_PHASES:
        raise ServiceError(_l("A plan has at most %(count)d phases.", count=MAX_PLAN_PHASES))
    checked = [_checked(p) for p in phases]
    meeting.plan.clear()
    db.session.flush()  # the old positions go before the new ones take them
    meeting.plan.extend(
        SessionPlanPhase(
            position=i,
            title=p.title,
            minutes=p.minutes,
            roles=list(p.roles),
            situations=p.situations,
        )
        for i, p in enumerate(checked)
    )
    db.session.flush()


def start_from_default(meeting: Meeting) -> None:
    """Replace the session's plan with the default one."""
    save_plan(meeting, default_plan())


@dataclass(frozen=True)
class Situations:
    """The « situations to bring » a plan may list: (prompt, texts) per item, under the k + 2
    rule of ``results.published``; ``needed`` is the number of responses that rule asks for."""

    needed: int
    #: Responses in the session's publications (a count that may always be shown).
    responses: int
    shown: list[tuple[str, list[str]]]


def situations(meeting: Meeting, language: str) -> Situations:
    """The session's situation texts as its published results show them (never otherwise)."""
    needed = meeting.group.anonymity_threshold + TEXT_MARGIN
    # As on the results pages: only a closed session's publications are shown.
    if meeting.status != MeetingStatus.CLOSED or not meeting.questions_frozen:
        return Situations(needed, 0, [])
    definition = frozen_definition(meeting)
    found = published(meeting, definition)
    texts = found.texts
    items = {item.id: item for section in definition.sections for item in section.items}
    shown = [
        (items[key].prompt.get(language, meeting.group.familiar), texts[(key, "")])
        for key in SITUATION_ITEMS
        if key in items and texts.get((key, ""))
    ]
    return Situations(needed, found.responses, shown)
