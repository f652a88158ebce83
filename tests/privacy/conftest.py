"""Fixtures for the adversarial suite: sessions answered through the real write path."""

import datetime as dt
import re

import pytest

from survey.extensions import db
from survey.kinds.form import AnswerValue
from survey.models import Group, Meeting
from survey.results import queries
from survey.services import meetings, participation, publication

ALL_MODULES = ["task_map", "priorities", "self_evaluation"]


@pytest.fixture
def workshop(app, facilitator, make_group):
    """A group (k = 4 unless told) and its sessions, answered, closed, reopened and published
    the way a facilitator and members would, through the services the views call."""

    class Workshop:
        def __init__(self, **group_fields):
            self.group_id = make_group(facilitator, **group_fields).id

        def session(self, title="Séance 1", modules=ALL_MODULES) -> int:
            with app.app_context():
                group = db.session.get(Group, self.group_id)
                meeting = meetings.plan_meeting(
                    group, title=title, date=_date(title), modules=modules
                )
                meetings.open_collection(meeting)
                db.session.commit()
                return meeting.id

        def respond(self, meeting_id: int, answers: dict, establishment: str | None = None):
            """One member's response: {(item, facet): value or text}."""
            with app.app_context():
                meeting = db.session.get(Meeting, meeting_id)
                where = next(
                    (e.id for e in meeting.group.establishments if e.name == establishment), None
                )
                draft, _ = participation.start_draft(meeting)
                values = [
                    AnswerValue(item, facet, text=value)
                    if isinstance(value, str)
                    else AnswerValue(item, facet, float(value))
                    for (item, facet), value in answers.items()
                ]
                participation.submit(meeting, draft.id, values, where)
                db.session.commit()

        def close(self, meeting_id: int, publish: bool = True):
            with app.app_context():
                meeting = db.session.get(Meeting, meeting_id)
                meetings.close_collection(meeting)
                if publish:
                    publication.record(meeting)
                db.session.commit()

        def reopen(self, meeting_id: int):
            with app.app_context():
                meetings.open_collection(db.session.get(Meeting, meeting_id))
                db.session.commit()

    return Workshop


def _date(title: str):
    number = int(re.sub(r"\D", "", title) or 1)
    return dt.date(2026, 1, 1) + dt.timedelta(days=28 * number)


@pytest.fixture
def label_of(app):
    """The French label of an answer key in a session's questionnaire."""

    def label(meeting_id: int, item: str) -> str:
        from survey.questionnaire import frozen_definition

        with app.app_context():
            meeting = db.session.get(Meeting, meeting_id)
            items = queries.items_frame(frozen_definition(meeting), "fr")
            return items.set_index("item").loc[item, "label"]

    return label
