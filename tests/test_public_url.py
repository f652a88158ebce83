"""Absolute participant URLs (join link, QR code, invitation cards, resume link, the home page
shown to the room) never come from a forged Host header."""

import re

import pytest
from flask.testing import FlaskClient
from support import login, post, start, text

FORGED = "evil.example"


@pytest.fixture
def open_session(app, facilitator, make_group, make_meeting):
    """(id, join token) of an open session of ``facilitator``'s group."""
    meeting = make_meeting(make_group(facilitator), status="open")
    return meeting.id, meeting.join_token


class ForgedHostClient(FlaskClient):
    """A browser whose every request carries the forged Host header."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", f"http://{FORGED}")
        return super().open(*args, **kwargs)


def forged_client(app) -> FlaskClient:
    app.test_client_class = ForgedHostClient
    return app.test_client()


def shown_urls(app, facilitator, open_session) -> tuple[set[str], str]:
    """The absolute URLs of every page that shows one to participants, all asked for with a
    forged Host header; and the pages' text."""
    meeting_id, token = open_session
    signed_in, participant = forged_client(app), forged_client(app)
    login(signed_in, facilitator)
    pages = [
        signed_in.get(f"/sessions/{meeting_id}"),
        signed_in.get(f"/sessions/{meeting_id}/sheet"),
        signed_in.get(f"/sessions/{meeting_id}/room"),
        post(signed_in, f"/sessions/{meeting_id}/invitations", {"count": "2"}),
    ]
    start(participant, token)
    pages.append(participant.get(f"/j/{token}/1"))
    assert [page.status_code for page in pages] == [200] * len(pages)
    shown = "\n".join(text(page) for page in pages)
    urls = set(re.findall(r"https?://[^\s\"'<>]+", shown))
    # Each kind of participant URL is there: join link (and its QR code), cards, resume link.
    assert {m[1] for u in urls if (m := re.search(r"/([jir])/[\w-]+$", u))} == {"j", "i", "r"}
    assert any(url.endswith("/") for url in urls)  # the home page, to type the code
    return urls, shown


def test_public_url_makes_every_participant_url(app, facilitator, open_session):
    app.config["PUBLIC_URL"] = "https://praxis.example.org/"
    urls, shown = shown_urls(app, facilitator, open_session)
    assert all(url.startswith("https://praxis.example.org/") for url in urls), urls
    assert f"https://praxis.example.org/j/{open_session[1]}" in urls
    assert FORGED not in shown


def test_public_url_may_carry_a_path_prefix(app, facilitator, open_session):
    app.config["PUBLIC_URL"] = "https://example.org/praxis"
    urls, _ = shown_urls(app, facilitator, open_session)
    assert all(url.startswith("https://example.org/praxis/") for url in urls), urls


def test_without_public_url_a_configured_server_name_wins_over_the_host(
    app, facilitator, open_session
):
    app.config["SERVER_NAME"] = "praxis.internal"
    urls, shown = shown_urls(app, facilitator, open_session)
    assert all(url.startswith("http://praxis.internal/") for url in urls), urls
    assert FORGED not in shown


def test_without_either_the_request_host_is_used_as_before(app, facilitator, open_session):
    urls, _ = shown_urls(app, facilitator, open_session)
    assert all(url.startswith(f"http://{FORGED}/") for url in urls), urls
