"""French by default, English on request, and a French catalogue with nothing missing."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from support import login, post, text

from survey.extensions import db
from survey.models import Facilitator

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "survey" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"


def test_pages_are_in_french_by_default(client):
    page = client.get("/").text
    assert '<html lang="fr">' in page
    assert "Comprendre ensemble le travail réel" in page


def test_the_language_switch_changes_and_remembers_the_language(client):
    response = post(client, "/language", {"language": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login").text
    assert '<html lang="en">' in page and "Facilitator sign-in" in page
    assert "Make sense of real work, together" in client.get("/").text
    post(client, "/language", {"language": "fr"})
    assert "Comprendre ensemble" in client.get("/").text


def test_unknown_languages_and_foreign_redirects_are_ignored(client):
    response = post(client, "/language", {"language": "de", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert '<html lang="fr">' in client.get("/").text


@pytest.mark.parametrize("target", ["/\r\nx", "/login\nSet-Cookie: x=1", "/\tx", "/\x7fx"])
def test_a_next_with_control_characters_goes_home(client, target):
    response = post(client, "/language", {"language": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_language_switch_is_a_post_with_csrf(client):
    assert client.get("/language").status_code == 405
    assert client.post("/language", data={"language": "en"}).status_code == 400


def test_a_facilitator_keeps_their_language_across_sign_ins(app, client, facilitator):
    login(client, facilitator)
    post(client, "/language", {"language": "en"})
    with app.app_context():
        assert db.session.get(Facilitator, facilitator.id).locale == "en"
    post(client, "/logout")
    fresh = app.test_client()
    login(fresh, facilitator)
    assert "My groups" in fresh.get("/groups").text


def test_the_language_chosen_before_sign_in_is_kept(app, client, facilitator):
    post(client, "/language", {"language": "en"})
    login(client, facilitator)
    assert "My groups" in client.get("/groups").text


def test_english_error_messages(client, facilitator):
    post(client, "/language", {"language": "en"})
    response = login(client, facilitator, password="wrong password")
    assert "Incorrect email address or password." in text(response)


def test_french_catalogue_covers_every_message(tmp_path):
    """Every string marked for translation in code and templates has a French translation."""
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(template),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with CATALOG.open("rb") as f:
        catalog = read_po(f, locale="fr")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    assert sorted(wanted - translated) == []
