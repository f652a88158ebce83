"""Groups: who facilitates them, their establishments, their questionnaire settings."""

import datetime as dt
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import (
    CofacilitatorInvitation,
    Domain,
    Draft,
    Establishment,
    Facilitator,
    Group,
    Meeting,
    Response,
    group_facilitator,
)
from ..questionnaire import (
    Option,
)
from ..questionnaire import lists as lists_module
from ..tokens import digest
from . import ServiceError

#: The questionnaire lists a new group starts from, by trade.
DOMAIN_VARIANTS = {Domain.MANAGEMENT: "management", Domain.PUBLIC_RECEPTION: "public_reception"}


def group_for(facilitator: Facilitator, group_id: int) -> Group | None:
    """The group if this facilitator facilitates it, else None (the view answers 404)."""
    return db.session.scalar(
        select(Group)
        .join(group_facilitator)
        .where(Group.id == group_id, group_facilitator.c.facilitator_id == facilitator.id)
    )


def groups_of(facilitator: Facilitator) -> list[Group]:
    """The groups a facilitator facilitates, by name."""
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
    retention_months: int | None = None,
) -> Group:
    """A new group, owned and facilitated by ``owner``, with its establishments."""
    group = Group(
        name=name,
        domain=Domain(domain),
        variant=DOMAIN_VARIANTS.get(Domain(domain)),
        member_cap=member_cap,
        anonymity_threshold=anonymity_threshold,
        retention_months=retention_months,
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
    retention_months: int | None = None,
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
    group.retention_months = retention_months
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


def invite_cofacilitator(group: Group, inviter: Facilitator, email: str) -> str:
    """The owner invites an address to co-facilitate; returns the token of the link to send.

    Whether an account uses the address is not said (nor looked up): the person finds the
    invitation once signed in with that address, or opens the link, and gains access only by
    accepting it. Inviting the same address again gives a new link (the old one stops working).
    """
    if inviter.id != group.owner_id:
        raise ServiceError(_l("Only the group's owner can invite someone to co-facilitate."))
    email = email.strip().lower()
    if any(f.email == email for f in group.facilitators):  # the group page lists them anyway
        raise ServiceError(_l("%(email)s already facilitates this group.", email=email))
    invitation = next((i for i in group.invitations if i.email == email), None)
    if invitation is None:
        invitation = CofacilitatorInvitation(email=email, inviter=inviter)
        group.invitations.append(invitation)
    token = secrets.token_urlsafe(24)
    invitation.token_hash = digest(token)
    invitation.created_on = dt.date.today()
    db.session.flush()
    return token


#: Days an invitation link stays valid.
INVITATION_LINK_DAYS = 30


def invitation_by_link(token: str) -> CofacilitatorInvitation | None:
    """The invitation of a link's token while it is valid, else None."""
    if not token or len(token) > 64:
        return None
    invitation = db.session.scalar(
        select(CofacilitatorInvitation).where(CofacilitatorInvitation.token_hash == digest(token))
    )
    too_old = dt.date.today() - dt.timedelta(days=INVITATION_LINK_DAYS)
    if invitation is None or invitation.created_on < too_old:
        return None
    return invitation


def accept_by_link(invitation: CofacilitatorInvitation, facilitator: Facilitator) -> Group:
    """Whoever opened the owner's link accepts, with the account they are signed in to."""
    group = invitation.group
    if facilitator not in group.facilitators:
        group.facilitators.append(facilitator)
    group.invitations.remove(invitation)
    db.session.flush()
    return group


def join_with_new_account(
    invitation: CofacilitatorInvitation, display_name: str, password_hash: str
) -> Facilitator:
    """Create the account of the address invited (password already hashed) and accept."""
    if db.session.scalar(select(Facilitator.id).where(Facilitator.email == invitation.email)):
        raise ServiceError(
            _l("An account already uses this address: sign in to accept the invitation.")
        )
    facilitator = Facilitator(
        email=invitation.email, display_name=display_name.strip(), password_hash=password_hash
    )
    db.session.add(facilitator)
    db.session.flush()
    accept_by_link(invitation, facilitator)
    return facilitator


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
