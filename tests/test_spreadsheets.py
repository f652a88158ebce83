"""Writing tables as spreadsheets: formulas neutralised, numbers kept as numbers, names Excel and
browsers accept."""

import csv
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from survey.spreadsheets import (
    Number,
    Sheet,
    content_disposition,
    csv_text,
    csv_zip_bytes,
    neutralised,
    sheet_names,
    xlsx_bytes,
)

DANGEROUS = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-2+3", "\tx", "\rx", "=1+1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert neutralised(text) == "'" + text


@pytest.mark.parametrize("text", ["Accueil", "moins de 4 réponses", "—", "'déjà", " =1", "2,5"])
def test_other_texts_are_kept(text):
    assert neutralised(text) == text


def sheet() -> Sheet:
    page = Sheet("Résultats")
    page.heading("Énoncé", "Moyenne", "Part")
    page.line("=cmd|' /C calc'!A0", Number(-1.5, 1, False, "-1,5"), Number(45, 0, True, "45 %"))
    page.line("-2+3", "moins de 4 réponses", None)
    return page


def test_the_xlsx_writes_numbers_as_numbers_and_texts_as_inert_text():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([sheet()])))
    page = book["Résultats"]
    label, mean, share = page[2]
    assert label.value == "'=cmd|' /C calc'!A0" and label.data_type == "s"
    assert mean.value == -1.5 and mean.number_format == "0.0"
    assert share.value == 0.45 and share.number_format == "0%"
    assert page["A3"].value == "'-2+3" and page["B3"].value == "moins de 4 réponses"
    assert page["A1"].font.bold and not page["A2"].font.bold


def test_a_control_character_xml_refuses_is_dropped():
    page = Sheet("x")
    page.line("bell\x07 and tab\tkept")
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([page])))
    assert book["x"]["A1"].value == "bell and tab\tkept"


def test_the_csv_writes_the_pages_figures_and_neutralised_texts():
    text = csv_text(sheet(), ";")
    frame = pd.read_csv(io.StringIO(text), sep=";", header=None, dtype=str, keep_default_na=False)
    assert frame.shape == (3, 3)  # rows padded to the widest
    assert frame.iloc[1].tolist() == ["'=cmd|' /C calc'!A0", "-1,5", "45 %"]
    assert frame.iloc[2].tolist() == ["'-2+3", "moins de 4 réponses", ""]


#: Texts that start harmlessly but hold a formula after a separator or a line break.
HIDDEN = [
    "x,=1+1",
    "x;=cmd|' /C calc'!A0",
    'x,"=1+1,"',
    "x,@SUM(1)",
    "a;+1",
    "a,-2+3",
    "liste\n=1+1",
    "tab\t=1+1",
]


@pytest.mark.parametrize("written", [",", ";"])
@pytest.mark.parametrize("read", [",", ";", "\t"])
def test_no_cell_starts_a_formula_whatever_separator_the_csv_is_read_with(written, read):
    # A French file (";") opened where the list separator is "," (or the other way round)
    # is split inside the texts: no piece may start with a formula either.
    page = Sheet("x")
    for text in [*HIDDEN, *DANGEROUS]:
        page.line("Décisions", text, Number(-1.5, 1, False, "-1,5"))
    # The most careless reader: every line break ends a row, even inside quotes.
    lines = re.split(r"\r\n|\r|\n", csv_text(page, written))
    for row in csv.reader(lines, delimiter=read):
        for cell in row:
            if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                float(cell.replace(",", "."))  # only a figure (or a piece of one) may


def test_the_zip_has_one_csv_per_sheet_with_a_byte_order_mark():
    data = csv_zip_bytes([Sheet("Notes"), Sheet("Ordre du jour"), Sheet("Notes")], True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["01-notes.csv", "02-ordre-du-jour.csv", "03-notes-2.csv"]
        assert archive.read("01-notes.csv").startswith(b"\xef\xbb\xbf")


def test_sheet_names_are_short_distinct_and_without_forbidden_characters():
    names = sheet_names(
        [
            "Résultats — A. Travail prescrit, travail réel",
            "Résultats — A. Travail prescrit, travail idéal",
            "a/b\\c?d*e[f]g:h",
            "'quoted'",
            "NOTES",
            "notes",
        ]
    )
    assert names[0] == "Résultats — A. Travail prescri…"
    assert names[1] == "Résultats — A. Travail pre… (2)"
    assert names[2] == "a-b-c-d-e-f-g-h"
    assert names[3] == "quoted"
    assert names[4:] == ["NOTES", "notes (2)"]
    assert all(len(name) <= 31 for name in names)


def test_the_download_header_has_an_ascii_name_and_the_exact_one():
    header = content_disposition("praxis-tendances-Groupe-très-Évry-2026-03-12.xlsx")
    assert header == (
        'attachment; filename="praxis-tendances-groupe-tres-evry-2026-03-12.xlsx"; '
        "filename*=UTF-8''praxis-tendances-Groupe-tr%C3%A8s-%C3%89vry-2026-03-12.xlsx"
    )
    assert '"' not in content_disposition('a"b;c.xlsx').split("filename*")[1]
