"""The task map: each task rated on several axes (tedious ↔ motivating, how demanding, mastery,
how automatic), drawn as a map and as the flow channel of demand against mastery."""

from __future__ import annotations

import pandas as pd
from flask_babel import gettext as _

from .. import task_charts
from ..analytics.metrics import FLOW_CHANNELS
from ..display import Block, cell, chart_json, count
from ..questionnaire.schema import TaskMapItem
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

AXES = ("valence", "challenge", "skill")


class TaskMap(Kind):
    name = "task_map"
    model = TaskMapItem
    analysis = "task_map"
    keeps_body = True

    def question(self, item, build: FormBuilder):
        rows = []
        for row in build.questionnaire.rows(item.rows):
            entries = []
            for axis in item.axes:
                name = field_name(item.id, row.id, axis.id)
                scale = build.questionnaire.scales[axis.scale]
                build.scale_field(name, scale, build.text(axis.label), item)
                key = answer_key(item.id, row.id)
                entries.append(Entry(name, build.text(axis.label), scale, key, axis.id))
            rows.append(Row(build.text(row.label), entries))
        return build.question(self, item, rows)

    def frame_rows(self, item, definition, label):
        scale = definition.scales[item.axes[1].scale]  # how demanding: what the agenda ranks
        return scale_rows(item, definition, label, scale.min, scale.max)

    def blocks(self, item, ctx):
        """The task map (tedious ↔ motivating, how demanding) and the flow channel (demand ×
        mastery). Tasks are numbered in the questionnaire's order, the same in both charts and
        tables; a task goes on a chart only where both of its axes are shown."""
        prompt, keys, label_of = ctx.text(item.prompt), ctx.keys(item), ctx.labels(item)
        columns = [f"{stat}_{axis}" for axis in AXES for stat in ("n", "mean")]
        tasks = ctx.rows_of("tasks", keys, [*columns, "n_flow", *FLOW_CHANNELS])
        if all(tasks[f"n_{axis}"].isna().all() for axis in AXES):
            return [Block(prompt, None, [], [], ctx.too_few_note())]
        order = {key: number for number, key in enumerate(keys, start=1)}
        tasks = tasks.assign(
            label=[label_of[i] for i in tasks.index], number=[order[i] for i in tasks.index]
        ).sort_values("number")
        named = [f"{r['number']}. {r['label']}" for r in tasks.to_dict("records")]
        return [_map_block(tasks, named, prompt, ctx.k), _flow_block(tasks, named, ctx.k)]

    def readable(self, entry, choices, own, language, familiar):
        return readable_number(entry, own, language, familiar)

    def demo_answers(self, item, definition, rng, person, progress):
        for row in definition.rows(item.rows):
            key = answer_key(item.id, row.id)
            hard = row.id == "explain_refusal"  # a task in overload
            yield AnswerValue(key, "valence", clip(rng.gauss(-2 if hard else 0.5, 1), -3, 3))
            yield AnswerValue(key, "challenge", clip(rng.gauss(6.5 if hard else 4, 0.6), 1, 7))
            yield AnswerValue(key, "skill", clip(rng.gauss(2.5 if hard else 5, 0.6), 1, 7))
            yield AnswerValue(key, "automatic", clip(rng.gauss(2 if hard else 5, 1), 1, 7))


def _map_block(tasks: pd.DataFrame, named: list[str], prompt: str, k: int) -> Block:
    chart, note = _placed_chart(
        tasks,
        ("mean_valence", "mean_challenge"),
        lambda placed: task_charts.task_map(
            placed,
            prompt,
            _("Tedious ↔ motivating"),
            _("How demanding"),
            [
                _("Demanding, tedious"),
                _("Demanding, motivating"),
                _("Easy, tedious"),
                _("Easy, motivating"),
            ],
        ),
        k,
    )
    return Block(
        prompt,
        chart,
        [_("Task"), _("Tedious ↔ motivating"), _("How demanding"), _("Mastery")],
        [
            [name, *(cell(r[f"mean_{axis}"], k) for axis in AXES)]
            for name, r in zip(named, tasks.to_dict("records"), strict=True)
        ],
        note,
    )


def _flow_block(tasks: pd.DataFrame, named: list[str], k: int) -> Block:
    title = _("Demand and mastery: the flow channel")
    channels = {
        "overload": _("Overload"),
        "routine": _("Routine"),
        "flow": _("Flow"),
        "apathy": _("Apathy"),
    }
    chart, note = _placed_chart(
        tasks,
        ("mean_skill", "mean_challenge"),
        lambda placed: task_charts.flow_channel(
            placed, title, _("Mastery"), _("How demanding"), channels
        ),
        k,
    )
    return Block(
        title,
        chart,
        [_("Task"), *channels.values(), _("None of these"), _("Answers")],
        [
            [name, *(count(r.get(c), k) for c in [*channels, "other", "n_flow"])]
            for name, r in zip(named, tasks.to_dict("records"), strict=True)
        ],
        note,
        caption=_(
            "Each number is a task, placed at the group's mean demand and mastery. The "
            "areas follow the rules applied to each answer: overload when the task demands "
            "at least 2 points more than one's mastery of it, routine when mastery exceeds "
            "the demand by at least 2 points, flow when both are within 1 point and at 5 or "
            "more, apathy when both are at 3 or less. The table counts the people in each."
        ),
    )


def _placed_chart(tasks: pd.DataFrame, axes: tuple[str, str], draw, k: int):
    """(the chart of the tasks whose two axes are shown, or None; a note naming the others)."""
    placed = tasks[tasks[axes[0]].notna() & tasks[axes[1]].notna()]
    unplaced = [
        f"{number}. {label}"
        for number, label, x, y in zip(
            tasks["number"], tasks["label"], tasks[axes[0]], tasks[axes[1]], strict=True
        )
        if pd.isna(x) or pd.isna(y)
    ]
    note = (
        _(
            "Not on the map, fewer than %(k)s answers on one of its two axes: %(labels)s.",
            k=k,
            labels="; ".join(unplaced),
        )
        if unplaced
        else None
    )
    return (chart_json(draw(placed)) if not placed.empty else None), note
