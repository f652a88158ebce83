"""The boundary between the database and the pure analytics: rows in, tidy frames out."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import String, case, cast, func, select

from ..analytics import ITEM_COLUMNS
from ..extensions import db
from ..kinds import kind_of
from ..models import Answer, Group, Meeting, MeetingStatus, Response
from ..questionnaire import derived
from ..questionnaire.schema import Questionnaire


def items_frame(definition: Questionnaire, language: str, familiar: bool = False) -> pd.DataFrame:
    """One row per answer key of a session's questionnaire, with its labels and scale."""
    built = derived(definition)
    key = ("items_frame", language, familiar)
    if key not in built:
        built[key] = _items_frame(definition, language, familiar)
    return built[key].copy()


def _items_frame(definition: Questionnaire, language: str, familiar: bool) -> pd.DataFrame:
    def label(text):
        return text.get(language, familiar) if text is not None else None

    rows = [
        {**row, "section": section.id, "kind": kind_of(item).analysis}
        for section in definition.sections
        for item in section.items
        for row in kind_of(item).frame_rows(item, definition, label)
    ]
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def answers_frame(meeting: Meeting) -> pd.DataFrame:
    """Numeric answers of the session's published responses: response, item, facet, value and
    the publication that first included the response."""
    return _frame(
        select(
            _response_key(Answer.response_id),
            Answer.item_id,
            Answer.facet,
            Answer.value,
            Response.publication,
        )
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.meeting_id == meeting.id,
            Response.publication.is_not(None),
            Answer.value.is_not(None),
        ),
        ["response", "item", "facet", "value", "publication"],
    )


def _response_key(column):
    # The id as the database writes it: turning thousands of them into UUID objects, then back
    # into strings, cost more than the rest of the query.
    return cast(column, String).label("response")


def _frame(statement, columns: list[str]) -> pd.DataFrame:
    """A Core query's rows as a frame, column by column: no ORM row processing on the way."""
    rows = db.session.connection().execute(statement).fetchall()
    values = zip(*rows, strict=True) if rows else ([] for _ in columns)
    frame = pd.DataFrame(dict(zip(columns, values, strict=True)), columns=columns)
    if "value" in frame:
        frame["value"] = frame["value"].astype(float)
    if "publication" in frame:
        frame["publication"] = frame["publication"].astype(int)
    return frame


def _driver_frame(statement, columns: list[str]) -> pd.DataFrame:
    """``_frame`` for tens of thousands of rows: the query runs on the driver's own cursor,
    whose plain tuples cost a fraction of SQLAlchemy's rows. Its parameters (ids) are written
    into the SQL by SQLAlchemy's literal rendering, which quotes them."""
    connection = db.session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
    return frame.astype({"value": float, "publication": int})


def establishments(meeting: Meeting) -> pd.Series:
    """The establishment id (or None) of each published response, indexed by response id (as
    ``answers_frame`` writes it)."""
    frame = _frame(
        select(_response_key(Response.id), Response.establishment_id).where(
            Response.meeting_id == meeting.id, Response.publication.is_not(None)
        ),
        ["response", "establishment"],
    )
    return frame.set_index("response")["establishment"].astype("object")


def texts(meeting: Meeting) -> pd.DataFrame:
    """Free texts of the published responses, detached from their responses: item, facet, text
    and publication."""
    return _frame(
        select(Answer.item_id, Answer.facet, Answer.text, Response.publication)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.meeting_id == meeting.id,
            Response.publication.is_not(None),
            Answer.text.is_not(None),
        ),
        ["item", "facet", "text", "publication"],
    )


def publication_sizes(meeting: Meeting) -> dict[int, int]:
    """How many responses each publication of the session added, by publication number."""
    rows = db.session.execute(
        select(Response.publication, func.count())
        .where(Response.meeting_id == meeting.id, Response.publication.is_not(None))
        .group_by(Response.publication)
    ).all()
    return {number: count for number, count in rows}


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


def sessions_answers_frame(meetings: list[Meeting], items: list[str]) -> pd.DataFrame:
    """Numeric answers to ``items`` of the published responses of several sessions, with
    ``session`` (the session id) and ``publication`` columns: one query for them all."""
    return _driver_frame(
        select(
            Response.meeting_id,
            _response_key(Answer.response_id),
            Answer.item_id,
            Answer.facet,
            Answer.value,
            Response.publication,
        )
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.meeting_id.in_([m.id for m in meetings]),
            Response.publication.is_not(None),
            Answer.item_id.in_(items),
            Answer.value.is_not(None),
        ),
        ["session", "response", "item", "facet", "value", "publication"],
    )


def publications_of(meetings: list[Meeting]) -> dict[int, int]:
    """Each session's number of publications (its latest publication number)."""
    rows = db.session.execute(
        select(Response.meeting_id, func.max(Response.publication))
        .where(Response.meeting_id.in_([m.id for m in meetings]))
        .group_by(Response.meeting_id)
    ).all()
    return {meeting: latest for meeting, latest in rows if latest is not None}


def paired_overview(
    group_ids: list[int] | None, items: list[str], pairs: list[tuple[str, str]]
) -> pd.DataFrame:
    """Per paired statement, session and publication, over the shown results of closed sessions
    of the groups (all groups with None), computed in the database: each person's gap, then the
    count and sums the pooled means need.

    ``pairs`` lists the (a, b) facets of the statements; a facet is never on both sides. Columns:
    session, item, publication, n (people who answered both sides), sum_a, sum_b, sum_gap,
    sum_abs_gap, sum_square_gap. Rows stay in the database: memory does not grow with the
    answers, only with sessions × statements × publications.
    """
    sides_a, sides_b = {a for a, _ in pairs}, {b for _, b in pairs}
    if sides_a & sides_b:
        raise ValueError(f"facets on both sides of a pair: {sorted(sides_a & sides_b)}")
    shown = [
        Response.publication.is_not(None),
        Meeting.status == MeetingStatus.CLOSED,
        Answer.item_id.in_(items),
        Answer.value.is_not(None),
    ]
    if group_ids is not None:
        shown.append(Meeting.group_id.in_(group_ids))
    person = (
        select(
            Answer.item_id.label("item"),
            Response.meeting_id.label("session"),
            Response.publication.label("publication"),
            func.max(case((Answer.facet.in_(sides_a), Answer.value))).label("a"),
            func.max(case((Answer.facet.in_(sides_b), Answer.value))).label("b"),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Meeting, Meeting.id == Response.meeting_id)
        .where(*shown)
        .group_by(Answer.response_id, Answer.item_id, Response.meeting_id, Response.publication)
        .subquery()
    )
    gap = person.c.b - person.c.a
    frame = _frame(
        select(
            person.c.session,
            person.c.item,
            person.c.publication,
            func.count(),
            func.sum(person.c.a),
            func.sum(person.c.b),
            func.sum(gap),
            func.sum(func.abs(gap)),
            func.sum(gap * gap),
        )
        .where(person.c.a.is_not(None), person.c.b.is_not(None))
        .group_by(person.c.session, person.c.item, person.c.publication),
        [
            "session",
            "item",
            "publication",
            "n",
            "sum_a",
            "sum_b",
            "sum_gap",
            "sum_abs_gap",
            "sum_square_gap",
        ],
    )
    return frame.astype({c: float for c in frame.columns[4:]})
