"""Write-side of the participant journey: drafts, submission once, personal codes."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from sqlalchemy import exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..kinds.form import AnswerValue, answers_of, section_form
from ..models import Answer, Draft, Invitation, Meeting, MeetingStatus, Response, Submission
from ..questionnaire import Questionnaire
from ..tokens import digest
from . import codes

ESTABLISHMENT_FIELD = "_establishment"
#: What ``secrets.token_urlsafe`` writes: anything else in a link is no token of ours.
TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")


class SubmissionRefused(Exception):
    """The response cannot be recorded; ``reason`` says why in a word the view turns into text."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def meeting_by_code(code: str) -> Meeting | None:
    """The open session with this join code, or None however the code is wrong."""
    normalized = "".join(code.split()).replace("-", "").upper()
    if not normalized or not normalized.isalnum() or not normalized.isascii():
        return None
    return db.session.scalar(
        select(Meeting).where(
            Meeting.join_code == normalized,
            Meeting.status == MeetingStatus.OPEN,
            Meeting.invitation_only.is_(False),
        )
    )


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation card of a token (only its hash is stored), or None."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == digest(token)))


def meeting_by_token(token: str) -> Meeting | None:
    """The session of a join link's token, with its group, or None."""
    if not token or len(token) > 64 or not TOKEN_CHARACTERS.fullmatch(token):
        return None  # PostgreSQL refuses a NUL byte in a query: never send it one
    # Every participant page reads the group too (its "tu" setting, cap, establishments).
    return db.session.scalar(
        select(Meeting).options(joinedload(Meeting.group)).where(Meeting.join_token == token)
    )


def start_draft(meeting: Meeting, invitation: Invitation | None = None) -> tuple[Draft, str]:
    """A new draft and the resume token that only the worker's browser and link will hold.

    Refused ("closed") once collection has closed. The session row is read under a shared lock:
    a close, which deletes the session's drafts, waits for this draft, or this start for it.
    """
    locked = db.session.scalar(
        select(Meeting)
        .where(Meeting.id == meeting.id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    )
    if locked.status != MeetingStatus.OPEN:
        raise SubmissionRefused("closed")
    token = secrets.token_urlsafe(24)
    draft = Draft(
        meeting_id=meeting.id,
        resume_digest=digest(token),
        data={},
        page=1,
        invitation_id=invitation.id if invitation else None,
    )
    db.session.add(draft)
    db.session.flush()
    return draft, token


def draft_for(meeting: Meeting, resume_token: str | None) -> Draft | None:
    """The draft this browser's resume token holds in this session, or None."""
    if not resume_token or len(resume_token) > 64:
        return None
    return db.session.scalar(
        select(Draft).where(
            Draft.resume_digest == digest(resume_token), Draft.meeting_id == meeting.id
        )
    )


def draft_by_token(resume_token: str) -> Draft | None:
    """The draft of a resume link, in whatever session, or None."""
    if not resume_token or len(resume_token) > 64:
        return None
    return db.session.scalar(select(Draft).where(Draft.resume_digest == digest(resume_token)))


def formdata(draft: Draft | dict[str, list[str]]) -> MultiDict:
    """A draft's values (or values about to be saved), as a form would receive them."""
    data = draft if isinstance(draft, dict) else draft.data
    return MultiDict([(name, value) for name, values in data.items() for value in values])


def with_page(draft: Draft, names: list[str], posted: MultiDict) -> dict[str, list[str]]:
    """The draft's values with this page's replacing earlier ones (blanks removed)."""
    data = dict(draft.data)
    for name in names:
        values = [v for v in posted.getlist(name) if v != ""]
        if values:
            data[name] = values
        else:
            data.pop(name, None)
    return data


def save_page(draft: Draft, names: list[str], posted: MultiDict, reached: int) -> None:
    """Keep this page's values (replacing earlier ones) and remember how far the worker got."""
    draft.data = with_page(draft, names, posted)
    draft.page = max(draft.page, reached)
    draft.saved_on = dt.date.today()
    db.session.flush()


def check_draft(
    definition: Questionnaire, data: dict, language: str, familiar: bool
) -> tuple[list[AnswerValue], int | None]:
    """(the answers of every page, None), or ([], the first page that needs attention).

    Each page was validated when it was saved; checking them all again here keeps a crafted
    draft from being recorded.
    """
    answers = []
    saved = formdata(data)
    for number, section in enumerate(definition.sections, start=1):
        form = section_form(
            definition, section, language, familiar, formdata=saved, meta={"csrf": False}
        )
        if not form.validate():
            return [], number
        answers.extend(answers_of(form))
    return answers, None


def submitted_count(meeting: Meeting) -> int:
    """How many responses a session has received: the only figure shown while it is open."""
    return db.session.scalar(
        select(func.count()).select_from(Submission).where(Submission.meeting_id == meeting.id)
    )


def is_full(meeting: Meeting) -> bool:
    """Whether the session has as many responses as the group has members: no one else may
    start, nor send."""
    return submitted_count(meeting) >= meeting.group.member_cap


def submit(
    meeting: Meeting,
    draft_id,
    answers: list[AnswerValue],
    establishment_id: int | None,
    personal: codes.PersonalKey | None = None,
) -> Response:
    """Record the response once: the submission ledger's primary key refuses any replay.

    ``personal`` is the personal code's derived key (``codes.derive``, slow: done before the
    write transaction); the response keeps its key for this session, and earlier answers that
    still hold the code's legacy key are re-keyed.

    The session row is locked first, so the member cap and the open status hold under concurrent
    submissions (SQLite serializes writers anyway). Raises SubmissionRefused; the caller rolls back.
    """
    locked = db.session.scalar(select(Meeting).where(Meeting.id == meeting.id).with_for_update())
    draft = db.session.scalar(select(Draft).where(Draft.id == draft_id).with_for_update())
    if draft is None:
        raise SubmissionRefused("already_recorded")
    if locked.status != MeetingStatus.OPEN:
        raise SubmissionRefused("closed")
    if is_full(locked):
        raise SubmissionRefused("full")
    if draft.invitation_id is not None:
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.id == draft.invitation_id).with_for_update()
        )
        if invitation.used:
            raise SubmissionRefused("already_recorded")
        invitation.used = True  # the draft, the only link to it, is deleted below
    valid_establishments = {e.id for e in locked.group.establishments}
    response = Response(
        meeting_id=locked.id,
        establishment_id=establishment_id if establishment_id in valid_establishments else None,
        respondent_key=personal.for_session(locked.id) if personal else None,
    )
    db.session.add(Submission(digest=digest(str(draft.id)), meeting_id=locked.id))
    db.session.add(response)
    db.session.delete(draft)
    try:
        db.session.flush()
    except (IntegrityError, StaleDataError):
        raise SubmissionRefused("already_recorded") from None
    # One multi-row INSERT: the ORM's unit of work took most of a submission's time.
    if answers:
        db.session.execute(
            insert(Answer.__table__),
            [
                {
                    "response_id": response.id,
                    "item_id": a.item,
                    "facet": a.facet,
                    "value": a.value,
                    "text": a.text,
                }
                for a in answers
            ],
        )
    if personal is not None:
        rekey_legacy(personal)
    return response


#: Keys looked up per query: far below any database's limit on bound parameters.
KEYS_PER_QUERY = 500


def responses_of(personal: codes.PersonalKey) -> list[Response]:
    """The responses given with a personal code, whatever their session: the code's key for each
    session that holds keyed responses (cheap HMACs once the master key is known)."""
    meeting_ids = db.session.scalars(
        select(Response.meeting_id).where(Response.respondent_key.is_not(None)).distinct()
    ).all()
    keys = [personal.for_session(meeting_id) for meeting_id in meeting_ids]
    found = []
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        found.extend(db.session.scalars(select(Response).where(Response.respondent_key.in_(chunk))))
    return found


def has_legacy_key(personal: codes.PersonalKey) -> bool:
    """Whether answers still hold the code's legacy key (the same in every session)."""
    if personal.legacy is None:
        return False
    legacy = select(exists().where(Response.respondent_key == personal.legacy))
    return bool(db.session.scalar(legacy))


def rekey_legacy(personal: codes.PersonalKey) -> None:
    """Replace the code's legacy key by its key for each session. A write: call it inside the
    write transaction (it reads the legacy rows again there)."""
    if personal.legacy is None:
        return
    meeting_ids = db.session.scalars(
        select(Response.meeting_id).where(Response.respondent_key == personal.legacy).distinct()
    ).all()
    for meeting_id in meeting_ids:
        db.session.execute(
            update(Response)
            .where(Response.respondent_key == personal.legacy, Response.meeting_id == meeting_id)
            .values(respondent_key=personal.for_session(meeting_id))
        )
