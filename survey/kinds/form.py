"""The answering form of one questionnaire section, built at run time from its definition.

Field names are stable and readable (``activities__welcome__prescribed``): an item id, then the row
and the facet, axis or viewpoint. Each item's kind adds its fields; ``Question`` objects tell
templates how to lay them out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

from flask_wtf import FlaskForm

from ..questionnaire.frozen import derived
from ..questionnaire.schema import Questionnaire, Section
from . import kind_of
from .base import AnswerValue, Entry, FormBuilder, Question, Row, answer_key, field_name

__all__ = [
    "AnswerValue",
    "Entry",
    "Question",
    "Row",
    "SectionForm",
    "answer_key",
    "answers_from",
    "answers_of",
    "field_name",
    "formdata_of",
    "page_digest",
    "page_fields",
    "section_form",
]


class SectionForm(FlaskForm):
    """Base class; ``section_form`` adds one field per answer and the question layout."""

    questions: list[Question]

    def troubled(self) -> list[Question]:
        """The questions with an error, for the summary at the top of the page."""
        return [q for q in self.questions if q.errors or any(self[n].errors for n in q.names())]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for question in self.questions:
            valid &= kind_of(question).check(self, question)
        return valid


def answers_of(form: SectionForm) -> list[AnswerValue]:
    """The answers a validated section form holds, one per stored value; blanks are skipped."""
    answers = []
    for question in form.questions:
        for row in question.rows:
            for entry in row.entries:
                data = form[entry.name].data
                if data in (None, "", []):
                    continue
                if entry.mode == "number":
                    answers.append(AnswerValue(entry.item, entry.facet, float(data)))
                elif entry.mode == "rank":
                    answers.append(AnswerValue(entry.item, data, float(entry.facet)))
                elif entry.mode == "options":
                    for option in [data] if isinstance(data, str) else data:
                        answers.append(AnswerValue(entry.item, option, 1.0))
                elif entry.mode == "text" and data.strip():
                    answers.append(AnswerValue(entry.item, entry.facet, text=data.strip()))
    return answers


def formdata_of(questions: list[Question], answers: list[AnswerValue]) -> dict[str, list[str]]:
    """What a worker posts to give these answers on a page: field name -> values, as a draft
    keeps them. The inverse of ``answers_of``; answers to other pages are ignored."""
    data: dict[str, list[str]] = {}
    for question in questions:
        for row in question.rows:
            for entry in row.entries:
                values = _POSTED[entry.mode](entry, answers)
                if values:
                    data[entry.name] = values
    return data


def _posted_number(entry: Entry, answers: list[AnswerValue]) -> list[str]:
    return [f"{a.value:g}" for a in answers if (a.item, a.facet) == (entry.item, entry.facet)][:1]


def _posted_rank(entry: Entry, answers: list[AnswerValue]) -> list[str]:
    rank = float(entry.facet)
    return [a.facet for a in answers if a.item == entry.item and a.value == rank][:1]


def _posted_options(entry: Entry, answers: list[AnswerValue]) -> list[str]:
    return [a.facet for a in answers if a.item == entry.item and a.value == 1.0]


def _posted_text(entry: Entry, answers: list[AnswerValue]) -> list[str]:
    key = (entry.item, entry.facet)
    return [a.text for a in answers if (a.item, a.facet) == key and a.text][:1]


#: How each storage mode of ``Entry`` is posted back.
_POSTED = {
    "number": _posted_number,
    "rank": _posted_rank,
    "options": _posted_options,
    "text": _posted_text,
}


def section_form(
    questionnaire: Questionnaire,
    section: Section,
    language: str,
    familiar: bool = False,
    **kwargs,
) -> SectionForm:
    """A form instance for one section, in the given language."""
    # Building the class costs more than validating a page, and a submission checks them all.
    form_class, questions, _names = _built(questionnaire, section, language, familiar)
    form = form_class(**kwargs)
    form.questions = [replace(question, errors=[]) for question in questions]
    return form


def _built(questionnaire: Questionnaire, section: Section, language: str, familiar: bool):
    key = ("section_form", section.id, language, familiar)
    built = derived(questionnaire)
    if key not in built:
        build = FormBuilder(questionnaire, language, familiar)
        questions = [kind_of(item).question(item, build) for item in section.items]
        form_class = type("SectionForm", (SectionForm,), build.fields)
        built[key] = form_class, questions, list(build.fields)
    return built[key]


def page_fields(
    questionnaire: Questionnaire, section: Section, language: str = "fr", familiar: bool = False
) -> tuple[list[str], list[Question]]:
    """A section's field names and questions, without building a form."""
    _form_class, questions, names = _built(questionnaire, section, language, familiar)
    return names, questions


def page_digest(names: list[str], data: dict[str, list[str]]) -> str:
    """A fingerprint of a page's values in a draft: equal digests, equal values."""
    values = [(name, data[name]) for name in names if name in data]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()


def answers_from(questions: list[Question], data: dict[str, list[str]]) -> list[AnswerValue]:
    """The answers of values that a page's form validated (as a draft keeps them): what
    ``answers_of`` returns for that form, without building it again."""
    answers = []
    for question in questions:
        for row in question.rows:
            for entry in row.entries:
                values = [v for v in data.get(entry.name, ()) if v != ""]
                if not values:
                    continue
                if entry.mode == "number":
                    answers.append(AnswerValue(entry.item, entry.facet, float(values[0])))
                elif entry.mode == "rank":
                    answers.append(AnswerValue(entry.item, values[0], float(entry.facet)))
                elif entry.mode == "options":
                    answers.extend(AnswerValue(entry.item, option, 1.0) for option in values)
                elif entry.mode == "text" and values[0].strip():
                    answers.append(AnswerValue(entry.item, entry.facet, text=values[0].strip()))
    return answers
