"""Dashboard: the group's results for a closed session, projection mode and the room page."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from . import outcome_views, report_views, views  # noqa: E402,F401  (routes register themselves on bp)
