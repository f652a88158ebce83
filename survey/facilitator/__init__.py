"""Facilitator side: signing in, groups, co-facilitators, sessions and their questionnaires."""

from flask import Blueprint

from .forms import DOMAIN_LABELS, STATUS_LABELS

bp = Blueprint("facilitator", __name__)


@bp.context_processor
def labels() -> dict:
    return {"domain_labels": DOMAIN_LABELS, "status_labels": STATUS_LABELS}


# Routes register themselves on bp.
from . import (  # noqa: E402,F401
    account_views,
    cofacilitator_views,
    group_views,
    meeting_views,
    questionnaire_views,
)
