"""Every kind of the questionnaire schema has its module, and each module does all of its part:
form fields, items frame rows, results, the journal's words and demo answers."""

import random
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from survey import analytics
from survey.kinds import registry
from survey.kinds.base import Kind, OwnAnswers
from survey.kinds.form import answers_of, formdata_of, section_form
from survey.kinds.journal import choices_of
from survey.questionnaire import catalog, effective_lists, resolve
from survey.questionnaire.schema import ITEM_KINDS, ITEM_MODELS

TEMPLATES = Path(__file__).resolve().parents[2] / "survey" / "templates"
#: The analytics families the items frame's ``kind`` column selects (analytics.metrics).
ANALYSES = {"paired", "rating", "task_map", "allocation", "choice", "ranking", "text"}


def test_the_schema_and_the_registry_name_the_same_kinds():
    assert set(registry()) == set(ITEM_KINDS)
    assert {kind.model for kind in registry().values()} == set(ITEM_MODELS)


@pytest.mark.parametrize("name", sorted(registry()))
def test_a_kind_is_complete(name):
    kind = registry()[name]
    assert isinstance(kind, Kind) and not type(kind).__abstractmethods__
    assert kind.model.model_fields["kind"].annotation.__args__ == (name,)
    assert kind.analysis in ANALYSES
    assert (TEMPLATES / kind.template).is_file()


def test_a_kind_without_its_parts_cannot_be_made():
    class Unfinished(Kind):
        name = "unfinished"

        def question(self, item, build):
            raise NotImplementedError

    with pytest.raises(TypeError, match="abstract"):
        Unfinished()


@pytest.fixture
def standard(app):
    with app.app_context():
        questionnaire = catalog().get("standard")
        lists = effective_lists(questionnaire)
        return resolve(questionnaire, lists, [m.id for m in questionnaire.modules])


def _items_of(definition, name):
    return [(s, i) for s in definition.sections for i in s.items if i.kind == name]


@pytest.mark.parametrize("name", sorted(registry()))
def test_each_kind_round_trips_its_demo_answers(app, standard, name):
    """Demo answers -> what a worker would post -> the form's answers, the same again; each
    answer's key is one of the kind's items frame rows; the journal says each in words."""
    kind = registry()[name]
    found = _items_of(standard, name)
    assert found, f"the standard questionnaire has no {name} item to try"
    with app.test_request_context():
        for section, item in found:
            answers = list(kind.demo_answers(item, standard, random.Random(3), 1, 0.5))
            rows = kind.frame_rows(item, standard, lambda text: text.get("fr") if text else None)
            keys = {row["item"] for row in rows}
            assert all(answer.item in keys for answer in answers)
            assert all(set(row) <= set(analytics.ITEM_COLUMNS) for row in rows)
            form = section_form(standard, section, "fr", meta={"csrf": False})
            posted = formdata_of(form.questions, answers)
            filled = section_form(
                standard,
                section,
                "fr",
                formdata=MultiDict(
                    [(field, value) for field, values in posted.items() for value in values]
                ),
                meta={"csrf": False},
            )
            assert filled.validate(), filled.errors
            mine = [a for a in answers_of(filled) if a.item in keys]
            assert sorted(map(repr, mine)) == sorted(map(repr, answers))
            question = next(q for q in filled.questions if q.id == item.id)
            stored = OwnAnswers([_Stored(a.item, a.facet, a.value, a.text) for a in answers])
            words = [
                kind.readable(entry, choices_of(filled[entry.name]), stored, "fr", False)
                for row in question.rows
                for entry in row.entries
            ]
            if answers:
                assert any(words), f"{name}: the journal shows none of {answers}"


class _Stored:
    """An answer as the journal reads it from the database."""

    def __init__(self, item_id, facet, value, text):
        self.item_id, self.facet, self.value, self.text = item_id, facet, value, text
