"""What every question kind provides, and the pieces they share.

A kind is one class (``Kind``) in its own module: it builds its form fields, says how its
answers enter the analytics' items frame, lays out its results, shows a worker's own answer in
the journal, and invents demo answers. ``survey.kinds`` registers one instance per kind of the
questionnaire schema; ``tests/kinds`` fails when a kind lacks any of these.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import pandas as pd
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired, Optional

from ..display import Block
from ..i18n import signed
from ..questionnaire.schema import ItemBase, Questionnaire, Scale, Text

if TYPE_CHECKING:
    from ..results.published import Published

SEPARATOR = "__"


def field_name(*parts: str) -> str:
    return SEPARATOR.join(parts)


def answer_key(item_id: str, row_id: str | None) -> str:
    """Where a row's answers are stored: ``activities.welcome``; the item id alone without rows."""
    return f"{item_id}.{row_id}" if row_id else item_id


@dataclass(frozen=True)
class AnswerValue:
    """One stored value: a number on a facet, or a text."""

    item: str
    facet: str
    value: float | None = None
    text: str | None = None


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
    """How a template lays out one item's fields; ``template`` is its kind's."""

    kind: str
    template: str
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


@dataclass
class FormBuilder:
    """What a kind needs to add its fields to a section's form class, in one language."""

    questionnaire: Questionnaire
    language: str
    familiar: bool
    fields: dict = field(default_factory=dict)

    def text(self, value: Text | None) -> str | None:
        return value.get(self.language, self.familiar) if value is not None else None

    def required(self, item: ItemBase) -> list:
        """Nobody is forced to answer a skippable item."""
        if item.skippable:
            return [Optional()]
        return [InputRequired(_l("This question needs an answer."))]

    def scale_field(self, name: str, scale: Scale, label: str | None, item: ItemBase) -> None:
        choices = [SelectChoice(str(v), str(v)) for v in range(scale.min, scale.max + 1)]
        self.fields[name] = RadioField(label, choices=choices, validators=self.required(item))

    def question(self, kind: Kind, item: ItemBase, rows: list[Row], total=None) -> Question:
        return Question(
            kind=kind.name,
            template=kind.template,
            id=item.id,
            prompt=self.text(item.prompt),
            help=self.text(item.help),
            sensitive=item.sensitive,
            skippable=item.skippable,
            rows=rows,
            total=total,
        )


@dataclass
class ResultsContext:
    """What every question's results need: the settled statistics and the labels."""

    definition: Questionnaire
    items: pd.DataFrame
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

    def text(self, value: Text) -> str:
        return value.get(self.language, self.familiar)

    def keys(self, item: ItemBase) -> list[str]:
        """The answer keys of an item, in the questionnaire's order."""
        return self.keys_of.get(item.id, [])

    def labels(self, item: ItemBase) -> dict[str, str]:
        return {key: self.label_of[key] for key in self.keys(item)}

    def too_few_note(self) -> str:
        return _("Fewer than %(k)s answers: not shown.", k=self.k)

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


@dataclass
class OwnAnswers:
    """A worker's own answers, for the journal: by (item, facet), and all of them."""

    answers: list
    by_key: dict = field(init=False)

    def __post_init__(self):
        self.by_key = {(a.item_id, a.facet): a for a in self.answers}

    def of_item(self, item: str) -> list:
        return [a for a in self.answers if a.item_id == item]


class Kind(ABC):
    """One kind of question. Subclasses set the class attributes and implement each method."""

    #: The ``kind`` of the questionnaire file.
    name: ClassVar[str]
    #: Its item model in ``questionnaire.schema``.
    model: ClassVar[type[ItemBase]]
    #: The analytics that read its answers: the ``kind`` column of the items frame
    #: (``analytics.ITEM_COLUMNS``); a new kind may reuse an existing one.
    analysis: ClassVar[str]
    #: Its fields show on a page as scales only, so that the answers change nothing but which
    #: inputs are checked: the whole question is rendered once and kept (``kinds.kept_html``).
    keeps_body: ClassVar[bool] = False

    @property
    def template(self) -> str:
        """The template, in ``templates/kinds/``, that lays out its fields on a page."""
        return f"kinds/{self.name}.html"

    @abstractmethod
    def question(self, item, build: FormBuilder) -> Question:
        """Add the item's fields to ``build.fields`` and say how to lay them out."""

    def check(self, form, question: Question) -> bool:
        """Rules across the item's fields, once each field is valid (appends to
        ``question.errors``)."""
        return True

    @abstractmethod
    def frame_rows(self, item, definition: Questionnaire, label) -> list[dict]:
        """The item's rows of the items frame: one per answer key, with its label and scale."""

    @abstractmethod
    def blocks(self, item, ctx: ResultsContext) -> list[Block]:
        """The item's charts and tables, from the settled statistics only."""

    def texts(self, item, prompt: str) -> list[tuple[tuple[str, str], str]]:
        """The free texts the item collects: ((item, facet), title) each."""
        return []

    @abstractmethod
    def readable(
        self, entry: Entry, choices: dict[str, str], own: OwnAnswers, language: str, familiar: bool
    ) -> str | None:
        """A worker's own answer to one field, in words, for the journal (None: unanswered)."""

    @abstractmethod
    def demo_answers(
        self, item, definition: Questionnaire, rng: random.Random, person: int, progress: float
    ) -> Iterator[AnswerValue]:
        """Synthetic answers for the demo; ``progress`` (0 to 1) moves them over the sessions."""


def scale_rows(item, definition: Questionnaire, label, low: int, high: int, **extra) -> list[dict]:
    """Items frame rows for an item whose answers run from ``low`` to ``high``: one per row,
    or the item alone when it has no rows."""
    return [
        {
            "question": item.id,
            "item": answer_key(item.id, row.id if row else None),
            "label": label(row.label) if row else label(item.prompt),
            "scale_min": low,
            "scale_max": high,
            **extra,
        }
        for row in definition.rows(item.rows) or (None,)
    ]


def readable_number(entry: Entry, own: OwnAnswers, language: str, familiar: bool) -> str | None:
    """A number answer, with its anchor's words where the scale has some at that point."""
    answer = own.by_key.get((entry.item, entry.facet))
    if answer is None or answer.value is None:
        return None
    value = int(answer.value) if float(answer.value).is_integer() else answer.value
    anchor = entry.scale.anchors.get(value) if entry.scale else None
    number = signed(value) if entry.scale and entry.scale.min < 0 else str(value)
    return f"{number} ({anchor.get(language, familiar)})" if anchor else number


def clip(value: float, low: int, high: int) -> float:
    """A drawn value as a point of the scale (demo answers)."""
    return float(min(max(round(value), low), high))
