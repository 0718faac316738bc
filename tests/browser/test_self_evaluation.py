"""A SENCo completes the self-evaluation over two sittings, with the keyboard, and the head signs it
off; axe-core checks every page on the way."""
from __future__ import annotations

import random
import re

from playwright.sync_api import Browser, Page, expect

from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, enrol, make_programme, make_school, make_triad, make_user, make_year

AREAS = 8


def scripts_ready(page: Page) -> None:
    """Wait until GOV.UK Frontend has started (it moves focus to a success banner when it does)."""
    page.locator("[data-govuk-button-init]").first.wait_for(state="attached")


def fill_area_with_keyboard(page: Page, level: str, evidence: str, strengths: str, development: str) -> None:
    """Choose a rating and write the three texts using only the keyboard."""
    scripts_ready(page)
    page.get_by_role("radio", name=level).focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name=level)).to_be_checked()
    page.keyboard.press("Tab")  # past the reason, which only "not yet evaluated" needs
    for label, text in (("Evidence", evidence), ("Strengths", strengths), ("Areas for development", development)):
        page.keyboard.press("Tab")
        expect(page.get_by_label(label, exact=True)).to_be_focused()
        page.keyboard.type(text)


def test_a_senco_completes_the_self_evaluation_in_two_sittings_and_the_head_signs_it_off(
        browser: Browser, base_url: str, data):
    suffix = random.randint(1000, 9999)
    programme = make_programme(name=f"Self-evaluation Triads {suffix}")
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=2025)
    school = make_school(name=f"Kestrel Primary {suffix}")
    make_triad(year, schools=enrol(year, school, make_school(), make_school()))
    senco = make_user(Role.SENCO, school=school, name="Sita Senco")
    head = make_user(Role.HEAD, school=school, name="Hugh Head")
    db.session.commit()

    # First sitting: start, rate areas 1 to 3 with the Save button, area 4 by autosave alone.
    first = browser.new_context(base_url=base_url)
    page = first.new_page()
    sign_in(page, senco.email, PASSWORD)
    page.get_by_role("link", name="Start the self-evaluation").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start self-evaluation").click()
    expect(page.get_by_role("heading", name="Self-evaluation")).to_be_visible()
    expect(page.locator("#progress")).to_contain_text(f"0 of {AREAS} areas done")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Start area 1,")).click()
    expect(page.get_by_role("heading", name="1. Outcomes for pupils with SEND")).to_be_visible()
    assert_accessible(page)
    for number, level in ((1, "3 Established"), (2, "2 Developing"), (3, "4 Embedded")):
        expect(page.get_by_role("heading", name=re.compile(rf"^{number}\. "))).to_be_visible()
        fill_area_with_keyboard(page, level, f"Evidence {number}: termly provision map review",
                                f"Strengths {number}", f"Development {number}")
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Save and continue")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_text(f"Area {number} saved.")).to_be_visible()

    expect(page.get_by_role("heading", name=re.compile(r"^4\. "))).to_be_visible()
    fill_area_with_keyboard(page, "1 Emerging", "Evidence 4: parent survey", "Strengths 4", "Development 4")
    development = page.locator(".govuk-form-group", has=page.get_by_label("Areas for development", exact=True))
    expect(development.get_by_role("status")).to_contain_text("Saved at", timeout=10_000)  # where the typing was
    assert_accessible(page)
    first.close()  # the browser is closed without pressing Save

    # Second sitting, days later: nothing is lost; finish, submit.
    second = browser.new_context(base_url=base_url)
    page = second.new_page()
    sign_in(page, senco.email, PASSWORD)
    expect(page.get_by_role("region", name="To do")).to_contain_text(f"4 of {AREAS} areas done")
    page.get_by_role("link", name="Finish and submit the self-evaluation").click()
    expect(page.locator("#area-4")).to_contain_text("1 Emerging")
    expect(page.locator("#area-4")).to_contain_text("Evidence 4: parent survey")
    expect(page.locator("#area-4")).to_contain_text("Development 4")

    # Submitting too early lists what is left.
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Rate area 5, Assessment and identification")
    assert_accessible(page)
    page.locator(".govuk-error-summary").get_by_role("link", name=re.compile("Rate area 5")).click()
    for number in (5, 6, 7):
        fill_area_with_keyboard(page, "3 Established", f"Evidence {number}",
                                f"Strengths {number}", f"Development {number}")
        page.get_by_role("button", name="Save and continue").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text(f"Area {number} saved.")).to_be_visible()
    # Area 8: not yet evaluated, with a reason.
    scripts_ready(page)
    page.get_by_role("radio", name="Not yet evaluated").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_label("If not yet evaluated, why not?")).to_be_focused()
    page.keyboard.type("New provision started in January; too early to judge")
    assert_accessible(page)
    page.get_by_role("button", name="Save and return to the overview").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#progress")).to_contain_text(f"{AREAS} of {AREAS} areas done")
    scripts_ready(page)
    page.get_by_role("button", name="Submit for sign-off").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Self-evaluation submitted.")).to_be_visible()
    assert_accessible(page)
    second.close()

    # The head signs it off.
    third = browser.new_context(base_url=base_url)
    page = third.new_page()
    sign_in(page, head.email, PASSWORD)
    page.get_by_role("link", name="Sign off the self-evaluation").click()
    expect(page.locator("#area-8")).to_contain_text("Not yet evaluated: New provision started in January")
    assert_accessible(page)
    page.get_by_role("button", name="Sign off self-evaluation").click()
    expect(page.get_by_text("Self-evaluation signed off.")).to_be_visible()
    summary = page.locator(".govuk-summary-list").first
    expect(summary).to_contain_text("Signed off")
    expect(summary).to_contain_text("Sita Senco")
    expect(summary).to_contain_text("Hugh Head")
    expect(page.get_by_role("link", name=re.compile("^Change"))).to_have_count(0)
    assert_accessible(page)
    third.close()


def test_an_area_is_saved_with_javascript_off(browser: Browser, base_url: str, data):
    programme = make_programme(name=f"No-script Triads {random.randint(1000, 9999)}")
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=2025)
    [school] = enrol(year, make_school())
    senco = make_user(Role.SENCO, school=school)
    db.session.commit()

    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    sign_in_without_axe(page, senco.email)
    page.get_by_role("link", name="Start the self-evaluation").click()
    page.get_by_role("button", name="Start self-evaluation").click()
    page.get_by_role("link", name=re.compile(r"^Start area 2,")).click()
    page.get_by_role("radio", name="Not yet evaluated").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why this area is not yet evaluated")
    page.get_by_label("If not yet evaluated, why not?").fill("Our new SENCo started in January")
    page.get_by_role("button", name="Save and return to the overview").click()
    expect(page.get_by_text("Area 2 saved.")).to_be_visible()
    expect(page.locator("#area-2")).to_contain_text("Not yet evaluated: Our new SENCo started in January")
    expect(page.locator("#progress")).to_contain_text(f"1 of {AREAS} areas done")
    context.close()


def sign_in_without_axe(page: Page, email: str) -> None:
    """axe-core needs JavaScript; the pages themselves are checked in the journey above."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
