"""The HTML of the answering pages that is the same for every respondent, rendered once.

A page of questions holds up to 172 radio inputs in a dozen scale questions, and they are the
same for every respondent except which inputs are checked. Two levels are kept, each with a
slot wherever « checked » may go:

- a scale's inputs (``ScaleInputs``): the template renders a field's inputs once, later pages
  fill the slots from the field's answer;
- a whole question whose answers are all scales (``QuestionBodies``, for the kinds that say
  ``keeps_body``): its legends, notes and inputs are rendered once with every slot left open,
  through a stand-in form whose fields answer with ``Slot``; later pages fill the slots from
  the form. A question showing an error is rendered afresh.

Each key holds everything the HTML depends on (the field or question, whether it shows an
error, the language, « tu », the heading level), so a page is byte for byte the one the
templates would write (tests/kinds/test_kept_html.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g
from markupsafe import Markup

from . import kind_of

#: Where the template writes the slot of each input's « checked ». NUL never reaches a page: the
#: security guard refuses it in requests and questionnaire texts cannot hold it.
SLOT = Markup("\x00")
CHECKED = Markup(" checked")
#: Scale fields kept, a language, « tu » and error state each (a questionnaire version has about
#: 60, 130 KB in all): far more than any deployment's questionnaires need; the oldest go first.
CACHE_SIZE = 8192
#: Whole questions kept (a version has about 9 in each language and « tu » form, 150 KB in all):
#: some hundred versions' worth, a few tens of MB per worker at most.
BODIES_CACHE_SIZE = 1024


def _filled(parts: tuple[Markup, ...], checked) -> Markup:
    """The parts joined, with « checked » in each slot whose flag (one per slot) is true."""
    out = [parts[0]]
    for is_checked, part in zip(checked, parts[1:], strict=True):
        if is_checked:
            out.append(CHECKED)
        out.append(part)
    return Markup("".join(out))  # every part is safe already: no escaping each


class Slot:
    """A stand-in field's answer while a question is rendered to be kept: the scale's inputs
    leave their slots open and say which field and value each slot belongs to."""

    def __init__(self, name: str, slots: list[tuple[str, str]]):
        self.name = name
        self._slots = slots

    def open(self, values: tuple[str, ...]) -> None:
        self._slots.extend((self.name, value) for value in values)


@dataclass(frozen=True)
class Inputs:
    #: Held so that the scale's id in the key cannot name another object while this is kept.
    scale: object
    parts: tuple[Markup, ...]
    values: tuple[str, ...]

    def filled(self, answer) -> Markup:
        """The inputs with the answer's one checked (none if unanswered)."""
        if isinstance(answer, Slot):  # a question being kept: every slot stays open
            answer.open(self.values)
            return SLOT.join(self.parts)
        return _filled(self.parts, (answer == value for value in self.values))


class _Kept:
    """A bounded dict, oldest first out."""

    def __init__(self, size: int):
        self.size = size
        self._kept: dict = {}

    def _put(self, key, value) -> None:
        if len(self._kept) >= self.size:
            self._kept.pop(next(iter(self._kept)))
        self._kept[key] = value


class ScaleInputs(_Kept):
    """The template's cache: ``get`` before rendering, ``keep`` what it rendered."""

    SLOT = SLOT

    def __init__(self, size: int = CACHE_SIZE):
        super().__init__(size)

    @staticmethod
    def _key(field, scale, language: str, familiar: bool) -> tuple:
        return (id(scale), field.name, field.id, bool(field.errors), language, bool(familiar))

    def get(self, field, scale, language: str, familiar: bool) -> Inputs | None:
        found = self._kept.get(self._key(field, scale, language, familiar))
        return found if found is not None and found.scale is scale else None

    def keep(self, field, scale, language: str, familiar: bool, rendered: str) -> Inputs:
        parts = tuple(Markup(part) for part in str(rendered).split(SLOT))
        values = tuple(str(choice.value) for choice in field.choices)
        if len(parts) != len(values) + 1:
            raise ValueError("each input of a scale needs exactly one slot")
        inputs = Inputs(scale, parts, values)
        self._put(self._key(field, scale, language, familiar), inputs)
        return inputs


@dataclass(frozen=True)
class Body:
    #: The question's rows, shared by every form of its section: held so that their id in the
    #: key cannot name other rows while this is kept.
    rows: object
    parts: tuple[Markup, ...]
    #: (field name, value) of each slot, in the order of the HTML.
    slots: tuple[tuple[str, str], ...]

    def filled(self, form) -> Markup:
        answers = {name: form[name].data for name in dict.fromkeys(n for n, _ in self.slots)}
        return _filled(self.parts, (answers[name] == value for name, value in self.slots))


class _StandInField:
    """What a kept question's template may read of a field: anything else is a mistake (a kind
    that says ``keeps_body`` but renders more of its fields than their scales)."""

    READABLE = frozenset({"name", "id", "choices", "errors"})

    def __init__(self, field, slots: list):
        self._field = field
        self.data = Slot(field.name, slots)

    def __getattr__(self, attribute):
        if attribute in self.READABLE:
            return getattr(self._field, attribute)
        # Not AttributeError: Jinja would render it as an empty string.
        raise TypeError(f"a kept question's template read {attribute!r} of a field")

    def __call__(self, *args, **kwargs):
        raise TypeError("a kept question's template rendered a field's widget")


class _StandInForm:
    def __init__(self, form, slots: list):
        self._form, self._slots = form, slots

    def __getitem__(self, name: str) -> _StandInField:
        return _StandInField(self._form[name], self._slots)


class QuestionBodies(_Kept):
    """The template calls ``render`` with the macro that lays a question out."""

    def __init__(self, size: int = BODIES_CACHE_SIZE):
        super().__init__(size)

    def render(self, form, question, level: int, language: str, familiar: bool, body) -> Markup:
        """``body(form, question, level)``'s HTML, from the kept question when it can be."""
        if not kind_of(question).keeps_body or question.errors:
            return body(form, question, level)
        if any(form[name].errors for name in question.names()):
            return body(form, question, level)
        # ``tu()`` in the notes reads the request's « tu » (g.familiar), the labels the one given.
        tu = bool(g.get("familiar"))
        key = (id(question.rows), question.id, level, language, bool(familiar), tu)
        kept = self._kept.get(key)
        if kept is None or kept.rows is not question.rows:
            slots: list[tuple[str, str]] = []
            rendered = str(body(_StandInForm(form, slots), question, level))
            parts = tuple(Markup(part) for part in rendered.split(SLOT))
            if len(parts) != len(slots) + 1:
                raise ValueError("each input of a kept question needs exactly one slot")
            kept = Body(question.rows, parts, tuple(slots))
            self._put(key, kept)
        return kept.filled(form)


def init_app(app) -> None:
    app.jinja_env.globals["scale_inputs"] = ScaleInputs()
    app.jinja_env.globals["question_bodies"] = QuestionBodies()
