"""The questionnaire file format (DESIGN.md §4), as frozen, typed Pydantic models.

A file has scales, named lists (activities, tasks...) that domain variants and groups may replace,
optional modules, and sections of items. Every label is bilingual. Validation collects every problem
at once; ``loader`` turns them into "file: path: reason" lines.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Label = Annotated[str, Field(min_length=1, max_length=600)]

MAX_SCALE_POINTS = 11
CORE_MODULE = "core"


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Frozen):
    """A label in French and English; ``fr_tu`` is the French with *tu*, for instructions."""

    fr: Label
    en: Label
    fr_tu: Label | None = None

    def get(self, language: str, familiar: bool = False) -> str:
        if language == "en":
            return self.en
        return _FRENCH_SPACES.sub("\u00a0\\1", self.fr_tu if familiar and self.fr_tu else self.fr)


# French sets a space before : ; ? ! and inside quotes; a non-breaking one keeps them on the line.
_FRENCH_SPACES = re.compile(r" ([:;?!»])")


class Scale(Frozen):
    """Whole points from ``min`` to ``max``; the ends (at least) carry words."""

    min: int
    max: int
    anchors: dict[int, Text]

    @model_validator(mode="after")
    def _check(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"max ({self.max}) must be greater than min ({self.min})")
        if self.points > MAX_SCALE_POINTS:
            raise ValueError(f"has {self.points} points; at most {MAX_SCALE_POINTS} are allowed")
        outside = sorted(v for v in self.anchors if not self.min <= v <= self.max)
        if outside:
            raise ValueError(f"anchor {outside[0]} is outside the scale {self.min}…{self.max}")
        if self.min not in self.anchors or self.max not in self.anchors:
            raise ValueError(f"needs anchors for both ends ({self.min} and {self.max})")
        return self

    @property
    def points(self) -> int:
        return self.max - self.min + 1


class Option(Frozen):
    id: Id
    label: Text


class ListSpec(Frozen):
    """A named list that variants and groups may replace, within these bounds."""

    title: Text
    min: int = Field(default=1, ge=1)
    max: int = Field(default=12, ge=1, le=30)
    default: tuple[Option, ...]

    @model_validator(mode="after")
    def _check(self) -> ListSpec:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) must not be below min ({self.min})")
        if not self.min <= len(self.default) <= self.max:
            raise ValueError(
                f"default has {len(self.default)} entries; between {self.min} and {self.max} needed"
            )
        _unique([o.id for o in self.default], "default")
        return self


class ListRef(Frozen):
    """Rows taken from one of the questionnaire's named lists."""

    list: Id


def _rows_kind(value) -> str:
    return "named_list" if isinstance(value, dict | ListRef) else "explicit_rows"


#: Rows are either written out, or ``{list: name}`` to use a named list.
Rows = Annotated[
    Annotated[tuple[Option, ...], Tag("explicit_rows")] | Annotated[ListRef, Tag("named_list")],
    Discriminator(_rows_kind),
]
ROWS_TAGS = ("explicit_rows", "named_list")


class Facet(Frozen):
    id: Id
    label: Text


class Axis(Frozen):
    id: Id
    label: Text
    scale: Id


class ItemBase(Frozen):
    id: Id
    prompt: Text
    help: Text | None = None
    #: A worker may leave the item blank (the default: nobody is forced to answer).
    skippable: bool = True
    #: Touches on emotions, health or relations: shown as optional, never required.
    sensitive: bool = False

    @model_validator(mode="after")
    def _sensitive_is_skippable(self):
        if self.sensitive and not self.skippable:
            raise ValueError("a sensitive item must be skippable")
        return self


class PairedItem(ItemBase):
    """One statement (or one per row), answered on two facets of the same scale."""

    kind: Literal["paired"]
    scale: Id
    facets: tuple[Facet, Facet]
    rows: Rows | None = None

    @model_validator(mode="after")
    def _distinct_facets(self) -> PairedItem:
        if self.facets[0].id == self.facets[1].id:
            raise ValueError(f'both facets are called "{self.facets[0].id}"')
        return self


class TaskMapItem(ItemBase):
    """Each task rated on several axes: valence, challenge and skill at least."""

    kind: Literal["task_map"]
    rows: Rows
    axes: tuple[Axis, ...] = Field(min_length=3)

    @model_validator(mode="after")
    def _axes(self) -> TaskMapItem:
        ids = [axis.id for axis in self.axes]
        _unique(ids, "axes")
        missing = [name for name in ("valence", "challenge", "skill") if name not in ids]
        if missing:
            raise ValueError(f"axes must include {', '.join(missing)}")
        return self


class AllocationItem(ItemBase):
    """Share ``total`` points among rows, once per viewpoint."""

    kind: Literal["allocation"]
    rows: Rows
    viewpoints: tuple[Facet, ...] = Field(min_length=1, max_length=4)
    total: int = Field(default=100, ge=10, le=1000)

    @model_validator(mode="after")
    def _viewpoints(self) -> AllocationItem:
        _unique([v.id for v in self.viewpoints], "viewpoints")
        return self


class RatingItem(ItemBase):
    """One scale, for one statement or for each row of a battery."""

    kind: Literal["rating"]
    scale: Id
    rows: Rows | None = None


class RankingItem(ItemBase):
    kind: Literal["ranking"]
    options: Rows
    #: How many options to put in order (the top N).
    rank: int = Field(ge=1, le=10)


class ChoiceItem(ItemBase):
    kind: Literal["choice"]
    options: Rows
    multiple: bool = False
    #: Offer an "other" option with a short free text.
    other: bool = False


class TextItem(ItemBase):
    kind: Literal["text"]
    max_length: int = Field(ge=20, le=3000)


#: Every kind of item a file may use. A kind registered here needs its module in
#: ``survey.kinds`` (forms, results, journal, demo): ``tests/kinds`` checks both agree.
ITEM_MODELS = (
    PairedItem,
    TaskMapItem,
    AllocationItem,
    RatingItem,
    RankingItem,
    ChoiceItem,
    TextItem,
)
ITEM_KINDS = tuple(model.model_fields["kind"].annotation.__args__[0] for model in ITEM_MODELS)

Item = Annotated[Union[ITEM_MODELS], Discriminator("kind")]  # noqa: UP007 (a tuple of models)


class Module(Frozen):
    id: Id
    title: Text
    description: Text


class Section(Frozen):
    id: Id
    title: Text
    intro: Text | None = None
    #: ``core`` sections are asked every session (for trends); others belong to an optional module.
    module: Id = CORE_MODULE
    items: tuple[Item, ...] = Field(min_length=1)


class Questionnaire(Frozen):
    slug: Id
    version: Annotated[str, Field(pattern=r"^\d+(\.\d+){0,2}$")]
    title: Text
    description: Text
    #: Time a worker needs for the core and for each module, in minutes.
    minutes: dict[Id, int]
    scales: dict[Id, Scale] = Field(min_length=1)
    lists: dict[Id, ListSpec] = Field(default_factory=dict)
    modules: tuple[Module, ...] = ()
    sections: tuple[Section, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Questionnaire:
        problems: list[str] = []
        _unique([s.id for s in self.sections], "sections", problems)
        _unique([m.id for m in self.modules], "modules", problems)
        item_ids = [item.id for section in self.sections for item in section.items]
        _unique(item_ids, "items", problems)
        module_ids = {m.id for m in self.modules} | {CORE_MODULE}
        for i, section in enumerate(self.sections):
            where = f"sections[{i}]"
            if section.module not in module_ids:
                problems.append(
                    f'{where}.module: unknown module "{section.module}"; '
                    f"known: {', '.join(sorted(module_ids))}"
                )
            for j, item in enumerate(section.items):
                problems.extend(self._item_problems(item, f"{where}.items[{j}]"))
        for module in sorted(module_ids - set(self.minutes)):
            problems.append(f'minutes: give the minutes needed for "{module}"')
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _item_problems(self, item, where: str) -> list[str]:
        problems = []
        scales = [("scale", item.scale)] if hasattr(item, "scale") else []
        scales += [(f"axes[{k}].scale", a.scale) for k, a in enumerate(getattr(item, "axes", ()))]
        for path, name in scales:
            if name not in self.scales:
                known = ", ".join(sorted(self.scales))
                problems.append(f'{where}.{path}: unknown scale "{name}"; known: {known}')
        for field in ("rows", "options"):
            rows = getattr(item, field, None)
            if isinstance(rows, ListRef) and rows.list not in self.lists:
                known = ", ".join(sorted(self.lists)) or "none"
                problems.append(f'{where}.{field}.list: unknown list "{rows.list}"; known: {known}')
            elif isinstance(rows, tuple):
                duplicates = _duplicates([o.id for o in rows])
                if duplicates:
                    problems.append(f'{where}.{field}: the id "{duplicates[0]}" is used twice')
        ranks_too_many = (
            isinstance(item, RankingItem)
            and isinstance(item.options, tuple)
            and item.rank > len(item.options)
        )
        if ranks_too_many:
            problems.append(
                f"{where}.rank: asks to rank {item.rank} of only {len(item.options)} options"
            )
        return problems

    def rows(self, rows: Rows | None, lists: dict[str, tuple[Option, ...]] | None = None):
        """The concrete rows of an item: its own, or a named list (the group's if given)."""
        if rows is None:
            return ()
        if isinstance(rows, ListRef):
            if lists and rows.list in lists:
                return lists[rows.list]
            return self.lists[rows.list].default
        return rows


class Variant(Frozen):
    """A domain variant: replacement lists for one questionnaire."""

    variant: Id
    questionnaire: Id
    domain: Literal["management", "public_reception", "other"]
    title: Text
    lists: dict[Id, tuple[Option, ...]]


def _duplicates(values: list[str]) -> list[str]:
    seen, repeated = set(), []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    return repeated


def _unique(values: list[str], where: str, problems: list[str] | None = None) -> None:
    duplicates = _duplicates(values)
    if not duplicates:
        return
    message = f'{where}: the id "{duplicates[0]}" is used twice'
    if problems is None:
        raise ValueError(message)
    problems.append(message)
