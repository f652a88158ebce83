"""Exports: a session's published results, or a group's trends, with the outcomes, downloaded
as XLSX or as a ZIP of CSV files by the group's facilitators (``survey.exports`` builds them)."""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from .. import exports
from ..access import owned_group
from ..models import MeetingStatus
from ..results import queries
from ..results import trends as group_trends
from ..spreadsheets import content_disposition
from . import bp
from .common import frozen_meeting, session_results
from .outcome_views import outcome_labels


def _include_all() -> bool:
    """« Include all outcomes (for my own use) »; the shareable ones only otherwise."""
    return request.args.get("outcomes") == "all"


def _download(export: exports.Export, format_: str) -> Response:
    content, media_type, filename = export.file(format_)
    return Response(
        content,
        mimetype=media_type,
        headers={"Content-Disposition": content_disposition(filename)},
    )


def _session(meeting_id: int, format_: str):
    meeting = frozen_meeting(meeting_id)
    if meeting.status != MeetingStatus.CLOSED or not queries.response_counts(meeting)[0]:
        # As the results pages do: nothing is shown before a publication, so nothing to export.
        flash(_("There is nothing to export until the results are shown to the group."), "error")
        return redirect(url_for("dashboard.overview", meeting_id=meeting_id))
    export = exports.session_export(
        meeting, session_results(meeting), _include_all(), outcome_labels()
    )
    return _download(export, format_)


def _group(group_id: int, format_: str) -> Response:
    group = owned_group(group_id)
    trends = group_trends.build(group, str(get_locale()))
    return _download(exports.group_export(group, trends, _include_all(), outcome_labels()), format_)


@bp.get("/sessions/<int:meeting_id>/export.xlsx")
@login_required
def export_session_xlsx(meeting_id: int):
    """The session's published results, agenda and outcomes as an XLSX workbook."""
    return _session(meeting_id, "xlsx")


@bp.get("/sessions/<int:meeting_id>/export-csv.zip")
@login_required
def export_session_csv(meeting_id: int):
    """The same, as a ZIP of CSV files (one per sheet)."""
    return _session(meeting_id, "csv")


@bp.get("/groups/<int:group_id>/export.xlsx")
@login_required
def export_group_xlsx(group_id: int):
    """The group's trends and the outcomes of its sessions as an XLSX workbook."""
    return _group(group_id, "xlsx")


@bp.get("/groups/<int:group_id>/export-csv.zip")
@login_required
def export_group_csv(group_id: int):
    """The same, as a ZIP of CSV files (one per sheet)."""
    return _group(group_id, "csv")
