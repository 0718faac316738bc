"""A programme's second year, in the browser: the lead closes 2025/26 (the check page lists what is
unfinished), starts 2026/27 with the returning schools (last year's whole triad copied) and imports new ones,
accepts one suggested triad and changes another, then a returning school's SENCo starts the new plan from
last year's unfinished action. axe-core checks every page on the way."""
from __future__ import annotations

import random
from datetime import date

from playwright.sync_api import Page, expect

from app.action_plans.service import OTHER_OWNER, ActionInput, areas_for, save_action, start_action_plan
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, enrol, make_programme, make_school, make_triad, make_user, make_year

NEW_SCHOOLS_CSV = (
    "URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (name),Cluster\n"
    "{base}1,Quince Primary School {suffix},Community school,Primary,Testshire,\n"
    "{base}2,Rowan Primary School {suffix},Academy converter,Primary,Testshire,\n"
    "{base}3,Sloe Primary School {suffix},Academy converter,Primary,Testshire,\n"
    "{base}4,Teasel Primary School {suffix},Voluntary aided school,Primary,Testshire,\n"
)


def test_the_lead_closes_a_year_and_starts_the_next_and_a_school_carries_its_actions_on(page: Page, data):
    suffix = random.randint(1000, 9999)
    programme = make_programme(name=f"Bury Triads {suffix}")
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=2025)
    schools = [make_school(name=f"{name} {suffix}") for name in
               ("Alder Primary", "Birch Primary", "Cedar High", "Damson Primary", "Elm Primary", "Fir Academy")]
    enrol(year, *schools)
    make_triad(year, schools=schools[:3], name="Triad A")
    make_triad(year, schools=schools[3:], name="Triad B")
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead")
    senco = make_user(Role.SENCO, school=schools[0], name="Sam Senco")
    plan = start_action_plan(schools[0], year)
    areas = areas_for(plan)
    save_action(plan, None, ActionInput([areas[4].id], "Graduated approach checklist", OTHER_OWNER, "Jo Smith",
                                        date(2026, 6, 1), False, "Every class teacher uses it"), areas, [])
    db.session.commit()

    sign_in(page, lead.email, PASSWORD)
    page.goto(f"/years/{year.id}")
    page.get_by_role("link", name="Close 2025/26").click()
    expect(page.get_by_role("heading", name="Close 2025/26")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Self-evaluations not signed off (6)")
    expect(main).to_contain_text("Action plans not finalised (6)")
    expect(main).to_contain_text("Triad B: meeting 1, 2, 3")
    assert_accessible(page)
    page.get_by_role("button", name="Close 2025/26").click()
    expect(page.get_by_text("2025/26 is closed. Everything in it can be read but no longer changed.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/programmes/{programme.id}")
    page.get_by_role("button", name="Start 2026/27").click()
    expect(page.get_by_role("heading", name="Start 2026/27")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Which schools return?").get_by_label(f"Fir Academy {suffix}").uncheck()
    page.get_by_role("button", name="Start the year").click()
    expect(page.get_by_text("2026/27 started with 5 returning schools and 1 triads carried on.")).to_be_visible()
    expect(page.get_by_role("heading", name="Academic year 2026/27")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Import schools from a CSV file").click()
    base = random.randint(10000, 99999)
    page.get_by_label("Upload a CSV file").set_input_files(files=[{
        "name": "new.csv", "mimeType": "text/csv",
        "buffer": NEW_SCHOOLS_CSV.format(base=base, suffix=suffix).encode()}])
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 4 schools").click()
    expect(page.get_by_text("4 schools added.")).to_be_visible()

    # The two returning schools not in a copied triad and the four new ones: two triads suggested, each
    # with a returning school as its coach. The lead accepts one and changes the other.
    page.get_by_role("link", name="See all triads").click()
    page.get_by_role("link", name="See suggested triads").click()
    expect(page.get_by_role("heading", name="2 triads suggested for 6 schools", exact=False)).to_be_visible()
    assert_accessible(page)
    first, second = page.locator("main section").all()
    expect(first.locator("li", has_text="Coach")).to_contain_text("Returning")
    expect(second.locator("li", has_text="Coach")).to_contain_text("Returning")
    first.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Testshire 1 formed.")).to_be_visible()
    page.get_by_role("link", name="Change Testshire 2").click()
    expect(page.get_by_label("Triad name")).to_have_value("Testshire 2")
    assert_accessible(page)
    page.get_by_label("Triad name").fill("Triad C")
    page.get_by_role("group", name="Which of the three is the coach school?").get_by_label(
        f"Teasel Primary School {suffix}").check()
    page.get_by_role("button", name="Save triad").click()
    expect(page.get_by_text("Triad C formed.")).to_be_visible()
    expect(page.get_by_role("row", name="Triad C")).to_contain_text(f"Teasel Primary School {suffix} Coach")
    assert_accessible(page)

    page.goto(f"/programmes/{programme.id}")
    expect(page.locator("main")).to_contain_text("Year 2: 2026/27")
    row = page.get_by_role("row", name="2026/27 Year 2")
    expect(row.locator("td").nth(0)).to_have_text("9")
    expect(row.locator("td").nth(1)).to_have_text("3")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, senco.email, PASSWORD)
    page.goto(f"/schools/{schools[0].id}")
    page.get_by_role("button", name="Start action plan").click()
    expect(page.get_by_role("heading", name="Carry on from 2025/26")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Carry it on").click()
    expect(page.get_by_label("What will be done?")).to_have_value("Graduated approach checklist")
    expect(page.get_by_label("5. Assessment and identification")).to_be_checked()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save action").click()
    expect(page.get_by_text("Action 1 saved.")).to_be_visible()
    expect(page.locator("#action-1")).to_contain_text("Action 1 of last year's plan")
    expect(page.get_by_role("heading", name="Carry on from 2025/26")).to_have_count(0)
    assert_accessible(page)
