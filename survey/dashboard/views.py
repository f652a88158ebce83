"""Dashboard views: results of a closed session, projection mode, and the room page."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_login import current_user, login_required

from ..access import owned_group, owned_meeting
from ..actions import attempt
from ..forms import ActionForm
from ..joining import render_joining
from ..models import MeetingStatus
from ..results import overview as groups_overview
from ..results import queries
from ..results import trends as group_trends
from ..security import CHART_PAGES_POLICY, talisman
from ..services import ServiceError, groups, outcomes, publication
from ..services.participation import submitted_count
from . import bp
from .common import frozen_meeting, session_results
from .outcome_views import outcome_labels


@bp.get("/sessions/<int:meeting_id>/results")
@login_required
def overview(meeting_id: int):
    """Response count, flags and the suggested agenda; values only once published and ≥ k."""
    meeting = frozen_meeting(meeting_id)
    state = publication.state(meeting)
    shown = meeting.status == MeetingStatus.CLOSED and state.shown
    return render_template(
        "dashboard/overview.html",
        meeting=meeting,
        group=meeting.group,
        publication=state,
        results=session_results(meeting) if shown else None,
        statement_ids=set(outcomes.statements(meeting, str(get_locale()))) if shown else set(),
    )


@bp.route("/sessions/<int:meeting_id>/results/publish", methods=["GET", "POST"])
@login_required
def publish(meeting_id: int):
    """Show the results to the group, which freezes them (later ones need k new responses):
    GET says what will happen, POST does it."""
    meeting = frozen_meeting(meeting_id)
    results_page = redirect(url_for("dashboard.overview", meeting_id=meeting_id))
    try:
        state = publication.check(meeting)
    except ServiceError as refused:
        flash(str(refused), "error")
        return results_page
    form = ActionForm()
    if form.validate_on_submit():
        attempt(publication.publish, meeting)
        return results_page
    return render_template(
        "dashboard/publish.html", meeting=meeting, group=meeting.group, publication=state, form=form
    )


@bp.get("/sessions/<int:meeting_id>/results/<section_id>")
@talisman(content_security_policy=CHART_PAGES_POLICY)
@login_required
def section(meeting_id: int, section_id: str):
    """One section of the questionnaire: charts, each with the same figures as a table."""
    meeting = frozen_meeting(meeting_id)
    if meeting.status != MeetingStatus.CLOSED or not queries.response_counts(meeting)[0]:
        return redirect(url_for("dashboard.overview", meeting_id=meeting_id))
    found = session_results(meeting)
    if section_id == "texts":
        return render_template(
            "dashboard/texts.html", meeting=meeting, group=meeting.group, results=found
        )
    current = next((s for s in found.sections if s.id == section_id), None)
    if current is None:
        abort(404)
    return render_template(
        "dashboard/section.html",
        meeting=meeting,
        group=meeting.group,
        results=found,
        current=current,
    )


@bp.get("/sessions/<int:meeting_id>/present")
@talisman(content_security_policy=CHART_PAGES_POLICY)
@login_required
def present(meeting_id: int):
    """Projection mode: one view per screen, large type; arrows or links move between views."""
    meeting = frozen_meeting(meeting_id)
    if meeting.status != MeetingStatus.CLOSED or not queries.response_counts(meeting)[0]:
        return redirect(url_for("dashboard.overview", meeting_id=meeting_id))
    found = session_results(meeting)
    # « Où en sommes-nous ? » first: one slide per part of the review that has something.
    review = outcomes.review(meeting)
    slides = [
        (f"review_{part}", getattr(review, part))
        for part in ("actions", "indicators", "solutions")
        if getattr(review, part)
    ]
    slides += [("agenda", None)] + [
        ("block", block) for s in found.sections for block in s.blocks if block.chart
    ]
    count = len(slides)
    number = min(max(request.args.get("slide", 1, type=int), 1), count)
    kind, block = slides[number - 1]
    return render_template(
        "dashboard/present.html",
        meeting=meeting,
        results=found,
        kind=kind,
        block=block,
        number=number,
        count=count,
        labels=outcomes.statement_labels(block, str(get_locale()))
        if kind.startswith("review_")
        else {},
        latest=group_trends.latest_values(meeting) if kind == "review_indicators" else {},
        **outcome_labels(),
    )


@bp.get("/groups/<int:group_id>/trends")
@talisman(content_security_policy=CHART_PAGES_POLICY)
@login_required
def trends(group_id: int):
    """The group's gaps over its sessions, per dimension and per statement, with its actions."""
    group = owned_group(group_id)
    return render_template(
        "dashboard/trends.html", group=group, trends=group_trends.build(group, str(get_locale()))
    )


@bp.get("/overview")
@login_required
def overview_of_groups():
    """Every group this facilitator runs: the statements with the largest gaps, all together."""
    facilitated = groups.groups_of(current_user)
    return render_template(
        "dashboard/groups_overview.html",
        overview=groups_overview.build(facilitated, str(get_locale())),
    )


@bp.get("/sessions/<int:meeting_id>/room")
@login_required
def room(meeting_id: int):
    """For the room while members answer: join code, QR code and the count, nothing else."""
    return render_joining(meeting_id, "dashboard/room.html")


@bp.get("/sessions/<int:meeting_id>/room/count")
@login_required
def room_count(meeting_id: int):
    meeting = owned_meeting(meeting_id)
    count = submitted_count(meeting)
    # The words too, so that the page follows each language's plural rule (« 0 réponse »).
    text = ngettext("%(num)d response", "%(num)d responses", count)
    return jsonify(responses=count, text=text, open=meeting.status == MeetingStatus.OPEN)
