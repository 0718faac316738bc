"""The year handed on between five parties, each finding their turn on their task list and in their email
(read from a real SMTP server on 127.0.0.1): the SENCo submits, the head signs off, the triad and the QA
expert are told, the QA expert moderates and flags an area, the SENCo is told and responds, the QA expert is
told. axe-core checks every page on the way."""
from __future__ import annotations

import random
import re
from datetime import timedelta

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from app.common import clock
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import Role
from app.notifications.email import deliver_outbox
from app.self_evaluations.moderation import assign_qa_expert
from app.self_evaluations.service import save_area, start_self_evaluation
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, enrol, make_programme, make_school, make_triad, make_user, make_year
from tests.mail import Inbox, smtp_inbox


def _section(page: Page, heading: str):
    """The part of the task list under one heading ("To do", "Waiting for others", "Done recently")."""
    return page.get_by_role("region", name=heading)


def _home(browser: Browser, base_url: str, email: str) -> Page:
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello,")
    assert_accessible(page)
    return page


def _delivered(app: Flask, inbox: Inbox, to: str, subject: str) -> str:
    """Send what the outbox holds (as the scheduler does) and return the body of the email to `to`."""
    with app.app_context():
        deliver_outbox()
    [message] = [m for m in inbox.to(to) if subject in m["Subject"]]
    return Inbox.body(message)


def _link_in(body: str) -> str:
    return re.search(r"http://127\.0\.0\.1(/\S+)", body).group(1)


def test_the_self_evaluation_is_handed_on_from_the_senco_to_the_qa_expert_and_back(
        browser: Browser, base_url: str, live_app: Flask, data):
    suffix = random.randint(1000, 9999)
    programme = make_programme(name=f"Relay Triads {suffix}")
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=2025)
    school, partner = make_school(name=f"Wren Primary {suffix}"), make_school(name=f"Lark Primary {suffix}")
    coach_school = make_school(name=f"Owl Primary {suffix}")
    make_triad(year, schools=enrol(year, coach_school, school, partner))
    senco = make_user(Role.SENCO, school=school, name="Sian Senco", email=f"senco.{suffix}@wren.example")
    head = make_user(Role.HEAD, school=school, name="Harry Head", email=f"head.{suffix}@wren.example")
    coach = make_user(Role.SENCO, school=coach_school, name="Cleo Coach", email=f"senco.{suffix}@owl.example")
    other = make_user(Role.SENCO, school=partner, name="Pip Partner", email=f"senco.{suffix}@lark.example")
    expert = make_user(Role.QA_EXPERT, programme=programme, name="Quentin Expert", email=f"qa.{suffix}@qa.example")
    evaluation = start_self_evaluation(school, year)
    for rating in evaluation.ratings:  # written in earlier sittings (tests/browser/test_self_evaluation.py)
        save_area(rating, rating.version, {"level": 4, "evidence": "Our provision map"})
    visit = assign_qa_expert(year, school, expert.id)
    visit.starts_at = clock.now() - timedelta(days=1)
    db.session.commit()

    with smtp_inbox(live_app) as inbox:
        # The SENCo submits from their task list.
        page = _home(browser, base_url, senco.email)
        expect(_section(page, "To do")).to_contain_text("Finish and submit the self-evaluation")
        page.get_by_role("link", name="Finish and submit the self-evaluation").click()
        page.get_by_role("button", name="Check your answers").click()
        page.get_by_role("button", name="Submit for sign-off").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Self-evaluation submitted")
        assert_accessible(page)
        page.goto("/")
        expect(_section(page, "Waiting for others")).to_contain_text("Sign off the self-evaluation With Harry Head")

        # The head is emailed, finds it on their list, and signs off.
        body = _delivered(live_app, inbox, head.email, "submitted")
        assert "Our provision map" not in body and f"/self-evaluations/{evaluation.id}" in body
        page = _home(browser, base_url, head.email)
        expect(page.locator(".govuk-service-navigation")).to_contain_text("Your tasks 2")  # and sharing
        expect(_section(page, "To do")).to_contain_text("Sign off the self-evaluation")
        page.goto(_link_in(body))
        page.get_by_role("button", name="Check and sign off").click()
        page.get_by_role("button", name="Confirm and sign off").click()
        expect(page.locator(".govuk-panel")).to_contain_text("Self-evaluation signed off")
        assert_accessible(page)
        page.goto("/")
        expect(_section(page, "Done recently")).to_contain_text("Self-evaluation signed off")

        # The triad's other schools and the QA expert are told; the QA expert moderates and flags area 2.
        for person in (coach, other, expert):
            assert "Harry Head signed off" in _delivered(live_app, inbox, person.email, "signed off")
        page = _home(browser, base_url, expert.email)
        page.get_by_role("link", name="Record your moderated ratings").click()
        assert_accessible(page)
        page.get_by_role("group", name="Moderated rating for area 2").get_by_label("1 Emerging").check()
        page.get_by_label("Comment on area 2").fill("Little evidence of impact yet")
        page.get_by_role("button", name="Save moderated ratings").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Moderated ratings saved")
        page.goto("/")
        expect(_section(page, "Done recently")).to_contain_text("Moderated ratings recorded")
        assert_accessible(page)

        # The school is told of the flag; the SENCo responds from their list; the QA expert is told.
        body = _delivered(live_app, inbox, senco.email, "flagged area 2")
        assert "Little evidence" not in body
        page = _home(browser, base_url, senco.email)
        expect(page.get_by_role("link", name=re.compile("Notifications"))).to_contain_text("unread")
        page.get_by_role("link", name="Respond to the QA expert's rating of area 2").click()
        assert_accessible(page)
        page.get_by_label("Your response").fill("We will add our tracking data")
        page.get_by_role("button", name="Save response").click()
        page.goto("/")
        expect(_section(page, "To do")).not_to_contain_text("Respond to the QA expert")
        body = _delivered(live_app, inbox, expert.email, "responded")
        assert "tracking data" not in body

        page = _home(browser, base_url, expert.email)
        page.get_by_role("link", name=re.compile("Notifications")).click()
        expect(page.locator(".app-notice--unread").first).to_contain_text("Sian Senco responded")
        assert_accessible(page)
        page.get_by_role("button", name="Read the response").click()
        expect(page).to_have_url(re.compile(f"/self-evaluations/{evaluation.id}$"))
