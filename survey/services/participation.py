"""Write-side of the participant journey: drafts, submission once, personal codes."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid

from sqlalchemy import delete, exists, func, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.util import identity_key
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..kinds.form import (
    AnswerValue,
    answers_from,
    answers_of,
    page_digest,
    page_fields,
    section_form,
)
from ..models import (
    Answer,
    Draft,
    Establishment,
    Group,
    Invitation,
    Meeting,
    MeetingStatus,
    Response,
    Submission,
)
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
    # Every participant page reads the group too (its "tu" setting, cap, establishments): one
    # query, rather than a lazy load of the establishments on the first page.
    return (
        db.session.scalars(
            select(Meeting)
            .options(joinedload(Meeting.group).joinedload(Group.establishments))
            .where(Meeting.join_token == token)
        )
        .unique()
        .first()
    )


def start_draft(meeting: Meeting, invitation: Invitation | None = None) -> tuple[Draft, str]:
    """A new draft and the resume token that only the worker's browser and link will hold.

    Refused ("closed") once collection has closed. The session row is read under a shared lock:
    a close, which deletes the session's drafts, waits for this draft, or this start for it.
    """
    meeting_id = inspect(meeting).identity[0]  # without loading an expired object again
    locked = db.session.scalar(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    )
    if locked.status != MeetingStatus.OPEN:
        raise SubmissionRefused("closed")
    token = secrets.token_urlsafe(24)
    draft = Draft(
        meeting_id=meeting_id,
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


def save_page(
    draft: Draft,
    names: list[str],
    posted: MultiDict,
    reached: int,
    checked: tuple[str, list[str]] | None = None,
) -> None:
    """Keep this page's values (replacing earlier ones) and remember how far the worker got.
    ``checked``: (section id, its field names) when the page's form has just validated them,
    so that submitting need not validate them again while they stay as saved."""
    draft.data = with_page(draft, names, posted)
    draft.page = max(draft.page, reached)
    draft.saved_on = dt.date.today()
    if checked is not None:
        section, fields = checked
        draft.checked = {**(draft.checked or {}), section: page_digest(fields, draft.data)}
    db.session.flush()


def check_draft(
    definition: Questionnaire,
    data: dict,
    language: str,
    familiar: bool,
    checked: dict[str, str] | None = None,
) -> tuple[list[AnswerValue], int | None]:
    """(the answers of every page, None), or ([], the first page that needs attention).

    A page whose values are still those its form validated when it was saved (``checked``:
    section id → ``page_digest`` then) gives its answers as they are; any other page is
    validated again here, so that a draft changed by other means is never recorded unchecked.
    """
    answers = []
    checked = checked or {}
    saved = None
    for number, section in enumerate(definition.sections, start=1):
        names, questions = page_fields(definition, section, language, familiar)
        if section.id in checked and checked[section.id] == page_digest(names, data):
            answers.extend(answers_from(questions, data))
            continue
        saved = saved if saved is not None else formdata(data)
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
    unchanged: dict | None = None,
) -> uuid.UUID:
    """Record the response once: the submission ledger's primary key refuses any replay. Returns
    the response's id.

    ``personal`` is the personal code's derived key (``codes.derive``, slow: done before the
    write transaction); the response keeps its key for this session, and earlier answers that
    still hold the code's legacy key are re-keyed. ``unchanged``: the draft's values the answers
    were checked from; if another tab saved a page since, it is refused as "changed".

    The session row is locked first, so the member cap and the open status hold under concurrent
    submissions (SQLite serializes writers anyway). Raises SubmissionRefused; the caller rolls back.
    Written with plain statements, each row once: a submission is the busiest write there is.
    """
    # Its identity, not ``meeting.id``: the object may be expired by ``begin_writing``, and
    # reading its id would load the row once more.
    meeting_id = inspect(meeting).identity[0]
    status, cap, group_id = db.session.execute(
        select(Meeting.status, Group.member_cap, Group.id)
        .join(Group, Group.id == Meeting.group_id)
        .where(Meeting.id == meeting_id)
        .with_for_update(of=Meeting)
    ).one()
    draft = db.session.execute(
        select(Draft.invitation_id, Draft.data).where(Draft.id == draft_id).with_for_update()
    ).first()
    _refuse_if_needed(draft, unchanged, status, cap, meeting_id)
    if draft.invitation_id is not None:
        _use_invitation(draft.invitation_id)
    if establishment_id is not None and not db.session.scalar(
        select(
            exists().where(Establishment.id == establishment_id, Establishment.group_id == group_id)
        )
    ):
        establishment_id = None
    response_id = uuid.uuid4()
    try:
        db.session.execute(
            insert(Submission.__table__).values(digest=digest(str(draft_id)), meeting_id=meeting_id)
        )
    except IntegrityError:
        raise SubmissionRefused("already_recorded") from None
    db.session.execute(
        insert(Response.__table__).values(
            id=response_id,
            meeting_id=meeting_id,
            establishment_id=establishment_id,
            respondent_key=personal.for_session(meeting_id) if personal else None,
        )
    )
    db.session.execute(delete(Draft.__table__).where(Draft.__table__.c.id == draft_id))
    _forget_draft(draft_id)
    if answers:  # one multi-row INSERT
        db.session.execute(
            insert(Answer.__table__),
            [
                {
                    "response_id": response_id,
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
    return response_id


def _refuse_if_needed(draft, unchanged: dict | None, status, cap: int, meeting_id: int) -> None:
    if draft is None:
        raise SubmissionRefused("already_recorded")
    if unchanged is not None and draft.data != unchanged:
        raise SubmissionRefused("changed")
    if status != MeetingStatus.OPEN:
        raise SubmissionRefused("closed")
    if _submitted(meeting_id) >= cap:
        raise SubmissionRefused("full")


def _use_invitation(invitation_id: int) -> None:
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.id == invitation_id).with_for_update()
    )
    if invitation.used:
        raise SubmissionRefused("already_recorded")
    invitation.used = True  # the draft, the only link to it, is deleted below


def _submitted(meeting_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Submission).where(Submission.meeting_id == meeting_id)
    )


def _forget_draft(draft_id) -> None:
    """The session must not write back a draft deleted behind its back."""
    instance = db.session.identity_map.get(identity_key(Draft, draft_id))
    if instance is not None:
        db.session.expunge(instance)


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
