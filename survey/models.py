"""Typed SQLAlchemy 2.0 models (DESIGN.md §3).

Privacy properties are part of the schema: a ``Response`` has a random id and no date, IP, user
agent or token, an ``Answer`` has no id of its own, and an ``Invitation`` never points at the
response it produced.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db

MIN_ANONYMITY_THRESHOLD = 3
DEFAULT_ANONYMITY_THRESHOLD = 4
MAX_MEMBERS = 12
API_TOKEN_NAME_MAX = 80


def _enum(cls: type[enum.Enum]) -> Enum:
    """Store enums as their string values, without a database-specific ENUM type."""
    return Enum(
        cls,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Domain(enum.StrEnum):
    MANAGEMENT = "management"
    PUBLIC_RECEPTION = "public_reception"
    OTHER = "other"


class MeetingStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class OutcomeKind(enum.StrEnum):
    RECURRENCE = "recurrence"
    PRIORITY = "priority"
    INDICATOR = "indicator"
    SOLUTION = "solution"
    ACTION = "action"


class OutcomeStatus(enum.StrEnum):
    """An action: open → in progress → done (or dropped); a solution: open (to confirm) → held."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    HELD = "held"
    DROPPED = "dropped"


class Agreement(enum.StrEnum):
    """How far the group agrees on a collective solution."""

    CONSENSUS = "consensus"
    CONSENT = "consent"
    NONE_YET = "none_yet"


class TargetDirection(enum.StrEnum):
    UP = "up"
    DOWN = "down"


#: A JSON list's server default (``text`` is also a column name in ``Outcome``).
_EMPTY_LIST = text("'[]'")

#: Caps on the facilitator's texts (the forms and the services both enforce them).
OUTCOME_TEXT_MAX = 500
OUTCOME_ROLE_MAX = 120
OUTCOME_NOTE_MAX = 280


group_facilitator = Table(
    "group_facilitator",
    db.metadata,
    Column("group_id", ForeignKey("practice_group.id", ondelete="CASCADE"), primary_key=True),
    Column("facilitator_id", ForeignKey("facilitator.id", ondelete="CASCADE"), primary_key=True),
)


class Facilitator(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased so that logins are case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(120), default="")
    #: UI language chosen by the facilitator (``fr`` or ``en``).
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    created_on: Mapped[dt.date] = mapped_column(default=dt.date.today)
    #: Part of the id kept in the session cookie; raised at sign-out and at a new password, so
    #: that every cookie given before (a copied one too) stops working.
    session_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    groups: Mapped[list[Group]] = relationship(
        secondary=group_facilitator, back_populates="facilitators"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.revoke_sessions()

    def revoke_sessions(self) -> None:
        """Sign this account out everywhere: session cookies given so far no longer work."""
        self.session_version = (self.session_version or 0) + 1

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the session version."""
        return f"{self.id}:{self.session_version}"

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def label(self) -> str:
        return self.display_name or self.email


class ApiToken(db.Model):
    """A facilitator's key to the read-only JSON API: only the SHA-256 of the secret is kept
    (the secret is random and long: a slow hash would add nothing), shown once at creation.
    Deleting the row revokes it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("facilitator.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(API_TOKEN_NAME_MAX))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_on: Mapped[dt.date] = mapped_column(default=dt.date.today)
    #: The day it was last used (a day is enough: it is the facilitator's data, not answers').
    last_used_on: Mapped[dt.date | None]

    facilitator: Mapped[Facilitator] = relationship()


class CofacilitatorInvitation(db.Model):
    """An invitation to co-facilitate a group, pending until the person invited accepts it.

    Matched by email to whoever signs in with that address: inviting says nothing about
    whether an account exists, and nobody gains access before accepting.
    """

    __table_args__ = (UniqueConstraint("group_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: No index of its own: the unique (group, email) constraint serves lookups by group.
    group_id: Mapped[int] = mapped_column(ForeignKey("practice_group.id", ondelete="CASCADE"))
    #: Lower-cased, as facilitators' emails are.
    email: Mapped[str] = mapped_column(String(254), index=True)
    inviter_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id", ondelete="CASCADE"))
    created_on: Mapped[dt.date] = mapped_column(default=dt.date.today)
    #: Hash of the link's token that the owner sends: whoever opens it may accept (signing in,
    #: or creating an account for the address invited). Only the hash is kept.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    group: Mapped[Group] = relationship(back_populates="invitations")
    inviter: Mapped[Facilitator] = relationship()


class Group(db.Model):
    __tablename__ = "practice_group"  # "group" is an SQL keyword
    __table_args__ = (
        CheckConstraint(f"anonymity_threshold >= {MIN_ANONYMITY_THRESHOLD}", name="k_floor"),
        CheckConstraint("member_cap >= anonymity_threshold", name="cap_above_k"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    domain: Mapped[Domain] = mapped_column(_enum(Domain), default=Domain.OTHER)
    #: k: no value is shown for fewer responses than this (DESIGN.md §6).
    anonymity_threshold: Mapped[int] = mapped_column(default=DEFAULT_ANONYMITY_THRESHOLD)
    member_cap: Mapped[int] = mapped_column(default=MAX_MEMBERS)
    owner_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id"))
    created_on: Mapped[dt.date] = mapped_column(default=dt.date.today)
    #: Domain variant whose lists (activities, tasks...) the questionnaire uses; None: the defaults.
    variant: Mapped[str | None] = mapped_column(String(40))
    #: The group's own lists, replacing the variant's: {list name: [{id, label: {fr, en}}]}.
    own_lists: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Address members with "tu" in French instructions.
    familiar: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Months after a session's date when ``flask purge`` deletes its answers; None: kept.
    retention_months: Mapped[int | None]

    owner: Mapped[Facilitator] = relationship()
    facilitators: Mapped[list[Facilitator]] = relationship(
        secondary=group_facilitator, back_populates="groups", order_by="Facilitator.email"
    )
    establishments: Mapped[list[Establishment]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Establishment.name"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="group",
        cascade="all, delete-orphan",
        order_by="(Meeting.date.desc(), Meeting.id.desc())",
    )
    invitations: Mapped[list[CofacilitatorInvitation]] = relationship(
        back_populates="group",
        cascade="all, delete-orphan",
        order_by="CofacilitatorInvitation.email",
    )


class Establishment(db.Model):
    __table_args__ = (UniqueConstraint("group_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("practice_group.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))

    group: Mapped[Group] = relationship(back_populates="establishments")


class QuestionnaireVersion(db.Model):
    """An immutable snapshot of a questionnaire definition, as a session was answered with it."""

    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(40))
    #: SHA-256 of the canonical definition: the same content is stored once.
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_on: Mapped[dt.date] = mapped_column(default=dt.date.today)


class Meeting(db.Model):
    """A workshop session of a group (UI: *séance*); not ``Session``, a name Flask already uses."""

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("practice_group.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    date: Mapped[dt.date]
    status: Mapped[MeetingStatus] = mapped_column(_enum(MeetingStatus), default=MeetingStatus.DRAFT)
    #: Short code typed by participants; assigned when collection first opens.
    join_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    #: Random token (192 bits) of the join link and QR code; assigned when collection first opens.
    join_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: Answering needs a single-use invitation card; the shared link and code do not open it.
    invitation_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Questionnaire chosen when planning; frozen into ``snapshot`` when collection first opens.
    questionnaire_slug: Mapped[str] = mapped_column(
        String(40), default="standard", server_default="standard"
    )
    #: Optional modules chosen on top of the core.
    modules: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    questionnaire_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_version.id")
    )
    #: The exact questions answered: chosen modules, the group's lists written out. Immutable.
    #: Deferred: about 100 KB of JSON that pages read through ``frozen_definition``'s cache.
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    #: When its answers were deleted at the end of the group's retention period.
    answers_purged_on: Mapped[dt.date | None]

    group: Mapped[Group] = relationship(back_populates="meetings")
    questionnaire_version: Mapped[QuestionnaireVersion | None] = relationship()

    @property
    def questions_frozen(self) -> bool:
        """Whether collection has opened once, fixing the questions (``snapshot``) for good."""
        return self.questionnaire_version_id is not None or self.questionnaire_version is not None

    outcomes: Mapped[list[Outcome]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="Outcome.id",
        foreign_keys="Outcome.meeting_id",
    )
    #: The session's plan, phase by phase (empty until the facilitator saves one).
    plan: Mapped[list[SessionPlanPhase]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="SessionPlanPhase.position",
    )


class Invitation(db.Model):
    """A single-use invitation card: knows whether it was used, never which response it produced."""

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the token printed on the card; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(default=False)


class Draft(db.Model):
    """Answers in progress. Never counted, shown or exported; deleted when submitted.

    The id is the submission id: submitting it twice is refused by ``Submission``'s primary key.
    """

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the resume token kept by the worker's browser and resume link.
    resume_digest: Mapped[str] = mapped_column(String(64), unique=True)
    #: The invitation card this draft started from; marked used (and forgotten) on submission.
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE")
    )
    #: Field values by form field name, as posted page by page.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The furthest page reached, to resume there.
    page: Mapped[int] = mapped_column(default=1)
    #: Last saved, as a date only (old drafts can be purged without keeping times).
    saved_on: Mapped[dt.date] = mapped_column(default=dt.date.today)
    #: Per section id, a digest of the values its form validated when the page was saved: a
    #: submission takes those pages as they are and validates only the others.
    checked: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))


class Submission(db.Model):
    """That a submission id was used: kept apart from responses, with no link to one."""

    #: SHA-256 of the submission id; the primary key makes a second submission fail.
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )


class Response(db.Model):
    """One worker's submitted answers. Random id; no IP, user agent, token, date or time: the
    session's date says enough. Closing the session gives new ids (see ``close_collection``)."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    establishment_id: Mapped[int | None] = mapped_column(
        ForeignKey("establishment.id", ondelete="RESTRICT")
    )
    #: Coarse role chosen from the group's list, never free text.
    role: Mapped[str | None] = mapped_column(String(40))
    #: The optional personal code's key for this session (``services.codes``: HMAC of the
    #: session id under scrypt of the code); the code itself is never stored.
    respondent_key: Mapped[str | None] = mapped_column(String(64), index=True)
    #: Which publication of the session's results first included it (None: not shown yet).
    publication: Mapped[int | None]

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class Answer(db.Model):
    """One value or text of a response. No id of its own: a sequence would number answers in
    the order people submitted."""

    response_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    #: Which side of a paired item (``prescribed``, ``actual``...), or "" for single-valued items.
    facet: Mapped[str] = mapped_column(String(80), primary_key=True, default="")
    value: Mapped[float | None]
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")


class Outcome(db.Model):
    """What the group recorded in a session: a recurrence, an action priority, an evaluation
    indicator or a collective solution. Facilitator text only, never a person's answers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The session where it was decided.
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[OutcomeKind] = mapped_column(_enum(OutcomeKind))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[OutcomeStatus] = mapped_column(_enum(OutcomeStatus), default=OutcomeStatus.OPEN)
    #: The later session where an action or indicator was last reviewed.
    reviewed_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL")
    )
    #: Statement ids (of the session's questionnaire) that prompted it.
    item_ids: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=_EMPTY_LIST)
    #: An action: who will do it, as a role (« l'équipe d'accueil »), never a person's answers.
    role: Mapped[str | None] = mapped_column(String(OUTCOME_ROLE_MAX))
    #: An action: by when, a date or « d'ici la séance N ».
    due_on: Mapped[dt.date | None]
    due_session: Mapped[int | None]
    #: A solution: the group's level of agreement.
    agreement: Mapped[Agreement | None] = mapped_column(_enum(Agreement))
    #: An indicator: the statement it is read from, a facet or "gap", and its target.
    indicator_item: Mapped[str | None] = mapped_column(String(80))
    indicator_facet: Mapped[str | None] = mapped_column(String(40))
    target_direction: Mapped[TargetDirection | None] = mapped_column(_enum(TargetDirection))
    target_value: Mapped[float | None]
    #: May appear in exports and reports meant for people outside the group.
    shareable: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_on: Mapped[dt.date] = mapped_column(default=dt.date.today)

    meeting: Mapped[Meeting] = relationship(back_populates="outcomes", foreign_keys=[meeting_id])
    revisions: Mapped[list[OutcomeRevision]] = relationship(
        back_populates="outcome",
        cascade="all, delete-orphan",
        order_by="OutcomeRevision.id",
        passive_deletes=True,
    )


class OutcomeRevision(db.Model):
    """One change to an outcome: when, in which session, the status after it, what changed and
    the facilitator's short note. Facilitator data only."""

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("outcome.id", ondelete="CASCADE"), index=True
    )
    #: The session in which the change was made (a later one during a review).
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    changed_at: Mapped[dt.datetime] = mapped_column(
        default=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None)
    )
    status: Mapped[OutcomeStatus] = mapped_column(_enum(OutcomeStatus))
    #: The fields changed (their names), empty for a status change alone.
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(String(OUTCOME_NOTE_MAX), default="")
    #: An indicator the group measures by hand: the value noted in this session's review.
    value: Mapped[float | None]

    outcome: Mapped[Outcome] = relationship(back_populates="revisions")


#: The roles a phase may name: words on the slide, never a person.
PLAN_ROLES = ("narrator", "observer", "timekeeper")
MAX_PHASE_TITLE = 80
MAX_PHASE_MINUTES = 180
MAX_PLAN_PHASES = 20


class SessionPlanPhase(db.Model):
    """One phase of a session's plan (UI: *déroulé*): a title, a duration and the roles it calls
    for. Facilitator text only; the timer that runs it lives in the browser."""

    __table_args__ = (
        UniqueConstraint("meeting_id", "position"),
        CheckConstraint(f"minutes >= 1 AND minutes <= {MAX_PHASE_MINUTES}", name="minutes_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    #: 0, 1, 2… in the order the phases are run.
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(MAX_PHASE_TITLE))
    minutes: Mapped[int]
    #: Keys of ``PLAN_ROLES``.
    roles: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    #: The phase lists the « situations to bring » (under the k + 2 rule) to help choose one.
    situations: Mapped[bool] = mapped_column(default=False, server_default=false())

    meeting: Mapped[Meeting] = relationship(back_populates="plan")


__all__ = [
    "Answer",
    "CofacilitatorInvitation",
    "Domain",
    "Establishment",
    "Facilitator",
    "Group",
    "Invitation",
    "Meeting",
    "MeetingStatus",
    "Agreement",
    "Outcome",
    "OutcomeKind",
    "OutcomeRevision",
    "TargetDirection",
    "OutcomeStatus",
    "QuestionnaireVersion",
    "Response",
    "Draft",
    "SessionPlanPhase",
    "Submission",
]
