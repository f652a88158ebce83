"""Languages: French first, English available, chosen by a visible switch."""

from flask import Flask, current_app, session
from flask_babel import get_locale
from flask_login import current_user

from .extensions import babel

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


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def inject_language() -> dict:
        return {
            "current_language": str(get_locale()),
            "languages": app.config["LANGUAGES"],
        }
