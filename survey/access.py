"""Who may see what: the signed-in facilitator, and the groups and sessions they facilitate.

Every facilitator page loads its group or session through ``owned_group`` or ``owned_meeting``:
anyone else gets a 404, as if it did not exist.
"""

from flask import abort, g
from flask_login import current_user

from .extensions import db, login_manager
from .models import Facilitator, Group, Meeting
from .services import groups, meetings


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


def owned_group(group_id: int) -> Group:
    group = groups.group_for(current_user, group_id)
    if group is None:
        abort(404)
    g.anonymity_threshold = group.anonymity_threshold  # the footer says it
    return group


def owned_meeting(meeting_id: int) -> Meeting:
    meeting = meetings.meeting_for(current_user, meeting_id)
    if meeting is None:
        abort(404)
    g.anonymity_threshold = meeting.group.anonymity_threshold  # the footer says it
    return meeting
