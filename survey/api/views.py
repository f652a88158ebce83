"""The API's routes: find the facilitator's group or session (404 for anyone else's), read the
pages' own figures from ``results``, serialise them with ``schemas``."""

from __future__ import annotations

from flask import abort, current_app, jsonify

from ..errors import json_error
from ..models import Facilitator, Group, Meeting
from ..questionnaire import frozen_definition
from ..results import statistics
from ..results import trends as group_trends
from ..services import groups, meetings, outcomes, publication
from . import bp, schemas, serialise
from .auth import facilitator
from .spec import responses, spec


def _language(who: Facilitator) -> str:
    """Labels in the facilitator's own language."""
    languages = current_app.config["LANGUAGES"]
    return who.locale if who.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _group(who: Facilitator, group_id: int) -> Group:
    """The rule of ``access.owned_group``: a group this facilitator owns or co-facilitates."""
    group = groups.group_for(who, group_id)
    if group is None:
        abort(json_error(404))
    return group


def _meeting(who: Facilitator, meeting_id: int) -> Meeting:
    """The rule of ``access.owned_meeting``."""
    meeting = meetings.meeting_for(who, meeting_id)
    if meeting is None:
        abort(json_error(404))
    return meeting


@bp.get("/groups")
@spec.validate(resp=responses(schemas.GroupList), tags=["groups"])
def group_list():
    """The groups the token's facilitator owns or co-facilitates."""
    who = facilitator()
    return schemas.GroupList(
        groups=[serialise.group_summary(g, who) for g in groups.groups_of(who)]
    )


@bp.get("/groups/<int:group_id>")
@spec.validate(resp=responses(schemas.GroupDetail), tags=["groups"])
def group(group_id: int):
    """One group."""
    who = facilitator()
    return serialise.group_detail(_group(who, group_id), who)


@bp.get("/groups/<int:group_id>/sessions")
@spec.validate(resp=responses(schemas.SessionList), tags=["groups"])
def group_sessions(group_id: int):
    """The group's sessions, oldest first, and whether their results were shown."""
    found = sorted(_group(facilitator(), group_id).meetings, key=lambda m: (m.date, m.id))
    return schemas.SessionList(sessions=[serialise.session(m, publication.state(m)) for m in found])


@bp.get("/groups/<int:group_id>/trends")
@spec.validate(resp=responses(schemas.GroupTrends), tags=["groups"])
def group_trend_series(group_id: int):
    """Every series of the trends page, over the sessions whose results were shown."""
    who = facilitator()
    found = _group(who, group_id)
    return serialise.trends(found, group_trends.series(found, _language(who)))


@bp.get("/groups/<int:group_id>/outcomes")
@spec.validate(resp=responses(schemas.GroupOutcomes), tags=["groups"])
def group_outcomes(group_id: int):
    """Recurrences, action priorities, indicators and solutions recorded in the group."""
    found = _group(facilitator(), group_id)
    return schemas.GroupOutcomes(
        group_id=found.id, outcomes=[serialise.outcome(o) for o in outcomes.of_group(found)]
    )


@bp.get("/sessions/<int:meeting_id>")
@spec.validate(resp=responses(schemas.SessionSummary), tags=["sessions"])
def session(meeting_id: int):
    """One session."""
    meeting = _meeting(facilitator(), meeting_id)
    return serialise.session(meeting, publication.state(meeting))


@bp.get("/sessions/<int:meeting_id>/results")
@spec.validate(resp=responses(schemas.SessionResults, 409), tags=["sessions"])
def session_results(meeting_id: int):
    """The session's results as its pages show them; 409 until they were shown."""
    who = facilitator()
    meeting = _meeting(who, meeting_id)
    if not serialise.shown(publication.state(meeting)):
        abort(json_error(409, "results_not_published", "This session's results were not shown."))
    found = statistics.statistics(meeting, frozen_definition(meeting), _language(who))
    return serialise.results(meeting, found)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document (no token needed: it holds no data)."""
    return jsonify(spec.spec)
