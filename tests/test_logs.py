"""Join, resume and invitation-card tokens never reach the logs."""

import logging
import secrets

from flask import url_for

from survey.logs import RedactTokens, redact


def test_tokens_in_paths_are_redacted():
    line = '127.0.0.1 - - "GET /r/LzzZFlTfzijIkvtZjZKqnLLijpT_82Gi HTTP/1.1" 302 -'
    assert redact(line) == '127.0.0.1 - - "GET /r/[token] HTTP/1.1" 302 -'
    assert redact("POST /j/1e5cVxJ27gAWO5V-nTP0z1LUqQ9mDplf/3") == "POST /j/[token]/3"
    assert redact("GET /i/dGhpcyBpcyBhIGNhcmQgdG9r HTTP/1.1") == "GET /i/[token] HTTP/1.1"
    assert redact("GET /groups/12") == "GET /groups/12"


def test_the_filter_covers_werkzeug_and_gunicorn_records(make_app):
    make_app("sqlite://")
    assert any(isinstance(f, RedactTokens) for f in logging.getLogger("werkzeug").filters)
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(r)s", None, None)
    record.args = {"r": "GET /j/1e5cVxJ27gAWO5V-nTP0z1LUqQ9mDplf HTTP/1.1"}
    RedactTokens().filter(record)
    assert record.getMessage() == "GET /j/[token] HTTP/1.1"


def test_every_route_that_carries_a_token_is_redacted(make_app):
    app = make_app("sqlite://")
    token = secrets.token_urlsafe(16)  # the shortest: an invitation card's
    carried = {}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if any("token" in name for name in rule.arguments):
                values = {name: token if "token" in name else 2 for name in rule.arguments}
                carried[rule.endpoint] = url_for(rule.endpoint, **values, _external=True)
    assert set(carried) >= {
        "participant.welcome",
        "participant.answer",
        "participant.invitation",
        "participant.resume",
    }
    for endpoint, url in carried.items():
        # As a request line, and as the Referer gunicorn's access log writes by default.
        line = f'"GET {url.removeprefix("http://localhost")} HTTP/1.1" 200 - "{url}"'
        assert token not in redact(line), endpoint


def test_flask_and_gunicorn_error_logs_are_redacted_too(make_app, caplog):
    app = make_app("sqlite://")
    card = secrets.token_urlsafe(16)
    with caplog.at_level(logging.ERROR):
        app.logger.error(f"Exception on /i/{card} [POST]")  # as Flask.log_exception writes it
        logging.getLogger("gunicorn.error").error("Error handling request %s", f"/i/{card}")
    assert len(caplog.records) == 2
    assert card not in caplog.text


def test_api_tokens_are_redacted_wherever_a_log_line_holds_one(make_app):
    make_app("sqlite://")
    secret = "praxis_" + secrets.token_urlsafe(32)
    # Sent by mistake in a query string, or as a Basic user (``curl -u``): gunicorn's default
    # access log writes the request line and the Basic user (%(u)s); a format may add headers.
    line = f'127.0.0.1 - {secret} "GET /api/v1/groups?token={secret} HTTP/1.1" 401 -'
    assert secret not in redact(line)
    assert "praxis_[token]" in redact(line)
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, "%(u)s %(r)s %({authorization}i)s", None, None
    )
    record.args = {
        "u": secret,
        "r": f"GET /api/v1/groups?access_token={secret} HTTP/1.1",
        "{authorization}i": f"Bearer {secret}",
    }
    RedactTokens().filter(record)
    assert secret not in record.getMessage()
