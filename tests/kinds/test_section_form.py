"""The answering form built from a section: fields, required answers, totals, ranks."""

import pytest
from support import ROOT
from werkzeug.datastructures import MultiDict

from survey.kinds.form import section_form
from survey.questionnaire import effective_lists, resolve
from survey.questionnaire.catalog import Catalog

SHIPPED = ROOT / "questionnaires"


@pytest.fixture(scope="module")
def standard():
    catalog = Catalog.load(SHIPPED)
    questionnaire = catalog.get("standard")
    modules = [m.id for m in questionnaire.modules]
    return resolve(questionnaire, effective_lists(questionnaire), modules)


@pytest.fixture
def request_context(make_app):
    app = make_app("sqlite://", WTF_CSRF_ENABLED=False)
    with app.test_request_context(method="POST"):
        yield


def form_for(questionnaire, section_id, data, language="fr"):
    section = next(s for s in questionnaire.sections if s.id == section_id)
    return section_form(questionnaire, section, language, formdata=MultiDict(data))


def test_field_names_are_stable_and_readable(standard, request_context):
    form = form_for(standard, "prescribed_actual", {})
    names = [field.name for field in form if field.name != "csrf_token"]
    assert names[:2] == [
        "activities__welcome_inform__prescribed",
        "activities__welcome_inform__actual",
    ]
    assert names[-2:] == ["overall_gap", "gap_valence"]
    assert [c.value for c in form["gap_valence"].choices] == ["-3", "-2", "-1", "0", "1", "2", "3"]


def test_an_empty_page_is_valid_since_every_item_may_be_skipped(standard, request_context):
    for section in standard.sections:
        assert form_for(standard, section.id, {}).validate(), section.id


def test_out_of_scale_values_are_refused(standard, request_context):
    form = form_for(standard, "prescribed_actual", {"overall_gap": "11"})
    assert not form.validate()
    assert form["overall_gap"].errors


def test_allocation_must_add_up_to_the_total(standard, request_context):
    objectives = ["service_quality", "volume", "procedures", "cooperation", "own_skills"]
    data = {f"objectives__{o}__mine": "20" for o in objectives}
    expected = ["50", "30", "30", "0", "0"]
    data |= {f"objectives__{o}__expected": v for o, v in zip(objectives, expected, strict=True)}
    form = form_for(standard, "priorities", data)
    assert not form.validate()
    (question,) = form.questions
    assert question.errors == [
        "«\u00a0Selon les attentes perçues de ma hiérarchie\u00a0»\u00a0: "
        "les points font 110 au lieu de 100."
    ]


def test_a_ranking_cannot_repeat_a_choice(standard, request_context):
    form = form_for(standard, "open", {"topics__1": "workload", "topics__2": "workload"})
    assert not form.validate()
    topics = next(q for q in form.questions if q.id == "topics")
    assert topics.errors == ["Chaque choix ne peut figurer qu'une fois dans le classement."]


def test_text_answers_are_capped(standard, request_context):
    form = form_for(standard, "open", {"proposal": "x" * 1201})
    assert not form.validate()
    assert form["proposal"].errors == ["1200 caractères au maximum."]


def test_a_required_item_needs_an_answer(request_context, tmp_path):
    from survey.questionnaire.loader import load_questionnaire

    source = (SHIPPED / "standard.yaml").read_text()
    source = source.replace(
        "      - id: overall_gap\n        kind: rating\n",
        "      - id: overall_gap\n        kind: rating\n        skippable: false\n",
    )
    (tmp_path / "standard.yaml").write_text(source)
    questionnaire = load_questionnaire(tmp_path / "standard.yaml", root=tmp_path)
    resolved = resolve(questionnaire, effective_lists(questionnaire))
    form = form_for(resolved, "prescribed_actual", {})
    assert not form.validate()
    assert form["overall_gap"].errors == ["Cette question attend une réponse."]


def test_formdata_of_gives_back_what_answers_of_reads(standard, request_context):
    """The demo's people, posted page by page, are read back answer for answer."""
    import random

    from survey.demo import _person
    from survey.kinds.form import answers_of, formdata_of

    rng = random.Random(3)
    for person in range(12):
        answers = set(_person(standard, rng, person, 0.5))
        read = set()
        for section in standard.sections:
            questions = form_for(standard, section.id, {}).questions
            data = MultiDict(
                [
                    (k, v)
                    for k, values in formdata_of(questions, list(answers)).items()
                    for v in values
                ]
            )
            form = form_for(standard, section.id, data)
            assert form.validate(), (section.id, form.errors)
            read |= set(answers_of(form))
        assert read == answers
