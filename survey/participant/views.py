"""Participant views. No account, no name: a join code or link, a draft held by the browser."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from .. import limits
from ..database import begin_writing, end_writing, reads_first
from ..extensions import csrf, db, limiter
from ..forms import JoinForm
from ..i18n import for_group, tu
from ..kinds.form import answers_of, section_form
from ..kinds.journal import readable_answers
from ..models import Meeting, MeetingStatus, Response
from ..questionnaire import Questionnaire, frozen_definition
from ..questionnaire.resolve import minutes
from ..results import queries
from ..results import session as results
from ..services import codes
from ..services import participation as services
from ..urls import public_url
from . import bp

RESUME_COOKIE = "praxis-resume-{}"
RESUME_DAYS = 30
CLOSED_MESSAGE = _l("This code does not open a questionnaire. Check it with your facilitator.")


class PersonalCodeForm(FlaskForm):
    """Offered on the last page: keep a personal code to find one's answers later."""

    class Meta:
        csrf = False  # part of the answering form, which carries the token

    choice = RadioField(
        _l("Personal code (optional)"),
        choices=[
            SelectChoice("none", _l("No, thank you")),
            SelectChoice("new", _l("Yes, give me a personal code")),
            SelectChoice("existing", _l("I already have one:")),
        ],
        default="none",
    )
    existing = StringField(_l("My personal code"), validators=[Length(max=80)])

    def validate_existing(self, field) -> None:
        if self.choice.data != "existing":
            return
        if not (field.data or "").strip():  # else the thanks would claim a link that is not there
            raise ValidationError(
                tu(
                    _("Enter your personal code, or choose another option."),
                    pgettext("tu", "Enter your personal code, or choose another option."),
                )
            )
        if not codes.is_well_formed(field.data):
            raise ValidationError(
                _l(
                    "A personal code looks like “lilas-phare-tortue-moulin-42”: four words "
                    "(three for older codes) and a number."
                )
            )


def _language() -> str:
    return str(get_locale())


def _definition(meeting: Meeting) -> Questionnaire:
    return frozen_definition(meeting)


def _meeting_or_404(token: str) -> Meeting:
    meeting = services.meeting_by_token(token)
    if meeting is None or not meeting.questions_frozen:
        abort(404)
    for_group(meeting.group)  # « tu » or « vous » on the pages that follow, and its k
    return meeting


def _resume_token(meeting: Meeting) -> str | None:
    return request.cookies.get(RESUME_COOKIE.format(meeting.id))


def _remember(response, meeting: Meeting, token: str):
    response.set_cookie(
        RESUME_COOKIE.format(meeting.id),
        token,
        max_age=RESUME_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


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
        meeting = services.meeting_by_code(form.code.data)
        if meeting is not None:
            return redirect(url_for("participant.welcome", token=meeting.join_token))
        limits.wrong_code()
        form.code.errors.append(str(CLOSED_MESSAGE))
    return render_template("site/home.html", join_form=form), 200


@bp.route("/j/<token>", methods=["GET", "POST"])
def welcome(token: str):
    """The session's welcome page; POST starts a new draft, remembered by this browser."""
    meeting = _meeting_or_404(token)
    if meeting.status != MeetingStatus.OPEN:
        return render_template("participant/closed.html", meeting=meeting), 200
    resume_token = _resume_token(meeting)
    draft = services.draft_for(meeting, resume_token)
    if services.is_full(meeting):  # said before anyone types an answer
        return _full_page(meeting, started=draft is not None)
    form = FlaskForm()
    if meeting.invitation_only and draft is None:
        return render_template("participant/card_needed.html", meeting=meeting), 200
    if request.method == "POST" and form.validate_on_submit():
        if draft is None or request.form.get("fresh"):  # fresh: someone else on this device
            try:
                with limiter.limit(limits.start_limit):  # only new drafts count: resuming is free
                    draft, resume_token = services.start_draft(meeting)
            except services.SubmissionRefused:  # closed meanwhile
                return render_template("participant/closed.html", meeting=meeting), 200
            db.session.commit()
            response = redirect(url_for("participant.answer", token=token, page=1))
            return _remember(response, meeting, resume_token)
        return redirect(url_for("participant.answer", token=token, page=draft.page))
    return _welcome_page(meeting, draft, form, already_sent=bool(resume_token) and draft is None)


def _full_page(meeting: Meeting, started: bool):
    """The group has all its answers; ``started``: this browser holds answers never sent."""
    return render_template("participant/full.html", meeting=meeting, started=started), 200


def _welcome_page(meeting: Meeting, draft, form, already_sent: bool):
    definition = _definition(meeting)
    return render_template(
        "participant/welcome.html",
        meeting=meeting,
        questionnaire=definition,
        draft=draft,
        already_sent=already_sent,
        form=form,
        minutes=minutes(definition, meeting.modules),
        language=_language(),
        familiar=meeting.group.familiar,
    )


@bp.route("/i/<card_token>", methods=["GET", "POST"])
def invitation(card_token: str):
    """A single-use invitation card: its welcome page; POST starts the draft it opens."""
    card = services.invitation_by_token(card_token)
    if card is None:
        return render_template("participant/unknown_card.html"), 404
    meeting = db.session.get(Meeting, card.meeting_id)
    for_group(meeting.group)
    if meeting.status != MeetingStatus.OPEN or not meeting.questions_frozen:
        return render_template("participant/closed.html", meeting=meeting), 200
    if card.used:
        return render_template("participant/already.html", meeting=meeting), 200
    draft = services.draft_for(meeting, _resume_token(meeting))
    if draft is not None and draft.invitation_id != card.id:
        draft = None  # this browser's draft came from another card or the shared link
    if services.is_full(meeting):
        return _full_page(meeting, started=draft is not None)
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        if draft is None or request.form.get("fresh"):  # fresh: someone else on this device
            try:
                with limiter.limit(limits.start_limit):
                    draft, resume_token = services.start_draft(meeting, card)
            except services.SubmissionRefused:  # closed meanwhile
                return render_template("participant/closed.html", meeting=meeting), 200
            db.session.commit()
            response = redirect(url_for("participant.answer", token=meeting.join_token, page=1))
            return _remember(response, meeting, resume_token)
        return redirect(url_for("participant.answer", token=meeting.join_token, page=draft.page))
    return _welcome_page(meeting, draft, form, already_sent=False)


@bp.get("/r/<resume_token>")
def resume(resume_token: str):
    """The resume link: this browser takes the draft back and continues where it stopped."""
    draft = services.draft_by_token(resume_token)
    if draft is None:
        return render_template("participant/unknown_draft.html"), 404
    meeting = db.session.get(Meeting, draft.meeting_id)
    response = redirect(url_for("participant.answer", token=meeting.join_token, page=draft.page))
    return _remember(response, meeting, resume_token)


@bp.route("/j/<token>/<int:page>", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one re-displays the answers
@reads_first
def answer(token: str, page: int):
    """One section of the questionnaire; each page saves the draft, the last one submits."""
    meeting = _meeting_or_404(token)
    if meeting.status != MeetingStatus.OPEN:
        return render_template("participant/closed.html", meeting=meeting), 200
    resume_token = _resume_token(meeting)
    draft = services.draft_for(meeting, resume_token)
    if draft is None:
        if resume_token:
            return render_template("participant/already.html", meeting=meeting), 200
        flash(
            tu(
                _("Start here: your answers will be saved as you go."),
                pgettext("tu", "Start here: your answers will be saved as you go."),
            ),
            "info",
        )
        return redirect(url_for("participant.welcome", token=token))
    if services.is_full(meeting):  # filled up since this draft began: no use answering on
        return _full_page(meeting, started=True)

    definition = _definition(meeting)
    pages = len(definition.sections)
    if not 1 <= page <= pages:
        return redirect(url_for("participant.answer", token=token, page=min(max(page, 1), pages)))
    section = definition.sections[page - 1]
    language, familiar = _language(), meeting.group.familiar
    posted = request.method == "POST"
    data = request.form
    form = section_form(definition, section, language, familiar, formdata=data if posted else None)
    clearing = _cleared_question(form) if posted else None
    if clearing is not None:  # the page is saved without that question's answer
        data = request.form.copy()
        for name in clearing.names():
            data.poplist(name)
        form = section_form(definition, section, language, familiar, formdata=data)
    if not posted:
        form.process(services.formdata(draft))
    establishments = _establishment_field(meeting, draft, page)
    code_form = PersonalCodeForm(prefix="code") if page == pages else None
    expired = False

    if posted:
        action = "clear" if clearing else request.form.get("action", "next")
        valid = form.validate()
        expired = bool(form.csrf_token.errors)
        if valid:
            names = [f.name for f in form if f.name != "csrf_token"]
            if establishments is not None:
                names.append(services.ESTABLISHMENT_FIELD)
            reached = page + 1 if action == "next" else page
            submitting = action == "submit" and page == pages and code_form.validate()
            if submitting:  # checked before taking the write lock: it is the long part
                expected = services.with_page(draft, names, data)
                answers, incomplete = _check(definition, expected, language, familiar)
                code, personal = _personal_code(code_form)  # the slow KDF, before the lock too
            draft_id = draft.id
            begin_writing()
            try:
                services.save_page(draft, names, data, min(reached, pages))
                if submitting and draft.data != expected:  # changed meanwhile, in another tab
                    answers, incomplete = _check(definition, draft.data, language, familiar)
                if not submitting:  # a submission commits the page with the response
                    db.session.commit()
            except (StaleDataError, ObjectDeletedError):
                # Sent meanwhile from another tab or a double click.
                db.session.rollback()
                return render_template("participant/already.html", meeting=meeting), 200
            if submitting:
                return _submit(meeting, draft_id, draft.data, answers, incomplete, code, personal)
            if action == "previous" and page > 1:
                return redirect(url_for("participant.answer", token=token, page=page - 1))
            if action == "next" and page < pages:
                return redirect(url_for("participant.answer", token=token, page=page + 1))
            if action == "save":
                return redirect(url_for("participant.answer", token=token, page=page, saved=1))
            if action == "clear":
                anchor = f"q-{clearing.id}"
                return redirect(
                    url_for("participant.answer", token=token, page=page) + "#" + anchor
                )

    return render_template(
        "participant/answer.html",
        meeting=meeting,
        questionnaire=definition,
        section=section,
        form=form,
        code_form=code_form,
        establishments=establishments,
        page=page,
        pages=pages,
        language=language,
        familiar=familiar,
        expired=expired,
        saved=not posted and request.args.get("saved") == "1",
        resume_url=public_url("participant.resume", resume_token=resume_token),
    )


def _cleared_question(form):
    """The question whose « clear my answer » button was pressed, if any."""
    wanted = request.form.get("clear")
    return next((q for q in form.questions if wanted and q.id == wanted), None)


def _establishment_field(meeting: Meeting, draft, page: int):
    """On the first page, when the group spans several establishments: which one (optional)."""
    if page != 1 or len(meeting.group.establishments) < 2:
        return None
    choices = [SelectChoice("", _("I prefer not to say"))] + [
        SelectChoice(str(e.id), e.name) for e in meeting.group.establishments
    ]
    field = SelectField(_("My establishment (optional)"), choices=choices).bind(
        FlaskForm(meta={"csrf": False}), services.ESTABLISHMENT_FIELD
    )
    saved = draft.data.get(services.ESTABLISHMENT_FIELD, [""])
    field.process(None, data=request.form.get(services.ESTABLISHMENT_FIELD, saved[0]))
    return field


def _check(definition: Questionnaire, data: dict, language: str, familiar: bool):
    """(the answers of every page, None), or ([], the first page that needs attention)."""
    answers = []
    saved = services.formdata(data)
    for number, section in enumerate(definition.sections, start=1):
        form = section_form(
            definition, section, language, familiar, formdata=saved, meta={"csrf": False}
        )
        if not form.validate():
            return [], number
        answers.extend(answers_of(form))
    return answers, None


def _personal_code(code_form) -> tuple[str | None, codes.PersonalKey | None]:
    """(a new code to show once, or None; the derived key of the new or given code, or None).

    The derivation is slow on purpose (``codes.master_key``): call it before the write
    transaction begins, never while holding the writers' lock.
    """
    if code_form.choice.data == "new":
        code = codes.new_code()
        return code, codes.derive(code, current_app.config["SECRET_KEY"])
    if code_form.choice.data == "existing":
        return None, codes.derive(code_form.existing.data, current_app.config["SECRET_KEY"])
    return None, None


def _submit(
    meeting: Meeting,
    draft_id,
    saved: dict,
    answers,
    incomplete: int | None,
    new_code: str | None,
    personal: codes.PersonalKey | None,
):
    """Record the response once and show the thanks (and a new code), or send the worker to the
    page that needs attention (an invalid answer, or no answer at all).

    One transaction holds the last page's save and the response: whatever stops the submission
    (a page to complete, a closed session), the page stays saved in the draft.
    """
    if incomplete is not None:
        db.session.commit()
        flash(
            tu(
                _("Some answers on this page need your attention."),
                pgettext("tu", "Some answers on this page need your attention."),
            ),
            "error",
        )
        return redirect(url_for("participant.answer", token=meeting.join_token, page=incomplete))
    if not answers:  # it would take a member's place and say nothing
        db.session.commit()
        flash(
            tu(
                _(
                    "You have not answered any question: there is nothing to send. Answer at "
                    "least one question, or simply close this page."
                ),
                pgettext(
                    "tu",
                    "You have not answered any question: there is nothing to send. Answer at "
                    "least one question, or simply close this page.",
                ),
            ),
            "error",
        )
        last = len(_definition(meeting).sections)
        return redirect(url_for("participant.answer", token=meeting.join_token, page=last))
    establishment = (saved.get(services.ESTABLISHMENT_FIELD) or [None])[0]
    try:
        with db.session.begin_nested():
            services.submit(
                meeting,
                draft_id,
                answers,
                int(establishment) if establishment and establishment.isdigit() else None,
                personal,
            )
        db.session.commit()
    except services.SubmissionRefused as refused:
        db.session.commit()  # the saved page, without the refused response
        if refused.reason == "full":
            return _full_page(meeting, started=True)
        template = {
            "already_recorded": "participant/already.html",
            "closed": "participant/closed.html",
        }[refused.reason]
        return render_template(template, meeting=meeting), 200
    # The resume cookie stays: its draft is gone, so a refresh or replay reads "already recorded".
    return render_template(
        "participant/thanks.html",
        meeting=meeting,
        personal_code=new_code,
        linked=personal is not None,
    )


class JournalForm(FlaskForm):
    code = StringField(
        _l("My personal code"),
        validators=[DataRequired(_l("Enter your personal code.")), Length(max=80)],
    )


@bp.route("/journal", methods=["GET", "POST"])
@limiter.limit(limits.join_limit, methods=["POST"], deduct_when=limits.was_wrong_code)
@reads_first
def journal():
    """A worker's own answers across sessions, reachable only with their personal code.

    The code's master key is derived once (slow), before any write lock; each session's key
    follows cheaply. Answers still holding the code's legacy key are re-keyed on the way, the one
    write here.
    """
    form = JournalForm()
    entries = None
    if form.validate_on_submit():
        responses = []
        if codes.is_well_formed(form.code.data):
            personal = codes.derive(form.code.data, current_app.config["SECRET_KEY"])
            if services.has_legacy_key(personal):
                begin_writing()
                services.rekey_legacy(personal)
                end_writing()
            responses = services.responses_of(personal)
        entries = [_journal_entry(r) for r in responses]
        form.code.data = ""  # not left in the page on a shared computer
        entries.sort(key=lambda e: e["meeting"].date)
        g.familiar = bool(entries) and all(e["meeting"].group.familiar for e in entries)
        thresholds = {e["meeting"].group.anonymity_threshold for e in entries}
        if len(thresholds) == 1:  # the footer can say it when all the groups agree
            g.anonymity_threshold = thresholds.pop()
        if not entries:
            limits.wrong_code()
            form.code.errors.append(_("No answers are linked to this code. Check its spelling."))
            entries = None
    return render_template("participant/journal.html", form=form, entries=entries)


def _journal_entry(response: Response) -> dict:
    meeting = db.session.get(Meeting, response.meeting_id)
    definition = _definition(meeting)
    published = (
        meeting.status == MeetingStatus.CLOSED
        and response.publication is not None
        and queries.latest_publication(meeting) > 0
    )
    group = results.group_means(meeting, definition) if published else None
    return {
        "meeting": meeting,
        "published": published,
        "sections": readable_answers(
            definition,
            response.answers,
            _language(),
            meeting.group.familiar,
            group,
            meeting.group.anonymity_threshold,
        ),
    }
