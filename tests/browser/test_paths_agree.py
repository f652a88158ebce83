"""Every way out says what the pages say. One session with hidden cells (some statements, axes,
viewpoints and a question answered by two people, k = 4), on SQLite and on PostgreSQL: each
table row of its results pages is found, cell for cell, in the XLSX export, in the CSV export
(read by pandas), in the printable report and in the PDF Chromium prints of it; the JSON API
gives the same numbers and marks ``suppressed`` exactly where a page says « moins de 4
réponses »; and none of these paths holds a value that the answers behind a hidden cell give."""

import html
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import openpyxl
import pandas as pd
import pypdf
import pytest
from babel.numbers import format_decimal, format_percent

from survey.display import fmt
from survey.extensions import db
from survey.models import Answer, Response

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TOO_FEW = "moins de 4 réponses"
TABLE = re.compile(r"<table[^>]*>(.*?)</table>", re.S)
ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
LINK = re.compile(r'<a class="note-link"[^>]*>.*?</a>', re.S)
TAG = re.compile(r"<[^>]+>")


def squeeze(value: str) -> str:
    """A cell's text as a reader sees it (no-break spaces kept: « 45 % »)."""
    return re.sub(r"[ \t\r\n]+", " ", value).strip()


def rows_of(page: str) -> list[tuple[str, ...]]:
    """Every row of every table of a page, as cell texts (« Noter » links left out)."""
    return [
        tuple(squeeze(html.unescape(TAG.sub("", LINK.sub("", cell)))) for cell in CELL.findall(row))
        for table in TABLE.findall(page)
        for row in ROW.findall(table)
    ]


def trimmed(cells) -> tuple[str, ...]:
    cells = list(cells)
    while cells and cells[-1] == "":
        cells.pop()
    return tuple(cells)


def as_page_text(value, number_format: str) -> str:
    """A workbook cell written as the page writes it."""
    if isinstance(value, str):
        return value
    if number_format.endswith("%"):
        return format_percent(value, locale="fr")
    return format_decimal(value, format=number_format, locale="fr")


def xlsx_rows(data: bytes) -> set[tuple[str, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        trimmed(as_page_text(c.value, c.number_format) if c.value is not None else "" for c in row)
        for sheet in book
        for row in sheet.iter_rows()
    }


def csv_rows(data: bytes) -> set[tuple[str, ...]]:
    found = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            frame = pd.read_csv(
                io.BytesIO(archive.read(name)),
                sep=";",
                header=None,
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
            )
            found |= {trimmed(row) for row in frame.itertuples(index=False)}
    return found


def number(cell: str):
    if cell in (TOO_FEW, "—"):
        return None
    return float(cell.replace("\u2212", "-").replace("\u202f", "").replace(",", "."))


def print_through(browser, client, url: str) -> str:
    """Chromium prints ``url`` of the app (A4, print styles), every request it makes answered by
    the signed-in test client: the PDF's text, whichever database the app runs on."""
    context = browser.new_context()
    page = context.new_page()

    def answer(route):
        parts = urlsplit(route.request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = client.get(path, headers={"Accept-Encoding": "identity"})
        route.fulfill(
            status=response.status_code,
            headers={"Content-Type": response.headers.get("Content-Type", "text/html")},
            body=response.data,
        )

    page.route("http://praxis.test/**", answer)
    page.goto(f"http://praxis.test{url}")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "paths-agree-report.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 30
    return " ".join("\n".join(p.extract_text() for p in reader.pages).split())


def hidden_values(app, meeting_id: int) -> set[str]:
    """What a page would show for the paired statement and the rated one two people answered:
    their means (one decimal, as shown), which no path may hold."""
    with app.app_context():
        rows = db.session.execute(
            db.select(Answer.item_id, Answer.facet, Answer.value)
            .join(Response, Response.id == Answer.response_id)
            .where(
                Response.meeting_id == meeting_id,
                Answer.item_id.in_(["activities.phone_messages", "lived.hurry"]),
            )
        ).all()
    by_key: dict = {}
    for item, facet, value in rows:
        by_key.setdefault((item, facet), []).append(value)
    assert by_key and all(len(v) < 4 for v in by_key.values()), by_key  # fewer than k
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        return {fmt(sum(v) / len(v)) for v in by_key.values()}


def test_pages_exports_report_pdf_and_api_say_the_same(
    app, browser, signed_in, facilitator, token_for, sparse_session
):
    group_id, meeting_id = sparse_session
    overview = signed_in.get(f"/sessions/{meeting_id}/results").get_data(as_text=True)
    nav = overview.split('class="result-tabs"', 1)[1].split("</nav>", 1)[0]
    sections = [
        url
        for url in re.findall(rf'href="(/sessions/{meeting_id}/results/[a-z_]+)"', nav)
        if not url.endswith(("/texts", "/publish"))
    ]
    pages = {url: signed_in.get(url).get_data(as_text=True) for url in sections}
    page_rows = [row for page in pages.values() for row in rows_of(page) if len(row) > 1]
    hidden_rows = [row for row in page_rows if TOO_FEW in row]
    assert len(page_rows) > 40 and len(hidden_rows) >= 5

    xlsx = xlsx_rows(signed_in.get(f"/sessions/{meeting_id}/export.xlsx").data)
    csv = csv_rows(signed_in.get(f"/sessions/{meeting_id}/export-csv.zip").data)
    report_page = signed_in.get(f"/sessions/{meeting_id}/report").get_data(as_text=True)
    report = set(rows_of(report_page))
    for row in page_rows:
        assert row in xlsx, ("xlsx", row)
        assert row in csv, ("csv", row)
        assert row in report, ("report", row)

    # Chromium's PDF of the report: the hidden rows' words, every shown figure of the tables.
    pdf = print_through(browser, signed_in, f"/sessions/{meeting_id}/report")
    assert pdf.count(TOO_FEW) >= len(hidden_rows)
    figures = {c for row in page_rows for c in row[1:] if re.fullmatch(r"−?-?\d+(,\d)?", c)}
    assert figures and all(f in pdf for f in figures)

    # The API: the same numbers, ``suppressed`` where the page has the words.
    api = app.test_client().get(
        f"/api/v1/sessions/{meeting_id}/results", headers=token_for(facilitator)
    )
    assert api.status_code == 200
    by_label = {row[0]: row[1:] for row in page_rows}
    compared = suppressed = 0
    for item in api.json["items"]:
        if item["kind"] not in ("paired", "rating") or item["label"] not in by_label:
            continue
        cells = by_label[item["label"]]
        shown = cells[:5] if item["kind"] == "paired" else cells[:3]
        assert [v["value"] for v in item["values"]] == [number(c) for c in shown], item["item"]
        assert all(v["suppressed"] == (v["value"] is None) for v in item["values"])
        if TOO_FEW in cells:
            assert all(v["suppressed"] and v["n"] is None for v in item["values"])
            suppressed += 1
        compared += 1
    assert compared >= 20 and suppressed == 2

    # The values two people's answers give appear on no path as those statements' figures.
    secret = hidden_values(app, meeting_id)
    for row in [*hidden_rows, *(r for r in xlsx | csv | report if TOO_FEW in r)]:
        assert not secret & set(row[1:]), row
    phone = next(r for r in page_rows if r[0].startswith("Répondre au téléphone"))
    assert TOO_FEW in phone and not secret & set(phone)
    assert group_id
