"""The timeout warning, with an idle limit of a few seconds: it opens before the session ends, is accessible,
"Stay signed in" (or Escape) keeps the session going, and letting it run out signs the person out. Notes
typed and left until the session ended are kept, and saved when their writer signs in again."""
from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from datetime import time as clock_time

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from app.extensions import db
from app.frameworks.service import create_default_framework, current_framework
from app.meetings.service import london_time
from app.models import PeerVisit, Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, enrol, make_programme, make_school, make_triad, make_user, make_year

WARNING_NAME = "You’re about to be signed out"


@pytest.fixture
def limits(live_app: Flask) -> Iterator[Callable[[int, int], None]]:
    """Set the live server's idle limit and warning (in seconds); the usual ones come back afterwards."""
    saved = {name: live_app.config[name] for name in ("SESSION_IDLE_SECONDS", "SESSION_WARNING_SECONDS")}

    def set_limits(idle: int, warning: int) -> None:
        live_app.config.update(SESSION_IDLE_SECONDS=idle, SESSION_WARNING_SECONDS=warning)

    yield set_limits
    live_app.config.update(saved)


def _wait_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


def _signed_in(page: Page) -> None:
    expect(page.locator("header").get_by_role("button", name=re.compile("^Sign out"))).to_be_visible()


def test_the_warning_opens_before_the_session_ends_and_stay_signed_in_keeps_it(
        browser: Browser, base_url: str, data, limits):
    idle, warning = 12, 10
    limits(idle, warning)
    person = make_user(name="Tam Timeout")
    db.session.commit()
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, person.email, PASSWORD)
    _signed_in(page)
    loaded_at = time.monotonic()
    service_link = page.locator("header a").first
    service_link.focus()

    dialog = page.get_by_role("dialog", name=WARNING_NAME)
    expect(dialog).to_be_visible(timeout=(idle - warning + 3) * 1000)
    expect(dialog).to_have_accessible_description(re.compile(
        r"^For your security, we will sign you out in \d+ seconds\. Anything you have not saved will be kept"))
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    expect(dialog.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)
    with page.expect_response("**/session/keep-alive") as kept_alive:
        stay.click()
    assert kept_alive.value.status == 204
    expect(dialog).to_be_hidden()
    expect(service_link).to_be_focused()  # back where it was

    # Past the limit the page started with: still signed in, as "Stay signed in" was a request.
    _wait_until(loaded_at + idle + 1.5)
    page.reload()
    _signed_in(page)
    expect(dialog).to_be_visible(timeout=(idle - warning + 3) * 1000)
    with page.expect_response("**/session/keep-alive") as kept_alive:
        page.keyboard.press("Escape")  # the same as "Stay signed in"
    assert kept_alive.value.status == 204
    expect(dialog).to_be_hidden()

    # Left to run out: signed out, and told why.
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2F"), timeout=(idle + 4) * 1000)
    expect(page.get_by_text("You were signed out because you had not used the service for a while.")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile("/sign-in"))


def _peer_visit() -> tuple[PeerVisit, object]:
    suffix = random.randint(1000, 9999)
    programme = make_programme(name=f"Timeout Triads {suffix}")
    create_default_framework(programme)
    db.session.commit()
    today = datetime.now(timezone.utc).date()
    year = make_year(programme, start_year=today.year if today.month >= 9 else today.year - 1)
    coach_school, visited = make_school(name=f"Kestrel Primary {suffix}"), make_school(name=f"Lapwing Primary {suffix}")
    triad = make_triad(year, schools=enrol(year, coach_school, visited, make_school()))
    coach = make_user(Role.SENCO, school=coach_school, name="Cora Coach")
    visit = PeerVisit(triad_id=triad.id, visited_school_id=visited.id, starts_at=london_time(today, clock_time(9)),
                      focus_area_id=current_framework(programme).areas[0].id)
    db.session.add(visit)
    db.session.commit()
    return visit, coach


def test_notes_left_until_the_session_ends_are_saved_once_their_writer_signs_in_again(
        browser: Browser, base_url: str, data, limits):
    limits(6, 3)
    visit, coach = _peer_visit()
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, coach.email, PASSWORD)
    _signed_in(page)
    page.goto(f"/peer-visits/{visit.id}/notes")
    page.get_by_label("Strengths seen").fill("Early identification is thorough.\nThe SENCo knows every referral.")
    page.get_by_label("Next steps agreed").fill("Share the referral flowchart.")

    # The time runs out: the notes are posted, kept, and the sign-in page says so.
    expect(page).to_have_url(re.compile("/sign-in$"), timeout=12_000)
    expect(page.get_by_text("You were signed out before we could save your changes. Sign in to save them.")
           ).to_be_visible()
    db.session.commit()  # a new transaction, to read what the server has saved since
    # kept, not saved: the notes are not written until their Save (autosave may have kept the text meanwhile)
    assert db.session.get(PeerVisit, visit.id).notes_at is None
    limits(600, 120)  # no warning while the pages after signing in are checked
    sign_in(page, coach.email, PASSWORD)
    expect(page.get_by_text(f"Notes on the visit to {visit.visited_school.name} saved.")).to_be_visible()
    expect(page).to_have_url(re.compile(f"/peer-visits/{visit.id}$"))
    assert_accessible(page)
    db.session.commit()  # a new transaction, to read what the server has saved since
    saved = db.session.get(PeerVisit, visit.id)
    assert saved.strengths.replace("\r\n", "\n") == "Early identification is thorough.\nThe SENCo knows every referral."
    assert saved.next_steps == "Share the referral flowchart."
