"""Rows and results as the API's Pydantic models (``schemas``)."""

from __future__ import annotations

from ..models import Facilitator, Group, Meeting, Outcome
from ..results.statistics import SessionStatistics
from ..results.trends import PlainTrends
from ..services.publication import Publication
from . import schemas


def group_summary(group: Group, facilitator: Facilitator) -> schemas.GroupSummary:
    return schemas.GroupSummary(
        id=group.id,
        name=group.name,
        k=group.anonymity_threshold,
        role="owner" if group.owner_id == facilitator.id else "co-facilitator",
    )


def group_detail(group: Group, facilitator: Facilitator) -> schemas.GroupDetail:
    return schemas.GroupDetail(
        **group_summary(group, facilitator).model_dump(),
        domain=str(group.domain),
        member_cap=group.member_cap,
        created_on=group.created_on,
        establishments=sorted(e.name for e in group.establishments),
        sessions=len(group.meetings),
    )


def session(meeting: Meeting, state: Publication) -> schemas.SessionSummary:
    return schemas.SessionSummary(
        id=meeting.id,
        group_id=meeting.group_id,
        title=meeting.title,
        date=meeting.date,
        status=str(meeting.status),
        results_published=shown(state),
        responses_shown=state.shown,
    )


def shown(state: Publication) -> bool:
    """Whether the session's results pages show figures: closed, and a publication made."""
    return state.closed and state.shown > 0


def results(meeting: Meeting, found: SessionStatistics) -> schemas.SessionResults:
    # The statistics' dataclasses carry the schema's field names (``suppressed`` a property).
    return schemas.SessionResults(
        session_id=meeting.id,
        k=found.k,
        responses=found.responses,
        items=[schemas.ItemResults.model_validate(i, from_attributes=True) for i in found.items],
        texts=[schemas.TextsShown.model_validate(t, from_attributes=True) for t in found.texts],
    )


def trends(group: Group, found: PlainTrends) -> schemas.GroupTrends:
    return schemas.GroupTrends(
        group_id=group.id,
        k=found.k,
        sessions=[schemas.SessionRef(id=m.id, title=m.title, date=m.date) for m in found.sessions],
        series=[
            schemas.TrendSeries(
                dimension=s.dimension,
                statistic=s.statistic,
                item=s.item,
                label=s.label,
                section=s.section,
                unit=s.unit,
                change=s.change,
                points=[
                    schemas.TrendPoint(
                        session_id=p.session,
                        value=p.value,
                        n=p.n,
                        suppressed=p.value is None and p.asked,
                        asked=p.asked,
                    )
                    for p in s.points
                ],
            )
            for s in found.series
        ],
    )


def outcome(found: Outcome) -> schemas.OutcomeOut:
    def text(value):
        return None if value is None else str(value)

    return schemas.OutcomeOut(
        id=found.id,
        session_id=found.meeting_id,
        kind=str(found.kind),
        status=str(found.status),
        text=found.text,
        statements=list(found.item_ids or []),
        role=found.role,
        due_on=found.due_on,
        due_session=found.due_session,
        agreement=text(found.agreement),
        indicator_item=found.indicator_item,
        indicator_facet=found.indicator_facet,
        target_direction=text(found.target_direction),
        target_value=found.target_value,
        shareable=found.shareable,
        created_on=found.created_on,
    )
