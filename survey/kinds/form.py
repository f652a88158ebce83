"""The answering form of one questionnaire section, built at run time from its definition.

Field names are stable and readable (``activities__welcome__prescribed``): an item id, then the row
and the facet, axis or viewpoint. ``Question`` objects tell templates how to lay the fields out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import CheckboxesField
from ..questionnaire.frozen import derived
from ..questionnaire.schema import (
    AllocationItem,
    ChoiceItem,
    PairedItem,
    Questionnaire,
    RankingItem,
    RatingItem,
    Scale,
    Section,
    TaskMapItem,
    TextItem,
)

SEPARATOR = "__"
OTHER_MAX_LENGTH = 200


@dataclass
class Entry:
    """One field: its name, its own label (a facet, an axis...), and its scale if any.

    ``item`` and ``facet`` say where its answer is stored; ``mode`` how: a ``number``, a ``rank``
    (the field holds an option id, the rank is ``facet``), ``options`` chosen, or ``text``.
    """

    name: str
    label: str | None = None
    scale: Scale | None = None
    item: str = ""
    facet: str = ""
    mode: str = "number"


@dataclass
class Row:
    label: str | None
    entries: list[Entry]


@dataclass
class Question:
    kind: str
    id: str
    prompt: str
    help: str | None
    sensitive: bool
    skippable: bool
    rows: list[Row]
    total: int | None = None
    errors: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        """The names of this question's fields."""
        return [entry.name for row in self.rows for entry in row.entries]


class SectionForm(FlaskForm):
    """Base class; ``section_form`` adds one field per answer and the question layout."""

    questions: list[Question]

    def troubled(self) -> list[Question]:
        """The questions with an error, for the summary at the top of the page."""
        return [q for q in self.questions if q.errors or any(self[n].errors for n in q.names())]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for question in self.questions:
            if question.kind == "allocation":
                valid &= self._check_totals(question)
            elif question.kind == "ranking":
                valid &= self._check_distinct(question)
        return valid

    def _check_totals(self, question: Question) -> bool:
        """Each viewpoint's points add up to the total, unless it was left entirely blank."""
        valid = True
        for column, entry in enumerate(question.rows[0].entries):
            values = [self[row.entries[column].name].data for row in question.rows]
            if all(v is None for v in values) and question.skippable:
                continue
            spent = sum(v or 0 for v in values)
            if spent != question.total:
                question.errors.append(
                    str(
                        _l(
                            "“%(viewpoint)s”: the points add up to %(spent)s instead of %(total)s.",
                            viewpoint=entry.label,
                            spent=spent,
                            total=question.total,
                        )
                    )
                )
                valid = False
        return valid

    def _check_distinct(self, question: Question) -> bool:
        chosen = [self[e.name].data for e in question.rows[0].entries if self[e.name].data]
        if len(chosen) != len(set(chosen)):
            question.errors.append(str(_l("Each choice can appear only once in the ranking.")))
            return False
        return True


def field_name(*parts: str) -> str:
    return SEPARATOR.join(parts)


def answer_key(item_id: str, row_id: str | None) -> str:
    """Where a row's answers are stored: ``activities.welcome``; the item id alone without rows."""
    return f"{item_id}.{row_id}" if row_id else item_id


@dataclass(frozen=True)
class AnswerValue:
    item: str
    facet: str
    value: float | None = None
    text: str | None = None


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
    numbers = {(a.item, a.facet): a for a in answers}
    data: dict[str, list[str]] = {}
    for question in questions:
        for row in question.rows:
            for entry in row.entries:
                if entry.mode == "number" and (entry.item, entry.facet) in numbers:
                    data[entry.name] = [f"{numbers[entry.item, entry.facet].value:g}"]
                elif entry.mode == "rank":
                    rank = float(entry.facet)
                    chosen = [a.facet for a in answers if a.item == entry.item and a.value == rank]
                    if chosen:
                        data[entry.name] = chosen[:1]
                elif entry.mode == "options":
                    chosen = [a.facet for a in answers if a.item == entry.item and a.value == 1.0]
                    if chosen:
                        data[entry.name] = chosen
                elif entry.mode == "text":
                    text = next(
                        (a.text for a in answers if (a.item, a.facet) == (entry.item, entry.facet)),
                        None,
                    )
                    if text:
                        data[entry.name] = [text]
    return data


def section_form(
    questionnaire: Questionnaire,
    section: Section,
    language: str,
    familiar: bool = False,
    **kwargs,
) -> SectionForm:
    """A form instance for one section, in the given language."""
    # Building the class costs more than validating a page, and a submission checks them all.
    key = ("section_form", section.id, language, familiar)
    built = derived(questionnaire)
    if key not in built:
        fields: dict = {}
        questions = [
            _question(questionnaire, item, language, familiar, fields) for item in section.items
        ]
        built[key] = type("SectionForm", (SectionForm,), fields), questions
    form_class, questions = built[key]
    form = form_class(**kwargs)
    form.questions = [replace(question, errors=[]) for question in questions]
    return form


def _question(questionnaire, item, language, familiar, fields) -> Question:
    def text(value):
        return value.get(language, familiar) if value is not None else None

    def validators():
        if item.skippable:
            return [Optional()]
        return [InputRequired(_l("This question needs an answer."))]

    def scale_field(scale: Scale, label: str | None):
        choices = [SelectChoice(str(v), str(v)) for v in range(scale.min, scale.max + 1)]
        return RadioField(label, choices=choices, validators=validators())

    rows: list[Row] = []
    total = None
    rows_of = questionnaire.rows

    if isinstance(item, PairedItem):
        scale = questionnaire.scales[item.scale]
        for row in rows_of(item.rows) or (None,):
            entries = []
            key = answer_key(item.id, row.id if row else None)
            for facet in item.facets:
                name = field_name(item.id, *([row.id] if row else []), facet.id)
                fields[name] = scale_field(scale, text(facet.label))
                entries.append(Entry(name, text(facet.label), scale, key, facet.id))
            rows.append(Row(text(row.label) if row else None, entries))
    elif isinstance(item, RatingItem):
        scale = questionnaire.scales[item.scale]
        for row in rows_of(item.rows) or (None,):
            name = field_name(item.id, row.id) if row else item.id
            label = text(row.label) if row else text(item.prompt)
            fields[name] = scale_field(scale, label)
            key = answer_key(item.id, row.id if row else None)
            rows.append(Row(text(row.label) if row else None, [Entry(name, label, scale, key)]))
    elif isinstance(item, TaskMapItem):
        for row in rows_of(item.rows):
            entries = []
            for axis in item.axes:
                name = field_name(item.id, row.id, axis.id)
                scale = questionnaire.scales[axis.scale]
                fields[name] = scale_field(scale, text(axis.label))
                key = answer_key(item.id, row.id)
                entries.append(Entry(name, text(axis.label), scale, key, axis.id))
            rows.append(Row(text(row.label), entries))
    elif isinstance(item, AllocationItem):
        total = item.total
        for row in rows_of(item.rows):
            entries = []
            for viewpoint in item.viewpoints:
                name = field_name(item.id, row.id, viewpoint.id)
                fields[name] = IntegerField(
                    text(row.label),
                    validators=[
                        *validators(),
                        NumberRange(0, total, _l("Between %(min)s and %(max)s points.")),
                    ],
                )
                key = answer_key(item.id, row.id)
                entries.append(Entry(name, text(viewpoint.label), None, key, viewpoint.id))
            rows.append(Row(text(row.label), entries))
    elif isinstance(item, RankingItem):
        options = [SelectChoice("", "—")] + [
            SelectChoice(o.id, text(o.label)) for o in rows_of(item.options)
        ]
        entries = []
        for rank in range(1, item.rank + 1):
            name = field_name(item.id, str(rank))
            label = str(_l("Choice %(rank)s", rank=rank))
            fields[name] = SelectField(label, choices=options, validators=validators())
            entries.append(Entry(name, label, None, item.id, str(rank), "rank"))
        rows.append(Row(None, entries))
    elif isinstance(item, ChoiceItem):
        choices = [SelectChoice(o.id, text(o.label)) for o in rows_of(item.options)]
        field_class = CheckboxesField if item.multiple else RadioField
        fields[item.id] = field_class(text(item.prompt), choices=choices, validators=validators())
        entries = [Entry(item.id, None, None, item.id, "", "options")]
        if item.other:
            name = field_name(item.id, "other")
            fields[name] = StringField(
                _l("Other (please specify)"),
                validators=[Optional(), Length(max=OTHER_MAX_LENGTH)],
            )
            label = str(_l("Other (please specify)"))
            entries.append(Entry(name, label, None, item.id, "other", "text"))
        rows.append(Row(None, entries))
    elif isinstance(item, TextItem):
        fields[item.id] = TextAreaField(
            text(item.prompt),
            validators=[
                *validators(),
                Length(max=item.max_length, message=_l("At most %(max)d characters.")),
            ],
        )
        rows.append(Row(None, [Entry(item.id, None, None, item.id, "", "text")]))

    return Question(
        kind=item.kind,
        id=item.id,
        prompt=text(item.prompt),
        help=text(item.help),
        sensitive=item.sensitive,
        skippable=item.skippable,
        rows=rows,
        total=total,
    )
