"""A worker's own answers, in words, for their personal journal."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask_babel import format_decimal
from flask_babel import gettext as _

from ..i18n import signed
from ..questionnaire import Questionnaire
from .forms import section_form


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
    by_key = {(a.item_id, a.facet): a for a in answers}
    sections = []
    for section in definition.sections:
        form = section_form(definition, section, language, familiar, meta={"csrf": False})
        blocks = []
        for question in form.questions:
            lines = []
            for row in question.rows:
                line = Line(row.label)
                for entry in row.entries:
                    shown = _shown(entry, form[entry.name], by_key, answers, language, familiar)
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


def _shown(entry, field, by_key, answers, language, familiar) -> str | None:
    labels = {str(c.value): str(c.label) for c in getattr(field, "choices", None) or ()}
    if entry.mode == "number":
        answer = by_key.get((entry.item, entry.facet))
        if answer is None or answer.value is None:
            return None
        value = int(answer.value) if float(answer.value).is_integer() else answer.value
        anchor = entry.scale.anchors.get(value) if entry.scale else None
        number = signed(value) if entry.scale and entry.scale.min < 0 else str(value)
        return f"{number} ({anchor.get(language, familiar)})" if anchor else number
    if entry.mode == "rank":
        rank = float(entry.facet)
        chosen = [a.facet for a in answers if a.item_id == entry.item and a.value == rank]
        return labels.get(chosen[0], chosen[0]) if chosen else None
    if entry.mode == "options":
        chosen = [labels[a.facet] for a in answers if a.item_id == entry.item and a.facet in labels]
        return ", ".join(chosen) or None
    answer = by_key.get((entry.item, entry.facet))
    return answer.text if answer is not None else None
