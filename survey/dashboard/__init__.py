"""Dashboard: the group's results for a closed session, projection mode and the room page."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from . import (  # noqa: E402,F401  (routes register themselves on bp)
    export_views,
    outcome_views,
    report_views,
    views,
)
