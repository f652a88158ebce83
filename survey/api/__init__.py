"""The read-only JSON API (/api/v1/): a facilitator's groups, sessions, shown results, trends and
outcomes, with an API token (docs/api.md). Its figures are the pages' own (``results``)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import auth, views  # noqa: E402, F401  (routes and hooks register on import)
