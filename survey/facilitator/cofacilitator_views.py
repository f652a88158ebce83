"""Co-facilitators: invited by the group's owner, by address and by a link to send; the person
invited accepts from their groups page or from the link (creating their account if need be)."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from ..access import owned_group
from ..actions import attempt
from ..database import begin_writing, reads_first
from ..extensions import db, limiter
from ..forms import ActionForm
from ..services import accounts, groups
from ..urls import public_url
from . import bp
from .forms import CofacilitatorForm, NewAccountForm


@bp.post("/groups/<int:group_id>/facilitators")
@login_required
def invite_cofacilitator(group_id: int):
    """The owner invites an address; the same answer whether or not an account uses it."""
    group = owned_group(group_id)
    form = CofacilitatorForm()
    if not form.validate_on_submit():
        for message in form.email.errors:
            flash(message, "error")
        return redirect(url_for("facilitator.group", group_id=group_id))
    invited = attempt(groups.invite_cofacilitator, group, current_user, form.email.data)
    if not invited.done:
        return redirect(url_for("facilitator.group", group_id=group_id))
    # Shown once, like every page here not kept by the browser: only its hash is stored.
    return render_template(
        "facilitator/invitation_sent.html",
        group=group,
        email=form.email.data.lower(),
        link=public_url("facilitator.invitation_link", invitation_token=invited.value),
    )


@bp.post("/groups/<int:group_id>/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(group_id: int, invitation_id: int):
    group = owned_group(group_id)
    if ActionForm().validate_on_submit():
        withdrawn = _("Invitation withdrawn.")
        attempt(
            groups.withdraw_invitation,
            group,
            current_user,
            invitation_id,
            success=withdrawn,
            level="info",
        )
    return redirect(url_for("facilitator.group", group_id=group_id))


@bp.post("/invitations/<int:invitation_id>/accept")
@login_required
def accept_invitation(invitation_id: int):
    """The person invited accepts: they co-facilitate the group from now on."""
    group = _answer_invitation(invitation_id, accept=True)
    flash(_("You now co-facilitate “%(name)s”.", name=group.name), "success")
    return redirect(url_for("facilitator.group", group_id=group.id))


@bp.post("/invitations/<int:invitation_id>/decline")
@login_required
def decline_invitation(invitation_id: int):
    _answer_invitation(invitation_id, accept=False)
    flash(_("Invitation declined."), "info")
    return redirect(url_for("facilitator.groups"))


def _answer_invitation(invitation_id: int, accept: bool):
    if not ActionForm().validate_on_submit():
        abort(400)
    group = groups.answer_invitation(current_user, invitation_id, accept)
    if group is None:
        abort(404)
    db.session.commit()
    return group


@bp.post("/groups/<int:group_id>/facilitators/<int:facilitator_id>/remove")
@login_required
def remove_cofacilitator(group_id: int, facilitator_id: int):
    group = owned_group(group_id)
    if ActionForm().validate_on_submit():
        removed = attempt(
            groups.remove_cofacilitator,
            group,
            current_user,
            facilitator_id,
            success=lambda who: _("%(email)s no longer facilitates this group.", email=who.email),
            level="info",
        )
        if removed.done and removed.value.id == current_user.id:
            return redirect(url_for("facilitator.groups"))
    return redirect(url_for("facilitator.group", group_id=group_id))


@bp.route("/invitations/link/<invitation_token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@reads_first
def invitation_link(invitation_token: str):
    """The link the owner sent: accept with the account one is signed in to, or create the
    account of the address invited and accept."""
    invitation = groups.invitation_by_link(invitation_token)
    if invitation is None:
        return render_template("facilitator/invitation_link.html", invitation=None), 404
    form = NewAccountForm()
    form.email = invitation.email
    if current_user.is_authenticated:
        if request.method == "POST" and ActionForm().validate_on_submit():
            begin_writing()
            joined = attempt(groups.accept_by_link, invitation, current_user._get_current_object())
            if joined.done:
                flash(_("You now co-facilitate “%(name)s”.", name=joined.value.name), "success")
                return redirect(url_for("facilitator.group", group_id=joined.value.id))
    elif form.validate_on_submit():
        password_hash = accounts.password_hash(form.password.data)  # slow: before the lock
        begin_writing()
        created = attempt(
            groups.join_with_new_account, invitation, form.display_name.data or "", password_hash
        )
        if created.done:
            login_user(created.value)
            flash(_("Welcome: your account is created and you co-facilitate the group."), "success")
            return redirect(url_for("facilitator.groups"))
    return render_template(
        "facilitator/invitation_link.html",
        invitation=invitation,
        form=form,
        action_form=ActionForm(),
    )
