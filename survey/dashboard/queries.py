"""The boundary between the database and the pure analytics: rows in, tidy frames out."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select, update

from ..analytics import ITEM_COLUMNS
from ..extensions import db
from ..models import Answer, Group, Meeting, MeetingStatus, Response
from ..questionnaire.schema import (
    AllocationItem,
    ChoiceItem,
    PairedItem,
    Questionnaire,
    RankingItem,
    RatingItem,
    TaskMapItem,
    TextItem,
)


def items_frame(definition: Questionnaire, language: str, familiar: bool = False) -> pd.DataFrame:
    """One row per answer key of a session's questionnaire, with its labels and scale."""
    rows = []

    def label(text):
        return text.get(language, familiar) if text is not None else None

    for section in definition.sections:
        for item in section.items:
            base = {"question": item.id, "section": section.id}
            if isinstance(item, PairedItem | RatingItem):
                scale = definition.scales[item.scale]
                facets = item.facets if isinstance(item, PairedItem) else (None, None)
                for row in definition.rows(item.rows) or (None,):
                    rows.append(
                        {
                            **base,
                            "item": f"{item.id}.{row.id}" if row else item.id,
                            "kind": item.kind,
                            "label": label(row.label) if row else label(item.prompt),
                            "scale_min": scale.min,
                            "scale_max": scale.max,
                            "facet_a": facets[0].id if facets[0] else None,
                            "facet_b": facets[1].id if facets[1] else None,
                        }
                    )
            elif isinstance(item, TaskMapItem | AllocationItem):
                if isinstance(item, TaskMapItem):
                    scale = definition.scales[item.axes[1].scale]
                    low, high = scale.min, scale.max
                else:
                    low, high = 0, item.total
                for row in definition.rows(item.rows):
                    rows.append(
                        {
                            **base,
                            "item": f"{item.id}.{row.id}",
                            "kind": item.kind,
                            "label": label(row.label),
                            "scale_min": low,
                            "scale_max": high,
                        }
                    )
            elif isinstance(item, RankingItem | ChoiceItem):
                rank = item.rank if isinstance(item, RankingItem) else 1
                rows.append(
                    {
                        **base,
                        "item": item.id,
                        "kind": item.kind,
                        "label": label(item.prompt),
                        "scale_min": 1,
                        "scale_max": rank,
                    }
                )
            elif isinstance(item, TextItem):
                rows.append({**base, "item": item.id, "kind": "text", "label": label(item.prompt)})
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def _published(meeting: Meeting):
    return select(Response.id).where(
        Response.meeting_id == meeting.id, Response.publication.is_not(None)
    )


def answers_frame(meeting: Meeting) -> pd.DataFrame:
    """Numeric answers of the session's published responses: response, item, facet, value."""
    rows = db.session.execute(
        select(Answer.response_id, Answer.item_id, Answer.facet, Answer.value).where(
            Answer.response_id.in_(_published(meeting)), Answer.value.is_not(None)
        )
    ).all()
    frame = pd.DataFrame.from_records(rows, columns=["response", "item", "facet", "value"])
    frame["response"] = frame["response"].astype(str)
    frame["value"] = frame["value"].astype(float)
    return frame


def establishments(meeting: Meeting) -> pd.Series:
    """The establishment id (or None) of each published response, indexed by response id."""
    rows = db.session.execute(
        select(Response.id, Response.establishment_id).where(Response.id.in_(_published(meeting)))
    ).all()
    return pd.Series(
        {str(response): establishment for response, establishment in rows}, dtype="object"
    )


def texts(meeting: Meeting) -> dict[tuple[str, str], list[str]]:
    """Free texts of the published responses, by (item, facet), detached from their responses."""
    rows = db.session.execute(
        select(Answer.item_id, Answer.facet, Answer.text).where(
            Answer.response_id.in_(_published(meeting)), Answer.text.is_not(None)
        )
    ).all()
    found: dict[tuple[str, str], list[str]] = {}
    for item, facet, text in rows:
        found.setdefault((item, facet), []).append(text)
    return found


def response_counts(meeting: Meeting) -> tuple[int, int]:
    """(published, not yet published) responses of a session."""
    rows = db.session.execute(
        select(Response.publication.is_(None), func.count())
        .where(Response.meeting_id == meeting.id)
        .group_by(Response.publication.is_(None))
    ).all()
    counts = {unpublished: n for unpublished, n in rows}
    return counts.get(False, 0), counts.get(True, 0)


def latest_publication(meeting: Meeting) -> int:
    """The number of the session's latest publication (0 before the first)."""
    latest = db.session.scalar(
        select(func.max(Response.publication)).where(Response.meeting_id == meeting.id)
    )
    return latest or 0


def publish(meeting: Meeting) -> int:
    """Include the responses not yet shown in a new publication; returns its number."""
    number = latest_publication(meeting) + 1
    db.session.execute(
        update(Response)
        .where(Response.meeting_id == meeting.id, Response.publication.is_(None))
        .values(publication=number)
    )
    return number


def published_sessions(group: Group) -> list[Meeting]:
    """The group's closed sessions that have shown results, oldest first."""
    shown = select(Response.meeting_id).where(Response.publication.is_not(None))
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.group_id == group.id,
                Meeting.status == MeetingStatus.CLOSED,
                Meeting.id.in_(shown),
            )
            .order_by(Meeting.date, Meeting.id)
        )
    )


def sessions_answers_frame(meetings: list[Meeting]) -> pd.DataFrame:
    """Numeric answers of the published responses of several sessions, with a ``session`` column
    (the session id): one query for them all."""
    rows = db.session.execute(
        select(Response.meeting_id, Answer.response_id, Answer.item_id, Answer.facet, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.meeting_id.in_([m.id for m in meetings]),
            Response.publication.is_not(None),
            Answer.value.is_not(None),
        )
    ).all()
    frame = pd.DataFrame.from_records(
        rows, columns=["session", "response", "item", "facet", "value"]
    )
    frame["response"] = frame["response"].astype(str)
    frame["value"] = frame["value"].astype(float)
    return frame
