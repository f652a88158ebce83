"""The radio inputs of a scale, rendered once and reused.

A page of questions holds up to 172 radio inputs, and they are the same for every respondent
except which one is checked: rendering them took a third of the page's time. The template
renders a field's inputs once, with a slot where « checked » may go; later pages fill the slots
from the field's answer. The key holds everything the inputs depend on (the scale, the field's
name and id, whether it shows an error, the language and « tu »), so the HTML is byte for byte
the one the template would write (tests/kinds/test_scale_inputs.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

#: Where the template writes the slot of each input's « checked ». NUL never reaches a page: the
#: security guard refuses it in requests and questionnaire texts cannot hold it.
SLOT = Markup("\x00")
CHECKED = Markup(" checked")
#: Fields kept (a field per language, « tu » and error state): far more than any deployment's
#: questionnaires need; the oldest go first.
CACHE_SIZE = 8192


@dataclass(frozen=True)
class Inputs:
    #: Held so that the scale's id in the key cannot name another object while this is kept.
    scale: object
    parts: tuple[Markup, ...]
    values: tuple[str, ...]

    def filled(self, answer) -> Markup:
        """The inputs with the answer's one checked (none if unanswered)."""
        out = [self.parts[0]]
        for value, part in zip(self.values, self.parts[1:], strict=True):
            if answer == value:
                out.append(CHECKED)
            out.append(part)
        return Markup("").join(out)


class ScaleInputs:
    """The template's cache: ``get`` before rendering, ``keep`` what it rendered."""

    SLOT = SLOT

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._kept: dict[tuple, Inputs] = {}

    @staticmethod
    def _key(field, scale, language: str, familiar: bool) -> tuple:
        return (id(scale), field.name, field.id, bool(field.errors), language, bool(familiar))

    def get(self, field, scale, language: str, familiar: bool) -> Inputs | None:
        found = self._kept.get(self._key(field, scale, language, familiar))
        return found if found is not None and found.scale is scale else None

    def keep(self, field, scale, language: str, familiar: bool, rendered: str) -> Inputs:
        parts = tuple(Markup(part) for part in str(rendered).split(SLOT))
        values = tuple(str(choice.value) for choice in field.choices)
        if len(parts) != len(values) + 1:
            raise ValueError("each input of a scale needs exactly one slot")
        inputs = Inputs(scale, parts, values)
        if len(self._kept) >= self.size:
            self._kept.pop(next(iter(self._kept)))
        self._kept[self._key(field, scale, language, familiar)] = inputs
        return inputs


def init_app(app) -> None:
    app.jinja_env.globals["scale_inputs"] = ScaleInputs()
