"""Allocations: share a total of points among objectives, once per viewpoint (my view, what I
feel is expected of me, where my time really goes)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import NumberRange

from .. import charts
from ..display import Block, cell, chart_json
from ..questionnaire.schema import AllocationItem
from .base import (
    AnswerValue,
    Entry,
    FormBuilder,
    Kind,
    Row,
    answer_key,
    field_name,
    readable_number,
    scale_rows,
)

#: The demo's story: the number of people seen weighs more in perceived expectations.
DEMO_WEIGHTS = {
    "mine": {"welcome_quality": 35, "people_seen": 10, "full_resolution": 30},
    "expected": {"people_seen": 40, "procedures": 25, "welcome_quality": 15},
    "actual_time": {"people_seen": 35, "procedures": 25},
}


class Allocation(Kind):
    name = "allocation"
    model = AllocationItem
    analysis = "allocation"

    def question(self, item, build: FormBuilder):
        rows = []
        for row in build.questionnaire.rows(item.rows):
            entries = []
            for viewpoint in item.viewpoints:
                name = field_name(item.id, row.id, viewpoint.id)
                build.fields[name] = IntegerField(
                    build.text(row.label),
                    validators=[
                        *build.required(item),
                        NumberRange(0, item.total, _l("Between %(min)s and %(max)s points.")),
                    ],
                )
                key = answer_key(item.id, row.id)
                entries.append(Entry(name, build.text(viewpoint.label), None, key, viewpoint.id))
            rows.append(Row(build.text(row.label), entries))
        return build.question(self, item, rows, total=item.total)

    def check(self, form, question):
        """Each viewpoint's points add up to the total, unless it was left entirely blank."""
        valid = True
        for column, entry in enumerate(question.rows[0].entries):
            values = [form[row.entries[column].name].data for row in question.rows]
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

    def frame_rows(self, item, definition, label):
        return scale_rows(item, definition, label, 0, item.total)

    def blocks(self, item, ctx):
        prompt, label_of = ctx.text(item.prompt), ctx.labels(item)
        series = {v.id: ctx.text(v.label) for v in item.viewpoints}
        table = ctx.rows_of("priorities", ctx.keys(item), list(series))
        if all(table[c].isna().all() for c in series):
            return [Block(prompt, None, [], [], ctx.too_few_note())]
        table = table.assign(label=[label_of[i] for i in table.index])
        figure = charts.grouped_bars(
            table, prompt, series, _("Mean points out of %(total)s", total=item.total)
        )
        rows = [
            [r["label"], *[cell(r[c], ctx.k, 0) for c in series]] for r in table.to_dict("records")
        ]
        hidden = [name for column, name in series.items() if table[column].isna().any()]
        note = (
            _(
                "Where a viewpoint had fewer than %(k)s answers, its bar is not drawn: %(labels)s.",
                k=ctx.k,
                labels="; ".join(hidden),
            )
            if hidden
            else None
        )
        return [Block(prompt, chart_json(figure), [_("Objective"), *series.values()], rows, note)]

    def readable(self, entry, choices, own, language, familiar):
        return readable_number(entry, own, language, familiar)

    def demo_answers(self, item, definition, rng, person, progress):
        rows = definition.rows(item.rows)
        for viewpoint in item.viewpoints:
            weights = DEMO_WEIGHTS.get(viewpoint.id, {})
            raw = [max(1.0, weights.get(r.id, 12) + rng.gauss(0, 3)) for r in rows]
            points = [round(100 * w / sum(raw)) for w in raw]
            points[0] += 100 - sum(points)
            for row, value in zip(rows, points, strict=True):
                yield AnswerValue(answer_key(item.id, row.id), viewpoint.id, float(value))
