"""Languages: French first, English available, chosen by a visible switch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app, g, session
from flask_babel import format_decimal, get_locale
from flask_login import current_user

from .extensions import babel

if TYPE_CHECKING:
    from .models import Group

SESSION_KEY = "lang"


def select_locale() -> str:
    """The language the visitor chose, else the facilitator's own, else French."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def tu(plain: str, familiar: str) -> str:
    """A participant string, or its « tu » form (``pgettext("tu", ...)``) for a group that uses it.

    Views set ``g.familiar`` from the group; English has one form, so both are the same there.
    """
    return familiar if g.get("familiar") else plain


MINUS = "\u2212"


def signed(value: int) -> str:
    """A value of a scale around zero: « +2 », « 0 », « −2 » with a true minus sign (a hyphen is
    too short to read, and screen readers often skip it)."""
    return f"+{value}" if value > 0 else f"{MINUS}{-value}" if value < 0 else "0"


def for_group(group: Group) -> None:
    """The pages that follow belong to ``group``: its « tu » setting, and its anonymity threshold
    (the footer says it)."""
    g.familiar = group.familiar
    g.anonymity_threshold = group.anonymity_threshold


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["tu"] = tu
    app.jinja_env.filters["signed"] = signed
    # A figure typed by a facilitator (a target), in the UI language: « -4,5 », "-4.5".
    app.jinja_env.filters["number"] = format_decimal

    @app.context_processor
    def inject_language() -> dict:
        return {
            "current_language": str(get_locale()),
            "languages": app.config["LANGUAGES"],
        }
