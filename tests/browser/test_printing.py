"""Printing a page gives what it says, black on white: no header, navigation, phase banner, breadcrumbs,
footer or buttons, and no link addresses after the links. The blank framework prints each area on a page
of its own, with boxes to write in."""
from __future__ import annotations

import io
import random

from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, enrol, make_programme, make_school, make_triad, make_user, make_year

FURNITURE = (".govuk-template__header", ".govuk-phase-banner", ".govuk-breadcrumbs", ".govuk-footer", ".govuk-button")


def shown(page: Page, selector: str) -> list[str]:
    """The elements matching `selector` that take room on the page as it is now."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .filter(e => e.getClientRects().length > 0).map(e => e.className)""", selector)


def scene():
    suffix = random.randint(1000, 9999)
    programme = make_programme(name=f"Print Triads {suffix}")
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=2025)
    schools = enrol(year, *(make_school(name=f"{name} Primary {suffix}") for name in ("Teal", "Wigeon", "Pintail")))
    triad = make_triad(year, schools=schools, name=f"Triad {suffix}")
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme)
    senco = make_user(Role.SENCO, school=schools[1])
    db.session.commit()
    return programme, triad, lead, senco


def opened(browser: Browser, base_url: str, email: str, path: str) -> Page:
    """The page as `email` sees it, checked with axe-core on screen."""
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, email, PASSWORD)
    page.goto(path)
    assert_accessible(page)
    return page


def printed_text(page: Page) -> list[str]:
    """Each printed A4 page's text."""
    page.emulate_media(media="print")
    return [p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]


def test_a_printed_page_leaves_out_the_services_furniture_and_link_addresses(browser: Browser, base_url: str, data):
    _programme, triad, lead, _senco = scene()
    page = opened(browser, base_url, lead.email, f"/triads/{triad.id}")
    assert all(shown(page, selector) for selector in FURNITURE)  # on screen, all there
    text = "\n".join(printed_text(page))
    assert {selector: shown(page, selector) for selector in FURNITURE} == {selector: [] for selector in FURNITURE}
    link = page.locator("main a.govuk-link").first
    assert link.evaluate("a => getComputedStyle(a, '::after').content") in ("none", "normal")
    assert link.evaluate("a => getComputedStyle(a).color") == "rgb(0, 0, 0)"
    assert triad.name in text and "Meetings" in text
    assert "Sign out" not in text and "Accessibility statement" not in text and "/triads/" not in text


def test_the_blank_framework_prints_each_area_on_a_page_of_its_own(browser: Browser, base_url: str, data):
    programme, _triad, _lead, senco = scene()
    page = opened(browser, base_url, senco.email, f"/programmes/{programme.id}/framework/blank")
    pages = printed_text(page)
    assert shown(page, ".app-no-print") == []
    assert len(pages) == 9  # the cover and the rating scale, then the eight areas
    assert "Rating scale" in pages[0]
    for number, text in enumerate(pages[1:], start=1):
        assert text.lstrip().startswith(f"{number}. "), text[:80]
        assert "Evidence" in text and "Strengths" in text and "Areas for development" in text
