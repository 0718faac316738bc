"""On a phone no page scrolls sideways: the demo programme's main pages opened at 390 and 320 px by the people
who use them, axe-core clean at the narrower. Tables of records (the triad's meetings, the year's schools,
the plans, the celebration's learnings, people) stack into rows there, so they do not scroll sideways even
inside their own region; a grid of figures (the dashboard's) may scroll inside its region."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import url_for
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.demo.northbrook import DEMO_PASSWORD, DEMO_PROGRAMME
from app.demo.programme import is_demo_loaded, load_demo_programme
from app.extensions import db
from app.models import ActionPlan, ProgrammeYear, School, SelfEvaluation, Triad
from tests.browser.conftest import PHONE_WIDTHS, assert_accessible, page_width_at

LEAD, SENCO, HEAD, ADMIN = ("lead@northbrook.example", "senco.birchwoodlane@northbrook.example",
                            "head.aldergrove@northbrook.example", "admin@northbrook.example")


@dataclass(frozen=True)
class Visit:
    """A page to open: who opens it (None: signed out), its endpoint and how to find the records its URL names,
    and whether every table on it must fit a phone (no region scrolling sideways)."""

    who: str | None
    endpoint: str
    values: tuple[str, ...] = ()
    tables_fit: bool = True


VISITS = {
    "sign in": Visit(None, "auth.sign_in"),
    "help": Visit(None, "main.help"),
    "accessibility": Visit(None, "main.accessibility"),
    "privacy": Visit(None, "main.privacy"),
    "cookies": Visit(None, "main.cookies"),
    "lead's home": Visit(LEAD, "main.home"),
    "programme": Visit(LEAD, "programmes.show", ("programme_id",), tables_fit=False),
    "framework": Visit(LEAD, "frameworks.show", ("programme_id",)),
    "blank framework": Visit(SENCO, "frameworks.blank", ("programme_id",)),
    "year": Visit(LEAD, "programmes.year", ("year_id",)),
    "triad": Visit(LEAD, "programmes.triad", ("triad_id",)),
    "school": Visit(LEAD, "programmes.school", ("school_id",)),
    "dashboard": Visit(LEAD, "dashboard.show", ("year_id",), tables_fit=False),
    "plans": Visit(LEAD, "action_plans.year", ("year_id",)),
    "triad's plans": Visit(SENCO, "action_plans.triad", ("triad_id",)),
    "QA table": Visit(LEAD, "self_evaluations.summary", ("year_id",), tables_fit=False),
    "celebration": Visit(LEAD, "celebration.year", ("last_year_id",)),
    "triad's celebration": Visit(SENCO, "celebration.show", ("last_triad_id",)),
    "SENCo's home": Visit(SENCO, "main.home"),
    "SENCo's triad": Visit(SENCO, "programmes.triad", ("triad_id",)),
    "self-evaluation": Visit(SENCO, "self_evaluations.show", ("evaluation_id",)),
    "action plan": Visit(HEAD, "action_plans.show", ("plan_id",)),
    "school's people": Visit(HEAD, "people.index", ("school_id",)),
    "admin's people": Visit(ADMIN, "admin.people"),
    "outbox": Visit(ADMIN, "admin.outbox"),
}


@pytest.fixture(scope="module")
def demo_ids(live_app) -> dict[str, Any]:
    """The demo programme, loaded once (it is committed for the live server), and the records the pages show."""
    with live_app.app_context():
        if not is_demo_loaded():
            load_demo_programme()
            db.session.commit()
        last, this = db.session.scalars(select(ProgrammeYear).join(ProgrammeYear.programme)
                                        .where(ProgrammeYear.programme.has(name=DEMO_PROGRAMME))
                                        .order_by(ProgrammeYear.start_year)).all()[-2:]
        alder = db.session.scalars(select(School).where(School.urn == 700101)).one()
        birchwood = db.session.scalars(select(School).where(School.urn == 700102)).one()
        def triad_a(year: ProgrammeYear) -> Any:
            return db.session.scalars(select(Triad.id).where(Triad.year_id == year.id, Triad.name == "Triad A")).one()

        ids = {
            "programme_id": this.programme_id, "year_id": this.id, "last_year_id": last.id,
            "triad_id": triad_a(this), "last_triad_id": triad_a(last),
            "school_id": alder.id,
            "evaluation_id": db.session.scalars(select(SelfEvaluation.id).where(
                SelfEvaluation.school_id == birchwood.id, SelfEvaluation.year_id == this.id)).one(),
            "plan_id": db.session.scalars(select(ActionPlan.id).where(ActionPlan.school_id == alder.id,
                                                                      ActionPlan.year_id == this.id)).one(),
        }
        db.session.remove()
    return ids


def path_of(live_app, visit: Visit, ids: dict[str, Any]) -> str:
    values = {name.removeprefix("last_"): ids[name] for name in visit.values}
    with live_app.test_request_context():
        return url_for(visit.endpoint, **values)


def sign_in_quietly(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def regions_scrolling(page: Page, selector: str = ".app-table-scroll") -> list[str]:
    """The table regions that scroll sideways at the page's width, by their names."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .filter(region => region.scrollWidth > region.clientWidth + 1)
        .map(region => region.getAttribute('aria-label'))""", selector)


@pytest.mark.parametrize("name", VISITS)
def test_the_page_fits_a_phone_at_320_and_390_px(browser: Browser, base_url: str, live_app, demo_ids, name):
    visit = VISITS[name]
    page = browser.new_context(base_url=base_url).new_page()
    if visit.who:
        sign_in_quietly(page, visit.who)
    response = page.goto(path_of(live_app, visit, demo_ids))
    assert response is not None and response.status == 200, f"{name}: {response and response.status}"
    for width in PHONE_WIDTHS:
        wide, too_wide = page_width_at(page, width)
        assert wide <= width, f"{name} scrolls sideways at {width}px ({wide}px wide): {too_wide}"
        stacked = regions_scrolling(page, ".app-table-scroll:has(.app-table--stack)")
        assert stacked == [], f"{name}: stacked tables scroll at {width}px: {stacked}"
        if visit.tables_fit:
            assert regions_scrolling(page) == [], f"{name}: tables scroll at {width}px"
    # axe-core once, at the narrowest width, where the tables are stacked (the desktop layout is what the other
    # journeys check); it takes a second a run, and the layout above was checked at each width.
    page.set_viewport_size({"width": min(PHONE_WIDTHS), "height": 800})
    assert_accessible(page)


def test_a_stacked_table_shows_each_cells_heading_on_a_phone_and_a_row_of_headings_on_a_desktop(
        browser: Browser, base_url: str, live_app, demo_ids):
    page = browser.new_context(base_url=base_url).new_page()
    sign_in_quietly(page, LEAD)
    page.goto(path_of(live_app, VISITS["year"], demo_ids))
    urn = page.locator(".app-table--stack td[data-label=URN]").first

    def label_shown() -> str:
        return urn.evaluate("cell => getComputedStyle(cell, '::before').content")

    def headings_shown() -> bool:
        return page.locator(".app-table--stack thead").first.evaluate(
            "head => head.getBoundingClientRect().width > 1")

    page.set_viewport_size({"width": 320, "height": 800})
    assert label_shown() == '"URN: "' and not headings_shown()
    page.set_viewport_size({"width": 1280, "height": 800})
    assert label_shown() == "none" and headings_shown()
