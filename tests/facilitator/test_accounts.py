"""A facilitator's own account without the shell: name, password, and a forgotten password."""

import re

from support import PASSWORD, login, post, text

from survey.extensions import db
from survey.logs import redact
from survey.models import Facilitator
from survey.services import accounts

NEW_PASSWORD = "une phrase assez longue 7"


def reload(app, facilitator) -> Facilitator:
    with app.app_context():
        found = db.session.get(Facilitator, facilitator.id)
        db.session.expunge(found)
        return found


def test_a_facilitator_changes_their_display_name(app, client, facilitator, signed_in):
    page = client.get("/account")
    assert page.status_code == 200 and "Mon compte" in text(page)
    response = post(client, "/account/name", {"display_name": "  Alex <b>Martin</b> "})
    assert response.status_code == 302
    assert reload(app, facilitator).display_name == "Alex <b>Martin</b>"
    assert "Alex &lt;b&gt;Martin&lt;/b&gt;" in client.get("/account").get_data(as_text=True)


def test_a_new_password_needs_the_current_one_and_ends_other_sessions(
    app, client, facilitator, signed_in
):
    other = app.test_client()
    login(other, facilitator)
    assert other.get("/groups").status_code == 200

    wrong = post(
        client,
        "/account/password",
        {"current": "pas le bon", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 400 and "n'est pas votre mot de passe actuel" in text(wrong)

    changed = post(
        client,
        "/account/password",
        {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert client.get("/groups").status_code == 200  # this browser goes on
    assert other.get("/groups").status_code == 302  # the other one is signed out
    fresh = app.test_client()
    assert login(fresh, facilitator, password=PASSWORD).status_code == 200  # refused
    assert login(fresh, facilitator, password=NEW_PASSWORD).status_code == 302


def test_a_new_password_obeys_the_rules(app, client, facilitator, signed_in):
    for password, words in [
        ("court", "au moins 10 caractères"),
        ("motdepasse2024", "plus courants"),
        (facilitator.email, "adresse électronique"),
        ("          ", "Choisissez un mot de passe"),
    ]:
        response = post(
            client,
            "/account/password",
            {"current": PASSWORD, "password": password, "confirm": password},
        )
        assert response.status_code == 400 and words in text(response), password
    differ = post(
        client,
        "/account/password",
        {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"},
    )
    assert differ.status_code == 400 and "diffèrent" in text(differ)
    assert reload(app, facilitator).check_password(PASSWORD)


def test_a_reset_page_is_not_kept_by_the_browser(app, client, facilitator):
    with app.app_context():
        token = accounts.reset_token(db.session.get(Facilitator, facilitator.id))
    assert client.get(f"/reset/{token}").headers["Cache-Control"] == "no-store"
    assert client.get("/reset/unknown.token").headers["Cache-Control"] == "no-store"


def test_the_reset_command_prints_a_one_time_link(app, runner, client, facilitator):
    result = runner.invoke(args=["reset-password", facilitator.email.upper()])
    assert result.exit_code == 0, result.output
    link = re.search(r"http://\S+/reset/(\S+)", result.output)
    path = f"/reset/{link.group(1)}"
    assert "[token]" in redact(f"GET {path} HTTP/1.1")

    page = client.get(path)
    assert page.status_code == 200 and facilitator.email in text(page)
    done = post(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert login(app.test_client(), facilitator, password=NEW_PASSWORD).status_code == 302

    again = client.get(path)  # spent: the password it was made for has changed
    assert again.status_code == 404 and "n'est plus valable" in text(again)


def test_a_reset_link_expires_after_an_hour(app, client, facilitator, monkeypatch):
    with app.app_context():
        token = accounts.reset_token(db.session.get(Facilitator, facilitator.id))
    monkeypatch.setattr(accounts, "RESET_MAX_AGE", -1)
    assert client.get(f"/reset/{token}").status_code == 404
    assert client.get("/reset/forged.token.value").status_code == 404


def test_the_reset_command_refuses_an_unknown_address(runner):
    result = runner.invoke(args=["reset-password", "nobody@example.org"])
    assert result.exit_code != 0 and "no facilitator" in result.output
