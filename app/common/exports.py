"""What every download needs: a safe file name, cells that cannot run as formulas, text that XML files
(workbooks, Word documents) accept, tables as CSV files (one table a file) and as workbooks (one sheet a
table, with real dates and numbers), and the response that makes the browser save the file."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import Response, send_file
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.common import dates
from app.common.clock import in_london
from app.common.text import CONTROL_CHARACTERS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DATE_FORMAT = "d mmm yyyy"
DATE_TIME_FORMAT = "d mmm yyyy h:mm"
SHEET_NAME_LENGTH = 31  # Excel's limit
HEADER_LENGTH = 120  # of a printed page's title: Excel takes 255 characters, "&&" counting as two
SHEET_NAME_REFUSES = re.compile(r"[\[\]:*?/\\]")


def file_slug(text: str) -> str:
    """"St Mary's C of E Primary" as "st-mary-s-c-of-e-primary": plain ASCII, safe in a file name header."""
    letters = (c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))  # "ŵ" as "w"
    return "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in letters).split()) or "report"


def guarded(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (CSV/formula injection)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def printable(text: str) -> str:
    """Text without control characters: XML files (workbooks, Word documents) cannot hold them, and openpyxl
    and python-docx refuse a whole file over one (pages refuse them as typed, but older text may hold one)."""
    return CONTROL_CHARACTERS.sub("", text)


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as a CSV file that Excel opens as UTF-8 (a byte-order mark first), every cell guarded."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows([guarded("" if cell is None else str(cell)) for cell in row] for row in rows)
    return out.getvalue()


# --- Tables: a CSV file each, or a sheet each of a workbook ----------------------------------------

Cell = str | int | float | date | None


@dataclass(frozen=True)
class Column:
    """A column of a downloaded table: its header, its width in a workbook (in characters), whether its text
    wraps, and how its numbers look: an Excel number format, and the same as a Python format spec for CSV."""

    header: str
    width: float = 14
    wrap: bool = False
    number_format: str = "General"
    text_format: str = ""


@dataclass(frozen=True)
class Table:
    """One table: a CSV file, or a sheet of a workbook. Cells are typed (a date is a `date`, a count an
    `int`); text is guarded against formulas as it is written."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


def cell_text(value: Cell, column: Column | None = None) -> str:
    """A cell as a CSV file writes it: dates as "24 April 2026", numbers in the column's format."""
    if value is None:
        return ""
    if isinstance(value, date):
        return dates.day(value)
    if isinstance(value, int | float) and column is not None and column.text_format:
        return format(value, column.text_format)
    return str(value)


def table_csv(table: Table) -> str:
    """The table as a CSV file: one header row, then a row per row, each as wide as the header."""
    return csv_text([table.headers, *([cell_text(value, column) for value, column in zip(row, table.columns,
                                                                                          strict=True)]
                                      for row in table.rows)])


def xlsx_workbook(title: str, tables: Sequence[Table]) -> bytes:
    """The tables as a workbook, a sheet each: real dates and numbers, a bold header row that stays in view
    and has filters, set column widths, and printing set up (landscape A4, as wide as the page, the header
    row on every page, the title at the top and page numbers at the foot)."""
    workbook = Workbook()
    workbook.properties.title = printable(title)
    workbook.remove(workbook.active)
    names: set[str] = set()
    for table in tables or [Table("Nothing to show", [Column("Nothing to show", 40)])]:
        sheet = workbook.create_sheet(_sheet_name(table.title, names))
        _fill(sheet, table)
        _set_up_printing(sheet, f"{title}: {table.title}")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_name(title: str, taken: set[str]) -> str:
    """A name Excel accepts (31 characters at most, none of []:*?/\\), not taken by another sheet."""
    base = SHEET_NAME_REFUSES.sub("-", printable(title)).strip("' ")[:SHEET_NAME_LENGTH] or "Sheet"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[:SHEET_NAME_LENGTH - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F3F2F1")
HEADER_BORDER = Border(bottom=Side(style="medium", color="0B0C0C"))


def _fill(sheet: Worksheet, table: Table) -> None:
    sheet.append([printable(header) for header in table.headers])
    for cell in sheet[1]:
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in table.rows:
        sheet.append([_typed(value) for value in values])
    for number, column in enumerate(table.columns, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = column.width
        alignment = Alignment(wrap_text=column.wrap, vertical="top")
        for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
            cell.alignment = alignment
            if isinstance(cell.value, datetime):
                cell.number_format = DATE_TIME_FORMAT if column.number_format == "General" else column.number_format
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT if column.number_format == "General" else column.number_format
            elif isinstance(cell.value, int | float):
                cell.number_format = column.number_format
    last = get_column_letter(len(table.columns))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"


def _typed(value: Cell) -> Cell:
    """A cell as the workbook holds it: Excel has no time zones, so a moment is written in London time."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return in_london(value).replace(tzinfo=None)
    if isinstance(value, str):
        return guarded(printable(value))
    return value


def _set_up_printing(sheet: Worksheet, title: str) -> None:
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0  # as wide as the page, as many pages long as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    # "&" starts a header code; Excel takes 255 characters at most in a header, codes included.
    sheet.oddHeader.center.text = printable(title)[:HEADER_LENGTH].replace("&", "&&")
    sheet.oddHeader.center.size = 10
    sheet.oddFooter.right.text = "Page &P of &N"
    sheet.oddFooter.right.size = 9


def download(body: bytes | str, filename: str, mimetype: str) -> Response:
    """A file to save, never shown as a page of this site: `attachment; filename="..."` (with the name in
    UTF-8 as well when it is not plain ASCII)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename,
                         max_age=0)
    response.direct_passthrough = False  # so after-request hooks and tests may read the body
    if filename.isascii() and '"' not in filename and "\\" not in filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
