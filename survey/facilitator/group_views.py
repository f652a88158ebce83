"""Groups: the list, a group's page and settings, and who co-facilitates it."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import owned_group
from ..actions import attempt
from ..extensions import db
from ..forms import ActionForm
from ..services import groups, lifecycle
from . import bp
from .forms import CofacilitatorForm, GroupForm


@bp.get("/groups", endpoint="groups")
@login_required
def group_list():
    """The groups this facilitator facilitates."""
    return render_template(
        "facilitator/groups.html",
        groups=groups.groups_of(current_user),
        invitations=groups.invitations_for(current_user),
        action_form=ActionForm(),
    )


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def new_group():
    form = GroupForm()
    if form.validate_on_submit():
        group = groups.create_group(current_user, **_group_fields(form))
        db.session.commit()
        flash(_("Group “%(name)s” created.", name=group.name), "success")
        return redirect(url_for("facilitator.group", group_id=group.id))
    return render_template("facilitator/group_form.html", form=form, group=None)


@bp.get("/groups/<int:group_id>")
@login_required
def group(group_id: int):
    """A group: its settings, facilitators and sessions."""
    group = owned_group(group_id)
    return render_template(
        "facilitator/group.html",
        group=group,
        cofacilitator_form=CofacilitatorForm(),
        action_form=ActionForm(),
        locked=groups.has_answers(group),
    )


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
def edit_group(group_id: int):
    group = owned_group(group_id)
    locked = groups.has_answers(group)
    # Plain values, not the model: the form shows establishment names, not rows.
    form = GroupForm(
        data={
            "name": group.name,
            "domain": group.domain.value,
            "establishments": "\n".join(e.name for e in group.establishments),
            "member_cap": group.member_cap,
            "anonymity_threshold": group.anonymity_threshold,
            "retention_months": str(group.retention_months or ""),
        }
    )
    if (
        form.validate_on_submit()
        and attempt(
            groups.update_group, group, **_group_fields(form), success=_("Group updated.")
        ).done
    ):
        return redirect(url_for("facilitator.group", group_id=group.id))
    return render_template("facilitator/group_form.html", form=form, group=group, locked=locked)


def _group_fields(form: GroupForm) -> dict:
    return {
        "name": form.name.data,
        "domain": form.domain.data,
        "establishments": form.establishment_names(),
        "member_cap": form.member_cap.data,
        "anonymity_threshold": form.anonymity_threshold.data,
        "retention_months": int(form.retention_months.data) if form.retention_months.data else None,
    }


@bp.post("/groups/<int:group_id>/facilitators")
@login_required
def invite_cofacilitator(group_id: int):
    """The owner invites an address; the same answer whether or not an account uses it."""
    group = owned_group(group_id)
    form = CofacilitatorForm()
    if form.validate_on_submit():
        recorded = _(
            "Invitation recorded for %(email)s. If this address belongs to a Praxis account, "
            "that person will find the invitation on their groups page and can accept it.",
            email=form.email.data.lower(),
        )
        attempt(groups.invite_cofacilitator, group, current_user, form.email.data, success=recorded)
    else:
        for message in form.email.errors:
            flash(message, "error")
    return redirect(url_for("facilitator.group", group_id=group_id))


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


@bp.route("/groups/<int:group_id>/delete", methods=["GET", "POST"])
@login_required
def delete_group(group_id: int):
    """Delete a group and all it holds: GET names what goes, POST (its owner) deletes it."""
    group = owned_group(group_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        name = group.name
        deleted = attempt(
            lifecycle.delete_group,
            group,
            current_user,
            success=_("Group “%(name)s” deleted.", name=name),
        )
        if deleted.done:
            return redirect(url_for("facilitator.groups"))
        return redirect(url_for("facilitator.group", group_id=group_id))
    return render_template(
        "facilitator/delete_group.html",
        group=group,
        action_form=form,
        losses=lifecycle.losses_of(list(group.meetings)),
    )
