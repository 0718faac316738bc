"""The programme lead issues an information request and a school answers it with a file; the lead
reads the locality dashboard, filters it and downloads its figures (the workbook, and one table as CSV)."""
from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from playwright.sync_api import Browser, expect

from app.extensions import db
from app.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    PASSWORD,
    enrol,
    make_cluster,
    make_programme,
    make_programme_with_framework,
    make_school,
    make_triad,
    make_user,
    make_year,
)
from tests.locality import rate, share
from tests.workbooks import well_made_sheets


def test_the_lead_issues_a_request_and_a_school_answers_it(browser: Browser, base_url: str, data):
    suffix = random.randint(1000, 9999)
    programme = make_programme(name=f"Request Triads {suffix}")
    year = make_year(programme, start_year=2025)
    school = make_school(name=f"Wren Primary {suffix}")
    enrol(year, school, make_school(), make_school())
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead")
    senco = make_user(Role.SENCO, school=school, name="Sam Senco")
    db.session.commit()

    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    sign_in(page, lead.email, PASSWORD)
    page.goto(f"/years/{year.id}")
    page.get_by_role("link", name="Information requests to schools").click()
    assert_accessible(page)
    page.get_by_role("button", name="Ask schools for information").click()
    page.get_by_label("Title").fill("SEND register numbers")
    page.get_by_label("What are you asking schools for?").fill("How many pupils have EHC plans this term?")
    page.get_by_role("radio", name="The schools I choose").check()
    page.get_by_role("checkbox", name=school.name).check()
    assert_accessible(page)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Request sent to 1 schools. Answers are due by")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("Waiting")
    assert_accessible(page)
    context.close()

    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    sign_in(page, senco.email, PASSWORD)
    page.get_by_role("link", name="Answer “SEND register numbers”").click()
    assert_accessible(page)
    page.get_by_label("Your answer").fill("Fourteen pupils have EHC plans.")
    page.get_by_label("Attach a file (optional)").set_input_files(
        files=[{"name": "register.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 register"}])
    page.get_by_role("button", name="Send your answer").click()
    expect(page.get_by_text("Your answer to “SEND register numbers” has been sent.")).to_be_visible()
    context.close()

    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    sign_in(page, lead.email, PASSWORD)
    page.goto(f"/years/{year.id}")
    page.get_by_role("link", name="Information requests to schools").click()
    page.get_by_role("link", name="SEND register numbers").click()
    expect(page.locator("tbody")).to_contain_text("Answered")
    expect(page.locator("tbody")).to_contain_text("Fourteen pupils have EHC plans.")
    expect(page.get_by_role("link", name=f"register.pdf from {school.name}")).to_be_visible()
    assert_accessible(page)
    context.close()


def test_the_lead_reads_the_locality_dashboard_filters_it_and_downloads_the_figures(browser: Browser, base_url: str,
                                                                                    data):
    suffix = random.randint(1000, 9999)
    programme = make_programme_with_framework(name=f"Dashboard Triads {suffix}")
    year = make_year(programme, start_year=2025)
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead")
    north = make_cluster(programme, "North")
    for number in range(1, 4):
        schools = [make_school(name=f"Heron {suffix}-{number}-{n}", phase="Primary" if n < 3 else "Secondary")
                   for n in range(1, 4)]
        enrol(year, *schools, cluster=north if number < 3 else None)
        make_triad(year, schools, name=f"Triad {number}")
        for index, school in enumerate(schools):
            rate(year, school, [index + 2] * 8)
        share(year, schools[2])
    db.session.commit()

    context = browser.new_context(base_url=base_url, accept_downloads=True)
    page = context.new_page()
    sign_in(page, lead.email, PASSWORD)
    page.goto(f"/years/{year.id}")
    page.get_by_role("link", name=f"Locality dashboard for {year.label}").click()
    expect(page.get_by_role("heading", name="Locality dashboard")).to_be_visible()
    expect(page.get_by_role("img", name="Self-ratings by area, all schools, 2025/26")).to_be_visible()
    expect(page.get_by_role("table", name="Progress by triad")).to_contain_text("Triad 3")
    expect(page.get_by_role("link", name=f"Heron {suffix}-1-3")).to_be_visible()  # shares: named
    expect(page.get_by_text(f"Heron {suffix}-1-1")).to_have_count(0)           # does not share
    assert_accessible(page)

    page.get_by_label("Cluster", exact=True).select_option(label="North")
    page.get_by_label("Phase", exact=True).select_option(label="Primary")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_text("Figures for North, primary schools")).to_be_visible()
    expect(page.get_by_role("table", name="Progress by triad")).not_to_contain_text("Triad 3")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures as an Excel workbook").click()
    assert download.value.suggested_filename.endswith("-2025-26-dashboard-north-primary-schools-tables.xlsx")
    sheets = well_made_sheets(Path(download.value.path()).read_bytes())
    assert list(sheets)[:3] == ["Deadlines", "Total", "Triads"]
    assert [row[0] for row in sheets["Triads"][1:]] == ["Triad 1", "Triad 2"]

    page.get_by_text("Download one table as a CSV file").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Progress by triad (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "Triad" and [row[0] for row in rows[1:]] == ["Triad 1", "Triad 2"]
    context.close()
