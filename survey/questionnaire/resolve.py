"""From a questionnaire file to the exact questions a session is answered with."""

from __future__ import annotations

import hashlib
import json

from .schema import CORE_MODULE, ListRef, Option, Questionnaire, Variant


def content_hash(questionnaire: Questionnaire) -> str:
    """SHA-256 of the canonical JSON of a definition: equal content, equal hash."""
    canonical = json.dumps(
        questionnaire.model_dump(mode="json"),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def effective_lists(
    questionnaire: Questionnaire,
    variant: Variant | None = None,
    own: dict[str, tuple[Option, ...]] | None = None,
) -> dict[str, tuple[Option, ...]]:
    """Each named list as a group sees it: the group's own, else its variant's, else the default."""
    lists = {name: spec.default for name, spec in questionnaire.lists.items()}
    if variant is not None:
        lists.update({k: v for k, v in variant.lists.items() if k in lists})
    if own:
        lists.update({k: v for k, v in own.items() if k in lists})
    return lists


def resolve(
    questionnaire: Questionnaire,
    lists: dict[str, tuple[Option, ...]],
    modules: list[str] | tuple[str, ...] = (),
) -> Questionnaire:
    """The questionnaire with only the chosen modules and every named list written out.

    The result is self-contained: it is what a session stores as its snapshot and what
    participants, previews and analytics read, whatever happens to the files later.
    """
    chosen = {CORE_MODULE, *modules}
    sections = []
    for section in questionnaire.sections:
        if section.module not in chosen:
            continue
        items = tuple(_written_out(item, lists) for item in section.items)
        sections.append(section.model_copy(update={"items": items}))
    return questionnaire.model_copy(update={"sections": tuple(sections)})


def _written_out(item, lists):
    update = {}
    for field in ("rows", "options"):
        rows = getattr(item, field, None)
        if isinstance(rows, ListRef):
            update[field] = tuple(lists[rows.list])
    return item.model_copy(update=update) if update else item


def minutes(questionnaire: Questionnaire, modules: list[str] | tuple[str, ...] = ()) -> int:
    """Estimated time to answer the core and the chosen modules."""
    return sum(questionnaire.minutes.get(m, 0) for m in {CORE_MODULE, *modules})
