"""Choices: one or several options, and optionally « other » with a short text."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import Length, Optional

from ..forms import CheckboxesField
from ..questionnaire.schema import ChoiceItem
from .base import AnswerValue, Entry, FormBuilder, Kind, Row, field_name
from .options import options_block

OTHER_MAX_LENGTH = 200


class Choice(Kind):
    name = "choice"
    model = ChoiceItem
    analysis = "choice"

    def question(self, item, build: FormBuilder):
        choices = [
            SelectChoice(o.id, build.text(o.label)) for o in build.questionnaire.rows(item.options)
        ]
        field_class = CheckboxesField if item.multiple else RadioField
        build.fields[item.id] = field_class(
            build.text(item.prompt), choices=choices, validators=build.required(item)
        )
        entries = [Entry(item.id, None, None, item.id, "", "options")]
        if item.other:
            name = field_name(item.id, "other")
            build.fields[name] = StringField(
                _l("Other (please specify)"),
                validators=[Optional(), Length(max=OTHER_MAX_LENGTH)],
            )
            label = str(_l("Other (please specify)"))
            entries.append(Entry(name, label, None, item.id, "other", "text"))
        return build.question(self, item, [Row(None, entries)])

    def frame_rows(self, item, definition, label):
        return [
            {
                "question": item.id,
                "item": item.id,
                "label": label(item.prompt),
                "scale_min": 1,
                "scale_max": 1,
            }
        ]

    def blocks(self, item, ctx):
        return [options_block(item, ctx, "people", _("People"))]

    def texts(self, item, prompt):
        if not item.other:
            return []
        return [((item.id, "other"), f"{prompt} — {_('Other (please specify)')}")]

    def readable(self, entry, choices, own, language, familiar):
        if entry.mode == "text":  # the « other » answer
            answer = own.by_key.get((entry.item, entry.facet))
            return answer.text if answer is not None else None
        chosen = [choices[a.facet] for a in own.of_item(entry.item) if a.facet in choices]
        return ", ".join(chosen) or None

    def demo_answers(self, item, definition, rng, person, progress):
        for option in definition.rows(item.options):
            if option.id in ("time", "staffing") or rng.random() < 0.25:
                yield AnswerValue(item.id, option.id, 1.0)
