"""Helpers for tests that talk HTTP the way a browser does."""

import html
import re

from survey.models import Facilitator

PASSWORD = "correct horse battery"


def text(response) -> str:
    """A page's text as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def csrf_token(client) -> str:
    """The CSRF token of the client's session, read from a page as a browser would."""
    page = client.get("/")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def post(client, url, data=None, **kwargs):
    """POST a form the way a browser does: with the session's CSRF token."""
    return client.post(url, data={"csrf_token": csrf_token(client), **(data or {})}, **kwargs)


def login(client, facilitator: Facilitator, password=PASSWORD):
    return post(client, "/login", {"email": facilitator.email, "password": password})
