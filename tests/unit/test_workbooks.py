"""The one table and workbook builder (app.common.exports): typed cells, the header, filters, widths,
printing, sheet names Excel accepts, and text that can neither run as a formula nor break the file; and a
table as a CSV file of one table."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone

from openpyxl import load_workbook

from app.common.exports import Column, Table, table_csv, xlsx_workbook
from tests.workbooks import typed_cells, well_made_sheets

COLUMNS = [Column("Name", 30, wrap=True), Column("Due", 12), Column("Count", 8, number_format="0"),
           Column("Average", 8, number_format="0.0", text_format=".1f"), Column("When", 18)]
ROWS = [["=SUM(A1:A9)", date(2026, 4, 24), 3, 2.25, datetime(2026, 6, 10, 12, 0, tzinfo=timezone.utc)],
        ["Pasted\x0b from Word", None, "fewer than 3", None, None]]


def test_cells_are_typed_and_text_is_guarded_and_cleaned():
    sheets = well_made_sheets(xlsx_workbook("Plan & figures", [Table("Figures", COLUMNS, ROWS)]))
    header, first, second = sheets["Figures"]
    assert header == ("Name", "Due", "Count", "Average", "When")
    # Excel holds no time zone: a moment comes back as London's wall-clock time.
    assert first == ("'=SUM(A1:A9)", datetime(2026, 4, 24), 3, 2.25, datetime(2026, 6, 10, 13, 0))  # noqa: DTZ001
    assert second == ("Pasted from Word", None, "fewer than 3", None, None)
    dates, numbers = typed_cells(sheets["Figures"])
    assert len(dates) == 2 and numbers == [3, 2.25]


def test_formats_widths_and_printing_are_set():
    sheet = load_workbook(io.BytesIO(xlsx_workbook("Plan & figures", [Table("Figures", COLUMNS, ROWS)])))["Figures"]
    assert sheet["B2"].number_format == "d mmm yyyy" and sheet["E2"].number_format == "d mmm yyyy h:mm"
    assert sheet["D2"].number_format == "0.0" and sheet["C2"].number_format == "0"
    assert sheet["A2"].alignment.wrap_text and not sheet["B2"].alignment.wrap_text
    assert [sheet.column_dimensions[c].width for c in "ABCDE"] == [30, 12, 8, 8, 18]
    assert sheet.auto_filter.ref == "A1:E3"
    assert sheet.oddHeader.center.text == "Plan && figures: Figures"  # "&&" prints one "&"
    assert sheet.page_setup.paperSize == 9 and sheet.page_setup.fitToHeight == 0  # A4, as long as it takes


def test_sheet_names_are_ones_excel_accepts_and_unique():
    long_name = "Change since 2024/25: average self-rating by area"
    tables = [Table(long_name, COLUMNS), Table(long_name, COLUMNS), Table("What? [draft]", COLUMNS)]
    names = list(load_workbook(io.BytesIO(xlsx_workbook("T", tables))).sheetnames)
    assert names == ["Change since 2024-25- average s", "Change since 2024-25- avera (2)", "What- -draft-"]
    assert all(len(name) <= 31 for name in names)


def test_a_workbook_of_no_tables_still_opens_with_one_sheet():
    assert list(well_made_sheets(xlsx_workbook("Nothing", []))) == ["Nothing to show"]


def test_a_table_as_csv_is_one_table_with_dates_and_numbers_in_words():
    text = table_csv(Table("Figures", COLUMNS, ROWS))
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["Name", "Due", "Count", "Average", "When"],
                    ["'=SUM(A1:A9)", "24 April 2026", "3", "2.2", "10 June 2026"],
                    ["Pasted\x0b from Word", "", "fewer than 3", "", ""]]
