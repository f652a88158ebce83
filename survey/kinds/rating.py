"""Ratings: one scale, for one statement or for each row of a battery (stress, relations...)."""

from __future__ import annotations

import pandas as pd
from flask_babel import gettext as _

from .. import charts
from ..display import Block, chart_json, fmt, records, too_few
from ..questionnaire.schema import RatingItem
from .base import (
    AnswerValue,
    Entry,
    FormBuilder,
    Kind,
    Row,
    answer_key,
    clip,
    field_name,
    readable_number,
    scale_rows,
)

#: Scales with more points are drawn as a histogram rather than diverging bars.
LONG_SCALE = 7
COLUMNS = ["mean", "median", "ad", "polarised", "disagreement", "n"]


class Rating(Kind):
    name = "rating"
    model = RatingItem
    analysis = "rating"
    keeps_body = True

    def question(self, item, build: FormBuilder):
        scale = build.questionnaire.scales[item.scale]
        rows = []
        for row in build.questionnaire.rows(item.rows) or (None,):
            name = field_name(item.id, row.id) if row else item.id
            label = build.text(row.label) if row else build.text(item.prompt)
            build.scale_field(name, scale, label, item)
            key = answer_key(item.id, row.id if row else None)
            rows.append(
                Row(build.text(row.label) if row else None, [Entry(name, label, scale, key)])
            )
        return build.question(self, item, rows)

    def frame_rows(self, item, definition, label):
        scale = definition.scales[item.scale]
        return scale_rows(item, definition, label, scale.min, scale.max)

    def blocks(self, item, ctx):
        prompt, keys, label_of = ctx.text(item.prompt), ctx.keys(item), ctx.labels(item)
        rows_all = ctx.rows_of("ratings", keys, ["n"])
        shown = rows_all[rows_all["n"].notna()]
        hidden = [label_of[i] for i in rows_all.index if i not in shown.index]
        if shown.empty:
            return [Block(prompt, None, [], [], ctx.hidden_note(hidden) or ctx.too_few_note())]
        scale = ctx.definition.scales[item.scale]
        anchors = {v: ctx.text(a) for v, a in scale.anchors.items()}
        dist = pd.concat([ctx.distribution_of[key] for key in shown.index])
        # A single statement's bar needs no label: the heading above says it.
        dist = dist.assign(label=dist["item"].map(label_of) if item.rows else "")
        if scale.points > LONG_SCALE:
            figure = charts.histogram(dist, prompt, (scale.min, scale.max), anchors, _("People"))
        else:
            figure = charts.diverging(dist, prompt, (scale.min, scale.max), anchors)
        rows = [
            [
                label_of[i],
                fmt(r["mean"]),
                fmt(r["median"]),
                fmt(r["ad"]),
                _agreement(r),
                str(int(r["n"])),
            ]
            for i, r in zip(shown.index, records(shown, COLUMNS), strict=True)
        ]
        rows += [[label, *["—"] * 4, too_few(ctx.k)] for label in hidden]
        columns = [
            _("Statement"),
            _("Mean"),
            _("Median"),
            _("Disagreement (AD)"),
            _("Agreement"),
            _("Answers"),
        ]
        return [Block(prompt, chart_json(figure), columns, rows, ctx.hidden_note(hidden))]

    def readable(self, entry, choices, own, language, familiar):
        return readable_number(entry, own, language, familiar)

    def demo_answers(self, item, definition, rng, person, progress):
        sc = definition.scales[item.scale]
        middle = (sc.min + sc.max) / 2
        for row in definition.rows(item.rows) or (None,):
            if item.sensitive and rng.random() < 0.15:
                continue  # some skip sensitive questions
            key = answer_key(item.id, row.id if row else None)
            yield AnswerValue(key, "", clip(rng.gauss(middle + 0.5, 1), sc.min, sc.max))


def _agreement(row) -> str:
    if row["polarised"]:
        return _("split")
    return _("varied") if row["disagreement"] else _("close")
