"""Join and resume tokens never reach the request logs."""

import logging

from survey.logs import RedactTokens, redact


def test_tokens_in_paths_are_redacted():
    line = '127.0.0.1 - - "GET /r/LzzZFlTfzijIkvtZjZKqnLLijpT_82Gi HTTP/1.1" 302 -'
    assert redact(line) == '127.0.0.1 - - "GET /r/[token] HTTP/1.1" 302 -'
    assert redact("POST /j/1e5cVxJ27gAWO5V-nTP0z1LUqQ9mDplf/3") == "POST /j/[token]/3"
    assert redact("GET /groups/12") == "GET /groups/12"


def test_the_filter_covers_werkzeug_and_gunicorn_records(make_app):
    make_app("sqlite://")
    assert any(isinstance(f, RedactTokens) for f in logging.getLogger("werkzeug").filters)
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(r)s", None, None)
    record.args = {"r": "GET /j/1e5cVxJ27gAWO5V-nTP0z1LUqQ9mDplf HTTP/1.1"}
    RedactTokens().filter(record)
    assert record.getMessage() == "GET /j/[token] HTTP/1.1"
