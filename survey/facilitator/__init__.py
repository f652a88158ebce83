"""Facilitator side: login, groups, co-facilitators and sessions."""

from flask import Blueprint

bp = Blueprint("facilitator", __name__)

from . import questionnaire_views, views  # noqa: E402,F401  (routes register themselves on bp)
