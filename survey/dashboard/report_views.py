"""Printable reports: a session's report, and the group's cycle report (« Bilan du cycle »),
which is also its page on screen. Plain HTML with print styles: tables, and charts drawn on the
server as SVG rather than by a script, so that what the browser prints is what the page says."""

from __future__ import annotations

import datetime as dt

from flask import redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import login_required

from ..access import owned_group
from ..display import too_few
from ..models import MeetingStatus
from ..questionnaire import frozen_definition
from ..results import queries, report
from ..results import trends as group_trends
from ..services import outcomes
from . import bp
from .common import frozen_meeting, session_results
from .outcome_views import outcome_labels

#: ``?outcomes=all``: every outcome, not only those marked shareable outside the group.
ALL = "all"


def _chosen(found) -> report.Chosen:
    return report.chosen(found, request.args.get("outcomes") == ALL)


def _by_kind(chosen: report.Chosen) -> dict:
    return {kind: [o for o in chosen.outcomes if o.kind == kind] for kind in outcomes.KINDS}


@bp.get("/sessions/<int:meeting_id>/report")
@login_required
def session_report(meeting_id: int):
    """A session's results on paper: method notes, agenda, every section's tables, the shared
    gaps and controversies, and its outcomes (shareable ones unless all are asked for)."""
    meeting = frozen_meeting(meeting_id)
    if meeting.status != MeetingStatus.CLOSED or not queries.response_counts(meeting)[0]:
        return redirect(url_for("dashboard.overview", meeting_id=meeting_id))
    chosen = _chosen(list(meeting.outcomes))
    return render_template(
        "dashboard/session_report.html",
        meeting=meeting,
        group=meeting.group,
        results=session_results(meeting),
        notes=report.method_notes(meeting),
        chosen=chosen,
        by_kind=_by_kind(chosen),
        labels=outcomes.statement_labels(chosen.outcomes, str(get_locale())),
        sessions={m.id: m for m in meeting.group.meetings},
        today=dt.date.today(),
        too_few=too_few(meeting.group.anonymity_threshold),
        **outcome_labels(),
    )


@bp.get("/groups/<int:group_id>/cycle")
@login_required
def cycle(group_id: int):
    """« Bilan du cycle »: where the group started, what it found and decided, what moved."""
    group = owned_group(group_id)
    language = str(get_locale())
    trends = group_trends.build(group, language)
    first = trends.sessions[0] if trends.sessions else None
    chosen = _chosen(outcomes.of_group(group))
    return render_template(
        "dashboard/cycle.html",
        group=group,
        trends=trends,
        first=first,
        start=session_results(first) if first else None,
        gaps=report.largest_gaps(first, frozen_definition(first), language) if first else [],
        top=report.TOP,
        notes={m.id: report.method_notes(m) for m in trends.sessions},
        chosen=chosen,
        by_kind=_by_kind(chosen),
        series={chart.outcome_id: chart for chart in trends.indicators},
        charts=report.cycle_charts(trends),
        sessions={m.id: m for m in group.meetings},
        labels=outcomes.statement_labels(chosen.outcomes, language),
        today=dt.date.today(),
        too_few=too_few(group.anonymity_threshold),
        **outcome_labels(),
    )
