"""Mon journal: a worker's own answers across sessions, opened with their personal code."""

from __future__ import annotations

from flask import current_app, g, render_template
from flask_babel import gettext as _

from .. import limits
from ..database import begin_writing, end_writing, reads_first
from ..extensions import db, limiter
from ..kinds.journal import readable_answers
from ..models import Meeting, MeetingStatus, Response
from ..questionnaire import frozen_definition
from ..results import queries
from ..results import session as results
from ..services import codes, participation
from . import bp
from .common import language
from .forms import JournalForm


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
            if participation.has_legacy_key(personal):
                begin_writing()
                participation.rekey_legacy(personal)
                end_writing()
            responses = participation.responses_of(personal)
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
    definition = frozen_definition(meeting)
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
            language(),
            meeting.group.familiar,
            group,
            meeting.group.anonymity_threshold,
        ),
    }
