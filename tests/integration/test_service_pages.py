"""The service's furniture: the phase banner and its feedback link, the footer's pages (help and contact,
accessibility, privacy, cookies) readable signed out, the organisation's contact details from the settings,
and the blank framework a SENCo prints."""
from __future__ import annotations

import pytest

from app.frameworks.service import create_default_framework, current_framework
from app.models import Role
from tests.factories import enrol, make_programme, make_school, make_user, make_year
from tests.pages import text_of

FOOTER_PAGES = {"main.help": "Help and contact", "main.accessibility": "Accessibility statement",
                "main.privacy": "Privacy", "main.cookies": "Cookies"}


@pytest.fixture
def contact(app):
    """The organisation's contact details, set as a deployment would set them."""
    settings = {"SERVICE_OWNER": "Riverside Learning Trust", "CONTACT_EMAIL": "send.team@riverside.example",
                "CONTACT_PHONE": "0161 496 0123", "CONTACT_HOURS": "Monday to Thursday, 8am to 4pm"}
    before = {name: app.config[name] for name in settings}
    app.config.update(settings)
    yield settings
    app.config.update(before)


@pytest.mark.parametrize("endpoint", FOOTER_PAGES)
def test_each_footer_page_opens_signed_out_and_every_page_links_to_all_four(client_request, session, endpoint):
    page = client_request.get(endpoint)
    footer = {a.get_text(strip=True): a["href"] for a in page.select("footer a.govuk-footer__link")}
    assert footer == {text: client_request.url(target) for target, text in FOOTER_PAGES.items()}
    assert page.select_one("h1").get_text(strip=True)


def test_a_signed_in_page_has_the_footer_links_and_the_beta_banner(client_request, session):
    client_request.sign_in(make_user(Role.ADMIN))
    page = client_request.get("admin.index")
    banner = page.select_one(".govuk-phase-banner")
    assert banner.select_one(".govuk-tag").get_text(strip=True) == "Beta"
    assert banner.select_one("a")["href"].startswith("mailto:send.triads@northbrook.example?subject=")
    assert [a.get_text(strip=True) for a in page.select("footer a.govuk-footer__link")] == list(FOOTER_PAGES.values())


def test_the_contact_details_come_from_the_settings(client_request, session, contact):
    help_page = client_request.get("main.help")
    details = text_of(help_page, "#contact-details")
    assert contact["CONTACT_EMAIL"] in details and contact["CONTACT_PHONE"] in details
    assert contact["CONTACT_HOURS"] in details
    assert help_page.select_one("#contact-details a[href^=tel]")["href"] == "tel:01614960123"
    assert "run by Riverside Learning Trust" in text_of(help_page)
    feedback = help_page.select_one(".govuk-phase-banner a")["href"]
    assert feedback == "mailto:send.team@riverside.example?subject=Feedback%20on%20SEND%20Triads"
    privacy = text_of(client_request.get("main.privacy"), "#controller + p")
    assert privacy.startswith("Riverside Learning Trust runs SEND Triads and is the data controller")
    accessibility = client_request.get("main.accessibility")
    assert "This service is run by Riverside Learning Trust" in text_of(accessibility)
    assert f"mailto:{contact['CONTACT_EMAIL']}" in [a["href"] for a in accessibility.select("main a")]
    assert "Northbrook" not in text_of(accessibility, "body")


def test_the_accessibility_statement_says_what_was_checked_and_how_to_complain(client_request, session):
    page = client_request.get("main.accessibility")
    testing = text_of(page, "main")
    assert "axe-core" in testing and "WCAG 2.0, 2.1 and 2.2 at levels A and AA" in testing
    assert "keyboard alone" in testing and "JavaScript turned off" in testing and "390 and 320 pixels" in testing
    assert page.select_one("#known-issues") is not None and page.select_one("#reporting") is not None
    enforcement = page.select_one("#enforcement").find_next("p").get_text(" ", strip=True)
    assert enforcement.startswith("The Equality and Human Rights Commission (EHRC) is responsible for enforcing")
    assert "Equality Advisory and Support Service (EASS)" in enforcement


def test_the_privacy_notice_says_what_is_held_about_whom_and_nothing_about_pupils(client_request, session):
    text = text_of(client_request.get("main.privacy"))
    for held in ("your name and work email address", "your roles", "attempts to sign in",
                 "self-evaluations, action plans"):
        assert held in text
    assert "It holds no information about individual pupils" in text
    assert "Information Commissioner’s Office (ICO)" in text and "ask for a copy of the information" in text


def test_the_cookies_page_lists_the_one_essential_cookie_and_no_analytics(app, client_request, session):
    page = client_request.get("main.cookies")
    rows = page.select("#cookies tbody tr")
    assert len(rows) == 1
    assert rows[0].select_one("td").get_text(strip=True) == app.config["SESSION_COOKIE_NAME"]
    assert "cross-site request forgery" in rows[0].get_text()
    assert f"{app.config['SESSION_MAX_HOURS']} hours" in rows[0].get_text()
    assert "no analytics cookies" in text_of(page)
    # What the page says is so: a visit sets that one cookie and no other.
    client_request.client.get("/sign-in")
    assert {cookie.key for cookie in client_request.client._cookies.values()} == {app.config["SESSION_COOKIE_NAME"]}


# --- The blank framework to print ------------------------------------------------------------------------


@pytest.fixture
def programme(session):
    programme = make_programme()
    create_default_framework(programme)
    return programme


def test_a_senco_opens_the_blank_framework_with_every_area_its_prompts_and_room_to_write(client_request, programme):
    [school] = enrol(make_year(programme), make_school())
    client_request.sign_in(make_user(Role.SENCO, school=school))
    page = client_request.get("frameworks.blank", programme_id=programme.id)
    framework = current_framework(programme)
    areas = page.select("section.app-blank-area")
    assert [a.select_one("h2").get_text(strip=True) for a in areas] == [
        f"{area.position}. {area.title}" for area in framework.areas]
    prompts = [p.text for p in framework.areas[0].prompts_for("mainstream")]
    assert [li.get_text(strip=True) for li in areas[0].select("ul li")] == prompts
    assert len(areas[0].select(".app-writing-space")) == 4  # evidence, strengths, development, the reason
    assert [h.get_text(strip=True) for h in areas[0].select("h3")][-4:] == [
        "Evidence", "Strengths", "Areas for development", "If not yet evaluated, why not?"]
    assert "1 Emerging" in text_of(page, "#scale")
    assert page.select_one("#other-setting a")["href"].endswith("setting=specialist")


def test_the_blank_framework_for_specialist_settings_has_their_prompts(client_request, programme):
    client_request.sign_in(make_user(Role.PROGRAMME_LEAD, programme=programme))
    page = client_request.get("frameworks.blank", programme_id=programme.id, setting="specialist")
    area = current_framework(programme).areas[0]
    prompts = [li.get_text(strip=True) for li in page.select("section.app-blank-area")[0].select("ul li")]
    specialist, mainstream = ([p.text for p in area.prompts_for(setting)] for setting in ("specialist", "mainstream"))
    assert prompts == specialist != mainstream


def test_the_framework_page_links_to_both_blank_copies(client_request, programme):
    client_request.sign_in(make_user(Role.PROGRAMME_LEAD, programme=programme))
    links = [a["href"] for a in client_request.get("frameworks.show", programme_id=programme.id).select(
        "#print-blank a")]
    assert links == [client_request.url("frameworks.blank", programme_id=programme.id),
                     client_request.url("frameworks.blank", programme_id=programme.id, setting="specialist")]


def test_a_school_outside_the_programme_cannot_open_its_blank_framework(client_request, programme):
    [school] = enrol(make_year(make_programme()), make_school())
    client_request.sign_in(make_user(Role.SENCO, school=school))
    client_request.get("frameworks.blank", _expected_status=403, programme_id=programme.id)
