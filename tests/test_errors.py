"""Error pages: translated, with the right status, and a 500 that rolls the session back."""

import pytest
from sqlalchemy import select
from support import text

from survey.extensions import db
from survey.models import Facilitator


def test_not_found_page_is_french_and_404(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert "Retour à l'accueil" in text(response)


def test_method_not_allowed(client):
    response = client.delete("/")
    assert response.status_code == 405
    assert "Méthode non autorisée" in response.text


def test_too_large_requests_are_refused(client):
    response = client.post("/login", data={"email": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413


@pytest.fixture
def failing_app(make_app, database_url):
    """An app in production mode with a route that writes, then fails."""
    app = make_app(database_url, TESTING=False)

    @app.get("/boom")
    def boom():
        facilitator = Facilitator(email="half@example.org", password_hash="x")
        db.session.add(facilitator)
        db.session.flush()
        raise RuntimeError("unexpected")

    return app


def test_server_error_page_rolls_back_the_session(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Un problème est survenu" in response.text
    assert "Rien n'a été enregistré" in text(response)
    with failing_app.app_context():
        assert db.session.scalar(select(Facilitator)) is None
