"""What every workbook the app serves must be, read back with openpyxl: for each sheet a bold header row
that stays in view and has filters over the whole table, set column widths, printing set up (landscape,
as wide as the page, the header row on each page, a title) and no formulas. Returns the sheets' rows."""
from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

Rows = list[tuple]


def well_made_sheets(data: bytes) -> dict[str, Rows]:
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.properties.title
    sheets = {}
    for sheet in workbook.worksheets:
        header = sheet[1]
        assert header and all(cell.font.bold for cell in header), sheet.title
        assert all(isinstance(cell.value, str) and cell.value for cell in header), sheet.title
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}", sheet.title
        assert all(sheet.column_dimensions[get_column_letter(n)].width for n in range(1, sheet.max_column + 1))
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
        assert workbook.properties.title.replace("&", "&&") in sheet.oddHeader.center.text
        assert "&P" in sheet.oddFooter.right.text
        assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row), sheet.title
        rows = list(sheet.iter_rows(values_only=True))
        assert all(len(row) == len(rows[0]) for row in rows)
        sheets[sheet.title] = rows
    return sheets


def typed_cells(rows: Rows) -> tuple[list[datetime], list[int | float]]:
    """The dates and the numbers among a sheet's cells below its header (bools are not numbers)."""
    cells = [cell for row in rows[1:] for cell in row]
    return ([c for c in cells if isinstance(c, datetime)],
            [c for c in cells if isinstance(c, int | float) and not isinstance(c, bool)])
