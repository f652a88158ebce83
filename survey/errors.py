"""Error pages in the visitor's language; a 500 rolls the database session back."""

import math
import time

from flask import Flask, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext, npgettext, pgettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .database import is_timeout, write_intent
from .extensions import db, limiter
from .i18n import for_group, tu
from .models import Meeting
from .services import participation

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Access denied"), _l("You are not allowed to do this.")),
    404: (_l("Page not found"), _l("This page does not exist, or you do not have access to it.")),
    405: (_l("Method not allowed"), _l("This address cannot be used this way.")),
    413: (_l("Too much data"), _l("What you sent is too large.")),
    429: (_l("Too many attempts"), _l("Please wait before trying again.")),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error occurred. Nothing was saved; please try again."),
    ),
    503: (
        _l("Server busy"),
        _l("The server is busy. Nothing was saved; please try again in a few seconds."),
    ),
}
#: Seconds a browser or script is told to wait after a 503.
RETRY_AFTER = 5

#: Where the JSON API lives: its errors are JSON, whatever raised them (routing included).
API_PREFIX = "/api/"
#: The API's error codes and messages: English, stable, for programs rather than people.
API_ERRORS = {
    400: ("bad_request", "The request could not be understood."),
    401: ("unauthorized", "A valid API token is needed: Authorization: Bearer <token>."),
    403: ("forbidden", "This is not allowed."),
    404: ("not_found", "No such resource, or it is not yours."),
    405: ("method_not_allowed", "The API is read-only: use GET."),
    409: ("conflict", "The resource is not in a state that allows this."),
    429: ("rate_limited", "Too many requests: wait before trying again."),
    500: ("server_error", "An unexpected error occurred."),
    503: ("busy", "The server is busy: try again in a few seconds."),
}


def json_error(status: int, code: str | None = None, message: str | None = None, headers=None):
    """The API's error body, the same shape for every status: {"error": {"code", "message"}}."""
    default_code, default_message = API_ERRORS.get(
        status, API_ERRORS[500 if status >= 500 else 400]
    )
    response = jsonify(error={"code": code or default_code, "message": message or default_message})
    response.status_code = status
    response.headers.extend(headers or {})
    return response


def _in_api() -> bool:
    return request.path.startswith(API_PREFIX)


def _familiar(status: int) -> str | None:
    """The « tu » form of a message that addresses the visitor, for a group that uses « tu »."""
    return {
        403: pgettext("tu", "You are not allowed to do this."),
        404: pgettext("tu", "This page does not exist, or you do not have access to it."),
        413: pgettext("tu", "What you sent is too large."),
        429: pgettext("tu", "Please wait before trying again."),
        500: pgettext("tu", "An unexpected error occurred. Nothing was saved; please try again."),
        503: pgettext(
            "tu", "The server is busy. Nothing was saved; please try again in a few seconds."
        ),
    }.get(status)


def render_error(status: int, detail: str | None = None):
    status = status if status in MESSAGES else 400 if status < 500 else 500
    title, message = MESSAGES[status]
    message = tu(message, _familiar(status) or message)
    page = render_template(
        "errors/error.html", status=status, title=title, message=detail or message
    )
    return page, status


def wait_message(seconds: float) -> str:
    """How long to wait, in words: minutes up to the best part of an hour, then hours."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 50:
        return tu(
            ngettext(
                "Please wait a minute before trying again.",
                "Please wait %(num)d minutes before trying again.",
                minutes,
            ),
            npgettext(
                "tu",
                "Please wait a minute before trying again.",
                "Please wait %(num)d minutes before trying again.",
                minutes,
            ),
        )
    hours = max(1, round(seconds / 3600))
    return tu(
        ngettext(
            "Please wait about an hour before trying again.",
            "Please wait about %(num)d hours before trying again.",
            hours,
        ),
        npgettext(
            "tu",
            "Please wait about an hour before trying again.",
            "Please wait about %(num)d hours before trying again.",
            hours,
        ),
    )


def _group_from_address() -> None:
    """A refusal met before a participant view ran (an expired form): the group of the session
    or card in the address still chooses « tu » and the footer's threshold."""
    if "familiar" in g or request.blueprint != "participant" or not request.view_args:
        return
    token, card = request.view_args.get("token"), request.view_args.get("card_token")
    meeting = participation.meeting_by_token(token) if token else None
    if card and (invitation := participation.invitation_by_token(card)) is not None:
        meeting = db.session.get(Meeting, invitation.meeting_id)
    if meeting is not None:
        for_group(meeting.group)


def _rate_limit_detail() -> str | None:
    """The wait of the limit that was hit: until its window frees a place (its Retry-After)."""
    hit = limiter.current_limit
    if hit is None or not hit.breached:
        return None
    reset_at, _remaining = hit.window  # exact; ``reset_at`` rounds up to the next second
    return wait_message(max(0, reset_at - time.time()))


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        _group_from_address()
        return render_error(
            400,
            tu(
                _l("This form has expired or was not sent from this site. Please try again."),
                pgettext(
                    "tu", "This form has expired or was not sent from this site. Please try again."
                ),
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if _in_api():
            kept = error.get_headers()  # Allow (405), Retry-After (429)
            headers = {k: v for k, v in kept if k in ("Allow", "Retry-After", "WWW-Authenticate")}
            return json_error(error.code or 500, headers=headers)
        _group_from_address()
        if error.code == 429:
            return render_error(429, _rate_limit_detail())
        return render_error(error.code or 500)

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        """A lock or statement timeout: the app's own page, at once, and a retry later works."""
        if not is_timeout(error):
            raise error
        db.session.rollback()
        write_intent.set(False)  # the page reads (who is signed in) without waiting to write
        app.logger.warning("database timeout: %s", error.orig)
        if _in_api():
            return json_error(503, headers={"Retry-After": str(RETRY_AFTER)})
        page, status = render_error(503)
        return page, status, {"Retry-After": str(RETRY_AFTER)}

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return json_error(500) if _in_api() else render_error(500)
