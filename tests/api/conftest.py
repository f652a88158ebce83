"""Fixtures of the API tests: tokens, and a session whose results hide some cells."""

import datetime as dt
import random

import pytest

from survey.demo import MODULES, _person
from survey.extensions import db
from survey.models import Facilitator
from survey.questionnaire import frozen_definition
from survey.services import api_tokens, groups, meetings, participation, publication

#: Only the first two respondents answer these (item, facet); facet None: every facet. With
#: k = 4 each is « moins de 4 réponses » on the pages.
SKIPPED = {
    ("activities.phone_messages", None),  # a paired statement
    ("lived.hurry", None),  # a rated statement
    ("tasks.queue", "valence"),  # one axis of a task
    ("tasks.mail", "skill"),  # an axis, and so the task's flow channel
    ("objectives.welcome_quality", "actual_time"),  # a viewpoint of an objective
    ("objectives.people_seen", "actual_time"),
    ("objectives.procedures", "actual_time"),
    ("objectives.full_resolution", "actual_time"),
    ("objectives.other_services", "actual_time"),
    ("topics", None),  # a ranking question
}
RESPONDENTS = 6  # k + 2: the free texts are shown


def _skipped(answer) -> bool:
    return (answer.item, None) in SKIPPED or (answer.item, answer.facet) in SKIPPED


@pytest.fixture
def token_for(app):
    """A new API token of a facilitator: the Authorization header that carries it."""

    def make(facilitator, name="Tests") -> dict:
        with app.app_context():
            _token, secret = api_tokens.create(db.session.get(Facilitator, facilitator.id), name)
            db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def sparse_session(app, facilitator):
    """A closed session of ``facilitator``'s, its results shown, in which some statements,
    axes, viewpoints and a question were answered by two people only: (group id, session id)."""
    with app.app_context():
        owner = db.session.get(Facilitator, facilitator.id)
        group = groups.create_group(
            owner,
            name="Groupe clairsemé",
            domain="public_reception",
            establishments=["Maison des services"],
            member_cap=12,
            anonymity_threshold=4,
        )
        meeting = meetings.plan_meeting(
            group, title="Séance clairsemée", date=dt.date(2026, 10, 1), modules=MODULES
        )
        meetings.open_collection(meeting)
        definition = frozen_definition(meeting)
        rng = random.Random("praxis-api")
        for person in range(RESPONDENTS):
            answers = [
                a for a in _person(definition, rng, person, 0.5) if person < 2 or not _skipped(a)
            ]
            draft, _token = participation.start_draft(meeting)
            participation.submit(meeting, draft.id, answers, None)
        meetings.close_collection(meeting)
        publication.record(meeting)
        db.session.commit()
        return group.id, meeting.id
