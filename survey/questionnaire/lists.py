"""A group's own lists (activities, tasks...) as facilitators type them: one entry per line."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from .catalog import catalog
from .resolve import effective_lists
from .schema import Option, Questionnaire, Text

if TYPE_CHECKING:
    from ..models import Group

SEPARATOR = "|"
MAX_LABEL = 160


def to_text(options: tuple[Option, ...]) -> str:
    """One line per entry: "French label | English label"."""
    return "\n".join(
        o.label.fr if o.label.en == o.label.fr else f"{o.label.fr} {SEPARATOR} {o.label.en}"
        for o in options
    )


def parse(text: str, previous: tuple[Option, ...] = ()) -> tuple[tuple[Option, ...], list[str]]:
    """Entries typed one per line, keeping the id of any entry whose French label is unchanged.

    Stable ids keep sessions comparable: the same activity keeps its id across edits.
    Returns the options and what is wrong with the text, in plain words.
    """
    known = {o.label.fr.casefold(): o.id for o in previous}
    options: list[Option] = []
    problems: list = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count(SEPARATOR) > 1:
            problems.append(
                _l(
                    "Line %(number)s: put a single “|” between the French and the English label.",
                    number=number,
                )
            )
            continue
        french, _, english = (" ".join(part.split()) for part in line.partition(SEPARATOR))
        if not french and not english:
            continue
        if not french:
            problems.append(_l("Line %(number)s: the French label is missing.", number=number))
            continue
        if len(french) > MAX_LABEL or len(english) > MAX_LABEL:
            problems.append(
                _l(
                    "Line %(number)s: a label has at most %(max)s characters.",
                    number=number,
                    max=MAX_LABEL,
                )
            )
            continue
        if french.casefold() in {o.label.fr.casefold() for o in options}:
            continue
        taken = {o.id for o in options}
        option_id = known.get(french.casefold()) or _new_id(french, taken | set(known.values()))
        if option_id in taken:
            option_id = _new_id(french, taken | set(known.values()))
        options.append(Option(id=option_id, label=Text(fr=french, en=english or french)))
    return tuple(options), problems


def to_json(lists: dict[str, tuple[Option, ...]]) -> dict:
    return {
        name: [o.model_dump(mode="json", exclude_none=True) for o in options]
        for name, options in lists.items()
    }


def from_json(data: dict | None) -> dict[str, tuple[Option, ...]]:
    return {
        name: tuple(Option.model_validate(o) for o in options)
        for name, options in (data or {}).items()
    }


def _new_id(label: str, taken: set[str]) -> str:
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_label.lower()).strip("_")[:32] or "entry"
    if not base[0].isalpha():
        base = f"e_{base}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def group_lists(group: Group, questionnaire: Questionnaire) -> dict[str, tuple[Option, ...]]:
    """The lists this group's sessions would use: its own, else its variant's, else defaults."""
    variant = catalog().variant(questionnaire.slug, group.variant)
    return effective_lists(questionnaire, variant, from_json(group.own_lists))
