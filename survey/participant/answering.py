"""The questionnaire, page by page: each page saves the draft, the last one submits it.

The slow parts (validating every page of the draft, deriving a personal code's key) run before
the write lock is taken (``reads_first``, then ``begin_writing``); the page's save and the
response are then written in one transaction, so that whatever stops a submission, the page
stays saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.datastructures import MultiDict

from ..database import begin_writing, reads_first
from ..extensions import csrf, db
from ..i18n import tu
from ..kinds.form import Question, SectionForm, page_digest, section_form
from ..models import Draft, Meeting, MeetingStatus
from ..questionnaire import Questionnaire, frozen_definition
from ..services import codes, participation
from ..urls import public_url
from . import bp
from .common import full_page, language, meeting_or_404, notice, resume_token
from .forms import PersonalCodeForm, establishment_field


@dataclass
class AnswerPage:
    """One page of the questionnaire as this request sees it."""

    meeting: Meeting
    definition: Questionnaire
    draft: Draft
    number: int
    form: SectionForm
    #: What was posted, less the answers of a question being cleared.
    data: MultiDict = field(default_factory=MultiDict)
    clearing: Question | None = None
    code_form: PersonalCodeForm | None = None
    establishments: object = None
    expired: bool = False

    @property
    def pages(self) -> int:
        return len(self.definition.sections)

    @property
    def last(self) -> bool:
        return self.number == self.pages

    def url(self, number: int | None = None, **args) -> str:
        page = self.number if number is None else number
        return url_for("participant.answer", token=self.token, page=page, **args)

    def __post_init__(self):
        # Read now: after the page is saved the session row is expired, and reading its token
        # to redirect would load the row once more.
        self.token = self.meeting.join_token


@bp.route("/j/<token>/<int:page>", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one re-displays the answers
@reads_first
def answer(token: str, page: int):
    """One section of the questionnaire; each page saves the draft, the last one submits."""
    meeting = meeting_or_404(token)
    draft, refusal = _draft_or_refusal(meeting)
    if refusal is not None:
        return refusal
    definition = frozen_definition(meeting)
    pages = len(definition.sections)
    if not 1 <= page <= pages:
        return redirect(url_for("participant.answer", token=token, page=min(max(page, 1), pages)))
    current = _page(meeting, definition, draft, page)
    if request.method == "POST":
        moved = _posted(current)
        if moved is not None:
            return moved
    return _render(current)


def _draft_or_refusal(meeting: Meeting):
    """(this browser's draft, None), or (None, the page that says why it cannot answer)."""
    if meeting.status != MeetingStatus.OPEN:
        return None, notice("closed", meeting)
    token = resume_token(meeting)
    draft = participation.draft_for(meeting, token)
    if draft is None:
        if token:
            return None, notice("already", meeting)
        flash(
            tu(
                _("Start here: your answers will be saved as you go."),
                pgettext("tu", "Start here: your answers will be saved as you go."),
            ),
            "info",
        )
        return None, redirect(url_for("participant.welcome", token=meeting.join_token))
    if participation.is_full(meeting):  # filled up since this draft began: no use answering on
        return None, full_page(meeting, started=True)
    return draft, None


def _page(meeting: Meeting, definition: Questionnaire, draft: Draft, number: int) -> AnswerPage:
    """The page's forms, filled from what was posted, or from the draft."""
    section = definition.sections[number - 1]
    familiar = meeting.group.familiar
    posted = request.method == "POST"
    data = request.form
    form = section_form(
        definition, section, language(), familiar, formdata=data if posted else None
    )
    wanted = request.form.get("clear") if posted else None
    clearing = next((q for q in form.questions if wanted and q.id == wanted), None)
    if clearing is not None:  # the page is saved without that question's answers
        data = request.form.copy()
        for name in clearing.names():
            data.poplist(name)
        form = section_form(definition, section, language(), familiar, formdata=data)
    if not posted:
        form.process(participation.formdata(draft))
    current = AnswerPage(meeting, definition, draft, number, form, data, clearing)
    current.establishments = establishment_field(meeting, draft, number)
    current.code_form = PersonalCodeForm(prefix="code") if current.last else None
    return current


def _posted(current: AnswerPage):
    """Save the page (and submit on the last one); the response to send, or None to show the
    page again with its errors."""
    action = "clear" if current.clearing else request.form.get("action", "next")
    valid = current.form.validate()
    current.expired = bool(current.form.errors.get("csrf_token"))
    if not valid:
        return None
    fields = [f.name for f in current.form if f.name != "csrf_token"]
    names = list(fields)
    if current.establishments is not None:
        names.append(participation.ESTABLISHMENT_FIELD)
    reached = min(current.number + 1 if action == "next" else current.number, current.pages)
    submitting = action == "submit" and current.last and current.code_form.validate()
    if submitting:
        return _save_and_submit(current, names, fields, reached)
    if (gone := _save(current, names, fields, reached)) is not None:
        return gone
    return _moved(current, action)


def _save(current: AnswerPage, names: list[str], fields: list[str], reached: int):
    """Save the page, which its form has just validated, in its own write transaction; None,
    or the page that says the answers were sent meanwhile (from another tab)."""
    section = current.definition.sections[current.number - 1]
    begin_writing()
    try:
        participation.save_page(current.draft, names, current.data, reached, (section.id, fields))
        db.session.commit()
    except (StaleDataError, ObjectDeletedError):
        db.session.rollback()
        return notice("already", current.meeting)
    return None


def _moved(current: AnswerPage, action: str):
    """Where a saved page leads: the previous or next page, the same one saved, or the
    cleared question."""
    if action == "previous" and current.number > 1:
        return redirect(current.url(current.number - 1))
    if action == "next" and not current.last:
        return redirect(current.url(current.number + 1))
    if action == "save":
        return redirect(current.url(saved=1))
    if action == "clear":
        return redirect(current.url() + f"#q-{current.clearing.id}")
    return None


def _save_and_submit(current: AnswerPage, names: list[str], fields: list[str], reached: int):
    """The last page: check the draft (pages validated when saved are taken as they are) and
    derive the personal key before the write lock, then record the response; whatever refuses
    it, the page is saved."""
    draft, meeting = current.draft, current.meeting
    section = current.definition.sections[current.number - 1]
    expected = participation.with_page(draft, names, current.data)
    checked = {**(draft.checked or {}), section.id: page_digest(fields, expected)}
    answers, incomplete = participation.check_draft(
        current.definition, expected, language(), meeting.group.familiar, checked
    )
    if incomplete is not None or not answers:
        return _saved_not_sent(current, names, fields, reached, incomplete)
    choice = current.code_form
    new_code, personal = codes.chosen(
        choice.choice.data, choice.existing.data, current_app.config["SECRET_KEY"]
    )
    establishment = (expected.get(participation.ESTABLISHMENT_FIELD) or [None])[0]
    unchanged, draft_id = dict(draft.data), draft.id
    begin_writing()
    try:
        participation.submit(
            meeting,
            draft_id,
            answers,
            int(establishment) if establishment and establishment.isdigit() else None,
            personal,
            unchanged=unchanged,
        )
        db.session.commit()
    except participation.SubmissionRefused as refused:
        db.session.rollback()
        return _refused(current, names, fields, reached, refused.reason)
    # The resume cookie stays: its draft is gone, so a refresh or replay reads "already recorded".
    return render_template(
        "participant/thanks.html",
        meeting=meeting,
        personal_code=new_code,
        linked=personal is not None,
    )


def _refused(current: AnswerPage, names, fields, reached: int, reason: str):
    """The response was not recorded: the page stays saved all the same, and the worker is told
    why; a page saved meanwhile in another tab sends them to check the draft as it now is."""
    if (gone := _save(current, names, fields, reached)) is not None:
        return gone
    if reason == "changed":
        return redirect(current.url())
    if reason == "full":
        return full_page(current.meeting, started=True)
    return notice({"already_recorded": "already", "closed": "closed"}[reason], current.meeting)


def _saved_not_sent(current: AnswerPage, names, fields, reached: int, incomplete: int | None):
    """A page needs attention, or nothing was answered: save the page and say so."""
    if (gone := _save(current, names, fields, reached)) is not None:
        return gone
    if incomplete is not None:
        flash(
            tu(
                _("Some answers on this page need your attention."),
                pgettext("tu", "Some answers on this page need your attention."),
            ),
            "error",
        )
        return redirect(current.url(incomplete))
    # Nothing answered: it would take a member's place and say nothing.
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
    return redirect(current.url(current.pages))


def _render(current: AnswerPage):
    meeting = current.meeting
    return render_template(
        "participant/answer.html",
        meeting=meeting,
        questionnaire=current.definition,
        section=current.definition.sections[current.number - 1],
        form=current.form,
        code_form=current.code_form,
        establishments=current.establishments,
        page=current.number,
        pages=current.pages,
        language=language(),
        familiar=meeting.group.familiar,
        expired=current.expired,
        saved=request.method != "POST" and request.args.get("saved") == "1",
        resume_url=public_url("participant.resume", resume_token=resume_token(meeting)),
    )
