"""Question kinds: one module per kind owns its form fields, how its answers enter the
analytics, its results, its line in the personal journal and its demo answers.

Adding a kind: its item model in ``questionnaire.schema`` (and in ``Item``), a module here with a
``Kind`` subclass registered below, its template in ``templates/kinds/``, and its words
translated. ``tests/kinds/test_registry.py`` checks that every kind of the schema is complete.
"""

from __future__ import annotations

from .allocation import Allocation
from .base import Kind
from .choice import Choice
from .paired import Paired
from .ranking import Ranking
from .rating import Rating
from .task_map import TaskMap
from .text import FreeText

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (Paired(), Rating(), TaskMap(), Allocation(), Ranking(), Choice(), FreeText())
}


def kind_of(item) -> Kind:
    """The kind that handles a questionnaire item."""
    return KINDS[item.kind]
