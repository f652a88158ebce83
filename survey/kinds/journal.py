"""A worker's own answers, in words, for their personal journal."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask_babel import format_decimal
from flask_babel import gettext as _

from ..questionnaire import Questionnaire
from . import kind_of
from .base import OwnAnswers
from .form import section_form


@dataclass
class Line:
    label: str | None
    values: list[tuple[str | None, str]] = field(default_factory=list)


@dataclass
class Block:
    prompt: str
    lines: list[Line]


@dataclass
class SectionAnswers:
    title: str
    blocks: list[Block]


def readable_answers(
    definition: Questionnaire,
    answers,
    language: str,
    familiar: bool,
    group: dict[tuple[str, str], float] | None = None,
    k: int = 0,
) -> list[SectionAnswers]:
    """Each answered question with the worker's answers, and the group's mean where published.

    ``group`` holds the published group means by (item, facet), NaN where fewer than ``k``
    answered (said in words); unanswered questions are left out.
    """
    own = OwnAnswers(list(answers))
    sections = []
    for section in definition.sections:
        form = section_form(definition, section, language, familiar, meta={"csrf": False})
        blocks = []
        for question in form.questions:
            kind = kind_of(question)
            lines = []
            for row in question.rows:
                line = Line(row.label)
                for entry in row.entries:
                    shown = kind.readable(
                        entry, choices_of(form[entry.name]), own, language, familiar
                    )
                    mean = (group or {}).get((entry.item, entry.facet), None)
                    if shown and mean is not None and entry.mode == "number":
                        shown = _(
                            "%(mine)s — group: %(mean)s",
                            mine=shown,
                            mean=_("fewer than %(k)s answers", k=k)
                            if math.isnan(mean)
                            else format_decimal(mean, format="0.0"),
                        )
                    if shown:
                        line.values.append((entry.label, shown))
                if line.values:
                    lines.append(line)
            if lines:
                blocks.append(Block(question.prompt, lines))
        if blocks:
            sections.append(SectionAnswers(section.title.get(language, familiar), blocks))
    return sections


def choices_of(field) -> dict[str, str]:
    """A field's options by value, in words (empty for fields without options)."""
    return {str(c.value): str(c.label) for c in getattr(field, "choices", None) or ()}
