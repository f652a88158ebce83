"""The ways into a session for a participant: no account, no name. A join code, a link or an
invitation card opens the welcome page; starting keeps a draft that only this browser holds."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from .. import limits
from ..database import reads_first
from ..extensions import db, limiter
from ..forms import JoinForm
from ..i18n import for_group
from ..models import Meeting, MeetingStatus
from ..questionnaire import frozen_definition
from ..questionnaire.resolve import minutes
from ..services import participation
from . import bp
from .common import full_page, language, meeting_or_404, notice, remember, start
from .common import resume_token as resume_token_of

UNKNOWN_CODE = _l("This code does not open a questionnaire. Check it with your facilitator.")


@bp.post("/join")
@limiter.limit(limits.join_limit, deduct_when=limits.was_wrong_code)
@limiter.limit(
    limits.join_global_limit, key_func=limits.everyone, deduct_when=limits.was_wrong_code
)
def join():
    """A code typed on the home page. Wrong, closed or unknown codes all get the same answer.

    Only wrong codes are counted, per address and over all addresses; both limits are checked
    before the code is, so that a refusal never tells a right code from a wrong one.
    """
    form = JoinForm()
    if form.validate_on_submit():
        meeting = participation.meeting_by_code(form.code.data)
        if meeting is not None:
            return redirect(url_for("participant.welcome", token=meeting.join_token))
        limits.wrong_code()
        form.code.errors.append(str(UNKNOWN_CODE))
    return render_template("site/home.html", join_form=form), 200


@bp.route("/j/<token>", methods=["GET", "POST"])
@reads_first  # starting a draft takes the write lock only to insert it (``start``)
def welcome(token: str):
    """The session's welcome page; POST starts a new draft, remembered by this browser."""
    meeting = meeting_or_404(token)
    if meeting.status != MeetingStatus.OPEN:
        return notice("closed", meeting)
    resume_token = resume_token_of(meeting)
    draft = participation.draft_for(meeting, resume_token)
    if participation.is_full(meeting):  # said before anyone types an answer
        return full_page(meeting, started=draft is not None)
    form = FlaskForm()
    if meeting.invitation_only and draft is None:
        return notice("card_needed", meeting)
    if request.method == "POST" and form.validate_on_submit():
        if draft is None or request.form.get("fresh"):  # fresh: someone else on this device
            return start(meeting)
        return redirect(url_for("participant.answer", token=token, page=draft.page))
    return _welcome_page(meeting, draft, form, already_sent=bool(resume_token) and draft is None)


def _welcome_page(meeting: Meeting, draft, form, already_sent: bool):
    definition = frozen_definition(meeting)
    return render_template(
        "participant/welcome.html",
        meeting=meeting,
        questionnaire=definition,
        draft=draft,
        already_sent=already_sent,
        form=form,
        minutes=minutes(definition, meeting.modules),
        language=language(),
        familiar=meeting.group.familiar,
    )


@bp.route("/i/<card_token>", methods=["GET", "POST"])
@reads_first
def invitation(card_token: str):
    """A single-use invitation card: its welcome page; POST starts the draft it opens."""
    card = participation.invitation_by_token(card_token)
    if card is None:
        return notice("unknown_card", status=404)
    meeting = db.session.get(Meeting, card.meeting_id)
    for_group(meeting.group)
    if meeting.status != MeetingStatus.OPEN or not meeting.questions_frozen:
        return notice("closed", meeting)
    if card.used:
        return notice("already", meeting)
    draft = participation.draft_for(meeting, resume_token_of(meeting))
    if draft is not None and draft.invitation_id != card.id:
        draft = None  # this browser's draft came from another card or the shared link
    if participation.is_full(meeting):
        return full_page(meeting, started=draft is not None)
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        if draft is None or request.form.get("fresh"):  # fresh: someone else on this device
            return start(meeting, card)
        return redirect(url_for("participant.answer", token=meeting.join_token, page=draft.page))
    return _welcome_page(meeting, draft, form, already_sent=False)


@bp.get("/r/<resume_token>")
def resume(resume_token: str):
    """The resume link: this browser takes the draft back and continues where it stopped."""
    draft = participation.draft_by_token(resume_token)
    if draft is None:
        return notice("unknown_draft", status=404)
    meeting = db.session.get(Meeting, draft.meeting_id)
    response = redirect(url_for("participant.answer", token=meeting.join_token, page=draft.page))
    return remember(response, meeting, resume_token)
