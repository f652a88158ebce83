"""A submission takes the pages its forms validated when they were saved as they are, and
validates the others again: same answers as validating every page, nothing unchecked recorded."""

import random

import pytest
from sqlalchemy import func, select
from support import ROOT, answer_all, answer_page, start, text
from werkzeug.datastructures import MultiDict

from survey.demo import _person
from survey.extensions import db
from survey.kinds.form import answers_from, answers_of, formdata_of, section_form
from survey.models import Answer, Draft, Meeting, Response
from survey.questionnaire import effective_lists, resolve
from survey.questionnaire.catalog import Catalog
from survey.services import participation


@pytest.fixture
def open_meeting(app, facilitator, make_group, make_meeting):
    group = make_group(facilitator, member_cap=5)
    meeting = make_meeting(group, status="open")
    return meeting.join_token, meeting.id


def test_a_validated_pages_answers_are_those_of_its_form(make_app):
    """``answers_from`` on what a page posted equals ``answers_of`` its validated form, for
    every page of the standard questionnaire with every module, over many synthetic people."""
    questionnaire = Catalog.load(ROOT / "questionnaires").get("standard")
    definition = resolve(
        questionnaire, effective_lists(questionnaire), [m.id for m in questionnaire.modules]
    )
    app = make_app("sqlite://", WTF_CSRF_ENABLED=False)
    rng = random.Random(7)
    compared = 0
    with app.test_request_context(method="POST"):
        for person in range(24):
            answers = list(_person(definition, rng, person, rng.random()))
            skipped = {a.item for a in answers if rng.random() < 0.1}  # some questions skipped
            answers = [a for a in answers if a.item not in skipped]
            for section in definition.sections:
                questions = section_form(definition, section, "fr").questions
                posted = formdata_of(questions, answers)
                form = section_form(
                    definition,
                    section,
                    "fr",
                    formdata=MultiDict(
                        [(name, v) for name, values in posted.items() for v in values]
                    ),
                )
                if not form.validate():  # (the synthetic points do not always add up)
                    continue
                assert answers_from(questions, posted) == answers_of(form)
                compared += 1
        assert compared >= 24 * len(definition.sections) * 3 // 4


def test_a_draft_changed_after_its_page_was_checked_is_validated_again(app, client, open_meeting):
    token, meeting_id = open_meeting
    start(client, token)
    for page in range(1, 4):
        answer_page(client, token, page, {"overall_gap": "6"} if page == 1 else None)
    with app.app_context():
        draft = db.session.scalar(select(Draft))
        assert (
            set(draft.checked) == {"prescribed_actual", "ideal_feasible", "implicit"}
            or len(draft.checked) == 3
        )
        # Written by other means than a validated page: a value off the scale.
        draft.data = {**draft.data, "overall_gap": ["99"]}
        db.session.commit()
    response = answer_page(client, token, 4, {"code-choice": "none"}, action="submit")
    assert response.status_code == 302 and response.location.endswith(f"/j/{token}/1")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
        assert db.session.scalar(select(Draft)) is not None  # the last page stays saved
    # Corrected on its page, it is sent.
    answer_page(client, token, 1, {"overall_gap": "7"})
    assert "Merci" in text(answer_page(client, token, 4, {"code-choice": "none"}, "submit"))
    with app.app_context():
        (value,) = db.session.scalars(
            select(Answer.value).where(Answer.item_id == "overall_gap")
        ).all()
        assert value == 7.0


def test_a_draft_saved_meanwhile_in_another_tab_is_not_recorded_as_read(app, open_meeting):
    token, meeting_id = open_meeting
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        draft, _resume = participation.start_draft(meeting)
        draft.data = {"overall_gap": ["6"]}
        db.session.commit()
        with pytest.raises(participation.SubmissionRefused) as refused:
            participation.submit(meeting, draft.id, [], None, unchanged={"overall_gap": ["5"]})
        assert refused.value.reason == "changed"
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_the_whole_journey_records_what_every_page_said(app, client, open_meeting):
    """Through HTTP, the fast path records exactly the answers validating every page gives."""
    token, _meeting_id = open_meeting
    start(client, token)
    assert "Merci" in text(answer_all(client, token, last={"topics__1": "workload"}))
    with app.app_context():
        stored = {
            (a.item_id, a.facet): (a.value, a.text) for a in db.session.scalars(select(Answer))
        }
    assert stored == {
        ("overall_gap", ""): (6.0, None),
        ("activities.welcome_direct", "actual"): (4.0, None),
        ("topics", "workload"): (1.0, None),
        ("proposal", ""): (None, "Plus de temps d'équipe"),
    }
