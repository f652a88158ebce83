"""A session's plan (« déroulé »): editing its phases, and running it in the room."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from ..access import owned_meeting
from ..actions import attempt
from ..forms import ActionForm
from ..models import MAX_PHASE_MINUTES, MAX_PHASE_TITLE, MAX_PLAN_PHASES
from ..services import plans
from . import bp
from .forms import ROLE_LABELS, PlanForm

#: A practice-analysis session usually lasts two to three hours: the total is shown against it.
USUAL_MINUTES = (120, 180)


def _form_data(phases: list[plans.Phase]) -> dict:
    return {
        "phases": [
            {
                "title": p.title,
                "minutes": p.minutes,
                "situations": p.situations,
                **{role: role in p.roles for role in ROLE_LABELS},
            }
            for p in phases
        ]
    }


def _submitted(form: PlanForm) -> list[plans.Phase]:
    return [
        plans.Phase(
            entry.form.title.data or "",
            entry.form.minutes.data or 0,
            entry.form.roles(),
            bool(entry.form.situations.data),
        )
        for entry in form.phases
    ]


def _said(verb: str) -> str:
    """What the page says after a button: every button saves, and some do more."""
    return {
        "add": _("Plan saved, and a phase added at the end."),
        "remove": _("Plan saved, and the phase removed."),
        "up": _("Plan saved, and the phase moved up."),
        "down": _("Plan saved, and the phase moved down."),
    }.get(verb, _("Plan saved."))


@bp.route("/sessions/<int:meeting_id>/plan", methods=["GET", "POST"])
@login_required
def plan(meeting_id: int):
    """Edit the plan as a whole: every button saves the form, then adds, removes or moves."""
    meeting = owned_meeting(meeting_id)
    saved = plans.phases_of(meeting)
    if request.method == "GET":
        form = PlanForm(data=_form_data(saved or plans.default_plan()))
    else:
        form = PlanForm()
    if form.validate_on_submit():
        action = form.action.data or "save"
        verb, _sep, number = action.partition("-")
        phases = plans.edited(_submitted(form), action)
        done = attempt(plans.save_plan, meeting, phases, success=_said(verb)).done
        if done:
            anchor = None
            if verb == "add":
                anchor = f"phase-{len(phases) - 1}"
            elif verb in ("up", "down") and number.isdigit():
                moved = int(number) + (-1 if verb == "up" else 1)
                anchor = f"phase-{min(max(moved, 0), len(phases) - 1)}"
            return redirect(url_for("facilitator.plan", meeting_id=meeting_id, _anchor=anchor))
    phases = _submitted(form)
    return render_template(
        "facilitator/plan.html",
        meeting=meeting,
        group=meeting.group,
        form=form,
        saved=bool(saved),
        total=plans.total_minutes([p for p in phases if p.minutes > 0]),
        usual=USUAL_MINUTES,
        limits={
            "title": MAX_PHASE_TITLE,
            "minutes": MAX_PHASE_MINUTES,
            "phases": MAX_PLAN_PHASES,
        },
        action_form=ActionForm(),
    )


@bp.post("/sessions/<int:meeting_id>/plan/default")
@login_required
def plan_from_default(meeting_id: int):
    """Replace the plan with the usual one, to start again from it."""
    meeting = owned_meeting(meeting_id)
    if ActionForm().validate_on_submit():
        attempt(
            plans.start_from_default,
            meeting,
            success=_("The plan is back to the usual phases."),
        )
    return redirect(url_for("facilitator.plan", meeting_id=meeting_id))


@bp.get("/sessions/<int:meeting_id>/plan/run")
@login_required
def run_plan(meeting_id: int):
    """The plan on the room's screen: the current phase, its timer and roles, what comes next.
    Without JavaScript, the phases as a list; the timer lives in the browser only."""
    meeting = owned_meeting(meeting_id)
    phases = plans.phases_of(meeting) or plans.default_plan()
    shows_situations = any(p.situations for p in phases)
    return render_template(
        "facilitator/plan_run.html",
        meeting=meeting,
        phases=phases,
        role_labels=ROLE_LABELS,
        total=plans.total_minutes(phases),
        situations=plans.situations(meeting, str(get_locale())) if shows_situations else None,
    )
