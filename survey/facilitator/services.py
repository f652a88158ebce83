"""Write-side operations for groups and sessions: they flush, the request commits once."""

import datetime as dt
import functools
import secrets
import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import (
    Answer,
    CofacilitatorInvitation,
    Domain,
    Draft,
    Establishment,
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
    Option,
    Questionnaire,
    catalog,
    effective_lists,
    frozen_definition,
    resolve,
)
from ..questionnaire.versions import VersionConflict, record_version
from ..tokens import digest
from . import lists as lists_module

#: The questionnaire lists a new group starts from, by trade.
DOMAIN_VARIANTS = {Domain.MANAGEMENT: "management", Domain.PUBLIC_RECEPTION: "public_reception"}

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


class ServiceError(Exception):
    """A request that the rules refuse; the message is shown to the facilitator as is."""


def authenticate(email: str, password: str) -> Facilitator | None:
    """The facilitator with these credentials, else None; unknown emails cost the same time."""
    facilitator = db.session.scalar(
        select(Facilitator).where(Facilitator.email == email.strip().lower())
    )
    if facilitator is None:
        check_password_hash(_dummy_password_hash(), password)
        return None
    return facilitator if facilitator.check_password(password) else None


@functools.cache
def _dummy_password_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def group_for(facilitator: Facilitator, group_id: int) -> Group | None:
    """The group if this facilitator facilitates it, else None (the view answers 404)."""
    return db.session.scalar(
        select(Group)
        .join(group_facilitator)
        .where(Group.id == group_id, group_facilitator.c.facilitator_id == facilitator.id)
    )


def meeting_for(facilitator: Facilitator, meeting_id: int) -> Meeting | None:
    """The session if this facilitator facilitates its group, else None."""
    return db.session.scalar(
        select(Meeting)
        .join(Group)
        .join(group_facilitator)
        .where(Meeting.id == meeting_id, group_facilitator.c.facilitator_id == facilitator.id)
    )


def groups_of(facilitator: Facilitator) -> list[Group]:
    return list(
        db.session.scalars(
            select(Group)
            .join(group_facilitator)
            .where(group_facilitator.c.facilitator_id == facilitator.id)
            .order_by(Group.name, Group.id)
        )
    )


def has_answers(group: Group) -> bool:
    """True once anyone has answered or started answering one of the group's sessions."""
    submitted = select(Response.id).join(Meeting).where(Meeting.group_id == group.id).limit(1)
    started = select(Draft.id).join(Meeting).where(Meeting.group_id == group.id).limit(1)
    return db.session.scalar(submitted) is not None or db.session.scalar(started) is not None


def create_group(
    owner: Facilitator,
    *,
    name: str,
    domain: str,
    establishments: list[str],
    member_cap: int,
    anonymity_threshold: int,
) -> Group:
    group = Group(
        name=name,
        domain=Domain(domain),
        variant=DOMAIN_VARIANTS.get(Domain(domain)),
        member_cap=member_cap,
        anonymity_threshold=anonymity_threshold,
        owner=owner,
        facilitators=[owner],
        establishments=[Establishment(name=n) for n in establishments],
    )
    db.session.add(group)
    db.session.flush()
    return group


def update_group(
    group: Group,
    *,
    name: str,
    domain: str,
    establishments: list[str],
    member_cap: int,
    anonymity_threshold: int,
) -> None:
    """Apply the edit form; k is frozen once answers exist (DESIGN.md §6.6)."""
    if anonymity_threshold != group.anonymity_threshold and has_answers(group):
        raise ServiceError(
            _l("The anonymity threshold can no longer be changed: answers have been recorded.")
        )
    _sync_establishments(group, establishments)
    if Domain(domain) != group.domain and not group.own_lists and not lists_locked(group):
        group.variant = DOMAIN_VARIANTS.get(Domain(domain))
    group.name = name
    group.domain = Domain(domain)
    group.member_cap = member_cap
    group.anonymity_threshold = anonymity_threshold
    db.session.flush()


def _sync_establishments(group: Group, names: list[str]) -> None:
    """Keep the rows whose name stays (responses refer to them), add new ones, drop the rest."""
    wanted = {name.casefold(): name for name in names}
    for establishment in list(group.establishments):
        key = establishment.name.casefold()
        if key in wanted:
            establishment.name = wanted.pop(key)
            continue
        referenced = db.session.scalar(
            select(Response.id).where(Response.establishment_id == establishment.id).limit(1)
        )
        if referenced is not None:
            raise ServiceError(
                _l(
                    "“%(name)s” cannot be removed: responses refer to it.",
                    name=establishment.name,
                )
            )
        group.establishments.remove(establishment)
    group.establishments.extend(Establishment(name=name) for name in wanted.values())


def invite_cofacilitator(group: Group, inviter: Facilitator, email: str) -> None:
    """The owner invites an address to co-facilitate. Whether an account uses it is not said
    (nor looked up): the person finds the invitation once signed in with that address, and
    gains access only by accepting it. Inviting the same address again changes nothing."""
    if inviter.id != group.owner_id:
        raise ServiceError(_l("Only the group's owner can invite someone to co-facilitate."))
    email = email.strip().lower()
    if any(f.email == email for f in group.facilitators):  # the group page lists them anyway
        raise ServiceError(_l("%(email)s already facilitates this group.", email=email))
    if not any(i.email == email for i in group.invitations):
        group.invitations.append(CofacilitatorInvitation(email=email, inviter=inviter))
    db.session.flush()


def invitations_for(facilitator: Facilitator) -> list[CofacilitatorInvitation]:
    """The invitations waiting for this facilitator's answer, matched by their email."""
    return list(
        db.session.scalars(
            select(CofacilitatorInvitation)
            .where(CofacilitatorInvitation.email == facilitator.email)
            .order_by(CofacilitatorInvitation.created_on, CofacilitatorInvitation.id)
        )
    )


def answer_invitation(facilitator: Facilitator, invitation_id: int, accept: bool) -> Group | None:
    """Accept (join the group) or decline an invitation addressed to this facilitator: its
    group, or None when there is no such invitation for them (the view answers 404)."""
    invitation = db.session.scalar(
        select(CofacilitatorInvitation).where(
            CofacilitatorInvitation.id == invitation_id,
            CofacilitatorInvitation.email == facilitator.email,
        )
    )
    if invitation is None:
        return None
    group = invitation.group
    if accept and facilitator not in group.facilitators:
        group.facilitators.append(facilitator)
    group.invitations.remove(invitation)
    db.session.flush()
    return group


def withdraw_invitation(group: Group, acting: Facilitator, invitation_id: int) -> None:
    """The owner withdraws an invitation not answered yet."""
    if acting.id != group.owner_id:
        raise ServiceError(_l("Only the group's owner can withdraw an invitation."))
    invitation = next((i for i in group.invitations if i.id == invitation_id), None)
    if invitation is None:
        raise ServiceError(_l("This invitation has already been answered or withdrawn."))
    group.invitations.remove(invitation)
    db.session.flush()


def remove_cofacilitator(group: Group, acting: Facilitator, facilitator_id: int) -> Facilitator:
    """The owner removes a co-facilitator; a co-facilitator may remove only themselves."""
    target = next((f for f in group.facilitators if f.id == facilitator_id), None)
    if target is None:
        raise ServiceError(_l("This person does not facilitate the group."))
    if target.id == group.owner_id:
        raise ServiceError(_l("The group's owner cannot be removed."))
    if acting.id not in (group.owner_id, target.id):
        raise ServiceError(_l("Only the group's owner can remove a co-facilitator."))
    group.facilitators.remove(target)
    db.session.flush()
    return target


def lists_locked(group: Group) -> bool:
    """Lists are the group's until its first session opens; sessions then keep their own copy."""
    return any(meeting.questions_frozen for meeting in group.meetings)


def group_lists(group: Group, questionnaire: Questionnaire) -> dict[str, tuple[Option, ...]]:
    """The lists this group's sessions would use: its own, else its variant's, else defaults."""
    variant = catalog().variant(questionnaire.slug, group.variant)
    return effective_lists(questionnaire, variant, lists_module.from_json(group.own_lists))


def set_questionnaire_settings(
    group: Group,
    *,
    variant: str | None,
    familiar: bool,
    own_lists: dict[str, tuple[Option, ...]] | None,
) -> None:
    """Choose the variant, the form of address and the group's own lists."""
    if lists_locked(group) and (
        variant != group.variant or lists_module.to_json(own_lists or {}) != (group.own_lists or {})
    ):
        raise ServiceError(
            _l("The lists can no longer change: a session has already opened with them.")
        )
    group.variant = variant
    group.familiar = familiar
    group.own_lists = lists_module.to_json(own_lists) if own_lists else None
    db.session.flush()


def plan_meeting(
    group: Group,
    *,
    title: str,
    date: dt.date,
    questionnaire: str = "standard",
    modules: list[str] | tuple[str, ...] = (),
    invitation_only: bool = False,
) -> Meeting:
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


def check_deletable(meeting: Meeting) -> None:
    """Raise ServiceError unless the session never opened collection (so holds no answer)."""
    if meeting.status != MeetingStatus.DRAFT:
        raise ServiceError(_l("Only a session whose collection has never opened can be deleted."))


def delete_meeting(meeting: Meeting) -> None:
    check_deletable(meeting)
    db.session.delete(meeting)
    db.session.flush()


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
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def _unused_join_code(attempts: int = 10) -> str:
    """A code no other session has; the unique constraint still guards against a race."""
    for _ in range(attempts):
        code = new_join_code()
        if db.session.scalar(select(Meeting.id).where(Meeting.join_code == code)) is None:
            return code
    raise RuntimeError("no free join code found; the code space is exhausted")
