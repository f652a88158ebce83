"""What a browser with an empty cache transfers: pages compressed, static files cached a year,
each participant page under 20 KB and the first chart page under 450 KB."""

import datetime as dt
import gzip
import json
import re
from pathlib import Path

import plotly.offline
import pytest
from sqlalchemy import select
from support import answer_page, start

from survey.demo import MODULES
from survey.extensions import db
from survey.models import Facilitator, Meeting
from survey.questionnaire import frozen_definition
from survey.services import groups, meetings

#: Chromium also accepts br and zstd; gzip, which every browser accepts, is the larger of them.
BROWSER = {"Accept-Encoding": "gzip, deflate"}
ASSET = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"(/[^\"]+)\"")
YEAR = "public, max-age=31536000, immutable"
SOME_ANSWERS = {"overall_gap": "6", "activities__welcome_direct__actual": "4"}
VENDOR = Path(__file__).resolve().parents[1] / "survey" / "static" / "vendor" / "plotly"


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
        group = groups.create_group(
            db.session.get(Facilitator, facilitator.id),
            name="Accueil Nord",
            domain="public_reception",
            establishments=["Nord", "Sud"],
            member_cap=12,
            anonymity_threshold=4,
        )
        meeting = meetings.plan_meeting(
            group, title="Séance", date=dt.date(2026, 12, 3), modules=MODULES
        )
        meetings.open_collection(meeting)
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
        if page < pages:  # a few answers: a questionnaire without any is refused
            answer_page(client, token, page, SOME_ANSWERS if page == 1 else None)
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


def test_the_first_chart_page_transfers_less_than_450_kb(app, signed_in, demo_groups):
    (group,) = demo_groups()
    with app.app_context():
        meeting_id = db.session.scalar(
            select(Meeting.id).where(Meeting.group_id == group.id, Meeting.title.like("Séance 3%"))
        )
    page = signed_in.get(f"/sessions/{meeting_id}/results/prescribed_actual", headers=BROWSER)
    assert page.status_code == 200
    size = transferred(signed_in, page)
    assert size <= 450_000, size


def test_chart_pages_use_the_vendored_basic_bundle_of_python_plotlys_version(
    app, signed_in, demo_groups
):
    (group,) = demo_groups()
    with app.app_context():
        meetings = db.session.scalars(select(Meeting.id).where(Meeting.group_id == group.id))
        meeting_id = sorted(meetings)[2]
    bundle = (VENDOR / "plotly-basic.min.js").read_text()[:200]
    assert f"(basic - minified) v{plotly.offline.get_plotlyjs_version()}" in bundle
    assert "MIT" in (VENDOR / "LICENSE").read_text()
    for url in (
        f"/sessions/{meeting_id}/results/prescribed_actual",
        f"/sessions/{meeting_id}/present?slide=2",
        f"/groups/{group.id}/trends",
    ):
        scripts = assets_of(signed_in.get(url).text)
        assert any(s.startswith("/static/vendor/plotly/plotly-basic.min.js?v=") for s in scripts)
        assert not any("/vendor/plotly-" in s for s in scripts), url


def test_every_chart_draws_only_traces_of_the_basic_bundle(app, signed_in, demo_groups):
    (group,) = demo_groups()
    with app.app_context():
        meetings = db.session.scalars(select(Meeting.id).where(Meeting.group_id == group.id))
        meeting_id = sorted(meetings)[2]
    overview = signed_in.get(f"/sessions/{meeting_id}/results").text
    urls = re.findall(rf'href="(/sessions/{meeting_id}/results/[a-z_]+)"', overview)
    urls += [f"/sessions/{meeting_id}/present?slide={n}" for n in range(2, 30)]
    urls.append(f"/groups/{group.id}/trends")
    types = set()
    for url in urls:
        for figure in re.findall(
            r'class="chart-data"[^>]*>(.*?)</script>', signed_in.get(url).text
        ):
            types |= {trace.get("type", "scatter") for trace in json.loads(figure)["data"]}
    assert "bar" in types and "scatter" in types
    assert types <= {"bar", "pie", "scatter"}, types
