"""Rankings: put the top N of a list in order (what weighs most in my work)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField

from ..questionnaire.schema import RankingItem
from .base import AnswerValue, Entry, FormBuilder, Kind, Row, field_name
from .options import options_block


class Ranking(Kind):
    name = "ranking"
    model = RankingItem
    analysis = "ranking"

    def question(self, item, build: FormBuilder):
        options = [SelectChoice("", "—")] + [
            SelectChoice(o.id, build.text(o.label)) for o in build.questionnaire.rows(item.options)
        ]
        entries = []
        for rank in range(1, item.rank + 1):
            name = field_name(item.id, str(rank))
            label = str(_l("Choice %(rank)s", rank=rank))
            build.fields[name] = SelectField(
                label, choices=options, validators=build.required(item)
            )
            entries.append(Entry(name, label, None, item.id, str(rank), "rank"))
        return build.question(self, item, [Row(None, entries)])

    def check(self, form, question):
        chosen = [form[e.name].data for e in question.rows[0].entries if form[e.name].data]
        if len(chosen) != len(set(chosen)):
            question.errors.append(str(_l("Each choice can appear only once in the ranking.")))
            return False
        return True

    def frame_rows(self, item, definition, label):
        return [
            {
                "question": item.id,
                "item": item.id,
                "label": label(item.prompt),
                "scale_min": 1,
                "scale_max": item.rank,
            }
        ]

    def blocks(self, item, ctx):
        name = _("Points (first choice = %(rank)s)", rank=item.rank)
        return [options_block(item, ctx, "points", name)]

    def readable(self, entry, choices, own, language, familiar):
        rank = float(entry.facet)
        chosen = [a.facet for a in own.of_item(entry.item) if a.value == rank]
        return choices.get(chosen[0], chosen[0]) if chosen else None

    def demo_answers(self, item, definition, rng, person, progress):
        # Workload first, then the public, then the rest at random.
        order = sorted(
            definition.rows(item.options),
            key=lambda o: (o.id != "workload", o.id != "public", rng.random()),
        )
        for rank, option in enumerate(order[: item.rank], start=1):
            yield AnswerValue(item.id, option.id, float(rank))
