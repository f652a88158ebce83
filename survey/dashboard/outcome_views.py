"""Outcomes in the room: « Noter » from the results, a session's outcomes, their edits with a
history, and the review at the next session (« Où en sommes-nous ? »)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required
from wtforms import SelectChoice

from ..access import owned_meeting
from ..actions import attempt
from ..models import OutcomeKind, OutcomeStatus
from ..results import recurrences
from ..results import trends as group_trends
from ..services import ServiceError, outcomes
from . import bp
from .forms import (
    AGREEMENT_LABELS,
    DIRECTION_LABELS,
    KIND_LABELS,
    KIND_TITLES,
    RECURRENCE_FLAG_LABELS,
    SOLUTION_OPEN,
    STATUS_LABELS,
    OutcomeForm,
    RecurrenceForm,
    StatusForm,
)


def outcome_labels() -> dict:
    """The words of kinds, statuses, agreements and targets, for the templates."""
    return {
        "kind_labels": KIND_LABELS,
        "kind_titles": KIND_TITLES,
        "agreement_labels": AGREEMENT_LABELS,
        "direction_labels": DIRECTION_LABELS,
        "status_labels": STATUS_LABELS,
        "solution_open": SOLUTION_OPEN,
    }


def _status_form(outcome) -> StatusForm:
    form = StatusForm(prefix=f"o{outcome.id}")
    form.status.choices = [
        SelectChoice(
            s.value,
            SOLUTION_OPEN
            if outcome.kind == OutcomeKind.SOLUTION and s == OutcomeStatus.OPEN
            else STATUS_LABELS[s],
        )
        for s in outcomes.STATUSES[outcome.kind]
    ]
    if not form.is_submitted():
        form.status.data = outcome.status.value
    return form


@bp.get("/sessions/<int:meeting_id>/outcomes")
@login_required
def outcomes_list(meeting_id: int):
    """What the group recorded in this session, by kind."""
    meeting = owned_meeting(meeting_id)
    by_kind = outcomes.of_meeting(meeting)
    found = [o for kind in by_kind.values() for o in kind]
    return render_template(
        "dashboard/outcomes.html",
        meeting=meeting,
        group=meeting.group,
        by_kind=by_kind,
        labels=outcomes.statement_labels(found, str(get_locale())),
        **outcome_labels(),
    )


@bp.route("/sessions/<int:meeting_id>/outcomes/new", methods=["GET", "POST"])
@login_required
def new_outcome(meeting_id: int):
    """« Noter »: a short form, linked to the statement(s) given in the query string."""
    meeting = owned_meeting(meeting_id)
    language = str(get_locale())
    known = outcomes.statements(meeting, language)
    linked = list(dict.fromkeys(request.args.getlist("item")))
    if any(i not in known for i in linked):
        abort(404)
    form = OutcomeForm()
    form.set_statements(known, linked)
    if not form.is_submitted():
        form.items.data = linked
        kind = request.args.get("kind", "")
        form.kind.data = kind if kind in {k.value for k in outcomes.KINDS} else "recurrence"
        if form.kind.data == OutcomeKind.INDICATOR and len(linked) == 1:
            form.indicator_item.data = linked[0]
    if form.validate_on_submit():
        done = attempt(outcomes.record, meeting, form.fields(), language, success=_("Noted."))
        if done.done:
            return redirect(_back(meeting_id))
    return render_template(
        "dashboard/outcome_form.html",
        meeting=meeting,
        group=meeting.group,
        form=form,
        outcome=None,
        back=_back(meeting_id),
        **outcome_labels(),
    )


def _back(meeting_id: int) -> str:
    """Where to go after saving: the results page the form came from, or the outcomes page."""
    target = request.args.get("next", "")
    if target.startswith(f"/sessions/{meeting_id}/") and "//" not in target:
        return target
    return url_for("dashboard.outcomes_list", meeting_id=meeting_id)


@bp.route("/sessions/<int:meeting_id>/outcomes/<int:outcome_id>/edit", methods=["GET", "POST"])
@login_required
def edit_outcome(meeting_id: int, outcome_id: int):
    """Edit an outcome of this session or of an earlier one; the change goes to its history."""
    meeting = owned_meeting(meeting_id)
    outcome = outcomes.find(meeting, outcome_id)
    if outcome is None:
        abort(404)
    language = str(get_locale())
    known = outcomes.statements(outcome.meeting, language)
    form = OutcomeForm(obj=None if request.method == "POST" else outcome)
    form.set_statements(known, outcome.item_ids)
    if not form.is_submitted():
        form.kind.data = outcome.kind.value
        form.items.data = list(outcome.item_ids)
        form.agreement.data = outcome.agreement.value if outcome.agreement else ""
        form.target_direction.data = (
            outcome.target_direction.value if outcome.target_direction else ""
        )
        form.indicator_item.data = outcome.indicator_item or ""
        form.indicator_facet.data = outcome.indicator_facet or ""
        form.note.data = ""
    if form.validate_on_submit():
        done = attempt(
            outcomes.update,
            outcome,
            form.fields(),
            form.note.data or "",
            meeting,
            language,
            success=_("Saved."),
        )
        if done.done:
            return redirect(_back(meeting_id))
    return render_template(
        "dashboard/outcome_form.html",
        meeting=meeting,
        group=meeting.group,
        form=form,
        outcome=outcome,
        back=_back(meeting_id),
        **outcome_labels(),
    )


@bp.post("/sessions/<int:meeting_id>/outcomes/<int:outcome_id>/status")
@login_required
def outcome_status(meeting_id: int, outcome_id: int):
    """A status change made during ``meeting`` (usually its review), with a short note."""
    meeting = owned_meeting(meeting_id)
    outcome = outcomes.find(meeting, outcome_id)
    if outcome is None:
        abort(404)
    form = _status_form(outcome)
    if form.validate_on_submit():
        attempt(
            outcomes.set_status,
            outcome,
            OutcomeStatus(form.status.data),
            form.note.data or "",
            meeting,
            form.value.data if outcomes.is_manual(outcome) else None,
            success=_("Saved."),
        )
    else:
        attempt(_refuse, form)
    return redirect(_back(meeting_id) if request.args.get("next") else _review_url(meeting_id))


def _refuse(form: StatusForm) -> None:
    raise ServiceError(" ".join(e for errors in form.errors.values() for e in errors))


def _review_url(meeting_id: int) -> str:
    return url_for("dashboard.review", meeting_id=meeting_id)


@bp.get("/sessions/<int:meeting_id>/review")
@login_required
def review(meeting_id: int):
    """« Où en sommes-nous ? »: earlier sessions' open actions, indicators and solutions."""
    meeting = owned_meeting(meeting_id)
    found = outcomes.review(meeting)
    forms = {o.id: _status_form(o) for o in (*found.actions, *found.indicators, *found.solutions)}
    return render_template(
        "dashboard/review.html",
        meeting=meeting,
        group=meeting.group,
        review=found,
        forms=forms,
        suggestions=recurrences.suggested(meeting, str(get_locale())),
        recurrence_form=RecurrenceForm(),
        flag_labels=RECURRENCE_FLAG_LABELS,
        labels=outcomes.statement_labels(
            [*found.actions, *found.indicators, *found.solutions], str(get_locale())
        ),
        latest=group_trends.latest_values(meeting) if found.indicators else {},
        **outcome_labels(),
    )


@bp.post("/sessions/<int:meeting_id>/recurrences/confirm")
@login_required
def confirm_recurrence(meeting_id: int):
    """« Confirmer »: a suggested recurrence becomes a recurrence outcome of the group."""
    return _decide(meeting_id, outcomes.confirm_recurrence, _("Recurrence confirmed."))


@bp.post("/sessions/<int:meeting_id>/recurrences/dismiss")
@login_required
def dismiss_recurrence(meeting_id: int):
    """« Écarter »: the suggestion is kept as dismissed and no longer made."""
    return _decide(meeting_id, outcomes.dismiss_recurrence, _("Suggestion dismissed."))


def _decide(meeting_id: int, service, success: str):
    meeting = owned_meeting(meeting_id)
    form = RecurrenceForm()
    if form.validate_on_submit():
        attempt(service, meeting, form.item.data, str(get_locale()), success=success)
    else:
        attempt(_refuse, form)
    return redirect(_review_url(meeting_id))
