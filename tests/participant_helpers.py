"""Helpers for answering a session through HTTP, the way a browser does."""

import re

from helpers import text

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def page_token(client, url) -> str:
    return TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def start(client, join_token, **options):
    """Open the welcome page and start a draft; the client then holds the resume cookie.

    ``options`` go to both requests (e.g. ``environ_overrides`` for another address)."""
    welcome = client.get(f"/j/{join_token}", **options).get_data(as_text=True)
    token = TOKEN.search(welcome).group(1)
    return client.post(f"/j/{join_token}", data={"csrf_token": token}, **options)


def answer_page(client, join_token, page, data=None, action="next"):
    url = f"/j/{join_token}/{page}"
    return client.post(
        url, data={"csrf_token": page_token(client, url), "action": action, **(data or {})}
    )


def resume_url(client, join_token, page=1) -> str:
    page_html = text(client.get(f"/j/{join_token}/{page}"))
    return re.search(r"value=\"http://localhost(/r/[^\"]+)\"", page_html)[1]


def answer_all(client, join_token, pages=4, last=None, code="none"):
    """Answer every page (a few values), then submit; returns the submit response."""
    answer_page(
        client, join_token, 1, {"overall_gap": "6", "activities__welcome_direct__actual": "4"}
    )
    for page in range(2, pages):
        answer_page(client, join_token, page)
    data = {"proposal": "Plus de temps d'équipe", "code-choice": code, **(last or {})}
    return answer_page(client, join_token, pages, data, action="submit")
