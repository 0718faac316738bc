"""Journeys a new user takes in a real browser, with axe-core on every page visited."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from app.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, make_user


def test_sign_in_with_the_keyboard_and_sign_out(page: Page, data):
    user = make_user(name="Kai Keyboard")
    page.goto("/sign-in")
    assert_accessible(page)
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.get_by_label("Email address").focus()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Hello, Kai Keyboard")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_a_wrong_password_shows_the_error_summary(page: Page, data):
    user = make_user()
    sign_in(page, user.email, "not the password")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")
    assert_accessible(page)
