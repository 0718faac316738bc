"""Every download the app serves, found by walking app.url_map, opened as someone the access matrix lets
open it: each workbook well made with typed cells, each CSV file one table, each calendar well made, and
each Word document opening. A new download route is checked here without being listed."""
from __future__ import annotations

import csv
import io

import docx
from flask import url_for

from tests.access_matrix import TABLE
from tests.integration.test_calendars import well_made_calendar
from tests.seeded import SeededYear, seed_year
from tests.workbooks import typed_cells, well_made_sheets


def _downloads(app, seeded: SeededYear, extension: str) -> list[tuple[str, str, str]]:
    """(endpoint, URL, a role allowed to open it) for each GET route ending in `extension`."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.rule.endswith(extension) or "GET" not in rule.methods:
                continue
            row = next(row for row in TABLE
                       if row.endpoint == rule.endpoint and row.method == "GET" and not row.variant)
            role = sorted(row.allowed - {"anonymous"})[0]
            found.append((rule.endpoint, url_for(rule.endpoint, **seeded.values_for(rule)), role))
    assert found, f"no {extension} downloads found"
    return found


def _open(client_request, seeded: SeededYear, role: str, url: str):
    client_request.sign_in(seeded.users[role])
    response = client_request.client.get(url)
    assert response.status_code == 200, url
    return response


def test_every_workbook_has_typed_numbers_a_bold_frozen_header_and_filters(app, client_request, session):
    seeded = seed_year()
    downloads = _downloads(app, seeded, ".xlsx")
    assert {endpoint for endpoint, _, _ in downloads} >= {"action_plans.export_xlsx", "dashboard.download_xlsx"}
    for endpoint, url, role in downloads:
        response = _open(client_request, seeded, role, url)
        assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", endpoint
        sheets = well_made_sheets(response.data)
        numbers = [n for rows in sheets.values() for n in typed_cells(rows)[1]]
        assert numbers, f"{endpoint}: no cell is a number"
        if endpoint == "action_plans.export_xlsx":
            assert typed_cells(sheets["Action plan"])[0], "the plan's due dates are dates"
        if endpoint == "dashboard.download_xlsx":
            assert not typed_cells(sheets["Deadlines"])[0]  # the seeded year sets none: no date, not a blank date
            assert sheets["Deadlines"][1][1:] == (None, "Not set")


def test_every_csv_is_one_table(app, client_request, session):
    seeded = seed_year()
    downloads = _downloads(app, seeded, ".csv")
    assert {endpoint for endpoint, _, _ in downloads} >= {"action_plans.export_csv", "dashboard.download",
                                                          "requests.responses"}
    for endpoint, url, role in downloads:
        response = _open(client_request, seeded, role, url)
        assert response.mimetype == "text/csv", endpoint
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))
        assert len(rows) >= 2 and all(rows[0]), endpoint  # a header naming every column, and rows
        assert {len(row) for row in rows} == {len(rows[0])}, endpoint
        assert all(any(cell.strip() for cell in row) for row in rows), f"{endpoint}: an empty row between tables"
    [(_, url, role)] = [d for d in downloads if d[0] == "requests.responses"]
    disposition = _open(client_request, seeded, role, url).headers["Content-Disposition"]
    assert disposition == 'attachment; filename="numbers-responses.csv"'  # the request's title, not "responses"


def test_every_calendar_is_well_made(app, client_request, session):
    seeded = seed_year()
    for endpoint, url, role in _downloads(app, seeded, ".ics"):
        if endpoint == "calendars.feed":
            response = client_request.client.application.test_client().get(url)  # the token is the key
        else:
            response = _open(client_request, seeded, role, url)
        assert response.status_code == 200 and response.mimetype == "text/calendar", endpoint
        assert well_made_calendar(response.data), endpoint


def test_every_word_document_opens(app, client_request, session):
    seeded = seed_year()
    for endpoint, url, role in _downloads(app, seeded, ".docx"):
        document = docx.Document(io.BytesIO(_open(client_request, seeded, role, url).data))
        assert document.paragraphs and document.core_properties.title, endpoint
