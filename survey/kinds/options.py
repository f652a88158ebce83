"""What the two kinds that offer options (choice and ranking) share: their results block."""

from __future__ import annotations

import pandas as pd
from flask_babel import gettext as _

from .. import charts
from ..display import Block, chart_json
from .base import ResultsContext


def options_block(item, ctx: ResultsContext, value: str, name: str) -> Block:
    """Counts per option (``value``: the column to show, ``name``: what it counts), once the
    question's own n may be shown."""
    prompt = ctx.text(item.prompt)
    people = ctx.stats.option_people.get(item.id)
    if people is None or pd.isna(people):
        return Block(prompt, None, [], [], ctx.too_few_note())
    counts = ctx.stats.options.get(item.kind, pd.DataFrame(columns=["item", "option"]))
    counts = counts[counts["item"] == item.id]
    options = {o.id: ctx.text(o.label) for o in ctx.definition.rows(item.options)}
    counts = counts[counts["option"].isin(options)].assign(label=lambda c: c["option"].map(options))
    figure = charts.grouped_bars(counts, prompt, {value: name}, name)
    rows = [[r["label"], str(int(r[value]))] for r in counts.to_dict("records")]
    return Block(
        prompt,
        chart_json(figure),
        [_("Option"), name],
        rows,
        _("%(n)s people answered.", n=int(people)),
    )
