"""The coach schedules peer visits to the other two schools and writes the notes; the visited
school's head reads them. axe-core checks every page on the way."""
from __future__ import annotations

import random
import re
from datetime import datetime, timedelta, timezone

from playwright.sync_api import Browser, Page, expect

from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, enrol, make_programme, make_school, make_triad, make_user, make_year


def fill_date(page: Page, day) -> None:
    group = page.get_by_role("group", name="Date")
    for label, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        group.get_by_label(label).fill(str(value))


def test_the_coach_schedules_two_peer_visits_writes_notes_and_the_visited_head_reads_them(
        browser: Browser, base_url: str, data):
    today = datetime.now(timezone.utc).date()
    start_year = today.year if today.month >= 9 else today.year - 1
    suffix = random.randint(1000, 9999)
    programme = make_programme(name=f"Visit Triads {suffix}")
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=start_year)
    coach_school = make_school(name=f"Osprey Primary {suffix}")
    first = make_school(name=f"Plover Primary {suffix}")
    second = make_school(name=f"Redshank Primary {suffix}")
    triad = make_triad(year, schools=enrol(year, coach_school, first, second), name=f"Triad {suffix}")
    coach = make_user(Role.SENCO, school=coach_school, name="Cora Coach")
    head = make_user(Role.HEAD, school=first, name="Vic Visited")
    db.session.commit()
    earlier = today - timedelta(days=1) if today - timedelta(days=1) >= year.starts_on else today

    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    sign_in(page, coach.email, PASSWORD)
    page.get_by_role("link", name=triad.name, exact=True).first.click()
    expect(page.get_by_role("heading", name="Peer visits")).to_be_visible()
    assert_accessible(page)

    # An impossible date first: refused, explained, nothing saved.
    page.get_by_role("link", name=f"Schedule a visit to {first.name}").click()
    fill_date(page, today.replace(year=today.year + 2))
    page.get_by_label("Start time").fill("9:30")
    page.get_by_role("radio", name="5. Assessment and identification").check()
    page.get_by_role("button", name="Save visit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(f"The date must be in the {year.label} academic year")
    assert_accessible(page)
    fill_date(page, today)
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text(f"Peer visit to {first.name} saved.")).to_be_visible()

    page.get_by_role("link", name=f"Schedule a visit to {second.name}").click()
    fill_date(page, earlier)
    page.get_by_label("Start time").fill("1:30pm")
    page.get_by_role("radio", name="3. The quality of teaching and learning for pupils with SEND").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text(f"Peer visit to {second.name} saved.")).to_be_visible()
    expect(page.locator("#peer-visits + p + ul")).to_contain_text("focusing on 5. Assessment and identification")
    expect(page.locator("#peer-visits + p + ul")).to_contain_text("focusing on 3. The quality of teaching")

    # Notes after the first visit.
    page.get_by_role("link", name=f"Read the visit to {first.name}").click()
    expect(page.get_by_text("The coach has not written notes yet.")).to_be_visible()
    page.get_by_role("button", name="Write the notes").click()
    page.get_by_label("Strengths seen").fill("Early identification is thorough; the SENCo knows every referral.")
    page.get_by_label("Questions to consider").fill("How do class teachers use the graduated approach checklist?")
    page.get_by_label("Next steps agreed").fill("Share the referral flowchart with the other two schools.")
    assert_accessible(page)
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_text(f"Notes on the visit to {first.name} saved.")).to_be_visible()
    context.close()

    # The visited head reads them.
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    sign_in(page, head.email, PASSWORD)
    page.get_by_role("link", name=triad.name, exact=True).first.click()
    expect(page.get_by_role("link", name=re.compile("^Schedule a visit"))).to_have_count(0)
    page.get_by_role("link", name=f"Read the visit to {first.name}").click()
    expect(page.locator("main")).to_contain_text("Early identification is thorough")
    expect(page.locator("main")).to_contain_text("Share the referral flowchart")
    expect(page.locator("main")).to_contain_text("Written by Cora Coach")
    expect(page.get_by_role("button", name="Write the notes")).to_have_count(0)
    assert_accessible(page)
    context.close()
