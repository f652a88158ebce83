"""A session's published results, assembled for the pages: blocks, charts, agenda, texts.

Every figure comes from ``published.Published``, where the anonymity rules were applied to each
statistic; this module only lays them out, and says in words where fewer than k answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import analytics, charts, task_charts
from ..analytics.metrics import FLOW_CHANNELS
from ..models import Meeting
from ..questionnaire import Questionnaire
from . import queries
from .published import Published, published

#: Scales with more points are drawn as a histogram rather than diverging bars.
LONG_SCALE = 7


@dataclass
class Block:
    """One question's results: a chart (as JSON) and the same figures as a table."""

    title: str
    chart: str | None
    columns: list[str]
    rows: list[list[str]]
    note: str | None = None
    #: How to read the chart, under it.
    caption: str | None = None


@dataclass
class SectionResults:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class AgendaEntry:
    label: str
    section: str
    reasons: list[str]


@dataclass
class Breakdown:
    """Gaps per establishment for the statements that allow it; ``pooled`` when none does."""

    pooled: bool
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    #: Statements kept pooled although others are broken down.
    kept_pooled: int = 0


@dataclass
class Results:
    responses: int
    sections: list[SectionResults]
    agenda: list[AgendaEntry]
    flags: dict[str, list[str]]
    texts: list[tuple[str, list[str]]]
    breakdown: Breakdown | None = None


def fmt(value: float, digits: int = 1) -> str:
    """A figure in the UI language's format: 2,5 in French, 2.5 in English."""
    return _formatted(float(value), digits, str(get_locale()))


@lru_cache(maxsize=4096)
def _formatted(value: float, digits: int, locale: str) -> str:
    # Babel takes ~40 µs a call and a dashboard shows a few hundred figures, many repeated.
    return format_decimal(value, format="0." + "0" * digits if digits else "0", locale=locale)


def too_few(k: int) -> str:
    """What a cell says instead of a value resting on fewer than k answers."""
    return _("fewer than %(k)s answers", k=k)


def cell(value, k: int, digits: int = 1) -> str:
    """A shown value, or the words that replace one resting on fewer than k answers."""
    return too_few(k) if value is None or pd.isna(value) else fmt(value, digits)


def count(value, k: int) -> str:
    return too_few(k) if value is None or pd.isna(value) else str(int(value))


def build(meeting: Meeting, definition: Questionnaire, language: str) -> Results:
    """Everything the dashboard shows for the published responses of a closed session."""
    stats = published(meeting, definition)
    k = stats.k
    familiar = meeting.group.familiar
    items = queries.items_frame(definition, language, familiar)
    labels = items.set_index("item")["label"]
    section_of = items.set_index("item")["section"]
    section_titles = {s.id: s.title.get(language, familiar) for s in definition.sections}

    context = _Context(definition, items, stats, k, language, familiar)
    sections = []
    for section in definition.sections:
        result = SectionResults(section.id, section_titles[section.id])
        for item in section.items:
            result.blocks.extend(_blocks(item, context))
        sections.append(result)

    paired = stats.shown("paired")
    entries = analytics.agenda(
        paired, stats.shown("tasks", "n_flow"), _priorities_for_agenda(stats)
    )
    agenda = [
        AgendaEntry(
            labels.get(row["item"], row["item"]),
            section_titles.get(section_of.get(row["item"]), ""),
            _reasons(row, items, definition, language, familiar),
        )
        for _, row in entries.iterrows()
    ]
    flags = {
        flag: [labels[i] for i in paired.index[paired[flag].astype(bool)]] if len(paired) else []
        for flag in ("shared_gap", "contested")
    }
    texts = _texts(stats, definition, language, familiar)
    breakdown = _breakdown(meeting, stats, labels)
    return Results(stats.responses, sections, agenda, flags, texts, breakdown)


def _priorities_for_agenda(stats: Published) -> pd.DataFrame:
    """Objectives whose two compared viewpoints are both shown."""
    table = stats.priorities
    if table.empty or not {"mine", "expected"} <= set(table):
        return table.iloc[0:0] if not table.empty else table
    return table[table["mine"].notna() & table["expected"].notna()]


def group_means(meeting: Meeting, definition: Questionnaire) -> dict[tuple[str, str], float]:
    """Published group means by (item, facet), for a personal journal: NaN where fewer than k
    answered (the journal says so), absent where nobody did."""
    stats = published(meeting, definition)
    items = queries.items_frame(definition, "fr")
    means: dict[tuple[str, str], float] = {}
    facets = items.set_index("item")[["facet_a", "facet_b"]]
    for item, row in stats.paired.iterrows():
        means[(item, facets.loc[item, "facet_a"])] = row["mean_a"]
        means[(item, facets.loc[item, "facet_b"])] = row["mean_b"]
    for item, row in stats.ratings.iterrows():
        means[(item, "")] = row["mean"]
    for item, row in stats.tasks.iterrows():
        for column in row.index:
            if column.startswith("mean_"):
                means[(item, column.removeprefix("mean_"))] = row[column]
    for item, row in stats.priorities.iterrows():
        for viewpoint, value in row.items():
            if viewpoint != "n" and not str(viewpoint).startswith("n_"):
                means[(item, viewpoint)] = value
    return means


def _breakdown(meeting: Meeting, stats: Published, labels) -> Breakdown | None:
    """Mean gaps per establishment, for each statement whose cells allow it."""
    names = {e.id: e.name for e in meeting.group.establishments}
    if len(names) < 2:
        return None
    if not stats.breakdown:
        return Breakdown(pooled=True)
    cells = sorted(
        {cell for gaps in stats.breakdown.values() for cell in gaps},
        key=lambda c: (c is None, names.get(c, "")),
    )
    columns = [_("Statement"), *[names.get(c, _("Not stated")) for c in cells]]
    rows = [
        [labels[item], *[fmt(gaps[c]["mean_gap"]) if c in gaps else "—" for c in cells]]
        for item, gaps in stats.breakdown.items()
    ]
    kept = len(stats.shown("paired")) - len(rows)
    return Breakdown(False, columns, rows, kept)


def _paired_labels(definition: Questionnaire, question: str, language: str, familiar: bool):
    item = next(i for s in definition.sections for i in s.items if i.id == question)
    return [f.label.get(language, familiar) for f in item.facets]


def _reasons(row, items, definition, language, familiar) -> list[str]:
    reasons = []
    info = items.set_index("item").loc[row["item"]]
    if row["kind"] == "paired":
        facet_a, facet_b = _paired_labels(definition, info["question"], language, familiar)
        for code in row["reasons"]:
            if code == "shared_gap":
                reasons.append(
                    _(
                        "Shared gap: on average %(gap)s points between “%(a)s” and “%(b)s”, "
                        "and the group broadly agrees on it.",
                        gap=fmt(abs(row["mean_gap"])),
                        a=facet_a,
                        b=facet_b,
                    )
                )
            elif code == "contested":
                reasons.append(
                    _(
                        "Professional controversy: gaps of %(gap)s points on average, with answers "
                        "far apart (mean deviation %(ad)s).",
                        gap=fmt(row["mean_abs_gap"]),
                        ad=fmt(row["ad_gap"]),
                    )
                )
            elif code == "unclear_prescription":
                reasons.append(
                    _(
                        "Answers on “%(a)s” differ widely: what is expected may be unclear.",
                        a=facet_a,
                    )
                )
            else:
                reasons.append(
                    _("A gap of %(gap)s points on average.", gap=fmt(row["mean_abs_gap"]))
                )
    elif row["kind"] == "task":
        reasons.append(
            _(
                "%(count)s people out of %(n)s find this task more demanding than "
                "their mastery of it.",
                count=int(row["overload"]),
                n=int(row["n"]),
            )
        )
    elif row["kind"] == "priority":
        reasons.append(
            _(
                "In my view: %(mine)s points; perceived expectations: %(expected)s "
                "points (mean of 100).",
                mine=fmt(row["mine"], 0),
                expected=fmt(row["expected"], 0),
            )
        )
    return reasons


@dataclass
class _Context:
    """What every question's block needs: the settled statistics and the labels."""

    definition: Questionnaire
    items: object
    stats: Published
    k: int
    language: str
    familiar: bool
    keys_of: dict[str, list[str]] = field(init=False)
    label_of: dict[str, str] = field(init=False)
    distribution_of: dict[str, pd.DataFrame] = field(init=False)

    def __post_init__(self):
        distribution = self.stats.distribution
        self.distribution_of = (
            dict(tuple(distribution.groupby("item", sort=False))) if len(distribution) else {}
        )
        self.label_of = dict(zip(self.items["item"], self.items["label"], strict=True))
        self.keys_of = {}
        for question, key in zip(self.items["question"], self.items["item"], strict=True):
            self.keys_of.setdefault(question, []).append(key)

    def rows_of(self, frame: str, keys, columns=()) -> pd.DataFrame:
        """A row per answer key, shown or not: a key nobody answered reads like one fewer than
        k answered (NaN), so that a page never tells none from one or two."""
        table = getattr(self.stats, frame)
        table = table.reindex(list(keys)) if not table.empty else pd.DataFrame(index=list(keys))
        missing = [c for c in columns if c not in table]
        return table.assign(**dict.fromkeys(missing, float("nan"))) if missing else table

    def hidden_note(self, labels: list[str]) -> str | None:
        """Names the statements that fewer than k answered, rather than leaving them out."""
        if not labels:
            return None
        return _(
            "Fewer than %(k)s answers, not shown: %(labels)s.", k=self.k, labels="; ".join(labels)
        )


def _blocks(item, ctx: _Context) -> list[Block]:
    """One question's charts and tables, or a note when too few answered it."""
    build_block = BLOCKS.get(item.kind)
    if build_block is None:
        return []
    keys = ctx.keys_of.get(item.id, [])
    built = build_block(
        item,
        ctx,
        item.prompt.get(ctx.language, ctx.familiar),
        keys,
        {key: ctx.label_of[key] for key in keys},
        _("Fewer than %(k)s answers: not shown.", k=ctx.k),
    )
    return built if isinstance(built, list) else [built]


def _paired_block(item, ctx: _Context, prompt, keys, label_of, too_few_note) -> Block:
    rows_all = ctx.rows_of("paired", keys, ["n"])
    shown = rows_all[rows_all["n"].notna()]
    hidden = [label_of[i] for i in rows_all.index if i not in shown.index]
    if shown.empty:
        return Block(prompt, None, [], [], ctx.hidden_note(hidden) or too_few_note)
    shown = shown.assign(label=[label_of[i] for i in shown.index])
    facet_a, facet_b = (f.label.get(ctx.language, ctx.familiar) for f in item.facets)
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
            _flag_words(r),
            str(int(r["n"])),
        ]
        for r in _records(shown, PAIRED_COLUMNS)
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
    return Block(prompt, chart_json(figure), columns, rows, ctx.hidden_note(hidden))


def _rating_block(item, ctx: _Context, prompt, keys, label_of, too_few_note) -> Block:
    rows_all = ctx.rows_of("ratings", keys, ["n"])
    shown = rows_all[rows_all["n"].notna()]
    hidden = [label_of[i] for i in rows_all.index if i not in shown.index]
    if shown.empty:
        return Block(prompt, None, [], [], ctx.hidden_note(hidden) or too_few_note)
    scale = ctx.definition.scales[item.scale]
    anchors = {v: a.get(ctx.language, ctx.familiar) for v, a in scale.anchors.items()}
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
            _("split") if r["polarised"] else (_("varied") if r["disagreement"] else _("close")),
            str(int(r["n"])),
        ]
        for i, r in zip(shown.index, _records(shown, RATING_COLUMNS), strict=True)
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
    return Block(prompt, chart_json(figure), columns, rows, ctx.hidden_note(hidden))


def _task_map_block(item, ctx: _Context, prompt, keys, label_of, too_few_note) -> list[Block]:
    """The task map (tedious ↔ motivating, how demanding) and the flow channel (demand ×
    mastery). Tasks are numbered in the questionnaire's order, the same in both charts and
    tables; a task goes on a chart only where both of its axes are shown."""
    axes = ("valence", "challenge", "skill")
    columns = [f"{stat}_{axis}" for axis in axes for stat in ("n", "mean")]
    tasks = ctx.rows_of("tasks", keys, [*columns, "n_flow", *FLOW_CHANNELS])
    if all(tasks[f"n_{axis}"].isna().all() for axis in axes):
        return [Block(prompt, None, [], [], too_few_note)]
    order = {key: number for number, key in enumerate(keys, start=1)}
    tasks = tasks.assign(
        label=[label_of[i] for i in tasks.index], number=[order[i] for i in tasks.index]
    ).sort_values("number")
    named = [f"{r['number']}. {r['label']}" for r in tasks.to_dict("records")]
    task_map = _placed_chart(
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
        ctx.k,
    )
    map_block = Block(
        prompt,
        task_map[0],
        [_("Task"), _("Tedious ↔ motivating"), _("How demanding"), _("Mastery")],
        [
            [name, *(cell(r[f"mean_{axis}"], ctx.k) for axis in axes)]
            for name, r in zip(named, tasks.to_dict("records"), strict=True)
        ],
        task_map[1],
    )
    title = _("Demand and mastery: the flow channel")
    channels = {
        "overload": _("Overload"),
        "routine": _("Routine"),
        "flow": _("Flow"),
        "apathy": _("Apathy"),
    }
    flow = _placed_chart(
        tasks,
        ("mean_skill", "mean_challenge"),
        lambda placed: task_charts.flow_channel(
            placed, title, _("Mastery"), _("How demanding"), channels
        ),
        ctx.k,
    )
    flow_block = Block(
        title,
        flow[0],
        [_("Task"), *channels.values(), _("None of these"), _("Answers")],
        [
            [name, *(count(r.get(c), ctx.k) for c in [*channels, "other", "n_flow"])]
            for name, r in zip(named, tasks.to_dict("records"), strict=True)
        ],
        flow[1],
        caption=_(
            "Each number is a task, placed at the group's mean demand and mastery. The "
            "areas follow the rules applied to each answer: overload when the task demands "
            "at least 2 points more than one's mastery of it, routine when mastery exceeds "
            "the demand by at least 2 points, flow when both are within 1 point and at 5 or "
            "more, apathy when both are at 3 or less. The table counts the people in each."
        ),
    )
    return [map_block, flow_block]


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


def _allocation_block(item, ctx: _Context, prompt, keys, label_of, too_few_note) -> Block:
    series = {v.id: v.label.get(ctx.language, ctx.familiar) for v in item.viewpoints}
    table = ctx.rows_of("priorities", keys, list(series))
    if all(table[c].isna().all() for c in series):
        return Block(prompt, None, [], [], too_few_note)
    table = table.assign(label=[label_of[i] for i in table.index])
    figure = charts.grouped_bars(
        table, prompt, series, _("Mean points out of %(total)s", total=item.total)
    )
    rows = [[r["label"], *[cell(r[c], ctx.k, 0) for c in series]] for r in table.to_dict("records")]
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
    return Block(prompt, chart_json(figure), [_("Objective"), *series.values()], rows, note)


def _options_block(item, ctx: _Context, prompt, keys, label_of, too_few_note) -> Block:
    people = ctx.stats.option_people.get(item.id)
    if people is None or pd.isna(people):
        return Block(prompt, None, [], [], too_few_note)
    counts = ctx.stats.options.get(item.kind, pd.DataFrame(columns=["item", "option"]))
    counts = counts[counts["item"] == item.id]
    options = {
        o.id: o.label.get(ctx.language, ctx.familiar) for o in ctx.definition.rows(item.options)
    }
    counts = counts[counts["option"].isin(options)].assign(label=lambda c: c["option"].map(options))
    value = "points" if item.kind == "ranking" else "people"
    name = (
        _("Points (first choice = %(rank)s)", rank=getattr(item, "rank", 1))
        if (item.kind == "ranking")
        else _("People")
    )
    figure = charts.grouped_bars(counts, prompt, {value: name}, name)
    rows = [[r["label"], str(int(r[value]))] for r in counts.to_dict("records")]
    return Block(
        prompt,
        chart_json(figure),
        [_("Option"), name],
        rows,
        _("%(n)s people answered.", n=int(people)),
    )


BLOCKS = {
    "paired": _paired_block,
    "rating": _rating_block,
    "task_map": _task_map_block,
    "allocation": _allocation_block,
    "choice": _options_block,
    "ranking": _options_block,
}


PAIRED_COLUMNS = [
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
RATING_COLUMNS = ["mean", "median", "ad", "polarised", "disagreement", "n"]


def _records(frame, columns) -> list[dict]:
    """The rows of a few columns of a metrics frame, as dicts (``to_dict`` costs ten times more)."""
    values = [frame[column].tolist() for column in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def chart_json(figure) -> str:
    """The figure as JSON that is safe inside a <script type="application/json"> element."""
    return (
        charts.to_json(figure)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def _flag_words(row) -> str:
    words = []
    if row["shared_gap"]:
        words.append(_("shared gap"))
    if row["contested"]:
        words.append(_("contested"))
    if row["unclear_prescription"]:
        words.append(_("unclear expectations"))
    return ", ".join(words) or "—"


def _texts(stats: Published, definition, language, familiar):
    """Free texts, and the "other" answers of choice questions, under the k + 2 rule."""
    shown = []
    for section in definition.sections:
        for item in section.items:
            prompt = item.prompt.get(language, familiar)
            if item.kind == "text":
                key, title = (item.id, ""), prompt
            elif item.kind == "choice" and item.other:
                key, title = (item.id, "other"), f"{prompt} — {_('Other (please specify)')}"
            else:
                continue
            texts = stats.texts.get(key)
            if texts:
                shown.append((title, texts))
    return shown
