"""Facilitator views: thin handlers that validate a form, call a service and commit once."""

import segno
from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup

from ..database import begin_writing, reads_first
from ..extensions import db, limiter, login_manager
from ..i18n import SESSION_KEY as LANGUAGE_KEY
from ..models import Facilitator, Group, Meeting
from ..participant.services import submitted_count
from ..questionnaire import catalog, frozen_definition
from ..urls import public_url, redirect_next
from . import bp, services
from .forms import (
    DOMAIN_LABELS,
    STATUS_LABELS,
    ActionForm,
    CofacilitatorForm,
    GroupForm,
    InvitationsForm,
    LoginForm,
    MeetingForm,
)


@login_manager.user_loader
def load_facilitator(session_id: str) -> Facilitator | None:
    """The facilitator of a session id ("id:version"), while that version is current."""
    facilitator_id, _, version = session_id.partition(":")
    if not (facilitator_id.isdigit() and version.isdigit()):
        return None
    facilitator = db.session.get(Facilitator, int(facilitator_id))
    if facilitator is None or facilitator.session_version != int(version):
        return None
    return facilitator


login_manager.login_view = "facilitator.login"
login_manager.login_message = None
login_manager.session_protection = "strong"


@bp.context_processor
def labels() -> dict:
    return {"domain_labels": DOMAIN_LABELS, "status_labels": STATUS_LABELS}


def owned_group(group_id: int) -> Group:
    group = services.group_for(current_user, group_id)
    if group is None:
        abort(404)
    g.anonymity_threshold = group.anonymity_threshold  # the footer says it
    return group


def owned_meeting(meeting_id: int) -> Meeting:
    meeting = services.meeting_for(current_user, meeting_id)
    if meeting is None:
        abort(404)
    g.anonymity_threshold = meeting.group.anonymity_threshold  # the footer says it
    return meeting


def _failed_login(response) -> bool:
    """Only failed attempts count towards the login limit."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_failed_login
)
@reads_first
def login():
    """Sign a facilitator in; the same message whether the email or the password is wrong.

    The password is checked (a deliberately slow hash) before the write lock is taken: a failed
    sign-in would otherwise keep every page save waiting behind it.
    """
    if current_user.is_authenticated:
        return redirect(url_for("facilitator.groups"))
    form = LoginForm()
    if form.validate_on_submit():
        facilitator = services.authenticate(form.email.data, form.password.data)
        if facilitator is not None:
            begin_writing()
            language = session.get(LANGUAGE_KEY)
            session.clear()  # a fresh session at login: nothing set before it survives
            if language:
                session[LANGUAGE_KEY] = language
                facilitator.locale = language
            login_user(facilitator)
            db.session.commit()
            return redirect_next(request.args.get("next"), url_for("facilitator.groups"))
        form.password.errors.append(_("Incorrect email address or password."))
    return render_template("facilitator/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out and forget everything the session held but the language."""
    if ActionForm().validate_on_submit():
        language = session.get(LANGUAGE_KEY)
        current_user.revoke_sessions()  # a copy of this session's cookie stops working too
        db.session.commit()
        logout_user()
        session.clear()
        if language:
            session[LANGUAGE_KEY] = language
        flash(_("You are signed out."), "info")
    return redirect(url_for("site.home"))


@bp.get("/groups")
@login_required
def groups():
    """The groups this facilitator facilitates."""
    return render_template(
        "facilitator/groups.html",
        groups=services.groups_of(current_user),
        invitations=services.invitations_for(current_user),
        action_form=ActionForm(),
    )


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def new_group():
    form = GroupForm()
    if form.validate_on_submit():
        group = services.create_group(current_user, **_group_fields(form))
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
        locked=services.has_answers(group),
    )


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
def edit_group(group_id: int):
    group = owned_group(group_id)
    locked = services.has_answers(group)
    # Plain values, not the model: the form shows establishment names, not rows.
    form = GroupForm(
        data={
            "name": group.name,
            "domain": group.domain.value,
            "establishments": "\n".join(e.name for e in group.establishments),
            "member_cap": group.member_cap,
            "anonymity_threshold": group.anonymity_threshold,
        }
    )
    if form.validate_on_submit():
        try:
            services.update_group(group, **_group_fields(form))
        except services.ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Group updated."), "success")
            return redirect(url_for("facilitator.group", group_id=group.id))
    return render_template("facilitator/group_form.html", form=form, group=group, locked=locked)


def _group_fields(form: GroupForm) -> dict:
    return {
        "name": form.name.data,
        "domain": form.domain.data,
        "establishments": form.establishment_names(),
        "member_cap": form.member_cap.data,
        "anonymity_threshold": form.anonymity_threshold.data,
    }


@bp.post("/groups/<int:group_id>/facilitators")
@login_required
def invite_cofacilitator(group_id: int):
    """The owner invites an address; the same answer whether or not an account uses it."""
    group = owned_group(group_id)
    form = CofacilitatorForm()
    if form.validate_on_submit():
        try:
            services.invite_cofacilitator(group, current_user, form.email.data)
        except services.ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Invitation recorded for %(email)s. If this address belongs to a Praxis "
                    "account, that person will find the invitation on their groups page and can "
                    "accept it.",
                    email=form.email.data.lower(),
                ),
                "success",
            )
    else:
        for message in form.email.errors:
            flash(message, "error")
    return redirect(url_for("facilitator.group", group_id=group_id))


@bp.post("/groups/<int:group_id>/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(group_id: int, invitation_id: int):
    group = owned_group(group_id)
    if ActionForm().validate_on_submit():
        try:
            services.withdraw_invitation(group, current_user, invitation_id)
        except services.ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Invitation withdrawn."), "info")
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
    group = services.answer_invitation(current_user, invitation_id, accept)
    if group is None:
        abort(404)
    db.session.commit()
    return group


@bp.post("/groups/<int:group_id>/facilitators/<int:facilitator_id>/remove")
@login_required
def remove_cofacilitator(group_id: int, facilitator_id: int):
    group = owned_group(group_id)
    if ActionForm().validate_on_submit():
        try:
            removed = services.remove_cofacilitator(group, current_user, facilitator_id)
        except services.ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("%(email)s no longer facilitates this group.", email=removed.email), "info")
            if removed.id == current_user.id:
                return redirect(url_for("facilitator.groups"))
    return redirect(url_for("facilitator.group", group_id=group_id))


@bp.route("/groups/<int:group_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new_meeting(group_id: int):
    group = owned_group(group_id)
    form = MeetingForm(questionnaire="standard")
    form.offer(catalog().questionnaires)
    if form.validate_on_submit():
        meeting = services.plan_meeting(
            group,
            title=form.title.data,
            date=form.date.data,
            questionnaire=form.questionnaire.data,
            modules=form.modules.data,
            invitation_only=form.invitation_only.data,
        )
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
        **joining(meeting),
    )


def _qr(url: str) -> Markup:
    """The link's QR code as inline SVG, sized by the CSS of each page that shows it.

    A viewBox and no width or height: with a fixed size, CSS that resized the code cropped it.
    """
    return Markup(segno.make(url, error="m").svg_inline(omitsize=True, title=url))


def joining(meeting: Meeting) -> dict:
    """The ways in for participants, and the one figure shown while answers come in."""
    used, printed = services.invitation_counts(meeting)
    cards = {"invitations_form": InvitationsForm(), "cards_used": used, "cards_printed": printed}
    if meeting.join_token is None:
        return {"join_url": None, "qr_svg": None, "responses": 0, **cards}
    join_url = public_url("participant.welcome", token=meeting.join_token)
    return {
        "join_url": join_url,
        "qr_svg": _qr(join_url),
        "responses": submitted_count(meeting),
        **cards,
    }


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
    tokens = services.create_invitations(meeting, form.count.data)
    db.session.commit()
    cards = []
    for token in tokens:
        url = public_url("participant.invitation", card_token=token)
        cards.append({"url": url, "qr_svg": _qr(url)})
    # Shown once: like every page here, not even the browser's cache keeps them (no-store).
    return render_template("facilitator/invitation_cards.html", meeting=meeting, cards=cards)


def render_joining(meeting_id: int, template: str):
    """A page that shows the ways in (code, link, QR code) of a session that has opened."""
    meeting = owned_meeting(meeting_id)
    if meeting.join_token is None:
        abort(404)
    return render_template(template, meeting=meeting, **joining(meeting))


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
        services.update_meeting(
            meeting,
            title=form.title.data,
            date=form.date.data,
            questionnaire=form.questionnaire.data,
            modules=form.modules.data,
            invitation_only=form.invitation_only.data,
        )
        db.session.commit()
        flash(_("Session updated."), "success")
        return redirect(url_for("facilitator.meeting", meeting_id=meeting.id))
    return render_template(
        "facilitator/meeting_form.html", form=form, group=meeting.group, meeting=meeting
    )


def _apply(action, meeting: Meeting, success: str) -> bool:
    """Run a state change behind the CSRF-protected button; flash its outcome."""
    if not ActionForm().validate_on_submit():
        return False
    try:
        action(meeting)
    except services.ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return False
    db.session.commit()
    flash(success, "success")
    return True


@bp.post("/sessions/<int:meeting_id>/open")
@login_required
def open_meeting(meeting_id: int):
    """Start (or resume) answer collection."""
    meeting = owned_meeting(meeting_id)
    _apply(services.open_collection, meeting, _("Answer collection is open."))
    return redirect(url_for("facilitator.meeting", meeting_id=meeting_id))


@bp.post("/sessions/<int:meeting_id>/close")
@login_required
def close_meeting(meeting_id: int):
    """Stop answer collection."""
    meeting = owned_meeting(meeting_id)
    _apply(services.close_collection, meeting, _("Answer collection is closed."))
    return redirect(url_for("facilitator.meeting", meeting_id=meeting_id))


@bp.route("/sessions/<int:meeting_id>/delete", methods=["GET", "POST"])
@login_required
def delete_meeting(meeting_id: int):
    """Delete a session that never collected answers: GET says what goes, POST deletes it."""
    meeting = owned_meeting(meeting_id)
    if request.method == "GET":
        try:
            services.check_deletable(meeting)
        except services.ServiceError as error:
            flash(str(error), "error")
            return redirect(url_for("facilitator.meeting", meeting_id=meeting_id))
        return render_template(
            "facilitator/delete_meeting.html",
            meeting=meeting,
            group=meeting.group,
            action_form=ActionForm(),
            cards_printed=services.invitation_counts(meeting)[1],
        )
    group_id = meeting.group_id
    if _apply(services.delete_meeting, meeting, _("Session deleted.")):
        return redirect(url_for("facilitator.group", group_id=group_id))
    return redirect(url_for("facilitator.meeting", meeting_id=meeting_id))
