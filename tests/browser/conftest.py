"""Browser journeys: the app served on loopback from its own database, driven in Debian's Chromium.

Data here is committed for real (the server runs in another thread), so each test makes its
own uniquely named records.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import Page
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from config import TestingConfig
from tests.databases import fresh_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
    "--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter,DialMediaRouteProvider",
    "--disable-domain-reliability", "--no-pings", "--dns-prefetch-disable",
    "--disable-client-side-phishing-detection",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():  # fail, never skip: CI installs it (see .ci/run)
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium`")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_app() -> Iterator[Flask]:
    with fresh_database("browser") as url:
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, SERVICE_URL="http://127.0.0.1")
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright reads this: page.goto("/sign-in") goes to the live server."""
    return live_server


@pytest.fixture(autouse=True)
def tabs_closed(browser) -> Iterator[None]:
    """Every tab a test opened is closed when it ends. A tab left open keeps running its scripts (the timeout
    warning signs it out and reloads), and its requests to the live server would then land in the middle of
    later tests, which share this process."""
    yield
    for context in list(browser.contexts):
        context.close()


@pytest.fixture
def data(live_app: Flask) -> Iterator[None]:
    """An app context in which a test builds its records and commits them for the server to see."""
    with live_app.app_context():
        yield
        db.session.commit()
        db.session.remove()


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.2 A or AA violations on the page as it is now."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = results.response["violations"]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in violations
    )
    assert results.violations_count == 0, f"{page.url}\n{details}"
    assert_fits_a_phone(page)


# A common phone, and the narrowest screen WCAG's reflow rule asks for (1280 px at 400% zoom).
PHONE_WIDTHS = (390, 320)


def page_width_at(page: Page, width: int) -> tuple[int, list[str]]:
    """How wide the page is at a screen `width` px wide, and the first elements that stick out beyond it (a wide
    table scrolls inside its own region, so what is inside one is not counted)."""
    page.set_viewport_size({"width": width, "height": (page.viewport_size or {"height": 800})["height"]})
    wide = page.evaluate("document.documentElement.scrollWidth")
    too_wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                     && !e.closest('.app-table-scroll'))
        .slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + e.className)""")
    return wide, too_wide


def assert_fits_a_phone(page: Page) -> None:
    """At each phone's width the page does not scroll sideways."""
    size = page.viewport_size
    try:
        for width in PHONE_WIDTHS:
            wide, too_wide = page_width_at(page, width)
            assert wide <= width, f"{page.url} scrolls sideways at {width}px ({wide}px wide): {too_wide}"
    finally:
        if size:
            page.set_viewport_size(size)


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
