"""Exports: a session's results and a group's trends as XLSX and as a ZIP of CSV files hold the
very tables of the pages (same numbers, same words where fewer than k answered), neutralise
formulas, and include only shareable outcomes unless the facilitator asks for all."""

import datetime as dt
import html
import io
import re
import zipfile
from html.parser import HTMLParser
from urllib.parse import quote

import openpyxl
import pandas as pd
import pytest
from babel.numbers import format_decimal, format_percent
from support import login, post, seed_html_labels

from survey.extensions import db
from survey.kinds.form import AnswerValue
from survey.models import Facilitator, Meeting, Outcome, OutcomeKind
from survey.services import participation, publication

TOO_FEW = "moins de 4 réponses"
DANGEROUS = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-2+3", "\tx", "\rx"]


# The pages' tables, as a reader sees them
# ----------------------------------------


class _Tables(HTMLParser):
    """Every <table> of a page: rows of cell texts (a « Noter » link in a cell left out)."""

    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.skip = [], None, 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []
        elif tag == "a" and "note-link" in (dict(attrs).get("class") or ""):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            # Spaces as a reader sees them; the no-break spaces of « 45 % » kept.
            self.tables[-1][-1].append(re.sub(r"[ \t\r\n]+", " ", "".join(self.cell)).strip())
            self.cell = None
        elif tag == "a" and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.cell is not None and not self.skip:
            self.cell.append(data)


def page_tables(client, url) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(client.get(url).get_data(as_text=True))
    return parser.tables


def as_page_text(value, number_format: str, locale="fr") -> str:
    """A cell of the workbook written as the page writes it."""
    if isinstance(value, str):
        return value
    if number_format.endswith("%"):
        return format_percent(value, locale=locale)
    return format_decimal(value, format=number_format, locale=locale)


def xlsx_rows(sheet) -> list[list]:
    """A sheet's rows as page texts, trailing empty cells left out."""
    rows = []
    for row in sheet.iter_rows():
        cells = [as_page_text(c.value, c.number_format) if c.value is not None else "" for c in row]
        while cells and cells[-1] == "":
            cells.pop()
        rows.append(cells)
    return rows


def csv_files(data: bytes, sep=";") -> dict[str, list[list[str]]]:
    """Each CSV of the ZIP, read by pandas, as rows of texts (trailing empty cells left out)."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            frame = pd.read_csv(
                io.BytesIO(archive.read(name)),
                sep=sep,
                header=None,
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                skip_blank_lines=False,
            )
            rows = []
            for row in frame.itertuples(index=False):
                cells = list(row)
                while cells and cells[-1] == "":
                    cells.pop()
                rows.append(cells)
            found[name] = rows
    return found


def contains_in_order(rows: list[list], tables: list[list[list[str]]]) -> None:
    """Each table's rows appear in ``rows``, one after the other, tables in the page's order."""
    position = 0
    for table in tables:
        for start in range(position, len(rows) - len(table) + 1):
            if rows[start : start + len(table)] == table:
                position = start + len(table)
                break
        else:
            raise AssertionError(f"table not found in order: {table[:2]}")


# A session with hidden cells
# ---------------------------


def _submit(meeting, answers):
    draft, _ = participation.start_draft(meeting)
    participation.submit(meeting, draft.id, answers, None)


@pytest.fixture
def hidden_cells(app, facilitator, make_group, make_meeting, add_responses, set_status):
    """A session of a group with k = 4, shown: five people answered two statements, two more
    people a third one (fewer than k: its cells are hidden); outcomes, shareable or not, with
    texts a spreadsheet would run as formulas."""
    group = make_group(facilitator, anonymity_threshold=4, name="Groupe d'essai — Évry")
    meeting_id = make_meeting(
        group, title="Séance d'essai", date=dt.date(2026, 3, 12), status="open"
    ).id
    add_responses(meeting_id, 5)
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        for value in (3.0, 5.0):
            _submit(
                meeting,
                [
                    AnswerValue("activities.phone_messages", "prescribed", value),
                    AnswerValue("activities.phone_messages", "actual", 8.0),
                ],
            )
        db.session.commit()
    set_status(meeting_id, "closed")
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        publication.record(meeting)
        db.session.add(Outcome(meeting=meeting, kind=OutcomeKind.ACTION, text="Secret interne"))
        for text in DANGEROUS:
            kind = OutcomeKind.SOLUTION
            db.session.add(Outcome(meeting=meeting, kind=kind, text=text, shareable=True))
        db.session.commit()
    return meeting_id


AGENDA_ENTRY = re.compile(
    r'<li><strong>(.*?)</strong> <span class="meta">(.*?)</span>.*?<ul>(.*?)</ul></li>', re.S
)


def overview_agenda(client, meeting_id) -> list[list[str]]:
    """The suggested agenda of the overview page: (rank, statement, section, reasons) rows."""
    page = client.get(f"/sessions/{meeting_id}/results").get_data(as_text=True)
    listed = page.split('<ol class="agenda">', 1)[1].split("</ol>", 1)[0]
    return [
        [str(rank), html.unescape(label), html.unescape(section)]
        + [" ".join(html.unescape(r) for r in re.findall(r"<li>(.*?)</li>", reasons))]
        for rank, (label, section, reasons) in enumerate(AGENDA_ENTRY.findall(listed), start=1)
    ]


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Cache-Control"] == "no-store"
    return response


def section_urls(client, meeting_id):
    """The section pages the results' navigation links to, in its order (free texts aside)."""
    page = client.get(f"/sessions/{meeting_id}/results").get_data(as_text=True)
    nav = page.split('class="result-tabs"', 1)[1].split("</nav>", 1)[0]
    found = re.findall(rf'href="(/sessions/{meeting_id}/results/[a-z_]+)"', nav)
    return [url for url in found if not url.endswith(("/texts", "/publish"))]


def test_the_xlsx_holds_each_results_table_of_the_pages_cell_for_cell(app, signed_in, hidden_cells):
    response = download(signed_in, f"/sessions/{hidden_cells}/export.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    results = [sheet for sheet in book if sheet.title.startswith("Résultats — ")]
    assert len(results) == len(section_urls(signed_in, hidden_cells))
    hidden = 0
    for sheet, url in zip(results, section_urls(signed_in, hidden_cells), strict=True):
        tables = page_tables(signed_in, url)
        contains_in_order(xlsx_rows(sheet), tables)
        # A hidden cell of a page is the words in the workbook (a number would read "7,0").
        hidden += sum(cell == TOO_FEW for table in tables for row in table for cell in row)
    assert hidden >= 5
    # The statement fewer than k answered: its row has the words and no number at all.
    prescribed = results[0]
    assert prescribed.title == "Résultats — A. Travail prescri…"
    phone = next(
        row for row in prescribed.iter_rows(values_only=True) if row[0] and "téléphone" in row[0]
    )
    assert TOO_FEW in phone and not any(isinstance(v, int | float) for v in phone)
    # Numbers are numbers, with the digits the page shows.
    welcome = next(
        row for row in prescribed.iter_rows() if row[0].value and "guichet" in row[0].value
    )
    assert [c.value for c in welcome[1:4]] == [2, 9, 7]
    assert [c.number_format for c in welcome[1:4]] == ["0.0"] * 3
    assert welcome[7].value == 5 and welcome[7].number_format == "0"
    # The overview's agenda, entry for entry, and its flags.
    agenda = xlsx_rows(book["Ordre du jour"])
    assert agenda[0] == ["Rang", "Énoncé", "Partie", "Pourquoi"]
    assert agenda[1:] == overview_agenda(signed_in, hidden_cells)
    assert any("guichet" in row[1] for row in agenda[1:])
    flags = xlsx_rows(book["Écarts partagés, controverses"])
    assert ["Écarts partagés", agenda[1][1]] in flags


def test_pandas_reads_the_xlsx_with_the_same_figures(app, signed_in, hidden_cells):
    data = download(signed_in, f"/sessions/{hidden_cells}/export.xlsx").data
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None)
    assert list(sheets)[:2] == ["Notes", "Ordre du jour"] and list(sheets)[-1] == "Décisions"
    frame = sheets["Résultats — A. Travail prescri…"]
    welcome = frame[frame[0].astype(str).str.contains("guichet")].iloc[0]
    assert welcome[1] == 2.0 and welcome[3] == 7.0 and welcome[7] == 5
    phone = frame[frame[0].astype(str).str.contains("téléphone")].iloc[0]
    assert phone[7] == TOO_FEW
    notes = dict(zip(sheets["Notes"][0], sheets["Notes"][1], strict=True))
    assert notes["Réponses affichées (n)"] == 7
    assert notes["Seuil d'anonymat (k)"] == 4
    assert notes["Séance"] == "Séance d'essai" and notes["Groupe"] == "Groupe d'essai — Évry"
    assert notes["Date"] == "12 mars 2026"
    assert notes["Questionnaire (identifiant et version)"].startswith("standard ")
    assert TOO_FEW in notes and "4" in notes[TOO_FEW]
    assert "Seulement les décisions" in notes["Décisions incluses"]


def test_the_csv_zip_holds_the_pages_text_read_by_pandas(app, signed_in, hidden_cells):
    response = download(signed_in, f"/sessions/{hidden_cells}/export-csv.zip")
    assert response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = archive.namelist()
        assert all(archive.read(n).startswith("\ufeff".encode()) for n in names)
    assert names[0] == "01-notes.csv" and names[1] == "02-ordre-du-jour.csv"
    assert names[-1].endswith("-decisions.csv")
    files = csv_files(response.data)
    results = [name for name in names if "-resultats-" in name]
    assert len(results) == len(section_urls(signed_in, hidden_cells))
    for name, url in zip(results, section_urls(signed_in, hidden_cells), strict=True):
        contains_in_order(files[name], page_tables(signed_in, url))
    prescribed = files[results[0]]
    welcome = next(row for row in prescribed if row and "guichet" in row[0])
    assert welcome[1:4] == ["2,0", "9,0", "7,0"]


def test_formulas_are_neutralised_and_negative_numbers_stay_numbers(
    app, signed_in, hidden_cells, demo_groups
):
    book = openpyxl.load_workbook(
        io.BytesIO(download(signed_in, f"/sessions/{hidden_cells}/export.xlsx").data)
    )
    texts = [row[1] for row in book["Décisions"].iter_rows(min_row=2, values_only=True)]
    # XML reads a carriage return as a line feed: "\rx" comes back as "\nx", still behind "'".
    assert sorted(texts) == sorted("'" + t.replace("\r", "\n") for t in DANGEROUS)
    for sheet in book:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), sheet.title
    files = csv_files(download(signed_in, f"/sessions/{hidden_cells}/export-csv.zip").data)
    decisions = next(rows for name, rows in files.items() if name.endswith("-decisions.csv"))
    assert sorted(row[1] for row in decisions[1:]) == sorted("'" + t for t in DANGEROUS)

    # Negative figures: numbers in the XLSX, the page's « -0,2 » in the CSV, no apostrophe.
    (group,) = demo_groups()
    with app.app_context():
        first = db.session.scalar(
            db.select(Meeting).where(Meeting.group_id == group.id).order_by(Meeting.date)
        )
    book = openpyxl.load_workbook(
        io.BytesIO(download(signed_in, f"/sessions/{first.id}/export.xlsx").data)
    )
    values = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert any(isinstance(v, float) and v < 0 for v in values)
    # The overview's table per establishment, negative gaps included.
    overview = page_tables(signed_in, f"/sessions/{first.id}/results")
    assert overview and any(c.startswith("-") for row in overview[0] for c in row)
    contains_in_order(xlsx_rows(book["Par établissement"]), overview)
    assert not any(isinstance(v, str) and v.startswith("'-") and v[2:3].isdigit() for v in values)
    files = csv_files(download(signed_in, f"/sessions/{first.id}/export-csv.zip").data)
    cells = [c for rows in files.values() for row in rows for c in row]
    assert "-0,2" in cells and "'-0,2" not in cells


def test_statement_labels_and_session_titles_are_neutralised(app, signed_in, facilitator):
    labels = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-2+3"]
    with app.app_context():
        group_id, sessions = seed_html_labels(
            db.session.get(Facilitator, facilitator.id), labels=labels
        )
        db.session.commit()
    for url in (f"/sessions/{sessions[0]}/export.xlsx", f"/groups/{group_id}/export.xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(download(signed_in, url).data))
        values = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
        for label in labels:
            assert not any(isinstance(v, str) and v.startswith(label) for v in values), url
        assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in values), url
        assert all(c.data_type != "f" for sheet in book for row in sheet.iter_rows() for c in row)
    files = csv_files(download(signed_in, f"/groups/{group_id}/export-csv.zip").data)
    cells = {c for rows in files.values() for row in rows for c in row}
    assert not any(c.startswith(tuple(labels)) for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_only_shareable_outcomes_unless_all_are_asked_for(app, signed_in, hidden_cells):
    def decisions(query=""):
        data = download(signed_in, f"/sessions/{hidden_cells}/export.xlsx{query}").data
        book = openpyxl.load_workbook(io.BytesIO(data))
        notes = {row[0]: row[1] for row in book["Notes"].iter_rows(values_only=True)}
        texts = [row[1] for row in book["Décisions"].iter_rows(min_row=2, values_only=True)]
        return texts, notes["Décisions incluses"]

    shared, said = decisions()
    assert "Secret interne" not in shared and len(shared) == len(DANGEROUS)
    assert said.startswith("Seulement")
    everything, said = decisions("?outcomes=all")
    assert "Secret interne" in everything and len(everything) == len(DANGEROUS) + 1
    assert said.startswith("Toutes les décisions")
    files = csv_files(download(signed_in, f"/sessions/{hidden_cells}/export-csv.zip").data)
    assert "Secret interne" not in {c for rows in files.values() for row in rows for c in row}


def test_file_and_sheet_names_follow_the_language(app, signed_in, hidden_cells):
    response = download(signed_in, f"/sessions/{hidden_cells}/export.xlsx")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="praxis-seance-2026-03-12.xlsx"; '
        "filename*=UTF-8''praxis-seance-2026-03-12.xlsx"
    )
    names = openpyxl.load_workbook(io.BytesIO(response.data)).sheetnames
    assert names[:3] == ["Notes", "Ordre du jour", "Écarts partagés, controverses"]
    assert names[-1] == "Décisions" and all(len(n) <= 31 for n in names)
    csv = download(signed_in, f"/sessions/{hidden_cells}/export-csv.zip")
    assert 'filename="praxis-seance-2026-03-12-csv.zip"' in csv.headers["Content-Disposition"]

    post(signed_in, "/language", {"language": "en", "next": "/"})
    response = download(signed_in, f"/sessions/{hidden_cells}/export.xlsx")
    assert 'filename="praxis-session-2026-03-12.xlsx"' in response.headers["Content-Disposition"]
    names = openpyxl.load_workbook(io.BytesIO(response.data)).sheetnames
    assert names[:2] == ["Notes", "Agenda"] and names[-1] == "Decisions"
    assert "Results — A. Prescribed work,…" in names
    files = csv_files(download(signed_in, f"/sessions/{hidden_cells}/export-csv.zip").data, ",")
    welcome = next(
        r for n, rows in files.items() if "-results-" in n for r in rows if r and "desk" in r[0]
    )
    assert welcome[1:4] == ["2.0", "9.0", "7.0"]
    with app.app_context():
        group_id = db.session.get(Meeting, hidden_cells).group_id
    response = download(signed_in, f"/groups/{group_id}/export.xlsx")
    today = dt.date.today().isoformat()
    expected = f'filename="praxis-trends-groupe-d-essai-evry-{today}.xlsx"'
    assert expected in response.headers["Content-Disposition"]


def test_a_group_name_with_accents_gets_an_ascii_name_and_the_exact_one(
    app, signed_in, hidden_cells
):
    with app.app_context():
        group_id = db.session.get(Meeting, hidden_cells).group_id
    response = download(signed_in, f"/groups/{group_id}/export.xlsx")
    today = dt.date.today().isoformat()
    disposition = response.headers["Content-Disposition"]
    assert f'filename="praxis-tendances-groupe-d-essai-evry-{today}.xlsx"' in disposition
    exact = quote(f"praxis-tendances-Groupe-d-essai-Évry-{today}.xlsx")
    assert f"filename*=UTF-8''{exact}" in disposition


def test_the_group_export_holds_the_trends_tables(app, signed_in, demo_groups):
    (group,) = demo_groups()
    with app.app_context():
        db.session.add(
            Outcome(
                meeting_id=db.session.scalar(
                    db.select(Meeting.id).where(Meeting.group_id == group.id)
                ),
                kind=OutcomeKind.RECURRENCE,
                text="Une récurrence à partager",
                shareable=True,
            )
        )
        db.session.commit()
    tables = page_tables(signed_in, f"/groups/{group.id}/trends")
    book = openpyxl.load_workbook(
        io.BytesIO(download(signed_in, f"/groups/{group.id}/export.xlsx?outcomes=all").data)
    )
    rows = [row for sheet in book.worksheets[1:-1] for row in xlsx_rows(sheet)]
    # The statements table: label and section apart in the export, together on the page.
    statements = next(t for t in tables if t[0][0] == "Énoncé")
    other = [t for t in tables if t is not statements]
    contains_in_order(rows, other)
    exported = {r[0]: r[2:] for r in xlsx_rows(book["Écart moyen par énoncé"])[2:]}
    for row in statements[1:]:
        assert any(
            row[0].startswith(label) and cells == row[1:] for label, cells in exported.items()
        ), row[0]
    decisions = [row[2] for row in book["Décisions"].iter_rows(min_row=2, values_only=True)]
    assert "Une récurrence à partager" in decisions and len(decisions) > 1
    files = csv_files(download(signed_in, f"/groups/{group.id}/export-csv.zip?outcomes=all").data)
    contains_in_order([r for name in sorted(files)[1:-1] for r in files[name]], other)

    # By default, only shareable outcomes: the demo's indicator measured by hand (not
    # shareable) names its table, which is left out with it.
    book = openpyxl.load_workbook(
        io.BytesIO(download(signed_in, f"/groups/{group.id}/export.xlsx").data)
    )
    decisions = [row[2] for row in book["Décisions"].iter_rows(min_row=2, values_only=True)]
    kept = "Réclamations écrites sur l'attente, par mois (relevé du secrétariat)"
    assert "Une récurrence à partager" in decisions
    assert "Préparer ensemble une trame pour expliquer un refus" not in decisions
    assert kept not in decisions
    values = {c.value for sheet in book for row in sheet.iter_rows() for c in row}
    assert any(t[1][0] == kept for t in tables if t[0][0] == "Indicateur")  # on the page
    assert kept not in values


def test_a_session_not_shown_yet_has_nothing_to_export(
    app, signed_in, facilitator, make_group, make_meeting, add_responses, set_status
):
    meeting_id = make_meeting(make_group(facilitator), status="open").id
    add_responses(meeting_id, 5)
    for status in ("open", "closed"):
        if status == "closed":
            set_status(meeting_id, status)
        response = signed_in.get(f"/sessions/{meeting_id}/export.xlsx")
        assert response.status_code == 302
        assert response.headers["Location"] == f"/sessions/{meeting_id}/results"
    page = signed_in.get(f"/sessions/{meeting_id}/results").get_data(as_text=True)
    assert "Exporter (XLSX)" not in page


def test_another_facilitator_gets_404(app, client, hidden_cells, make_facilitator):
    login(client, make_facilitator(email="other@example.org"))
    with app.app_context():
        group_id = db.session.get(Meeting, hidden_cells).group_id
    for url in (
        f"/sessions/{hidden_cells}/export.xlsx",
        f"/sessions/{hidden_cells}/export-csv.zip",
        f"/groups/{group_id}/export.xlsx",
        f"/groups/{group_id}/export-csv.zip?outcomes=all",
    ):
        assert client.get(url).status_code == 404, url


def test_the_pages_offer_the_exports(app, signed_in, hidden_cells):
    page = signed_in.get(f"/sessions/{hidden_cells}/results").get_data(as_text=True)
    assert f'action="/sessions/{hidden_cells}/export.xlsx"' in page
    assert f'formaction="/sessions/{hidden_cells}/export-csv.zip"' in page
    assert "Inclure toutes les décisions (pour mon usage personnel)" in page
    with app.app_context():
        group_id = db.session.get(Meeting, hidden_cells).group_id
    page = signed_in.get(f"/groups/{group_id}/trends").get_data(as_text=True)
    assert f'action="/groups/{group_id}/export.xlsx"' in page
