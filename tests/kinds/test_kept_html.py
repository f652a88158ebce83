# ruff: noqa: E501 (the reference template keeps the lines the macro had)
"""The answering pages keep what every respondent sees alike (a scale's radio inputs, a whole
scale question): a page must be byte for byte the one the templates wrote before, whichever
answers are checked, with or without errors, in both languages, with « tu » or « vous »."""

import random
from unittest import mock

import pytest
from flask import g, render_template_string
from support import ROOT
from werkzeug.datastructures import MultiDict

from survey.demo import _person
from survey.kinds import kind_of
from survey.kinds.form import formdata_of, section_form
from survey.kinds.kept_html import QuestionBodies, ScaleInputs
from survey.questionnaire import effective_lists, resolve
from survey.questionnaire.catalog import Catalog

# The loop the macro ran for every field and every page before the inputs were kept.
REFERENCE = """
{%- set sc = entry.scale %}{% set anchors = sc.anchors %}
      {% for choice in field.choices %}
        {% set value = choice.value|int %}
        <label class="point">
          <input{% if field.data == choice.value %} checked{% endif %} id="{{ field.id }}-{{ loop.index0 }}" name="{{ field.name }}" type="radio" value="{{ choice.value }}"{% if field.errors %} aria-invalid="true" aria-describedby="{{ field.id }}-error"{% endif %}>
          <span class="value">{{ value|signed if sc.min < 0 else value }}</span>
          {% if value in anchors %}<span class="visually-hidden">{{ anchors[value].get(language, familiar) }}</span>
          {%- elif sc.min < 0 and value and (sc.min if value < 0 else sc.max) in anchors %}
            <span class="visually-hidden">{{ _("towards “%(anchor)s”", anchor=anchors[sc.min if value < 0 else sc.max].get(language, familiar)) }}</span>
          {%- endif %}
        </label>
      {% endfor %}"""

MACRO = """{% from "participant/_questions.html" import scale with context %}{{ scale(field, entry) }}"""


def points(page: str) -> str:
    """The inputs part of a rendered scale (between the points' div and its end)."""
    start = page.index('<div class="points')
    start = page.index(">", start) + 1
    return page[start : page.index("\n    </div>", start)]


@pytest.fixture(scope="module")
def standard():
    questionnaire = Catalog.load(ROOT / "questionnaires").get("standard")
    modules = [m.id for m in questionnaire.modules]
    return resolve(questionnaire, effective_lists(questionnaire), modules)


@pytest.mark.parametrize(("language", "familiar"), [("fr", False), ("fr", True), ("en", False)])
def test_every_scale_renders_as_the_template_wrote_it(make_app, standard, language, familiar):
    app = make_app("sqlite://", WTF_CSRF_ENABLED=False)
    cache = app.jinja_env.globals["scale_inputs"] = ScaleInputs()
    with app.test_request_context(headers={"Accept-Language": language}):
        checked = 0
        for section in standard.sections:
            form = section_form(standard, section, language, familiar)
            entries = [
                entry
                for question in form.questions
                for row in question.rows
                for entry in row.entries
                if entry.scale is not None
            ]
            for entry in entries:
                field = form[entry.name]
                values = [choice.value for choice in field.choices]
                states = [None, values[0], values[len(values) // 2], values[-1], "not a value"]
                for errors in ([], ["Une réponse est attendue."]):
                    field.errors = errors
                    for answer in states:
                        field.data = answer
                        context = {
                            "field": field,
                            "entry": entry,
                            "language": language,
                            "familiar": familiar,
                        }
                        expected = render_template_string(REFERENCE, **context)
                        assert points(render_template_string(MACRO, **context)) == expected
                        checked += 1
        assert checked > 300
        # Each field was rendered once per error state; every other page only filled it.
        assert (
            0
            < len(cache._kept)
            <= 2
            * sum(
                1
                for section in standard.sections
                for q in section_form(standard, section, language, familiar).questions
                for row in q.rows
                for entry in row.entries
                if entry.scale is not None
            )
        )


def test_a_scale_of_another_questionnaire_is_not_taken_for_a_kept_one(make_app, standard):
    """The key holds the scale object's id: an entry must never serve another scale that got
    the same id after the first was freed."""
    cache = ScaleInputs()

    class Field:
        name, id, errors = "a", "a", []
        choices = [type("Choice", (), {"value": "1"})()]

    first, second = object(), object()
    cache.keep(Field, first, "fr", False, "<input\x00>")
    assert cache.get(Field, first, "fr", False) is not None
    assert cache.get(Field, second, "fr", False) is None
    assert str(cache.get(Field, first, "fr", False).filled("1")) == "<input checked>"
    assert str(cache.get(Field, first, "fr", False).filled("2")) == "<input>"


class NeverKept(QuestionBodies):
    """Every question rendered by its template, as before questions were kept."""

    def render(self, form, question, level, language, familiar, body):
        return body(form, question, level)


SECTION = """{% from "participant/_questions.html" import section_page with context %}{{ section_page(questionnaire, section, form, 1, 6) }}"""


def _forms(standard, section, language, familiar, rng):
    """The section's form in many states: empty, the demo's answers, some left out, invalid
    values, and validated (its errors shown)."""
    questions = section_form(standard, section, language, familiar).questions
    for person in range(6):
        answers = list(_person(standard, rng, person, rng.random()))
        posted = formdata_of(questions, answers)
        if person % 2:
            posted = {k: v for k, v in posted.items() if rng.random() < 0.6}
        if person == 3:
            posted = {k: ["99"] for k in posted}
        data = MultiDict([(k, v) for k, vs in posted.items() for v in vs])
        form = section_form(standard, section, language, familiar, formdata=data)
        if person >= 3:
            form.validate()
        yield form
    yield section_form(standard, section, language, familiar)


@pytest.mark.parametrize(("language", "familiar"), [("fr", False), ("fr", True), ("en", False)])
def test_every_section_renders_as_its_templates_wrote_it(make_app, standard, language, familiar):
    app = make_app("sqlite://", WTF_CSRF_ENABLED=False)
    kept = app.jinja_env.globals["question_bodies"] = QuestionBodies()
    rng = random.Random(7)
    with app.test_request_context(headers={"Accept-Language": language}):
        g.familiar = (
            familiar  # as the answering page sets it (i18n.for_group): its notes say « tu »
        )
        pages = errors = 0
        for section in standard.sections:
            for form in _forms(standard, section, language, familiar, rng):
                context = {
                    "questionnaire": standard,
                    "section": section,
                    "form": form,
                    "language": language,
                    "familiar": familiar,
                }
                app.jinja_env.globals["question_bodies"] = NeverKept()
                expected = render_template_string(SECTION, **context)
                app.jinja_env.globals["question_bodies"] = kept
                assert render_template_string(SECTION, **context) == expected
                assert "\\x00" not in expected
                pages += 1
                errors += bool(form.troubled())
        assert pages == 7 * len(standard.sections) and errors > 0
        # What is kept holds nobody's answers: every « checked » is a slot.
        assert not any(" checked" in part for body in kept._kept.values() for part in body.parts)
        # Every scale question was kept, once per heading level it shows at.
        assert len(kept._kept) == sum(
            kind_of(q).keeps_body
            for section in standard.sections
            for q in section_form(standard, section, language, familiar).questions
        )


def test_a_kind_that_keeps_its_body_may_show_its_fields_as_scales_only(make_app, standard):
    """A kept question is rendered through a stand-in form: reading anything of a field but
    what a scale's inputs need fails loudly rather than freezing an answer into the page."""
    app = make_app("sqlite://", WTF_CSRF_ENABLED=False)
    with app.test_request_context():
        section = next(s for s in standard.sections if any(i.kind == "text" for i in s.items))
        form = section_form(standard, section, "fr")
        text = next(q for q in form.questions if q.kind == "text")

        class Text(type(kind_of(text))):
            keeps_body = True

        bodies = QuestionBodies()
        with (
            mock.patch("survey.kinds.kept_html.kind_of", return_value=Text()),
            pytest.raises(TypeError, match="a kept question's template"),
        ):
            render_template_string(
                """{% from "participant/_questions.html" import question with context %}{{ question(form, q) }}""",
                form=form,
                q=text,
                language="fr",
                familiar=False,
                question_bodies=bodies,
            )


def test_kept_questions_are_bounded_the_oldest_going_first(make_app, standard):
    app = make_app("sqlite://", WTF_CSRF_ENABLED=False)
    kept = app.jinja_env.globals["question_bodies"] = QuestionBodies(size=3)
    with app.test_request_context():
        for language, familiar in (("fr", False), ("fr", True), ("en", False)):
            for section in standard.sections:
                form = section_form(standard, section, language, familiar)
                render_template_string(
                    SECTION,
                    questionnaire=standard,
                    section=section,
                    form=form,
                    language=language,
                    familiar=familiar,
                )
        assert len(kept._kept) == 3
        assert all(key[3:5] == ("en", False) for key in kept._kept)


def test_a_kept_question_follows_the_requests_tu(make_app, standard):
    """The notes' « tu » comes from the request (g.familiar): a question kept under one form of
    address is never served under the other."""
    app = make_app("sqlite://", WTF_CSRF_ENABLED=False)
    app.jinja_env.globals["question_bodies"] = QuestionBodies()
    section = next(s for s in standard.sections if s.id == "implicit")
    context = {"questionnaire": standard, "section": section, "language": "fr", "familiar": True}
    seen = []
    for familiar in (False, True, False):
        with app.test_request_context():
            g.familiar = familiar
            form = section_form(standard, section, "fr", True)
            seen.append(render_template_string(SECTION, form=form, **context))
    vous, tu = "vous pouvez passer cette question", "tu peux passer cette question"
    assert vous in seen[0] and tu not in seen[0]
    assert tu in seen[1] and vous not in seen[1]
    assert seen[2] == seen[0]
