"""Tables written as files a spreadsheet opens: XLSX (one sheet per table group), or a ZIP of
CSV files (one per sheet), with formula injection neutralised and safe file names.

Pure: it knows nothing of Flask, the database or where the tables come from
(``survey.exports`` lays the results out as ``Sheet``s).

Formula injection (OWASP « CSV injection »): a spreadsheet evaluates a cell that starts with
``=``, ``+``, ``-`` or ``@`` (and some read a leading tab or carriage return the same way), so a
statement label or an outcome typed as ``=HYPERLINK(…)`` would become a live formula in the
facilitator's spreadsheet. Every *text* cell that starts with one of these gets a leading
apostrophe ``'``, in the XLSX and in the CSV alike. A *number* (``Number``) is not text: in the
XLSX it is written as a number, so a negative mean stays a negative number; in a CSV it is
written as the page shows it (« -1,5 »), which is safe only because ``Number`` is made solely
from a string that parses fully as a number (see ``survey.exports.figure``): such a cell holds
nothing but a sign, digits, a decimal mark and a percent sign, which no spreadsheet can run.
Anything else that starts with those characters, « -2+3 » included, is text and gets the
apostrophe. In a CSV, so does such a start *inside* a text right after a separator or a line
break (« x,=1+1 » becomes « x,'=1+1 »): a French file (``;``) opened where the list separator
is a comma is split there, and the piece would start a formula.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

#: Starts of a text cell that a spreadsheet may read as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limit on a sheet's name, and the characters it refuses there.
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_TYPE = "application/zip"


@dataclass(frozen=True)
class Number:
    """A figure a page shows: its value, rounded as shown, and the page's own text of it.

    ``digits``: the decimals shown; ``percent``: ``value`` is in percent (45 for « 45 % »).
    """

    value: float
    digits: int
    percent: bool
    shown: str

    @property
    def number_format(self) -> str:
        """The XLSX format that shows the same digits (the reader's locale sets the marks)."""
        decimals = "." + "0" * self.digits if self.digits else ""
        return f"0{decimals}%" if self.percent else f"0{decimals}"


Cell = str | Number | None


@dataclass
class Sheet:
    """One sheet of a workbook (one CSV file of the ZIP): rows of cells, some of them headings."""

    title: str
    rows: list[list[Cell]] = field(default_factory=list)
    #: Indexes of the rows written in bold (a table's title, its column headings).
    bold: set[int] = field(default_factory=set)

    def heading(self, *cells: Cell) -> None:
        self.bold.add(len(self.rows))
        self.rows.append(list(cells))

    def line(self, *cells: Cell) -> None:
        self.rows.append(list(cells))

    def blank(self) -> None:
        if self.rows and self.rows[-1]:
            self.rows.append([])


#: Inside a CSV text: a separator (either of them: a reader may split on the one the file does
#: not use, a French file opened where the list separator is a comma) or a line break, then a
#: formula start, possibly behind quotes. A reader that splits there starts a cell with it.
_FORMULA_INSIDE = re.compile(r"(?<=[,;\t\r\n])(?=\"*[=+\-@\t\r])")


def neutralised(text: str) -> str:
    """A text cell that no spreadsheet reads as a formula: a leading ``'`` where it starts like
    one (the apostrophe shows, so the reader sees that the text was changed)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def sheet_names(titles: list[str]) -> list[str]:
    """Excel-safe, distinct names: no ``[]:*?/\\``, no apostrophe at either end, at most 31
    characters (cut with « … »), a number added where two would be the same."""
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        base = _SHEET_FORBIDDEN.sub("-", " ".join(title.split())).strip("'") or "-"
        name, number = _cut(base, SHEET_NAME_MAX), 1
        while name.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            name = _cut(base, SHEET_NAME_MAX - len(suffix)) + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    """The workbook: numbers as numbers with the shown digits, texts neutralised."""
    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "Praxis"
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    for sheet, name in zip(sheets, sheet_names([s.title for s in sheets]), strict=True):
        page = book.create_sheet(name)
        for number, row in enumerate(sheet.rows):
            for column, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                target = page.cell(row=number + 1, column=column)
                if isinstance(value, Number):
                    target.value = value.value / 100 if value.percent else value.value
                    target.number_format = value.number_format
                else:
                    target.value = neutralised(ILLEGAL_CHARACTERS_RE.sub("", value))
                    target.alignment = wrapped
                if number in sheet.bold:
                    target.font = bold
        for column, width in enumerate(_widths(sheet), start=1):
            page.column_dimensions[get_column_letter(column)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _widths(sheet: Sheet) -> list[int]:
    """Each column as wide as its longest cell, between 8 and 60 characters (longer texts wrap);
    a table's title, alone on its row, does not widen the first column."""
    widths: list[int] = []
    for row in sheet.rows:
        if len(row) < 2:
            continue
        for column, value in enumerate(row):
            size = len(value.shown if isinstance(value, Number) else value or "")
            if column == len(widths):
                widths.append(8)
            widths[column] = min(60, max(widths[column], size + 2))
    return widths or [60]


def csv_zip_bytes(sheets: list[Sheet], decimal_comma: bool) -> bytes:
    """A ZIP of one CSV per sheet, in the sheets' order (``01-notes.csv``…).

    UTF-8 with a byte order mark (Excel reads accents right only with it), ``;`` between cells
    where the language writes decimals with a comma (French: what Excel and LibreOffice expect
    in that locale, and « 2,5 » needs no quoting), ``,`` otherwise; every row padded to the
    sheet's width, so that ``pandas.read_csv`` reads each file as one table.
    """
    out = io.BytesIO()
    names = sheet_names([s.title for s in sheets])
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (sheet, name) in enumerate(zip(sheets, names, strict=True), start=1):
            archive.writestr(
                f"{number:02d}-{ascii_slug(name) or 'sheet'}.csv",
                ("\ufeff" + csv_text(sheet, ";" if decimal_comma else ",")).encode("utf-8"),
            )
    return out.getvalue()


def csv_text(sheet: Sheet, separator: str) -> str:
    """One sheet as CSV: numbers as the page writes them, texts neutralised."""
    width = max((len(row) for row in sheet.rows), default=1) or 1
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    for row in sheet.rows:
        cells = [_csv_cell(value) for value in row]
        writer.writerow(cells + [""] * (width - len(cells)))
    return out.getvalue()


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Number):
        return value.shown
    return neutralised(_FORMULA_INSIDE.sub("'", value))


def ascii_slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: « Ordre du jour » → ``ordre-du-jour``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def file_word(text: str, size: int = 40) -> str:
    """A name as part of a file name: letters and digits (accents kept), hyphens between."""
    return re.sub(r"[\W_]+", "-", text).strip("-")[:size].strip("-")


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII file name for old clients and the exact UTF-8 one
    (RFC 6266 ``filename*``)."""
    stem, dot, extension = filename.rpartition(".")
    fallback = (ascii_slug(stem) or "praxis") + dot + ascii_slug(extension)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
