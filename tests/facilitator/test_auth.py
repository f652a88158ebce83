"""Facilitator sign-in: good and bad credentials, no enumeration, rate limit, session renewal."""

import pytest
from sqlalchemy import select, update
from support import PASSWORD, csrf_token, login, post
from werkzeug.security import check_password_hash

from survey import models
from survey.extensions import db
from survey.models import Facilitator
from survey.services import accounts


def session_cookie(response) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))


def test_good_credentials_sign_in_case_insensitively(client, facilitator):
    response = post(client, "/login", {"email": "  Camille@Example.ORG ", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/groups"
    assert "Mes groupes" in client.get("/groups").text


def test_wrong_password_and_unknown_email_get_the_same_answer(client, facilitator):
    wrong = login(client, facilitator, password="not the password")
    unknown = post(client, "/login", {"email": "nobody@example.org", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 200
    message = "Adresse électronique ou mot de passe incorrect."
    assert message in wrong.text and message in unknown.text
    assert client.get("/groups").status_code == 302  # still signed out


def test_empty_fields_are_explained(client):
    response = post(client, "/login", {"email": "", "password": ""})
    assert "Saisissez votre adresse électronique." in response.text
    assert "Saisissez votre mot de passe." in response.text


def test_passwords_are_stored_hashed(app, facilitator):
    with app.app_context():
        stored = db.session.scalar(
            select(Facilitator).where(Facilitator.email == facilitator.email)
        )
        assert PASSWORD not in stored.password_hash
        assert stored.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_repeated_failures_are_rate_limited_but_successes_are_not(client, facilitator):
    for _ in range(3):
        assert login(client, facilitator).status_code == 302
        post(client, "/logout")
    for _ in range(5):
        assert login(client, facilitator, password="wrong password").status_code == 200
    blocked = login(client, facilitator)
    assert blocked.status_code == 429
    assert "Trop de tentatives" in blocked.text
    assert "Retry-After" in blocked.headers


def test_session_is_renewed_at_login(client, facilitator):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, facilitator)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{facilitator.id}:{facilitator.session_version}"


def test_session_cookie_is_httponly_and_samesite_lax(client, facilitator):
    response = login(client, facilitator)
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_secure_cookie_when_served_over_https(make_app, database_url, make_facilitator):
    app = make_app(database_url, HTTPS=True)
    client = app.test_client()
    cookie = session_cookie(client.get("/"))
    assert "Secure" in cookie


def test_next_only_redirects_within_the_site(client, facilitator):
    token = csrf_token(client)
    data = {"csrf_token": token, "email": facilitator.email, "password": PASSWORD}
    response = client.post("/login?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/groups"
    post(client, "/logout")
    data["csrf_token"] = csrf_token(client)
    response = client.post("/login?next=/groups/new", data=data)
    assert response.headers["Location"] == "/groups/new"


@pytest.mark.parametrize("target", ["/%0D%0Ax", "/%0Ax", "/groups%0D%0ASet-Cookie:%20x=1", "/%09x"])
def test_a_next_with_control_characters_goes_to_the_groups(client, facilitator, target):
    """A line break in a redirect target used to answer 500: it is an unsafe target like any."""
    data = {"csrf_token": csrf_token(client), "email": facilitator.email, "password": PASSWORD}
    response = client.post(f"/login?next={target}", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/groups"


def test_protected_pages_send_visitors_to_sign_in(client):
    response = client.get("/groups")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_logout_is_a_post_that_forgets_the_session(signed_in):
    assert signed_in.get("/logout").status_code == 405
    response = post(signed_in, "/logout")
    assert response.status_code == 302
    assert signed_in.get("/groups").status_code == 302


def test_password_hashing_never_holds_the_write_lock(
    app, client, facilitator, monkeypatch, writers_free
):
    """A sign-in hashes for about 0.1 s: other writers (answers being saved) must not queue
    behind it, whether the password is right, wrong, or the account unknown."""
    with app.app_context():  # the probe sees a lock when one is held
        db.session.execute(update(Facilitator).values(locale=Facilitator.locale))
        assert not writers_free()
        db.session.rollback()
    assert writers_free()

    seen = []

    def watched(stored, password):
        seen.append(writers_free())
        return check_password_hash(stored, password)

    monkeypatch.setattr(models, "check_password_hash", watched)
    monkeypatch.setattr(accounts, "check_password_hash", watched)
    login(client, facilitator, password="not the password")
    post(client, "/login", {"email": "nobody@example.org", "password": PASSWORD})
    post(client, "/language", {"language": "en"})  # a sign-in that also writes the language
    assert login(client, facilitator).status_code == 302
    assert seen == [True] * 3
    with app.app_context():
        assert db.session.get(Facilitator, facilitator.id).locale == "en"


def copy_of_session(app, client):
    """Another browser holding a copy of this client's session cookie (a captured cookie)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_signing_out_revokes_a_copied_session_cookie(app, signed_in):
    thief = copy_of_session(app, signed_in)
    assert thief.get("/groups").status_code == 200  # the copy works while the session lives
    post(signed_in, "/logout")
    response = thief.get("/groups")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_new_password_revokes_every_session(app, signed_in, facilitator):
    thief = copy_of_session(app, signed_in)
    with app.app_context():
        db.session.get(Facilitator, facilitator.id).set_password("another long passphrase")
        db.session.commit()
    assert signed_in.get("/groups").status_code == 302
    assert thief.get("/groups").status_code == 302
    assert login(signed_in, facilitator, "another long passphrase").status_code == 302
    assert signed_in.get("/groups").status_code == 200


def test_signing_in_again_after_signing_out_works(client, facilitator):
    for _ in range(2):
        assert login(client, facilitator).status_code == 302
        assert client.get("/groups").status_code == 200
        post(client, "/logout")
        assert client.get("/groups").status_code == 302


def test_a_session_cookie_replayed_from_another_browser_is_signed_out(client, facilitator):
    """Strong session protection: the cookie of a signed-in facilitator, sent with another
    browser's identity, signs nobody in."""
    login(client, facilitator)
    assert client.get("/groups").status_code == 200
    stolen = client.get("/groups", headers={"User-Agent": "Another browser/1.0"})
    assert stolen.status_code == 302 and "/login" in stolen.headers["Location"]


def test_a_visitors_pages_set_their_cookies_once(client, make_group, make_meeting, facilitator):
    """Nobody signed in: the session (its CSRF token) is set by the first page, and later pages
    send no cookie at all. Flask-Login's strong protection used to « clear » an anonymous session
    on every page, re-sending it and deleting a remember cookie that never existed."""
    meeting = make_meeting(make_group(facilitator), status="open")
    first = client.get(f"/j/{meeting.join_token}")
    assert [c.split("=")[0] for c in first.headers.getlist("Set-Cookie")] == ["session"]
    for url in (f"/j/{meeting.join_token}", "/", "/login"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers.getlist("Set-Cookie") == [], url
