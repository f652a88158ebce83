"""Question kinds: one module per kind owns its form fields, how its answers enter the
analytics, its results, its line in the personal journal and its demo answers.

Every module of this package is imported here and each concrete ``Kind`` subclass it defines is
registered under its ``name``: adding a kind takes its item model in ``questionnaire.schema``
(in ``ITEM_MODELS``), its module here with its template in ``templates/kinds/``, and its words
translated. ``tests/kinds/test_registry.py`` checks that the schema and the registry agree.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil

from .base import Kind


@functools.cache
def registry() -> dict[str, Kind]:
    """Every kind, by name: found on first use, once the package's modules can all import."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    found: dict[str, Kind] = {}
    pending = list(Kind.__subclasses__())
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        if not inspect.isabstract(kind) and "name" in vars(kind):
            if kind.name in found:
                raise RuntimeError(f'two question kinds are called "{kind.name}"')
            found[kind.name] = kind()
    return found


def kind_of(item) -> Kind:
    """The kind that handles a questionnaire item (or a ``Question`` laid out from one)."""
    return registry()[item.kind]
