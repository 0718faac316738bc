"""A triad shares its key learnings for the celebration (a fourth is refused), the programme lead tags
one with its evidence signals and downloads the pack; axe-core checks every page on the way."""
from __future__ import annotations

import random

from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from app.extensions import db
from app.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    PASSWORD,
    enrol,
    make_programme_with_framework,
    make_school,
    make_triad,
    make_user,
    make_year,
)


def add_learning(page: Page, title: str, impact_area: str = "Identification of need") -> None:
    page.get_by_role("button", name="Add a key learning").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("What did you do?").fill("Class teachers completed a checklist before every referral.")
    page.get_by_label("What impact have you seen?").fill("Referrals arrive with evidence, and fewer are needed.")
    page.get_by_label("What are your next steps?").fill("Share the checklist across the cluster.")
    page.get_by_role("checkbox", name="5. Assessment and identification").check()
    page.get_by_role("checkbox", name=impact_area).check()
    page.get_by_role("button", name="Save learning").click()
    expect(page.get_by_text(f": {title}.")).to_be_visible()


def test_a_triad_shares_learnings_and_the_lead_prints_the_pack(browser: Browser, base_url: str, data, tmp_path):
    suffix = random.randint(1000, 9999)
    programme = make_programme_with_framework(name=f"Celebration Triads {suffix}")
    year = make_year(programme, start_year=2025)
    schools = enrol(year, make_school(name=f"Wren Primary {suffix}"), make_school(name=f"Ash Primary {suffix}"),
                    make_school(name=f"Oak Primary {suffix}"))
    triad = make_triad(year, schools, name=f"Triad {suffix}")
    make_triad(year, name=f"Triad {suffix} quiet")
    senco = make_user(Role.SENCO, school=schools[1], name="Sam Senco")
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead")
    db.session.commit()

    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    sign_in(page, senco.email, PASSWORD)
    page.goto(f"/triads/{triad.id}")
    page.get_by_role("link", name="Celebration of learning").click()
    assert_accessible(page)

    # A learning without an area of impact is refused, with what was typed kept.
    page.get_by_role("button", name="Add a key learning").click()
    page.get_by_label("Title").fill("Graduated approach checklist")
    page.get_by_role("button", name="Save learning").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter what you did")
    expect(page.get_by_label("Title")).to_have_value("Graduated approach checklist")
    assert_accessible(page)
    page.go_back()
    page.go_back()

    add_learning(page, "Graduated approach checklist")
    add_learning(page, "Parent drop-ins", "Inclusion, attendance and exclusions")
    add_learning(page, "Precision teaching", "Educational outcomes")
    expect(page.get_by_role("button", name="Add a key learning")).to_have_count(0)
    expect(page.get_by_text("Your triad has 3 key learnings, the most it can share.")).to_be_visible()
    page.goto(f"/triads/{triad.id}/celebration/learnings/new")  # a fourth, asked for directly
    expect(page.get_by_role("alert")).to_contain_text("Your triad already has 3 key learnings")
    page.goto(f"/triads/{triad.id}/celebration")
    page.get_by_role("button", name="Submit to the programme lead").click()
    expect(page.get_by_text("Your key learnings have been submitted to the programme lead.")).to_be_visible()
    assert_accessible(page)
    context.close()

    context = browser.new_context(base_url=base_url, accept_downloads=True)
    page = context.new_page()
    sign_in(page, lead.email, PASSWORD)
    page.goto(f"/years/{year.id}")
    page.get_by_role("link", name="Celebration of learning 2025/26: key learnings and the pack").click()
    expect(page.get_by_text("1 of 2 triads have submitted their key learnings.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Tag “Parent drop-ins”").click()
    expect(page.get_by_text("Suggested: Emerging, because it shows impact in 1 of the 4 areas.")).to_be_visible()
    page.get_by_role("radio", name="3 Good").first.check()
    assert_accessible(page)
    page.get_by_role("button", name="Save evidence signals").click()
    expect(page.get_by_text("Evidence signals saved for “Parent drop-ins”.")).to_be_visible()
    expect(page.get_by_role("img", name="Strength of evidence: Good, 3 of 4")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the celebration pack (PDF)").click()
    path = tmp_path / "pack.pdf"
    download.value.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert f"Triad {suffix}" in text and "Parent drop-ins" in text and "Strength of evidence: Good" in text
    assert text.index(f"Ash Primary {suffix}") < text.index(f"Oak Primary {suffix}") < text.index(
        f"Wren Primary {suffix}")
    assert "Triads yet to share their learning" in text and f"Triad {suffix} quiet" in text

    page.get_by_role("link", name="Practice library").click()
    page.get_by_label("Search", exact=True).fill("precision")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 learning found")).to_be_visible()
    assert_accessible(page)
    context.close()
