"""What a browser with an empty cache transfers: pages compressed, static files cached a year,
and each participant page under 20 KB."""

import datetime as dt
import gzip
import re
from pathlib import Path

import pytest
from participant_helpers import answer_page, start

from survey.demo import MODULES
from survey.extensions import db
from survey.facilitator import services
from survey.models import Facilitator
from survey.questionnaire import frozen_definition

#: Chromium also accepts br and zstd; gzip, which every browser accepts, is the larger of them.
BROWSER = {"Accept-Encoding": "gzip, deflate"}
ASSET = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"(/[^\"]+)\"")
YEAR = "public, max-age=31536000, immutable"


def weight(response) -> int:
    """Bytes on the wire: the status line, the headers and the (compressed) body."""
    headers = sum(len(name) + len(value) + 4 for name, value in response.headers.items())
    return 17 + headers + len(response.data)


def transferred(client, response) -> int:
    """The page and every script, stylesheet and icon it references, fetched as a browser
    with an empty cache does."""
    page = response.data
    if response.headers.get("Content-Encoding") == "gzip":
        page = gzip.decompress(page)
    assets = dict.fromkeys(url.replace("&amp;", "&") for url in ASSET.findall(page.decode("utf-8")))
    total = weight(response)
    for url in assets:
        asset = client.get(url, headers=BROWSER)
        assert asset.status_code == 200, url
        total += weight(asset)
    return total


def assets_of(html: str) -> list[str]:
    return [url.replace("&amp;", "&") for url in ASSET.findall(html)]


@pytest.fixture
def open_session(app, facilitator):
    """An open session of the standard questionnaire with every module: (join token, pages)."""
    with app.app_context():
        group = services.create_group(
            db.session.get(Facilitator, facilitator.id),
            name="Accueil Nord",
            domain="public_reception",
            establishments=["Nord", "Sud"],
            member_cap=12,
            anonymity_threshold=4,
        )
        meeting = services.plan_meeting(
            group, title="Séance", date=dt.date(2026, 12, 3), modules=MODULES
        )
        services.open_collection(meeting)
        db.session.commit()
        return meeting.join_token, len(frozen_definition(meeting).sections)


def test_pages_are_compressed_for_clients_that_accept_it(client):
    compressed = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed.headers["Vary"]
    plain = client.get("/")
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(compressed.data).decode().count("<form") == plain.text.count("<form")
    assert len(compressed.data) < len(plain.data) / 2


def test_static_files_are_versioned_and_cached_a_year(client):
    urls = assets_of(client.get("/").text)
    assert any(url.startswith("/static/css/praxis.css?v=") for url in urls), urls
    for url in urls:
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == YEAR, url
        if url.startswith("/static/css/"):
            assert response.headers["Content-Encoding"] == "gzip"
            source = (
                Path(__file__).resolve().parents[1] / "survey" / "static" / "css" / "praxis.css"
            )
            assert gzip.decompress(response.data) == source.read_bytes()
    # An unversioned or outdated address may change under the same name: revalidated each time.
    for url in ("/static/css/praxis.css", "/static/css/praxis.css?v=outdated"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-cache", url
        assert "Content-Encoding" not in response.headers
        etag = response.headers["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    for url in ("/static/../__init__.py", "/static/nothing.css", "/static/css"):
        assert client.get(url).status_code == 404, url


def test_every_participant_page_transfers_less_than_20_kb(app, client, open_session):
    token, pages = open_session
    weights = {"welcome": transferred(client, client.get(f"/j/{token}", headers=BROWSER))}
    start(client, token)
    for page in range(1, pages + 1):
        weights[f"page {page}"] = transferred(
            client, client.get(f"/j/{token}/{page}", headers=BROWSER)
        )
        if page < pages:
            answer_page(client, token, page)
    url = f"/j/{token}/{pages}"
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(url).text)
    thanks = client.post(
        url,
        data={"csrf_token": csrf[1], "action": "submit", "code-choice": "new"},
        headers=BROWSER,
    )
    assert thanks.headers["Content-Encoding"] == "gzip"
    weights["thanks"] = transferred(client, thanks)
    code = re.search(r'id="personal-code">([^<]+)<', gzip.decompress(thanks.data).decode())[1]
    weights["journal"] = transferred(client, client.get("/journal", headers=BROWSER))
    csrf = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/journal").text
    )
    journal = client.post("/journal", data={"csrf_token": csrf[1], "code": code}, headers=BROWSER)
    assert "Séance" in gzip.decompress(journal.data).decode()
    weights["journal, opened"] = transferred(client, journal)
    over = {name: size for name, size in weights.items() if size > 20_000}
    assert not over, weights
