"""Keep join, resume, invitation-card and password-reset tokens, and API tokens, out of the
logs."""

import logging
import re

from flask import Flask

#: /j/<join token>, /r/<resume token>, /i/<card token>, /reset/<password-reset token>,
#: /invitations/link/<co-facilitator invitation token>: every route that carries a token.
TOKEN_IN_PATH = re.compile(r"(/(?:j|r|i|reset|invitations/link)/)[A-Za-z0-9_.-]{16,}")
#: An API token (``services.api_tokens``): it belongs in the Authorization header, but one sent
#: in a query string, or as a Basic user (gunicorn's access log writes it), must not stay there.
API_TOKEN = re.compile(r"(praxis_)[A-Za-z0-9_-]{16,}")
#: Request logs write paths; gunicorn's error log ("Error handling request <path>") and Flask's
#: own logger ("Exception on <path>", added in ``init_app``) write them on errors.
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    return API_TOKEN.sub(r"\1[token]", TOKEN_IN_PATH.sub(r"\1[token]", text))


def _redacted(value):
    return redact(value) if isinstance(value, str) else value


class RedactTokens(logging.Filter):
    """Replace tokens in logged paths, whatever the request logger formats."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redacted(value) for value in record.args)
        return True


def init_app(app: Flask) -> None:
    for logger in [*map(logging.getLogger, REQUEST_LOGGERS), app.logger]:
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
