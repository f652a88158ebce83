"""Sessions: planning, the ways in, opening and closing the collection, deletion."""

import datetime as dt
import secrets
import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select

from ..extensions import db
from ..models import (
    Answer,
    Draft,
    Facilitator,
    Group,
    Invitation,
    Meeting,
    MeetingStatus,
    Response,
    Submission,
    group_facilitator,
)
from ..questionnaire import (
    Questionnaire,
    catalog,
    frozen_definition,
    resolve,
)
from ..questionnaire.lists import group_lists
from ..questionnaire.versions import VersionConflict, record_version
from ..tokens import digest
from . import ServiceError

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


JOIN_CODE_LENGTH = 6


def meeting_for(facilitator: Facilitator, meeting_id: int) -> Meeting | None:
    """The session if this facilitator facilitates its group, else None."""
    return db.session.scalar(
        select(Meeting)
        .join(Group)
        .join(group_facilitator)
        .where(Meeting.id == meeting_id, group_facilitator.c.facilitator_id == facilitator.id)
    )


def plan_meeting(
    group: Group,
    *,
    title: str,
    date: dt.date,
    questionnaire: str = "standard",
    modules: list[str] | tuple[str, ...] = (),
    invitation_only: bool = False,
) -> Meeting:
    """A new session of the group, planned and not yet open."""
    meeting = Meeting(
        group=group,
        title=title,
        date=date,
        questionnaire_slug=questionnaire,
        modules=list(modules),
        invitation_only=invitation_only,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def update_meeting(
    meeting: Meeting,
    *,
    title: str,
    date: dt.date,
    questionnaire: str | None = None,
    modules: list[str] | tuple[str, ...] | None = None,
    invitation_only: bool | None = None,
) -> None:
    """Retitle or move a session; its questions and access change only until it first opens."""
    meeting.title = title
    meeting.date = date
    if not meeting.questions_frozen:
        if invitation_only is not None:
            meeting.invitation_only = invitation_only
        if questionnaire is not None:
            meeting.questionnaire_slug = questionnaire
        if modules is not None:
            meeting.modules = list(modules)
    db.session.flush()


def definition_for(meeting: Meeting) -> Questionnaire:
    """The questions of a session: its snapshot once opened, else what opening would freeze now."""
    if meeting.questions_frozen:
        return frozen_definition(meeting)
    questionnaire = catalog().get(meeting.questionnaire_slug)
    if questionnaire is None:
        raise ServiceError(
            _l(
                "The questionnaire “%(slug)s” is not available: choose another one.",
                slug=meeting.questionnaire_slug,
            )
        )
    modules = [m for m in meeting.modules if m in {mod.id for mod in questionnaire.modules}]
    return resolve(questionnaire, group_lists(meeting.group, questionnaire), modules)


def create_invitations(meeting: Meeting, count: int) -> list[str]:
    """New single-use cards; their tokens are returned once and only their hashes are kept."""
    tokens = [secrets.token_urlsafe(16) for _ in range(count)]
    db.session.add_all(Invitation(meeting_id=meeting.id, token_hash=digest(t)) for t in tokens)
    db.session.flush()
    return tokens


def invitation_counts(meeting: Meeting) -> tuple[int, int]:
    """(used, printed) invitation cards of a session."""
    rows = db.session.execute(
        select(Invitation.used, func.count())
        .where(Invitation.meeting_id == meeting.id)
        .group_by(Invitation.used)
    ).all()
    counts = {used: n for used, n in rows}
    return counts.get(True, 0), sum(counts.values())


def open_collection(meeting: Meeting) -> None:
    """Open answer collection; the first time, freeze the questions and give a join code."""
    if meeting.status == MeetingStatus.OPEN:
        raise ServiceError(_l("Collection is already open."))
    if not meeting.questions_frozen:
        definition = definition_for(meeting)
        try:
            meeting.questionnaire_version = record_version(catalog().get(definition.slug))
        except VersionConflict as conflict:
            raise ServiceError(str(conflict)) from None
        meeting.snapshot = definition.model_dump(mode="json")
    if meeting.join_code is None:
        meeting.join_code = _unused_join_code()
    if meeting.join_token is None:
        meeting.join_token = secrets.token_urlsafe(24)
    meeting.status = MeetingStatus.OPEN
    db.session.flush()


def close_collection(meeting: Meeting) -> None:
    """Close collection: abandoned drafts go, and the session's rows forget their order."""
    if meeting.status != MeetingStatus.OPEN:
        raise ServiceError(_l("Collection is not open."))
    meeting.status = MeetingStatus.CLOSED
    db.session.flush()  # first: the row lock makes concurrent submissions and starts wait
    forget_order(meeting)


def forget_order(meeting: Meeting) -> None:
    """Delete the session's drafts, and rewrite its rows so that no stored order follows the
    order of submission (DESIGN.md §6, rule 6).

    The facilitator knows who arrived when, so that order is identity; yet a copy of the
    database shows it in SQLite's rowid, PostgreSQL's physical order (ctid) and xmin, and any
    plain SELECT. Responses, with new random ids, their answers (not grouped by response), the
    submission ledger and the invitation cards (whose UPDATE to ``used`` moved each PostgreSQL
    row in the order of use; their ids come from printing and stay) are deleted, then inserted
    again in random order, in the request's one transaction: on PostgreSQL they share one xmin.
    """
    session = db.session
    responses = select(Response.id).where(Response.meeting_id == meeting.id)
    read = {
        "responses": select(Response.__table__).where(Response.meeting_id == meeting.id),
        "answers": select(Answer.__table__).where(Answer.response_id.in_(responses)),
        "ledger": select(Submission.__table__).where(Submission.meeting_id == meeting.id),
        "cards": select(Invitation.__table__).where(Invitation.meeting_id == meeting.id),
    }
    rows = {name: [dict(row) for row in session.execute(q).mappings()] for name, q in read.items()}

    # Children first; "fetch" also drops the objects the session holds for these rows.
    fetch = {"synchronize_session": "fetch"}
    session.execute(delete(Draft).where(Draft.meeting_id == meeting.id), execution_options=fetch)
    session.execute(
        delete(Answer).where(Answer.response_id.in_(responses)), execution_options=fetch
    )
    session.execute(
        delete(Response).where(Response.meeting_id == meeting.id), execution_options=fetch
    )
    session.execute(
        delete(Submission).where(Submission.meeting_id == meeting.id), execution_options=fetch
    )
    session.execute(
        delete(Invitation).where(Invitation.meeting_id == meeting.id), execution_options=fetch
    )

    new_id = {row["id"]: uuid.uuid4() for row in rows["responses"]}
    for row in rows["responses"]:
        row["id"] = new_id[row["id"]]
    for row in rows["answers"]:
        row["response_id"] = new_id[row["response_id"]]
    shuffle = secrets.SystemRandom().shuffle
    for table, name in (
        (Invitation.__table__, "cards"),
        (Submission.__table__, "ledger"),
        (Response.__table__, "responses"),
        (Answer.__table__, "answers"),
    ):
        shuffle(rows[name])
        if rows[name]:
            # Core, row after row in the list's order; one compiled statement for them all (a
            # VALUES list per batch compiled anew each time: 5 times slower on PostgreSQL).
            session.execute(insert(table), rows[name])


def new_join_code() -> str:
    """A random join code, easy to read aloud and to type on a phone."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def _unused_join_code(attempts: int = 10) -> str:
    """A code no other session has; the unique constraint still guards against a race."""
    for _ in range(attempts):
        code = new_join_code()
        if db.session.scalar(select(Meeting.id).where(Meeting.join_code == code)) is None:
            return code
    raise RuntimeError("no free join code found; the code space is exhausted")
