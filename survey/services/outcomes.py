"""Outcomes: what the group records in a session, edited afterwards with a history, and reviewed
at the next sessions (« Où en sommes-nous ? »).

Outcomes are facilitator text, length-capped here as in the forms; they link to statements by
item id (checked against the session's frozen questionnaire), never to anyone's answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from ..extensions import db
from ..models import (
    OUTCOME_NOTE_MAX,
    OUTCOME_ROLE_MAX,
    OUTCOME_TEXT_MAX,
    Agreement,
    Group,
    Meeting,
    Outcome,
    OutcomeKind,
    OutcomeRevision,
    OutcomeStatus,
    TargetDirection,
)
from ..questionnaire import frozen_definition
from ..results import queries, recurrences
from . import ServiceError

#: The kinds recorded in the room, in the order pages list them. ``PRIORITY`` is an older name
#: kept in the enum; an action priority is stored as ``ACTION`` (the trends' markers read it).
KINDS = (OutcomeKind.RECURRENCE, OutcomeKind.ACTION, OutcomeKind.INDICATOR, OutcomeKind.SOLUTION)

#: The statuses each kind may take.
STATUSES: dict[OutcomeKind, tuple[OutcomeStatus, ...]] = {
    OutcomeKind.ACTION: (
        OutcomeStatus.OPEN,
        OutcomeStatus.IN_PROGRESS,
        OutcomeStatus.DONE,
        OutcomeStatus.DROPPED,
    ),
    OutcomeKind.SOLUTION: (OutcomeStatus.OPEN, OutcomeStatus.HELD, OutcomeStatus.DROPPED),
    OutcomeKind.INDICATOR: (OutcomeStatus.OPEN, OutcomeStatus.DROPPED),
    OutcomeKind.RECURRENCE: (OutcomeStatus.OPEN, OutcomeStatus.DROPPED),
}

#: Highest « d'ici la séance N ».
MAX_SESSION_NUMBER = 999
GAP = "gap"


@dataclass
class OutcomeFields:
    """What the form gives; the fields that do not belong to the kind are cleared."""

    kind: OutcomeKind
    text: str
    item_ids: list[str] = field(default_factory=list)
    role: str | None = None
    due_on: dt.date | None = None
    due_session: int | None = None
    agreement: Agreement | None = None
    indicator_item: str | None = None
    indicator_facet: str | None = None
    target_direction: TargetDirection | None = None
    target_value: float | None = None
    shareable: bool = False


#: The fields that belong to each kind, besides text, statements and the shareable flag.
_OWN_FIELDS = {
    OutcomeKind.ACTION: {"role", "due_on", "due_session"},
    OutcomeKind.SOLUTION: {"agreement"},
    OutcomeKind.INDICATOR: {
        "indicator_item",
        "indicator_facet",
        "target_direction",
        "target_value",
    },
    OutcomeKind.RECURRENCE: set(),
}
_COMMON = {"kind", "text", "item_ids", "shareable"}


@dataclass
class Statement:
    id: str
    label: str
    #: A paired statement's two facets (id, label); empty for the other kinds.
    facets: list[tuple[str, str]] = field(default_factory=list)


def statements(meeting: Meeting, language: str) -> dict[str, Statement]:
    """The statements an outcome of this session may link to: its frozen questionnaire's."""
    if not meeting.questions_frozen:
        return {}
    definition = frozen_definition(meeting)
    items = queries.items_frame(definition, language, meeting.group.familiar)
    facet_labels = {
        facet.id: facet.label.get(language, meeting.group.familiar)
        for section in definition.sections
        for item in section.items
        for facet in getattr(item, "facets", ())
    }
    found: dict[str, Statement] = {}
    for row in items.itertuples(index=False):
        if row.item in found:
            continue
        pair = [f for f in (row.facet_a, row.facet_b) if isinstance(f, str) and f]
        found[row.item] = Statement(
            row.item, str(row.label), [(f, facet_labels.get(f, f)) for f in pair]
        )
    return found


def _clean(value: str | None, cap: int, what: str) -> str:
    value = (value or "").strip()
    if len(value) > cap:
        raise ServiceError(_("%(what)s: at most %(max)d characters.", what=what, max=cap))
    return value


def _checked(meeting: Meeting, given: OutcomeFields, language: str) -> OutcomeFields:
    if given.kind not in KINDS:
        raise ServiceError(_("Choose what to record."))
    text = _clean(given.text, OUTCOME_TEXT_MAX, _("Text"))
    if not text:
        raise ServiceError(_("Write what the group found or decided."))
    known = statements(meeting, language)
    item_ids = list(dict.fromkeys(given.item_ids))
    if any(i not in known for i in item_ids):
        raise ServiceError(_("This statement is not in the session's questionnaire."))
    own = _OWN_FIELDS[given.kind]
    checked = OutcomeFields(
        **{
            f.name: getattr(given, f.name)
            for f in fields(OutcomeFields)
            if f.name in own or f.name in _COMMON
        }
    )
    checked.text, checked.item_ids = text, item_ids
    if given.kind == OutcomeKind.ACTION:
        checked.role = _clean(given.role, OUTCOME_ROLE_MAX, _("Who")) or None
        if checked.due_session is not None and not 1 <= checked.due_session <= MAX_SESSION_NUMBER:
            raise ServiceError(
                _("Give a session number between 1 and %(max)d.", max=MAX_SESSION_NUMBER)
            )
    if given.kind == OutcomeKind.INDICATOR:
        _check_indicator(checked, known)
    return checked


def _check_indicator(checked: OutcomeFields, known: dict[str, Statement]) -> None:
    """An indicator may be read from a statement: one of its facets, or the gap between them."""
    checked.indicator_item = checked.indicator_item or None
    checked.indicator_facet = checked.indicator_facet or None
    if checked.indicator_item is None:
        if checked.indicator_facet is not None:
            raise ServiceError(_("Choose the statement before its facet."))
        return
    statement = known.get(checked.indicator_item)
    if statement is None:
        raise ServiceError(_("This statement is not in the session's questionnaire."))
    allowed = {f for f, _label in statement.facets} | ({GAP} if statement.facets else set())
    if checked.indicator_facet is not None and checked.indicator_facet not in allowed:
        raise ServiceError(_("This statement has no such facet."))


def _apply(outcome: Outcome, checked: OutcomeFields) -> list[str]:
    """Set every field of the outcome from ``checked``; return the names of those that changed."""
    changed = []
    for f in fields(OutcomeFields):
        value = getattr(checked, f.name)
        if getattr(outcome, f.name) != value:
            setattr(outcome, f.name, value)
            changed.append(f.name)
    return changed


def record(meeting: Meeting, given: OutcomeFields, language: str) -> Outcome:
    """A new outcome decided in ``meeting``, with its first history line."""
    checked = _checked(meeting, given, language)
    outcome = Outcome(meeting=meeting, status=OutcomeStatus.OPEN, item_ids=[], shareable=False)
    _apply(outcome, checked)
    outcome.revisions.append(
        OutcomeRevision(meeting_id=meeting.id, status=outcome.status, fields=["created"], note="")
    )
    db.session.add(outcome)
    db.session.flush()
    return outcome


def update(
    outcome: Outcome, given: OutcomeFields, note: str, in_meeting: Meeting, language: str
) -> Outcome:
    """Edit an outcome (from its own session or a later one); the change is kept with its note."""
    note = _clean(note, OUTCOME_NOTE_MAX, _("The note"))
    if given.kind != outcome.kind:
        raise ServiceError(_("An outcome keeps its kind: record a new one instead."))
    # Statements are checked against the session where the outcome was decided.
    checked = _checked(outcome.meeting, given, language)
    changed = _apply(outcome, checked)
    if not changed and not note:
        raise ServiceError(_("Nothing was changed."))
    _keep(outcome, in_meeting, changed, note)
    db.session.flush()
    return outcome


def set_status(outcome: Outcome, status: OutcomeStatus, note: str, in_meeting: Meeting) -> Outcome:
    """A status change (an action done, a solution confirmed…), kept in the history."""
    note = _clean(note, OUTCOME_NOTE_MAX, _("The note"))
    if status not in STATUSES[outcome.kind]:
        raise ServiceError(_("This status does not apply to this outcome."))
    if status == outcome.status and not note:
        raise ServiceError(_("Nothing was changed."))
    changed = ["status"] if status != outcome.status else []
    outcome.status = status
    _keep(outcome, in_meeting, changed, note)
    db.session.flush()
    return outcome


def _keep(outcome: Outcome, in_meeting: Meeting, changed: list[str], note: str) -> None:
    if in_meeting.id != outcome.meeting_id:
        outcome.reviewed_in_id = in_meeting.id
    outcome.revisions.append(
        OutcomeRevision(meeting_id=in_meeting.id, status=outcome.status, fields=changed, note=note)
    )


def _earlier_or_same(meeting: Meeting):
    """Sessions of the group up to ``meeting``, in date order (ties by id)."""
    return and_(
        Meeting.group_id == meeting.group_id,
        or_(
            Meeting.date < meeting.date,
            and_(Meeting.date == meeting.date, Meeting.id <= meeting.id),
        ),
    )


def find(meeting: Meeting, outcome_id: int) -> Outcome | None:
    """An outcome that may be edited from ``meeting``: decided there or in an earlier session
    of the same group; ``None`` otherwise (the view answers 404)."""
    return db.session.scalar(
        select(Outcome)
        .join(Meeting, Meeting.id == Outcome.meeting_id)
        .where(Outcome.id == outcome_id, _earlier_or_same(meeting))
    )


def of_meeting(meeting: Meeting) -> dict[OutcomeKind, list[Outcome]]:
    """The outcomes decided in this session, by kind."""
    found = db.session.scalars(
        select(Outcome).where(Outcome.meeting_id == meeting.id).order_by(Outcome.id)
    ).all()
    return {kind: [o for o in found if o.kind == kind] for kind in KINDS}


def of_group(group: Group) -> list[Outcome]:
    """Every outcome recorded in the group's sessions, oldest session first."""
    return list(
        db.session.scalars(
            select(Outcome)
            .join(Meeting, Meeting.id == Outcome.meeting_id)
            .where(Meeting.group_id == group.id)
            .order_by(Meeting.date, Meeting.id, Outcome.id)
        )
    )


@dataclass
class Review:
    """« Où en sommes-nous ? »: what earlier sessions left to follow up."""

    actions: list[Outcome]
    indicators: list[Outcome]
    solutions: list[Outcome]

    def __bool__(self) -> bool:
        return bool(self.actions or self.indicators or self.solutions)


_STILL_OPEN = {
    OutcomeKind.ACTION: {OutcomeStatus.OPEN, OutcomeStatus.IN_PROGRESS},
    OutcomeKind.INDICATOR: {OutcomeStatus.OPEN},
    OutcomeKind.SOLUTION: {OutcomeStatus.OPEN},
}


def review(meeting: Meeting) -> Review:
    """Earlier sessions' open actions, live indicators and solutions to confirm, as they stand
    now (a change made in any later session carries forward); one changed in this very session
    stays listed, so that the review shows what it just did."""
    earlier = db.session.scalars(
        select(Outcome)
        .join(Meeting, Meeting.id == Outcome.meeting_id)
        .where(
            _earlier_or_same(meeting),
            Meeting.id != meeting.id,
            Outcome.kind.in_(list(_STILL_OPEN)),
        )
        .order_by(Meeting.date, Meeting.id, Outcome.id)
    ).all()
    shown = [
        o
        for o in earlier
        if o.status in _STILL_OPEN[o.kind] or any(r.meeting_id == meeting.id for r in o.revisions)
    ]
    return Review(
        [o for o in shown if o.kind == OutcomeKind.ACTION],
        [o for o in shown if o.kind == OutcomeKind.INDICATOR],
        [o for o in shown if o.kind == OutcomeKind.SOLUTION],
    )


def statement_labels(found: list[Outcome], language: str) -> dict[int, dict[str, str]]:
    """Per outcome, the labels of the statements it links to (in its own session's words)."""
    by_meeting: dict[int, dict[str, Statement]] = {}
    labels = {}
    for outcome in found:
        if outcome.meeting_id not in by_meeting:
            by_meeting[outcome.meeting_id] = statements(outcome.meeting, language)
        known = by_meeting[outcome.meeting_id]
        wanted = [*outcome.item_ids, *([outcome.indicator_item] if outcome.indicator_item else [])]
        labels[outcome.id] = {i: known[i].label if i in known else i for i in wanted}
        facets = {f: label for s in known.values() for f, label in s.facets}
        if outcome.indicator_facet:
            labels[outcome.id]["facet"] = facets.get(outcome.indicator_facet, "")
    return labels


def _suggestion(meeting: Meeting, item: str, language: str) -> recurrences.Suggestion:
    found = {s.item: s for s in recurrences.suggested(meeting, language)}
    if item not in found:
        raise ServiceError(_("This statement is no longer suggested as a recurrence."))
    return found[item]


def _recurrence(meeting: Meeting, suggestion: recurrences.Suggestion, language: str) -> Outcome:
    """A recurrence outcome linked to the suggested statement, decided in ``meeting`` when its
    questionnaire has the statement, otherwise in the last session that flagged it."""
    where = meeting if suggestion.item in statements(meeting, language) else suggestion.latest
    return record(
        where,
        OutcomeFields(OutcomeKind.RECURRENCE, suggestion.label, [suggestion.item]),
        language,
    )


def confirm_recurrence(meeting: Meeting, item: str, language: str) -> Outcome:
    """The facilitator confirms a suggested recurrence: it becomes a recurrence outcome."""
    return _recurrence(meeting, _suggestion(meeting, item, language), language)


def dismiss_recurrence(meeting: Meeting, item: str, language: str) -> Outcome:
    """The facilitator dismisses a suggested recurrence: kept as a dropped recurrence, with
    the reason in its history, so that it is not suggested again."""
    outcome = _recurrence(meeting, _suggestion(meeting, item, language), language)
    return set_status(outcome, OutcomeStatus.DROPPED, _("Suggestion dismissed."), meeting)
