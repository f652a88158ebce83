"""A session's published results, assembled for the pages: metrics, suppression, charts, agenda.

Every number that reaches a page, a chart payload or a table goes through ``analytics.suppress``
with the group's k here, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import analytics, charts
from ..models import Meeting
from ..questionnaire import Questionnaire
from . import queries

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
    """Gaps per establishment, or ``pooled`` when a cell or its complement is below k."""

    pooled: bool
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


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


def build(meeting: Meeting, definition: Questionnaire, language: str) -> Results:
    """Everything the dashboard shows for the published responses of a closed session."""
    k = meeting.group.anonymity_threshold
    familiar = meeting.group.familiar
    items = queries.items_frame(definition, language, familiar)
    answers = queries.answers_frame(meeting)
    published, _pending = queries.response_counts(meeting)
    labels = items.set_index("item")["label"]
    section_of = items.set_index("item")["section"]
    section_titles = {s.id: s.title.get(language, familiar) for s in definition.sections}

    paired = analytics.suppress(analytics.paired_metrics(answers, items), k)
    ratings = analytics.suppress(analytics.rating_metrics(answers, items), k)
    tasks = analytics.suppress(analytics.task_map_metrics(answers, items), k, "n_challenge")
    priorities = analytics.suppress(analytics.allocation_metrics(answers, items), k)
    distribution = analytics.scale_distribution(answers, items)
    distribution = distribution[distribution["item"].isin(ratings.index)]

    context = _Context(
        definition,
        items,
        answers,
        paired,
        ratings,
        tasks,
        priorities,
        distribution,
        k,
        language,
        familiar,
    )
    sections = []
    for section in definition.sections:
        result = SectionResults(section.id, section_titles[section.id])
        for item in section.items:
            block = _block(item, context)
            if block is not None:
                result.blocks.append(block)
        sections.append(result)

    entries = analytics.agenda(paired, tasks, priorities)
    agenda = [
        AgendaEntry(
            labels.get(row["item"], row["item"]),
            section_titles.get(section_of.get(row["item"]), ""),
            _reasons(row, items, definition, language, familiar),
        )
        for _, row in entries.iterrows()
    ]
    flags = {
        "shared_gap": [labels[i] for i in paired.index[paired["shared_gap"]]]
        if len(paired)
        else [],
        "contested": [labels[i] for i in paired.index[paired["contested"]]] if len(paired) else [],
    }
    texts = _texts(meeting, definition, k, published, language, familiar)
    breakdown = _breakdown(meeting, answers, items, paired, labels, k)
    return Results(published, sections, agenda, flags, texts, breakdown)


def group_means(meeting: Meeting, definition: Questionnaire) -> dict[tuple[str, str], float]:
    """Published group means by (item, facet), for the values that may be shown (n ≥ k)."""
    k = meeting.group.anonymity_threshold
    items = queries.items_frame(definition, "fr")
    answers = queries.answers_frame(meeting)
    means: dict[tuple[str, str], float] = {}
    paired = analytics.suppress(analytics.paired_metrics(answers, items), k)
    facets = items.set_index("item")[["facet_a", "facet_b"]]
    for item, row in paired.iterrows():
        means[(item, facets.loc[item, "facet_a"])] = row["mean_a"]
        means[(item, facets.loc[item, "facet_b"])] = row["mean_b"]
    for item, row in analytics.suppress(analytics.rating_metrics(answers, items), k).iterrows():
        means[(item, "")] = row["mean"]
    tasks = analytics.suppress(analytics.task_map_metrics(answers, items), k, "n_challenge")
    for item, row in tasks.iterrows():
        for column in row.index:
            if column.startswith("mean_"):
                means[(item, column.removeprefix("mean_"))] = row[column]
    priorities = analytics.suppress(analytics.allocation_metrics(answers, items), k)
    for item, row in priorities.iterrows():
        for viewpoint, value in row.drop("n").items():
            means[(item, viewpoint)] = value
    return means


def _breakdown(meeting, answers, items, paired, labels, k) -> Breakdown | None:
    """Mean gaps per establishment, only if no establishment (nor the rest) has fewer than k."""
    names = {e.id: e.name for e in meeting.group.establishments}
    if len(names) < 2:
        return None
    where = queries.establishments(meeting).map(names).fillna(_("Not stated"))
    if not analytics.breakdown_allowed(where.value_counts().to_dict(), k) or paired.empty:
        return Breakdown(pooled=True)
    cells = sorted(set(where))
    gaps = {}
    for cell in cells:
        subset = answers[answers["response"].map(where) == cell]
        metrics = analytics.suppress(analytics.paired_metrics(subset, items), k)
        gaps[cell] = metrics["mean_gap"] if not metrics.empty else {}
    rows = [
        [labels[item], *[fmt(gaps[c][item]) if item in gaps[c] else "—" for c in cells]]
        for item in paired.index
    ]
    return Breakdown(False, [_("Statement"), *cells], rows)


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
    """What every question's block needs: the metrics, already suppressed below k."""

    definition: Questionnaire
    items: object
    answers: object
    paired: object
    ratings: object
    tasks: object
    priorities: object
    distribution: object
    k: int
    language: str
    familiar: bool
    keys_of: dict[str, list[str]] = field(init=False)
    label_of: dict[str, str] = field(init=False)
    option_counts: dict[str, object] = field(init=False, default_factory=dict)
    distribution_of: dict[str, pd.DataFrame] = field(init=False)

    def __post_init__(self):
        self.distribution_of = dict(tuple(self.distribution.groupby("item", sort=False)))
        self.label_of = dict(zip(self.items["item"], self.items["label"], strict=True))
        self.keys_of = {}
        for question, key in zip(self.items["question"], self.items["item"], strict=True):
            self.keys_of.setdefault(question, []).append(key)

    def counts_of(self, kind: str):
        """Options chosen or ranked, for every question of a kind (computed once per build)."""
        if kind not in self.option_counts:
            self.option_counts[kind] = analytics.option_counts(self.answers, self.items, kind)
        return self.option_counts[kind]


def _block(item, ctx: _Context) -> Block | None:
    """One question's chart and table, or a note when too few answered it."""
    build_block = BLOCKS.get(item.kind)
    if build_block is None:
        return None
    keys = ctx.keys_of.get(item.id, [])
    return build_block(
        item,
        ctx,
        item.prompt.get(ctx.language, ctx.familiar),
        keys,
        {key: ctx.label_of[key] for key in keys},
        _("Fewer than %(k)s answers: not shown.", k=ctx.k),
    )


def _paired_block(item, ctx: _Context, prompt, keys, label_of, too_few) -> Block:
    shown = ctx.paired[ctx.paired.index.isin(keys)]
    if shown.empty:
        return Block(prompt, None, [], [], too_few)
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
    return Block(prompt, chart_json(figure), columns, rows)


def _rating_block(item, ctx: _Context, prompt, keys, label_of, too_few) -> Block:
    shown = ctx.ratings[ctx.ratings.index.isin(keys)]
    if shown.empty:
        return Block(prompt, None, [], [], too_few)
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
    columns = [
        _("Statement"),
        _("Mean"),
        _("Median"),
        _("Disagreement (AD)"),
        _("Agreement"),
        _("Answers"),
    ]
    return Block(prompt, chart_json(figure), columns, rows)


def _task_map_block(item, ctx: _Context, prompt, keys, label_of, too_few) -> Block:
    shown = ctx.tasks[ctx.tasks.index.isin(keys)] if not ctx.tasks.empty else ctx.tasks
    if shown.empty:
        return Block(prompt, None, [], [], too_few)
    shown = shown.assign(label=[label_of[i] for i in shown.index], n=shown["n_challenge"])
    figure = charts.task_map(
        shown,
        prompt,
        _("Tedious ↔ motivating"),
        _("How demanding"),
        [
            _("Demanding, tedious"),
            _("Demanding, motivating"),
            _("Easy, tedious"),
            _("Easy, motivating"),
        ],
    )
    rows = [
        [
            r["label"],
            fmt(r["mean_valence"]),
            fmt(r["mean_challenge"]),
            fmt(r["mean_skill"]),
            str(int(r["overload"])),
            str(int(r["flow"])),
            str(int(r["routine"])),
        ]
        for r in shown.to_dict("records")
    ]
    columns = [
        _("Task"),
        _("Tedious ↔ motivating"),
        _("How demanding"),
        _("Mastery"),
        _("Overload"),
        _("Flow"),
        _("Routine"),
    ]
    return Block(prompt, chart_json(figure), columns, rows)


def _allocation_block(item, ctx: _Context, prompt, keys, label_of, too_few) -> Block:
    shown = (
        ctx.priorities[ctx.priorities.index.isin(keys)]
        if not ctx.priorities.empty
        else ctx.priorities
    )
    if shown.empty:
        return Block(prompt, None, [], [], too_few)
    series = {
        v.id: v.label.get(ctx.language, ctx.familiar)
        for v in item.viewpoints
        if v.id in shown.columns
    }
    table = shown.assign(label=[label_of[i] for i in shown.index])
    figure = charts.grouped_bars(
        table, prompt, series, _("Mean points out of %(total)s", total=item.total)
    )
    rows = [[r["label"], *[fmt(r[c], 0) for c in series]] for r in table.to_dict("records")]
    return Block(prompt, chart_json(figure), [_("Objective"), *series.values()], rows)


def _options_block(item, ctx: _Context, prompt, keys, label_of, too_few) -> Block:
    people = ctx.answers[ctx.answers["item"] == item.id]["response"].nunique()
    if people < ctx.k:
        return Block(prompt, None, [], [], too_few)
    counts = ctx.counts_of(item.kind)
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
        _("%(n)s people answered.", n=people),
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


def _texts(meeting, definition, k, published, language, familiar):
    """Free texts, and the "other" answers of choice questions, under the k + 2 rule."""
    found = queries.texts(meeting)
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
            texts = analytics.texts_to_show(
                found.get(key, []), published, k, seed=f"{meeting.id}:{item.id}"
            )
            if texts:
                shown.append((title, texts))
    return shown
