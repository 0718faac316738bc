"""Action plan exports for the governing body: CSV, Excel workbook and PDF, from a version's plain rows."""
from __future__ import annotations

import csv
import io
import socket
from datetime import date, datetime

import pypdf
import pytest
from openpyxl import load_workbook

from app.action_plans.exports import (
    EXPORT_COLUMNS,
    export_rows,
    plan_csv,
    plan_pdf,
    plan_pdf_html,
    plan_xlsx,
)
from app.common.pdf import REPORTS_DIR, ReportFileFetcher, render_pdf
from tests.conftest import FailedToLoad
from tests.workbooks import well_made_sheets

TODAY = date(2026, 3, 20)
SCHOOL = "Alder Grove Primary School"


def make_row(number: int, **changes) -> dict:
    row = {"number": number, "areas": ["1. Outcomes for pupils with SEND", "3. Leadership of SEND"],
           "description": f"Train teaching assistants in precision teaching ({number})", "owner": "Jo Bloggs",
           "due_on": "2026-04-24", "success_criteria": "Every TA runs a precision teaching session",
           "status": "On track", "latest_note": "Training booked for the spring term", "latest_note_on": "2026-03-02"}
    return {**row, **changes}


ROWS = [make_row(1),
        make_row(2, due_on="2026-03-06", status="At risk", latest_note="", latest_note_on=""),  # overdue
        make_row(3, due_on="2026-03-06", status="Complete"),  # late but complete: not overdue
        make_row(4, due_on="2026-03-20"),  # due today: not overdue yet
        make_row(5, description="=HYPERLINK(\"http://example.com\",\"Click\")", owner="@Sam", status="Not started")]

PDF_DETAILS = {"school_name": SCHOOL, "year_label": "2025/26", "version_label": "Version 2",
               "completion_text": "1 of 5 actions complete (20%)",
               "finalised_text": "finalised by Jo Bloggs on 3 March 2026"}


def test_rows_follow_the_columns_with_long_dates_and_joined_areas():
    first = export_rows(ROWS, TODAY)[0]
    assert dict(zip(EXPORT_COLUMNS, first, strict=True)) == {
        "Action": "1", "Areas": "1. Outcomes for pupils with SEND; 3. Leadership of SEND",
        "What will be done": "Train teaching assistants in precision teaching (1)", "Owner": "Jo Bloggs",
        "Due date": "24 April 2026", "Success criteria": "Every TA runs a precision teaching session",
        "Status": "On track", "Overdue": "No", "Latest note": "Training booked for the spring term",
        "Date of latest note": "2 March 2026"}


def test_csv_has_a_header_and_one_row_per_action_in_order():
    text = plan_csv(ROWS, TODAY)
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert header == EXPORT_COLUMNS
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5"]
    assert rows[1][-2:] == ["", ""]  # no note yet


def test_overdue_is_counted_against_the_given_date():
    overdue = [row[7] for row in export_rows(ROWS, TODAY)]
    assert overdue == ["No", "Yes", "No", "No", "No"]
    assert [row[7] for row in export_rows(ROWS, date(2026, 4, 25))] == ["Yes", "Yes", "No", "Yes", "Yes"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_would_run_as_formulas_get_an_apostrophe(start):
    text = plan_csv([make_row(1, description=f"{start}1+2", success_criteria="Fine - really")], TODAY)
    [_, row] = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert row[2] == f"'{start}1+2"
    assert row[5] == "Fine - really"


def test_csv_guards_a_hyperlink_formula():
    [_, *rows] = list(csv.reader(io.StringIO(plan_csv(ROWS, TODAY).removeprefix("\ufeff"))))
    assert rows[4][2] == "'=HYPERLINK(\"http://example.com\",\"Click\")"
    assert rows[4][3] == "'@Sam"


def test_workbook_has_real_numbers_and_dates_and_the_csv_s_text():
    data = plan_xlsx(ROWS, TODAY, f"{SCHOOL} action plan 2025/26, version 2")
    sheets = well_made_sheets(data)
    assert list(sheets) == ["Action plan"]
    assert load_workbook(io.BytesIO(data)).properties.title == f"{SCHOOL} action plan 2025/26, version 2"
    header, *rows = sheets["Action plan"]
    assert list(header) == EXPORT_COLUMNS
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5]  # numbers, not text
    assert all(isinstance(rows[0][n], datetime) for n in (4, 9))
    assert (rows[0][4].date(), rows[0][9].date()) == (date(2026, 4, 24), date(2026, 3, 2))
    assert rows[1][9] is None  # no note yet: an empty cell, not ""
    sheet = load_workbook(io.BytesIO(data))["Action plan"]
    assert sheet["E2"].number_format == sheet["J2"].number_format == "d mmm yyyy"
    assert sheet["C2"].alignment.wrap_text and sheet.column_dimensions["C"].width == 50
    # Every text cell is as the CSV writes it (guarded against formulas the same way).
    csv_rows = list(csv.reader(io.StringIO(plan_csv(ROWS, TODAY).removeprefix("\ufeff"))))[1:]
    typed = ("Action", "Due date", "Date of latest note")
    text_columns = [n for n, name in enumerate(EXPORT_COLUMNS) if name not in typed]
    as_text = [[row[n] or "" for n in text_columns] for row in rows]
    assert as_text == [[row[n] for n in text_columns] for row in csv_rows]
    assert rows[4][2] == "'=HYPERLINK(\"http://example.com\",\"Click\")"


def test_workbook_drops_control_characters_openpyxl_refuses():
    data = plan_xlsx([make_row(1, latest_note="Pasted\x0b from Word")], TODAY, "Plan")
    sheet = load_workbook(io.BytesIO(data))["Action plan"]
    assert sheet["I2"].value == "Pasted from Word"


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_shows_the_school_every_action_and_page_numbers():
    pages, text = pdf_text(plan_pdf(ROWS, TODAY, **PDF_DETAILS))
    flat = " ".join(text.split())
    assert f"{SCHOOL} action plan 2025/26" in flat
    assert f"Page 1 of {pages}" in flat
    squeezed = "".join(text.split())  # a table cell wraps a long word where it must
    for row in ROWS:
        assert "".join(row["description"].split()) in squeezed
    assert "Version 2, finalised by Jo Bloggs on 3 March 2026" in flat
    assert "1 of 5 actions complete (20%)" in flat


def test_pdf_html_marks_only_overdue_actions_and_escapes_content():
    html = plan_pdf_html([make_row(1, due_on="2026-03-06"), make_row(2, description="<b>bold</b> & more")],
                         TODAY, **PDF_DETAILS)
    assert html.count(">Overdue<") == 1
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in html
    assert "size: A4" in html and "<link" not in html  # the print CSS is inlined: nothing to fetch


def test_a_long_plan_runs_over_several_pages():
    pages, text = pdf_text(plan_pdf([make_row(n) for n in range(1, 41)], TODAY, **PDF_DETAILS))
    assert pages > 1
    assert f"Page {pages} of {pages}" in text


def test_fetcher_refuses_anything_outside_the_reports_folder():
    fetcher = ReportFileFetcher()
    for url in ("http://127.0.0.1:9/x.png", "https://example.com/x.css", "file:///etc/passwd",
                f"file://{REPORTS_DIR}/../config.py", "data:text/plain,hello"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    response = fetcher.fetch((REPORTS_DIR / "print.css").as_uri())
    assert b"@page" in response.read()
    response.close()


def test_a_stray_url_in_content_makes_no_request_and_is_reported():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        port = listener.getsockname()[1]
        with pytest.raises(FailedToLoad, match="Reports may only load files from the reports folder"):
            render_pdf(f'<p>Hello</p><img src="http://127.0.0.1:{port}/x.png" alt="">'
                       f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">')
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected


def test_pdf_shows_the_actions_as_a_table_a_row_each_as_the_school_report_does():
    from bs4 import BeautifulSoup

    page = BeautifulSoup(plan_pdf_html(ROWS, TODAY, **PDF_DETAILS), "html.parser")
    [table] = page.select("table.report-table.actions")
    assert [th.get_text(" ", strip=True) for th in table.select("thead th")] == [
        "Action", "What will be done", "Owner and due date", "Status", "Latest note"]
    rows = table.select("tbody tr")
    assert [row.th.get_text(strip=True) for row in rows] == ["1", "2", "3", "4", "5"]
    assert all(len(row.select("td")) == 4 for row in rows)
    assert "Jo Bloggs" in rows[0].select("td")[1].get_text() and "24 April 2026" in rows[0].select("td")[1].get_text()
    assert not page.select("dl, dt, dd")  # no stacks of labels
    assert "1 overdue" in page.select_one(".facts").get_text()
