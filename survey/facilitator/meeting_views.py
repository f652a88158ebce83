"""Sessions: planning, the ways in (code, sheet, cards), opening, closing, deletion."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from ..access import owned_group, owned_meeting
from ..actions import attempt
from ..extensions import db
from ..forms import ActionForm, InvitationsForm
from ..joining import joining, qr_code, render_joining
from ..questionnaire import catalog, frozen_definition
from ..services import lifecycle, meetings, outcomes
from ..urls import public_url
from . import bp
from .forms import MeetingForm


@bp.route("/groups/<int:group_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new_meeting(group_id: int):
    group = owned_group(group_id)
    form = MeetingForm(questionnaire="standard")
    form.offer(catalog().questionnaires)
    if form.validate_on_submit():
        meeting = meetings.plan_meeting(group, **_meeting_fields(form))
        db.session.commit()
        flash(_("Session “%(title)s” planned.", title=meeting.title), "success")
        return redirect(url_for("facilitator.meeting", meeting_id=meeting.id))
    return render_template("facilitator/meeting_form.html", form=form, group=group, meeting=None)


@bp.get("/sessions/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    """A session: its state, its join code while open, and the collection controls."""
    meeting = owned_meeting(meeting_id)
    questionnaire = (
        frozen_definition(meeting)
        if meeting.questions_frozen
        else catalog().get(meeting.questionnaire_slug)
    )
    language = str(get_locale())
    return render_template(
        "facilitator/meeting.html",
        meeting=meeting,
        group=meeting.group,
        action_form=ActionForm(),
        questionnaire_label=questionnaire.title.get(language)
        if questionnaire
        else _("Questionnaire “%(slug)s” (unavailable)", slug=meeting.questionnaire_slug),
        module_labels=[
            m.title.get(language)
            for m in (questionnaire.modules if questionnaire else ())
            if m.id in meeting.modules
        ],
        review=outcomes.review(meeting),
        **joining(meeting),
    )


@bp.post("/sessions/<int:meeting_id>/invitations")
@login_required
def print_invitations(meeting_id: int):
    """New invitation cards, shown once on a printable page: only their hashes are kept."""
    meeting = owned_meeting(meeting_id)
    form = InvitationsForm()
    if not form.validate_on_submit():
        for message in form.count.errors:
            flash(message, "error")
        return redirect(url_for("facilitator.meeting", meeting_id=meeting_id))
    tokens = meetings.create_invitations(meeting, form.count.data)
    db.session.commit()
    cards = []
    for token in tokens:
        url = public_url("participant.invitation", card_token=token)
        cards.append({"url": url, "qr_svg": qr_code(url)})
    # Shown once: like every page here, not even the browser's cache keeps them (no-store).
    return render_template("facilitator/invitation_cards.html", meeting=meeting, cards=cards)


@bp.get("/sessions/<int:meeting_id>/sheet")
@login_required
def join_sheet(meeting_id: int):
    """A printable sheet for the room: QR code, link and code, in large type."""
    return render_joining(meeting_id, "facilitator/join_sheet.html")


@bp.route("/sessions/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit_meeting(meeting_id: int):
    meeting = owned_meeting(meeting_id)
    form = MeetingForm(obj=meeting, questionnaire=meeting.questionnaire_slug)
    form.offer(catalog().questionnaires)
    if form.validate_on_submit():
        meetings.update_meeting(meeting, **_meeting_fields(form))
        db.session.commit()
        flash(_("Session updated."), "success")
        return redirect(url_for("facilitator.meeting", meeting_id=meeting.id))
    return render_template(
        "facilitator/meeting_form.html", form=form, group=meeting.group, meeting=meeting
    )


@bp.post("/sessions/<int:meeting_id>/open")
@login_required
def open_meeting(meeting_id: int):
    """Start (or resume) answer collection."""
    meeting = owned_meeting(meeting_id)
    if ActionForm().validate_on_submit():
        attempt(meetings.open_collection, meeting, success=_("Answer collection is open."))
    return redirect(url_for("facilitator.meeting", meeting_id=meeting_id))


@bp.post("/sessions/<int:meeting_id>/close")
@login_required
def close_meeting(meeting_id: int):
    """Stop answer collection."""
    meeting = owned_meeting(meeting_id)
    if ActionForm().validate_on_submit():
        attempt(meetings.close_collection, meeting, success=_("Answer collection is closed."))
    return redirect(url_for("facilitator.meeting", meeting_id=meeting_id))


@bp.route("/sessions/<int:meeting_id>/delete", methods=["GET", "POST"])
@login_required
def delete_meeting(meeting_id: int):
    """Delete a session, whatever its state: GET names what goes with it, POST deletes it."""
    meeting = owned_meeting(meeting_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        group_id = meeting.group_id
        attempt(lifecycle.delete_meeting, meeting, success=_("Session deleted."))
        return redirect(url_for("facilitator.group", group_id=group_id))
    return render_template(
        "facilitator/delete_meeting.html",
        meeting=meeting,
        group=meeting.group,
        action_form=form,
        losses=lifecycle.losses_of([meeting]),
    )


def _meeting_fields(form: MeetingForm) -> dict:
    return {
        "title": form.title.data,
        "date": form.date.data,
        "questionnaire": form.questionnaire.data,
        "modules": form.modules.data,
        "invitation_only": form.invitation_only.data,
    }
