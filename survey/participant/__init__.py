"""Participant side: join without an account, answer page by page, resume, submit once, journal."""

from flask import Blueprint

bp = Blueprint("participant", __name__)

from . import views  # noqa: E402,F401  (routes register themselves on bp)
