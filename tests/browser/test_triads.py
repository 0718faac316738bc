"""Forming triads among 500 schools in Chromium: with the keyboard alone and without JavaScript, then the
same pages checked with axe-core and at a phone's width."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Role, Triad
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, enrol, make_cluster, make_programme, make_user, make_year
from tests.integration.test_triad_forming import many_schools

SCHOOLS = 500


def press(page, role: str, name: str, key: str = "Enter") -> None:
    page.get_by_role(role, name=name, exact=True).focus()
    page.keyboard.press(key)


@contextmanager
def signed_in_without_javascript(browser, base_url: str, email: str) -> Iterator[Page]:
    """A tab with JavaScript off, signed in as `email` (with the factories' password)."""
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        yield page
    finally:
        context.close()


def assert_accessible_in_a_scripted_tab(browser, base_url: str, page: Page, urls: list[str]) -> None:
    """axe-core needs JavaScript: open each of `urls` in a second, scripted tab with `page`'s session."""
    checked = browser.new_context(base_url=base_url, storage_state=page.context.storage_state())
    try:
        scripted = checked.new_page()
        for url in urls:
            scripted.goto(url)
            assert_accessible(scripted)
    finally:
        checked.close()


def test_a_lead_forms_triads_among_500_schools_with_the_keyboard_and_without_javascript(browser, base_url, data):
    programme = make_programme()
    year = make_year(programme)
    north = make_cluster(programme, "North")
    schools = many_schools(year, SCHOOLS - 6, cluster=north, prefix="Meadow")
    oaks = many_schools(year, 3, prefix="Oak", phase="Secondary")
    many_schools(year, 3, prefix="Elm", phase="Secondary")
    enrol(make_year(programme, start_year=year.start_year - 1), *schools[:40])  # returning schools
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme)
    with signed_in_without_javascript(browser, base_url, lead.email) as page:
        page.goto(f"/years/{year.id}/triads")
        press(page, "button", "Form a triad")
        expect(page.get_by_role("heading", name=f"{SCHOOLS} schools found (page 1 of 25)")).to_be_visible()
        # search for the oaks with the keyboard, choose two, page on, choose the third from another search
        page.get_by_label("Name or URN").focus()
        page.keyboard.type("Oak")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="3 schools found")).to_be_visible()
        press(page, "link", f"Choose {oaks[0].name}")
        press(page, "link", f"Choose {oaks[1].name}")
        page.get_by_label("Name or URN").fill("")
        page.get_by_label("Cluster").select_option(label="North")
        press(page, "button", "Search")
        press(page, "link", "Next page")
        expect(page.get_by_role("heading", name=f"{SCHOOLS - 6} schools found (page 2 of 25)")).to_be_visible()
        press(page, "link", f"Choose {schools[25].name}")
        expect(page.get_by_role("heading", name="Chosen schools: 3 of 3")).to_be_visible()
        press(page, "button", "Continue")
        page.get_by_label("Triad name").focus()
        page.keyboard.type("Oaks and a meadow")
        page.keyboard.press("Tab")
        page.keyboard.press("Space")  # the first of the three coaches
        press(page, "button", "Save triad")
        expect(page.get_by_text("Oaks and a meadow formed.")).to_be_visible()
        expect(page.get_by_role("row", name="Oaks and a meadow")).to_contain_text(f"{oaks[0].name} Coach")
        # the suggestions: accept the first, and change the second into step 2
        press(page, "link", "See suggested triads")
        expect(page.get_by_role("heading", name=f"{(SCHOOLS - 3) // 3} triads suggested for {SCHOOLS - 3} schools",
                                exact=False)).to_be_visible()
        press(page, "button", "Accept North 1")
        expect(page.get_by_text("North 1 formed.")).to_be_visible()
        press(page, "link", "Change North 2")
        expect(page.get_by_label("Triad name")).to_have_value("North 2")
        db.session.expire_all()
        formed = db.session.scalar(select(Triad.id).where(Triad.name == "Oaks and a meadow"))
        assert_accessible_in_a_scripted_tab(browser, base_url, page, [
            f"/years/{year.id}/triads/new", f"/years/{year.id}/triads/new?show=all&page=25", page.url,
            f"/years/{year.id}/triads/suggestions?mixed=y&page=4", f"/triads/{formed}/edit",
            f"/triads/{formed}/edit/details"])
