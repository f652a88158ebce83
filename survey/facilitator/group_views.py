"""Groups: the list, a group's page and settings, and who co-facilitates it."""

from flask import flash, redirect, render_template, request, url_for
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
