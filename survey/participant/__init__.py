"""Participant side: join without an account, answer page by page, resume, submit once, journal."""

from flask import Blueprint

bp = Blueprint("participant", __name__)

# Routes register themselves on bp.
from . import answering, journal_views, views  # noqa: E402,F401
