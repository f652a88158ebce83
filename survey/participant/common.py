"""What the participant pages share: the session of a link, the browser's draft, the pages
that refuse politely."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale

from .. import limits
from ..database import begin_writing
from ..extensions import db, limiter
from ..i18n import for_group
from ..models import Invitation, Meeting
from ..services import participation

RESUME_COOKIE = "praxis-resume-{}"
RESUME_DAYS = 30


def language() -> str:
    return str(get_locale())


def meeting_or_404(token: str) -> Meeting:
    meeting = participation.meeting_by_token(token)
    if meeting is None or not meeting.questions_frozen:
        abort(404)
    for_group(meeting.group)  # « tu » or « vous » on the pages that follow, and its k
    return meeting


def resume_token(meeting: Meeting) -> str | None:
    return request.cookies.get(RESUME_COOKIE.format(meeting.id))


def remember(response, meeting: Meeting, token: str):
    response.set_cookie(
        RESUME_COOKIE.format(meeting.id),
        token,
        max_age=RESUME_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def start(meeting: Meeting, card: Invitation | None = None):
    """A new draft for this browser, and on to the first page; only new drafts count towards
    the start limit (resuming is free)."""
    try:
        with limiter.limit(limits.start_limit):
            begin_writing()  # what was read so far is read again under the lock
            draft, token = participation.start_draft(meeting, card)
    except participation.SubmissionRefused:  # closed meanwhile
        return notice("closed", meeting)
    db.session.commit()
    response = redirect(url_for("participant.answer", token=meeting.join_token, page=1))
    return remember(response, meeting, token)


def full_page(meeting: Meeting, started: bool):
    """The group has all its answers; ``started``: this browser holds answers never sent."""
    return render_template("participant/full.html", meeting=meeting, started=started), 200


def notice(name: str, meeting: Meeting | None = None, status: int = 200):
    """One of the pages that tell a participant why they cannot answer (``participant/<name>``)."""
    return render_template(f"participant/{name}.html", meeting=meeting), status
