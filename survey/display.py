"""How figures read on a page: numbers in the UI's language, the words that replace a value
resting on fewer than k answers, and blocks that pair a chart with the same figures as a table.

Shared by the results builders and the question kinds; it knows nothing of where figures come from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from babel.numbers import format_decimal, format_percent
from flask_babel import get_locale
from flask_babel import gettext as _

from . import charts


@dataclass
class Block:
    """One question's results: a chart (as JSON) and the same figures as a table."""

    title: str
    chart: str | None
    columns: list[str]
    rows: list[list[str]]
    note: str | None = None
    #: How to read the chart, under it.
    caption: str | None = None
    #: The statement id of each row, where a row is one statement (« Noter » links to it).
    row_items: list[str] | None = None


def fmt(value: float, digits: int = 1) -> str:
    """A figure in the UI language's format: 2,5 in French, 2.5 in English."""
    return _formatted(float(value), digits, str(get_locale()))


def formatter() -> Callable[[float, int], str]:
    """``fmt`` bound to the current UI language, for pages that format thousands of figures
    (finding the language costs more than a cached figure)."""
    locale = str(get_locale())
    return lambda value, digits=1: _formatted(float(value), digits, locale)


@lru_cache(maxsize=4096)
def _formatted(value: float, digits: int, locale: str) -> str:
    # Babel takes ~40 µs a call and a dashboard shows a few hundred figures, many repeated.
    return format_decimal(value, format="0." + "0" * digits if digits else "0", locale=locale)


def percent_of(value: float) -> str:
    """A whole percent (``value`` already in percent) in the UI language: 45 % in French."""
    return _percent(float(value), str(get_locale()))


@lru_cache(maxsize=512)
def _percent(value: float, locale: str) -> str:
    return format_percent(value / 100, locale=locale)


def too_few(k: int) -> str:
    """What a cell says instead of a value resting on fewer than k answers."""
    return _("fewer than %(k)s answers", k=k)


def cell(value, k: int, digits: int = 1) -> str:
    """A shown value, or the words that replace one resting on fewer than k answers."""
    return too_few(k) if value is None or pd.isna(value) else fmt(value, digits)


def count(value, k: int) -> str:
    """A shown count of people, or the words that replace it."""
    return too_few(k) if value is None or pd.isna(value) else str(int(value))


def records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
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
