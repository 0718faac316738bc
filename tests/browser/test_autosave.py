"""Two people edit the same record in two browsers: one's changes autosave, with the status under the field
they are typing in; the other's page says someone else has saved, and their Save shows the clash page with
both texts, nothing lost, their own kept when they choose it. For an action and for a peer visit's notes; and a
new action, kept as its writer's draft until saved, back after a reload;
axe-core checks every page on the way."""
from __future__ import annotations

import random
import re
from datetime import time

from playwright.sync_api import Browser, Page, expect

from app.action_plans.service import OTHER_OWNER, ActionInput, areas_for, save_action, start_action_plan
from app.common import clock
from app.extensions import db
from app.frameworks.service import create_default_framework, current_framework
from app.meetings.service import london_time
from app.models import PeerVisit, Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, enrol, make_programme, make_school, make_triad, make_user, make_year

SAVED = re.compile(r"^Saved at \d{1,2}:\d{2}")
CLASH = "Someone else has saved changes here since you opened this page"


def scripts_ready(page: Page) -> None:
    page.locator("[data-govuk-button-init]").first.wait_for(state="attached")


def status_under(page: Page, label: str):
    """The autosave status line of the question labelled `label`."""
    return page.locator(".govuk-form-group", has=page.get_by_label(label, exact=True)).get_by_role("status")


def signed_in(browser: Browser, base_url: str, email: str, path: str) -> Page:
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, email, PASSWORD)
    page.goto(path)
    scripts_ready(page)
    return page


def school_with_a_plan(name: str):
    """A school in a triad of a 2025/26 programme of its own, with an action plan started."""
    suffix = random.randint(1000, 9999)
    programme = make_programme(name=f"Autosave Triads {suffix}")
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=2025)
    school = make_school(name=f"{name} {suffix}")
    make_triad(year, schools=enrol(year, school, make_school(), make_school()))
    return school, start_action_plan(school, year)


def two_edit_at_once(mine: Page, theirs: Page, label: str, their_text: str, my_text: str, button: str) -> None:
    """They type and it autosaves (the status under that field says so); I type in the same field, my autosave
    finds theirs, and my Save shows the clash page with both texts."""
    theirs.get_by_label(label, exact=True).fill(their_text)
    expect(status_under(theirs, label)).to_have_text(SAVED, timeout=10_000)
    assert_accessible(theirs)
    mine.get_by_label(label, exact=True).fill(my_text)
    expect(status_under(mine, label)).to_contain_text(CLASH, timeout=10_000)
    expect(mine.get_by_role("status").filter(has_text=re.compile("."))).to_have_count(1)  # said in one place
    assert_accessible(mine)
    mine.get_by_role("button", name=button).click()
    expect(mine.get_by_role("heading", level=1)).to_contain_text("Someone else saved")
    expect(mine.get_by_role("group", name=label).get_by_role("radio", name=re.compile("^Keep your version"))
           ).to_be_checked()
    expect(mine.locator("main")).to_contain_text(my_text)
    expect(mine.locator("main")).to_contain_text(their_text)
    assert_accessible(mine)
    mine.get_by_role("button", name="Save my choices").click()


def test_two_people_edit_one_action_and_the_second_chooses_on_the_clash_page(browser: Browser, base_url: str, data):
    school, plan = school_with_a_plan("Linnet Primary")
    senco = make_user(Role.SENCO, school=school, name="Sita Senco")
    head = make_user(Role.HEAD, school=school, name="Hugh Head")
    year = plan.year
    areas = areas_for(plan)
    save_action(plan, None, ActionInput([areas[1].id], "Governor training on SEND", OTHER_OWNER, "Jo Smith",
                                        year.ends_on, False, "Every governor trained"), areas, [])
    db.session.commit()
    path = f"/action-plans/{plan.id}/actions/1"

    head_page = signed_in(browser, base_url, head.email, path)
    senco_page = signed_in(browser, base_url, senco.email, path)
    two_edit_at_once(senco_page, head_page, "Success criteria", "Every governor trained by the spring term",
                     "Governors can name the school's SEND priorities", "Save action")
    expect(senco_page.get_by_text("Action 1 saved.")).to_be_visible()
    expect(senco_page.locator("#action-1")).to_contain_text("Governors can name the school's SEND priorities")
    assert_accessible(senco_page)

    # The head's page is now out of date too: their next change meets the SENCo's save.
    head_page.get_by_label("What will be done?").fill("Governor training on SEND, twice a year")
    expect(status_under(head_page, "What will be done?")).to_contain_text(CLASH, timeout=10_000)
    head_page.context.close()
    senco_page.context.close()


def test_two_coaches_write_one_visits_notes_and_nothing_is_lost(browser: Browser, base_url: str, data):
    suffix = random.randint(1000, 9999)
    programme = make_programme(name=f"Autosave Visits {suffix}")
    create_default_framework(programme)
    db.session.commit()
    today = clock.today()
    year = make_year(programme, start_year=today.year if today.month >= 9 else today.year - 1)
    coach_school, visited = make_school(name=f"Osprey Primary {suffix}"), make_school(name=f"Plover Primary {suffix}")
    triad = make_triad(year, schools=enrol(year, coach_school, visited, make_school()))
    coach = make_user(Role.SENCO, school=coach_school, name="Cora Coach")
    coach_head = make_user(Role.HEAD, school=coach_school, name="Carl Coach")
    visit = PeerVisit(triad_id=triad.id, visited_school_id=visited.id, starts_at=london_time(today, time(9)),
                      focus_area_id=current_framework(programme).areas[4].id)
    db.session.add(visit)
    db.session.commit()
    path = f"/peer-visits/{visit.id}/notes"

    head_page = signed_in(browser, base_url, coach_head.email, path)
    coach_page = signed_in(browser, base_url, coach.email, path)
    head_page.get_by_label("Next steps agreed").fill("Share the referral flowchart")
    expect(status_under(head_page, "Next steps agreed")).to_have_text(SAVED, timeout=10_000)
    two_edit_at_once(coach_page, head_page, "Strengths seen", "Calm classrooms",
                     "Early identification is thorough", "Save notes")
    expect(coach_page.get_by_text(f"Notes on the visit to {visited.name} saved.")).to_be_visible()
    main = coach_page.locator("main")
    expect(main).to_contain_text("Early identification is thorough")  # the coach's, kept on the clash page
    expect(main).to_contain_text("Share the referral flowchart")  # the head's other note, never in question
    assert_accessible(coach_page)
    head_page.context.close()
    coach_page.context.close()


def test_a_new_actions_text_is_kept_as_it_is_typed_and_back_after_a_reload(browser: Browser, base_url: str, data):
    """A new action is saved by its button, so what is typed before that is kept as the writer's draft: the
    status says so where they type, a reload (or a closed tab) brings it back with a banner saying so, and
    Save action saves it."""
    school, plan = school_with_a_plan("Wren Primary")
    senco = make_user(Role.SENCO, school=school, name="Sadia Senco")
    db.session.commit()

    page = signed_in(browser, base_url, senco.email, f"/action-plans/{plan.id}/actions/new?area=2")
    page.get_by_label("What will be done?").fill("Termly drop-ins for parents of pupils at SEN support")
    expect(status_under(page, "What will be done?")).to_have_text(SAVED, timeout=10_000)
    page.reload()
    scripts_ready(page)
    expect(page.get_by_role("region", name="Important")).to_contain_text("We kept what you typed here")
    expect(page.get_by_label("What will be done?")).to_have_value(
        "Termly drop-ins for parents of pupils at SEN support")
    assert_accessible(page)
    page.get_by_label("Someone else").check()
    page.get_by_label("Name of the person who owns it").fill("Jo Smith")
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("7")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Success criteria").fill("Half of those parents come to one")
    page.get_by_role("button", name="Save action").click()
    expect(page.get_by_text("Action 1 saved.")).to_be_visible()
    page.goto(f"/action-plans/{plan.id}/actions/new")
    expect(page.get_by_label("What will be done?")).to_have_value("")
    expect(page.get_by_text("We kept what you typed here")).to_have_count(0)
    page.context.close()
