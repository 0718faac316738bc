"""A SENCo leaves (issue 17, "Moving on"): the head names a successor from the school's people page, the
leaver's open action passes to them, the old SENCo is refused the school on their very next request, and the
progress note they wrote keeps their name. axe-core checks every page on the way."""
from __future__ import annotations

import random
from datetime import date

from playwright.sync_api import Browser, expect

from app.action_plans.service import start_action_plan
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import Action, ActionStatus, ProgressUpdate, Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, enrol, make_programme, make_school, make_user, make_year


def test_a_head_names_a_successor_for_a_senco_who_leaves(browser: Browser, base_url: str, data):
    suffix = random.randint(1000, 9999)
    programme = make_programme(name=f"Moving On {suffix}")
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=2025)
    [school] = enrol(year, make_school(name=f"Heron Primary {suffix}"))
    head = make_user(Role.HEAD, school=school, name="Hattie Head", email=f"hattie{suffix}@example.org")
    senco = make_user(Role.SENCO, school=school, name="Stan Leaver", email=f"stan{suffix}@example.org")
    plan = start_action_plan(school, year)
    action = Action(plan_id=plan.id, number=1, description="Audit the SEND register", owner_id=senco.id,
                    due_on=date(2026, 3, 2), status=ActionStatus.ON_TRACK)
    db.session.add(action)
    db.session.flush()
    db.session.add(ProgressUpdate(action_id=action.id, status=ActionStatus.ON_TRACK, note="Register half audited",
                                  noted_on=date(2025, 11, 3), author_id=senco.id))
    db.session.commit()
    school_id, plan_id, head_email, senco_email = school.id, plan.id, head.email, senco.email

    leaver = browser.new_context(base_url=base_url).new_page()
    sign_in(leaver, senco_email, PASSWORD)
    leaver.goto(f"/schools/{school_id}")
    expect(leaver.get_by_role("heading", level=1)).to_have_text(f"Heron Primary {suffix}")

    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, head_email, PASSWORD)
    page.goto(f"/schools/{school_id}")
    page.get_by_role("link", name="Manage the school's people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert_accessible(page)
    page.get_by_role("link", name="Name a successor for Stan Leaver").click()
    assert_accessible(page)
    page.get_by_label("Someone new to the school").check()
    page.get_by_label("Full name").fill("Nadia Newcomer")
    page.get_by_label("Email address").fill(f"nadia{suffix}@example.org")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#handover")).to_contain_text("Open actions passing to them 1")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm: Nadia Newcomer takes over").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Nadia Newcomer has taken over as SENCo from Stan Leaver.")
    expect(page.locator("#people")).to_contain_text("Nadia Newcomer")
    expect(page.locator("#people")).not_to_contain_text("Stan Leaver")
    expect(page.locator("#ended")).to_contain_text("Stan Leaver")
    assert_accessible(page)

    page.goto(f"/action-plans/{plan_id}")
    owner = page.locator(".govuk-summary-list__row", has=page.locator("dt", has_text="Owner")).first
    expect(owner).to_contain_text("Nadia Newcomer")
    expect(page.get_by_text("(Stan Leaver): Register half audited")).to_be_visible()
    assert_accessible(page)

    response = leaver.goto(f"/schools/{school_id}")
    assert response is not None and response.status == 403
