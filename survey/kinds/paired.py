"""Paired statements: the same work seen two ways (prescribed and actual, ideal and feasible),
each on the same scale; the gap between the two is what the group discusses."""

from __future__ import annotations

from flask_babel import gettext as _

from .. import charts
from ..display import Block, chart_json, fmt, records, too_few
from ..questionnaire.schema import PairedItem
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

COLUMNS = [
    "label",
    "mean_a",
    "mean_b",
    "mean_gap",
    "mean_abs_gap",
    "ad_gap",
    "n",
    "shared_gap",
    "contested",
    "unclear_prescription",
]


class Paired(Kind):
    name = "paired"
    model = PairedItem
    analysis = "paired"
    keeps_body = True

    def question(self, item, build: FormBuilder):
        scale = build.questionnaire.scales[item.scale]
        rows = []
        for row in build.questionnaire.rows(item.rows) or (None,):
            entries = []
            key = answer_key(item.id, row.id if row else None)
            for facet in item.facets:
                name = field_name(item.id, *([row.id] if row else []), facet.id)
                build.scale_field(name, scale, build.text(facet.label), item)
                entries.append(Entry(name, build.text(facet.label), scale, key, facet.id))
            rows.append(Row(build.text(row.label) if row else None, entries))
        return build.question(self, item, rows)

    def frame_rows(self, item, definition, label):
        scale = definition.scales[item.scale]
        facets = {"facet_a": item.facets[0].id, "facet_b": item.facets[1].id}
        return scale_rows(item, definition, label, scale.min, scale.max, **facets)

    def blocks(self, item, ctx):
        prompt, keys, label_of = ctx.text(item.prompt), ctx.keys(item), ctx.labels(item)
        rows_all = ctx.rows_of("paired", keys, ["n"])
        shown = rows_all[rows_all["n"].notna()]
        hidden = [label_of[i] for i in rows_all.index if i not in shown.index]
        if shown.empty:
            return [Block(prompt, None, [], [], ctx.hidden_note(hidden) or ctx.too_few_note())]
        shown = shown.assign(label=[label_of[i] for i in shown.index])
        facet_a, facet_b = (ctx.text(f.label) for f in item.facets)
        scale = ctx.definition.scales[item.scale]
        figure = charts.dumbbell(shown, prompt, facet_a, facet_b, (scale.min, scale.max))
        rows = [
            [
                r["label"],
                fmt(r["mean_a"]),
                fmt(r["mean_b"]),
                fmt(r["mean_gap"]),
                fmt(r["mean_abs_gap"]),
                fmt(r["ad_gap"]),
                flag_words(r),
                str(int(r["n"])),
            ]
            for r in records(shown, COLUMNS)
        ]
        rows += [[label, *["—"] * 6, too_few(ctx.k)] for label in hidden]
        columns = [
            _("Statement"),
            facet_a,
            facet_b,
            _("Mean gap"),
            _("Mean size of gap"),
            _("Disagreement (AD)"),
            _("Reading"),
            _("Answers"),
        ]
        row_items = [*shown.index, *(i for i in rows_all.index if i not in shown.index)]
        return [
            Block(
                prompt,
                chart_json(figure),
                columns,
                rows,
                ctx.hidden_note(hidden),
                row_items=[str(i) for i in row_items],
            )
        ]

    def readable(self, entry, choices, own, language, familiar):
        return readable_number(entry, own, language, familiar)

    def demo_answers(self, item, definition, rng, person, progress):
        for row in definition.rows(item.rows):
            a, b = 6.0, 6.0
            if row.id == "online_procedures":  # a shared gap, closing over the sessions
                a, b = 2.5, 8.5 - 2 * progress
            elif row.id == "calm_visitor":  # a controversy: the group splits in two
                a, b = 6.5, (1.5 if person % 2 else 9.5)
            elif row.id == "short_wait":  # wanted, hardly feasible, a little less so each time
                a, b = 9.0, 3.0 + 1.5 * progress
            elif item.facets[0].id == "ideal":
                a, b = 8.5, 7.0
            key = answer_key(item.id, row.id)
            yield AnswerValue(key, item.facets[0].id, clip(rng.gauss(a, 0.7), 0, 10))
            yield AnswerValue(key, item.facets[1].id, clip(rng.gauss(b, 0.7), 0, 10))


def flag_words(row) -> str:
    """What the agenda rules found in a statement, in words."""
    words = []
    if row["shared_gap"]:
        words.append(_("shared gap"))
    if row["contested"]:
        words.append(_("contested"))
    if row["unclear_prescription"]:
        words.append(_("unclear expectations"))
    return ", ".join(words) or "—"
