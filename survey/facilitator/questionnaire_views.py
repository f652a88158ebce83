"""Facilitator views about the questionnaire: the group's lists and the session preview."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required
from wtforms import SelectChoice

from ..access import owned_group, owned_meeting
from ..actions import attempt
from ..i18n import for_group
from ..kinds.form import section_form
from ..models import Group
from ..questionnaire import catalog, effective_lists
from ..questionnaire import lists as lists_module
from ..questionnaire.resolve import minutes
from ..services import ServiceError, groups, meetings
from . import bp
from .forms import QuestionnaireSettingsForm


@bp.route("/groups/<int:group_id>/questionnaire", methods=["GET", "POST"])
@login_required
def group_questionnaire(group_id: int):
    """Choose the variant, "tu" or "vous", and edit the group's own lists before it starts."""
    group = owned_group(group_id)
    available = catalog()
    specs = _list_specs(available)
    locked = groups.lists_locked(group)
    form = QuestionnaireSettingsForm.for_lists(specs, obj=group)
    form.variant.choices = [SelectChoice("", _("General lists, any trade"))] + [
        SelectChoice(v.variant, v.title.get(str(get_locale())))
        for v in {v.variant: v for v in available.variants.values()}.values()
    ]
    current = _current_lists(group, available, specs)
    if request.method == "GET":
        form.variant.data = group.variant or ""
        for name, options in current.items():
            form[f"list_{name}"].data = lists_module.to_text(options)
    if form.validate_on_submit():
        own = _own_lists_from(form, group, available, specs, current)
        saved = own is not None and attempt(
            groups.set_questionnaire_settings,
            group,
            variant=form.variant.data or None,
            familiar=form.familiar.data,
            own_lists=own,
            success=_("The group's questionnaire settings are saved."),
        )
        if saved and saved.done:
            return redirect(url_for("facilitator.group", group_id=group.id))
    return render_template(
        "facilitator/group_questionnaire.html", form=form, group=group, specs=specs, locked=locked
    )


def _list_specs(available) -> dict:
    specs = {}
    for questionnaire in available.questionnaires.values():
        for name, spec in questionnaire.lists.items():
            specs.setdefault(name, spec)
    return specs


def _current_lists(group: Group, available, specs: dict) -> dict:
    lists = {}
    for questionnaire in available.questionnaires.values():
        for name, options in lists_module.group_lists(group, questionnaire).items():
            lists.setdefault(name, options)
    return {name: lists[name] for name in specs}


def _own_lists_from(form, group, available, specs, current) -> dict | None:
    """The lists typed that differ from the chosen variant's, or None when one is invalid.

    Changing the variant replaces the lists with the new variant's: what was typed is dropped.
    """
    variant_id = form.variant.data or None
    if variant_id != group.variant:
        return {}
    own, valid = {}, True
    for name, spec in specs.items():
        field = form[f"list_{name}"]
        options, problems = lists_module.parse(field.data or "", previous=current[name])
        if not spec.min <= len(options) <= spec.max:
            problems.append(
                _(
                    "Between %(min)s and %(max)s entries are needed; there are %(count)s.",
                    min=spec.min,
                    max=spec.max,
                    count=len(options),
                )
            )
        if problems:
            field.errors = [str(p) for p in problems]
            valid = False
            continue
        baseline = None
        for questionnaire in available.questionnaires.values():
            if name in questionnaire.lists:
                variant = available.variant(questionnaire.slug, variant_id)
                baseline = effective_lists(questionnaire, variant)[name]
                break
        if options != baseline:
            own[name] = options
    return own if valid else None


@bp.get("/sessions/<int:meeting_id>/preview")
@login_required
def preview_meeting(meeting_id: int):
    """The questionnaire as participants will see it, one section per page; nothing is saved."""
    meeting = owned_meeting(meeting_id)
    for_group(meeting.group)  # its « tu », as its members will read it
    try:
        definition = meetings.definition_for(meeting)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("facilitator.meeting", meeting_id=meeting_id))
    count = len(definition.sections)
    page = min(max(request.args.get("page", 1, type=int), 1), count)
    language = str(get_locale())
    section = definition.sections[page - 1]
    return render_template(
        "facilitator/preview.html",
        meeting=meeting,
        group=meeting.group,
        questionnaire=definition,
        page=page,
        pages=count,
        section=section,
        form=section_form(definition, section, language, meeting.group.familiar),
        language=language,
        familiar=meeting.group.familiar,
        minutes=minutes(definition, meeting.modules),
    )
