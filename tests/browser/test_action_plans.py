"""A SENCo drafts three actions from the lowest-rated areas, the head finalises, a later edit makes
version 2, and progress notes are added; axe-core checks every page on the way."""
from __future__ import annotations

import random
import re

from playwright.sync_api import Browser, Page, expect

from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import Role
from app.self_evaluations.service import save_area, start_self_evaluation
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, enrol, make_programme, make_school, make_triad, make_user, make_year

LEVELS = (3, 1, 4, 2, 3, 2, 4, 3)  # areas 2, 4 and 6 are the lowest


def add_action(page: Page, description: str, owner: str, due: tuple[str, str, str], criteria: str) -> None:
    page.get_by_label("What will be done?").fill(description)
    page.get_by_role("radio", name=owner).check()
    for label, value in zip(("Day", "Month", "Year"), due, strict=True):
        page.get_by_role("group", name="Due date").get_by_label(label).fill(value)
    page.get_by_label("Success criteria").fill(criteria)
    assert_accessible(page)
    page.get_by_role("button", name="Save action").click()


def test_a_senco_drafts_from_the_lowest_areas_the_head_finalises_and_version_2_follows(
        browser: Browser, base_url: str, data):
    suffix = random.randint(1000, 9999)
    programme = make_programme(name=f"Plan Triads {suffix}")
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=2025)
    school = make_school(name=f"Heron Primary {suffix}")
    make_triad(year, schools=enrol(year, school, make_school(), make_school()))
    senco = make_user(Role.SENCO, school=school, name="Sita Senco")
    head = make_user(Role.HEAD, school=school, name="Hugh Head")
    evaluation = start_self_evaluation(school, year)
    for rating in evaluation.ratings:
        save_area(rating, rating.version, {"level": LEVELS[rating.area.position - 1]})
    db.session.commit()

    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    sign_in(page, senco.email, PASSWORD)
    page.get_by_role("link", name="Start the action plan").click()
    page.get_by_role("button", name="Start action plan").click()
    expect(page.get_by_role("heading", name="Action plan", exact=True)).to_be_visible()
    suggestions = page.get_by_role("link", name=re.compile("^Add an action for this area"))
    expect(suggestions).to_have_count(3)
    assert_accessible(page)

    # Submitting without an owner or a due date keeps what was typed and explains.
    suggestions.first.click()
    expect(page.get_by_role("checkbox", name="2. Leadership of SEND")).to_be_checked()
    page.get_by_label("What will be done?").fill("Governor training on SEND")
    page.get_by_role("button", name="Save action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose who owns this action")
    expect(page.get_by_label("What will be done?")).to_have_value("Governor training on SEND")
    assert_accessible(page)
    add_action(page, "Governor training on SEND", "Hugh Head", ("31", "1", "2026"), "Governors ask about SEND outcomes")
    expect(page.get_by_text("Action 1 saved.")).to_be_visible()

    for n, (description, owner) in enumerate((("Parent drop-ins each half term", "Sita Senco"),
                                              ("Termly provision map review", "Someone else")), start=2):
        page.get_by_role("link", name=re.compile("^Add an action for this area")).nth(n - 1).click()
        if owner == "Someone else":
            page.get_by_label("Name of the person who owns it").fill("Jo Smith, deputy head")
        add_action(page, description, owner, ("20", "3", "2026"), "Attendance at drop-ins doubles")
        expect(page.get_by_text(f"Action {n} saved.")).to_be_visible()
    expect(page.locator(".govuk-summary-card")).to_have_count(3)
    expect(page.locator("#action-2")).to_contain_text("4. Working with pupils and parents/carers of pupils with SEND")
    expect(page.locator("#action-3")).to_contain_text("Jo Smith, deputy head")
    expect(page.get_by_role("button", name=re.compile("^Finalise"))).to_have_count(0)  # the head finalises
    context.close()

    # The head finalises version 1.
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    sign_in(page, head.email, PASSWORD)
    page.get_by_role("link", name="Finalise the action plan").click()
    assert_accessible(page)
    page.get_by_role("button", name="Finalise version 1").click()
    expect(page.get_by_text("Version 1 of the action plan finalised.")).to_be_visible()
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Version 1 by Hugh Head")

    # A later edit makes version 2; version 1 stays readable and the change is shown.
    page.get_by_role("link", name="Change action 3").click()
    expect(page.get_by_text("Saving a change starts version 2")).to_be_visible()
    page.get_by_label("What will be done?").fill("Half-termly provision map review with class teachers")
    page.get_by_role("button", name="Save action").click()
    expect(page.get_by_text("This is now version 2 of the plan")).to_be_visible()
    page.get_by_role("link", name="What changed between versions").click()
    expect(page.get_by_role("heading", name="Version 1 to version 2")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Half-termly provision map review with class teachers")
    assert_accessible(page)
    page.locator(".govuk-breadcrumbs").get_by_role("link", name="Action plan", exact=True).click()
    page.get_by_role("button", name="Finalise version 2").click()
    expect(page.get_by_text("Version 2 of the action plan finalised.")).to_be_visible()
    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(page.locator("#action-3")).to_contain_text("Termly provision map review")
    assert_accessible(page)
    page.locator(".govuk-breadcrumbs").get_by_role("link", name="Action plan", exact=True).click()

    # Progress notes at triad meeting 2.
    page.get_by_role("link", name="Update progress on action 1").click()
    page.get_by_role("radio", name="On track").check()
    page.get_by_label("Progress note").fill("Two governors trained; the rest booked for March")
    assert_accessible(page)
    page.get_by_role("button", name="Save progress").click()
    expect(page.get_by_text("Progress on action 1 saved.")).to_be_visible()
    page.get_by_role("link", name="Update progress on action 2").click()
    page.get_by_role("radio", name="Complete").check()
    page.get_by_label("Progress note").fill("Drop-ins running since November")
    page.get_by_role("button", name="Save progress").click()
    expect(page.locator("#action-1")).to_contain_text("Two governors trained")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("1 of 3 actions complete (33%)")
    assert_accessible(page)
    context.close()
