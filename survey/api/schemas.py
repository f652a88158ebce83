"""The API's responses as Pydantic models: they serialise every response and, through spectree,
make the OpenAPI document (/api/v1/openapi.json). One source for both."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(_Model):
    code: str = Field(description="A stable code: unauthorized, not_found, rate_limited...")
    message: str


class ErrorBody(_Model):
    error: ErrorDetail


class GroupSummary(_Model):
    id: int
    name: str
    k: int = Field(description="The group's anonymity threshold: every value rests on ≥ k answers")
    role: Literal["owner", "co-facilitator"]


class GroupList(_Model):
    groups: list[GroupSummary]


class GroupDetail(GroupSummary):
    domain: str
    member_cap: int
    created_on: dt.date
    establishments: list[str]
    sessions: int = Field(description="Number of sessions, planned ones included")


class SessionSummary(_Model):
    id: int
    group_id: int
    title: str
    date: dt.date
    status: Literal["draft", "open", "closed"]
    results_published: bool = Field(
        description="The results were shown: /sessions/{id}/results answers (else 409)"
    )
    responses_shown: int = Field(description="Responses in the publications shown")


class SessionList(_Model):
    sessions: list[SessionSummary]


class StatisticValue(_Model):
    statistic: str = Field(
        description="mean, mean_gap, mean_abs_gap, ad_gap, median, ad, people, points, mean_points"
    )
    facet: str | None = Field(
        None, description="The facet, task axis or allocation viewpoint it belongs to"
    )
    option: str | None = Field(None, description="The option or flow channel counted")
    value: float | None = Field(
        description="Rounded as the page shows it; null where it says « fewer than k answers »"
    )
    n: int | None = Field(description="The answers it rests on; null when suppressed")
    suppressed: bool = Field(description="True where the page says « fewer than k answers »")


class ItemResults(_Model):
    item: str = Field(description="The answer key: a statement, task, objective or question")
    question: str
    kind: Literal["paired", "rating", "task_map", "allocation", "choice", "ranking"]
    section: str
    label: str
    flags: list[str] = Field(
        description="paired: shared_gap, contested, unclear_prescription; rating: split, "
        "varied or close"
    )
    values: list[StatisticValue]


class TextsShown(_Model):
    item: str
    facet: str
    texts: list[str] = Field(description="As the texts page shows them (k + 2 rule)")


class SessionResults(_Model):
    session_id: int
    k: int
    responses: int = Field(description="Responses in the publications shown")
    items: list[ItemResults]
    texts: list[TextsShown]


class SessionRef(_Model):
    id: int
    title: str
    date: dt.date


class TrendPoint(_Model):
    session_id: int
    value: float | None
    n: int | None
    suppressed: bool = Field(description="Asked, but fewer than k answered (or not shown)")
    asked: bool = Field(description="False where the session did not ask it (the page: —)")


class TrendSeries(_Model):
    dimension: Literal["paired", "paired_dimension", "task_map", "priorities", "rating"]
    statistic: str
    item: str
    label: str
    section: str
    unit: Literal["mean", "percent", "points"]
    change: float | None = Field(description="The change since the previous session shown")
    points: list[TrendPoint]


class GroupTrends(_Model):
    group_id: int
    k: int
    sessions: list[SessionRef] = Field(description="Sessions whose results were shown")
    series: list[TrendSeries]


class OutcomeOut(_Model):
    id: int
    session_id: int
    kind: Literal["recurrence", "priority", "indicator", "solution", "action"]
    status: str
    text: str
    statements: list[str]
    role: str | None
    due_on: dt.date | None
    due_session: int | None
    agreement: str | None
    indicator_item: str | None
    indicator_facet: str | None
    target_direction: str | None
    target_value: float | None
    shareable: bool
    created_on: dt.date


class GroupOutcomes(_Model):
    group_id: int
    outcomes: list[OutcomeOut]
