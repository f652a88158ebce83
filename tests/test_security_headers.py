"""Security headers on every page, and no inline script anywhere in the templates."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "survey" / "templates"


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_pages_carry_a_strict_policy_and_the_usual_headers(client):
    response = client.get("/")
    policy = csp(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_when_served_over_https(make_app, database_url):
    client = make_app(database_url, HTTPS=True).test_client()
    response = client.get("/", base_url="https://praxis.example")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_error_pages_carry_the_policy_too(client):
    assert "default-src 'self'" in client.get("/nowhere").headers["Content-Security-Policy"]


def test_no_template_holds_an_inline_script_or_style():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")
    for template in TEMPLATES.rglob("*.html"):
        source = template.read_text()
        assert not inline_script.search(source), template
        assert not re.search(r"\bon[a-z]+=\"", source), template  # no onclick= and the like
        assert "style=" not in source, template
