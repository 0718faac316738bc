"""A SENCo completes the self-evaluation over two sittings, with the keyboard, from its task list overview
through its check page; the head checks and signs it off; the QA expert moderates it. axe-core checks every
page on the way (and that none scrolls sideways at a phone's width)."""
from __future__ import annotations

import random
import re

from playwright.sync_api import Browser, Page, expect

from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import Role
from app.self_evaluations.moderation import assign_qa_expert
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, enrol, make_programme, make_school, make_triad, make_user, make_year

AREAS = 8


def scripts_ready(page: Page) -> None:
    """Wait until GOV.UK Frontend has started (it moves focus to a success banner when it does)."""
    page.locator("[data-govuk-button-init]").first.wait_for(state="attached")


def fill_area_with_keyboard(page: Page, level: str, evidence: str, strengths: str, development: str) -> None:
    """Choose a rating and write the three texts using only the keyboard. The reason, which only "not yet
    evaluated" needs, stays hidden, so the tab key goes from the rating to the evidence."""
    scripts_ready(page)
    page.get_by_role("radio", name=level).focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name=level)).to_be_checked()
    expect(page.get_by_label("If not yet evaluated, why not?")).to_be_hidden()
    for label, text in (("Evidence", evidence), ("Strengths", strengths), ("Areas for development", development)):
        page.keyboard.press("Tab")
        expect(page.get_by_label(label, exact=True)).to_be_focused()
        page.keyboard.type(text)


def area_status(page: Page, number: int):
    return page.locator(f"#area-{number}-status")


def test_a_senco_completes_the_self_evaluation_in_two_sittings_the_head_signs_it_off_and_the_qa_expert_moderates(
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
    expert = make_user(Role.QA_EXPERT, programme=programme, name="Quinn Expert")
    assign_qa_expert(year, school, expert.id)
    db.session.commit()

    # First sitting: start, rate areas 1 to 3 with the Save button, area 4 by autosave alone, and begin area 5.
    first = browser.new_context(base_url=base_url)
    page = first.new_page()
    sign_in(page, senco.email, PASSWORD)
    page.get_by_role("link", name="Start the self-evaluation").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start self-evaluation").click()
    expect(page.get_by_role("heading", name="Self-evaluation", exact=True)).to_be_visible()
    expect(page.locator("#progress")).to_contain_text(f"You have completed 0 of {AREAS} areas")
    expect(page.locator(".govuk-task-list__status")).to_have_text(["Not yet started"] * AREAS)
    expect(page.get_by_role("link", name="Compare with last year")).to_have_count(0)  # there is no last year
    assert_accessible(page)

    page.get_by_role("link", name="1. Outcomes for pupils with SEND").click()
    expect(page.get_by_role("heading", name="1. Outcomes for pupils with SEND")).to_be_visible()
    expect(page.locator(".govuk-breadcrumbs")).to_contain_text("Self-evaluation")
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
    page.locator(".govuk-breadcrumbs").get_by_role("link", name="Self-evaluation").click()
    page.get_by_role("link", name="5. Assessment and identification").click()
    scripts_ready(page)  # autosave listens from here
    page.get_by_label("Evidence", exact=True).fill("Evidence 5: screening in Year 1")
    evidence = page.locator(".govuk-form-group", has=page.get_by_label("Evidence", exact=True))
    expect(evidence.get_by_role("status")).to_contain_text("Saved at", timeout=10_000)
    first.close()  # the browser is closed without pressing Save

    # Second sitting, days later: nothing is lost, and the half-written area says so; finish, check, submit.
    second = browser.new_context(base_url=base_url)
    page = second.new_page()
    sign_in(page, senco.email, PASSWORD)
    expect(page.get_by_role("region", name="To do")).to_contain_text(f"4 of {AREAS} areas done")
    page.get_by_role("link", name="Finish and submit the self-evaluation").click()
    expect(page.locator(".govuk-task-list__status")).to_have_text(
        ["Completed"] * 4 + ["In progress"] + ["Not yet started"] * 3)
    page.get_by_role("button", name="Check your answers").click()
    expect(page.locator("#area-4")).to_contain_text("1 Emerging")
    expect(page.locator("#area-4")).to_contain_text("Evidence 4: parent survey")
    expect(page.locator("#area-4")).to_contain_text("Development 4")
    expect(page.locator("#area-5")).to_contain_text("Evidence 5: screening in Year 1")
    assert_accessible(page)

    # Submitting too early lists what is left.
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Rate area 5, Assessment and identification")
    expect(page.locator(".govuk-error-summary li")).to_have_count(4)  # every area left, at once
    assert_accessible(page)
    page.locator(".govuk-error-summary").get_by_role("link", name=re.compile("Rate area 5")).click()
    expect(page.get_by_label("Evidence", exact=True)).to_have_value("Evidence 5: screening in Year 1")
    for number in (5, 6, 7):
        fill_area_with_keyboard(page, "3 Established", f" Evidence {number}",
                                f"Strengths {number}", f"Development {number}")
        page.get_by_role("button", name="Save and continue").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text(f"Area {number} saved.")).to_be_visible()
    # Area 8: not yet evaluated; the reason is revealed under the choice.
    scripts_ready(page)
    reason = page.get_by_label("If not yet evaluated, why not?")
    expect(reason).to_be_hidden()
    page.get_by_role("radio", name="Not yet evaluated").focus()
    page.keyboard.press("Space")
    expect(reason).to_be_visible()
    expect(page.get_by_role("radio", name="Not yet evaluated")).not_to_have_attribute("aria-expanded", re.compile(""))
    page.keyboard.press("Tab")
    expect(reason).to_be_focused()
    page.keyboard.type("New provision started in January; too early to judge")
    assert_accessible(page)
    page.get_by_role("button", name="Save and return to the overview").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#progress")).to_contain_text(f"You have completed {AREAS} of {AREAS} areas")
    expect(page.locator(".govuk-task-list__status")).to_have_text(["Completed"] * AREAS)
    page.get_by_role("button", name="Check your answers").click()
    expect(page.locator("#area-8")).to_contain_text("Not yet evaluated: New provision started in January")
    scripts_ready(page)
    page.get_by_role("button", name="Submit for sign-off").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Self-evaluation submitted.")).to_be_visible()
    assert_accessible(page)
    second.close()

    # The head checks it, reads the declaration and signs it off.
    third = browser.new_context(base_url=base_url)
    page = third.new_page()
    sign_in(page, head.email, PASSWORD)
    page.get_by_role("link", name="Sign off the self-evaluation").click()
    expect(page.locator("#sharing")).to_contain_text("Not shared with the programme lead: not decided yet")
    assert_accessible(page)
    page.get_by_role("button", name="Check and sign off").click()
    expect(page.get_by_role("heading", name="Check and sign off the self-evaluation")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Not yet evaluated: New provision started in January")
    expect(page.locator("#sign-off")).to_contain_text("I have read this self-evaluation")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and sign off").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Self-evaluation signed off")
    assert_accessible(page)
    page.get_by_role("link", name="Go to the self-evaluation").click()
    summary = page.locator(".govuk-summary-list").first
    expect(summary).to_contain_text("Signed off")
    expect(summary).to_contain_text("Sita Senco")
    expect(summary).to_contain_text("Hugh Head")
    page.get_by_role("link", name="Read every area's answers").click()
    expect(page.get_by_role("link", name=re.compile("^Change"))).to_have_count(0)
    assert_accessible(page)
    third.close()

    # The QA expert reads the school's evidence beside each rating they give, and flags area 3.
    fourth = browser.new_context(base_url=base_url)
    page = fourth.new_page()
    sign_in(page, expert.email, PASSWORD)
    page.get_by_role("link", name="Read the self-evaluation before the visit").click()
    page.get_by_role("button", name="Record moderated ratings").click()
    area = page.locator("#area-3")
    expect(area).to_contain_text("Evidence 3: termly provision map review")
    expect(area).to_contain_text("Strengths 3")
    assert_accessible(page)
    area.get_by_role("group", name="Moderated rating for area 3").get_by_label("1 Emerging").check()
    area.get_by_label("Comment on area 3").fill("Little evidence of impact yet")
    page.get_by_role("button", name="Save moderated ratings").click()
    expect(page.get_by_text("Moderated ratings saved.")).to_be_visible()
    expect(page.locator("#area-3-hint")).to_contain_text("QA flag")
    expect(page.locator("#moderation")).to_contain_text("area 3")
    assert_accessible(page)
    fourth.close()


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
    page.get_by_role("link", name="2. Leadership of SEND").click()
    expect(page.get_by_label("If not yet evaluated, why not?")).to_be_visible()  # nothing hides it
    page.get_by_role("radio", name="Not yet evaluated").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why this area is not yet evaluated")
    page.get_by_label("If not yet evaluated, why not?").fill("Our new SENCo started in January")
    page.get_by_role("button", name="Save and return to the overview").click()
    expect(page.get_by_text("Area 2 saved.")).to_be_visible()
    expect(area_status(page, 2)).to_have_text("Completed")
    expect(page.locator("#progress")).to_contain_text(f"You have completed 1 of {AREAS} areas")
    page.get_by_role("button", name="Check your answers").click()
    expect(page.locator("#area-2")).to_contain_text("Not yet evaluated: Our new SENCo started in January")
    context.close()


def sign_in_without_axe(page: Page, email: str) -> None:
    """axe-core needs JavaScript; the pages themselves are checked in the journey above."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
