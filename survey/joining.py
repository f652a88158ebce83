"""The ways into a session, as facilitator pages show them: code, link, QR code, cards."""

import segno
from flask import abort, render_template
from markupsafe import Markup

from .access import owned_meeting
from .forms import InvitationsForm
from .models import Meeting
from .services import meetings
from .services.participation import submitted_count
from .urls import public_url


def qr_code(url: str) -> Markup:
    """The link's QR code as inline SVG, sized by the CSS of each page that shows it.

    A viewBox and no width or height: with a fixed size, CSS that resized the code cropped it.
    """
    return Markup(segno.make(url, error="m").svg_inline(omitsize=True, title=url))


def joining(meeting: Meeting) -> dict:
    """The ways in for participants, and the one figure shown while answers come in."""
    used, printed = meetings.invitation_counts(meeting)
    cards = {"invitations_form": InvitationsForm(), "cards_used": used, "cards_printed": printed}
    if meeting.join_token is None:
        return {"join_url": None, "qr_svg": None, "responses": 0, **cards}
    join_url = public_url("participant.welcome", token=meeting.join_token)
    return {
        "join_url": join_url,
        "qr_svg": qr_code(join_url),
        "responses": submitted_count(meeting),
        **cards,
    }


def render_joining(meeting_id: int, template: str):
    """A page that shows the ways in (code, link, QR code) of a session that has opened."""
    meeting = owned_meeting(meeting_id)
    if meeting.join_token is None:
        abort(404)
    return render_template(template, meeting=meeting, **joining(meeting))
