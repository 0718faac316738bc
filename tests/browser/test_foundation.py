"""Journeys a new user takes in a real browser, with axe-core on every page visited."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from app.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, make_programme, make_school, make_user, make_year


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


GIAS_CSV = (
    "URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (name),Cluster\n"
    "{base}1,Rowan Tree Primary School,Community school,Primary,Northbrook,East\n"
    "{base}2,Sorrel Fields Primary School,Academy converter,Primary,Northbrook,East\n"
    "{base}3,Linnet Lane Primary School,Voluntary aided school,Primary,Northbrook,West\n"
    "{base}4,Teasel High School,Academy converter,Secondary,Northbrook,West\n"
)


def test_a_programme_lead_imports_schools_and_forms_a_triad(page: Page, data):
    import random

    programme = make_programme(name=f"Journey Triads {random.randint(1000, 9999)}")
    make_year(programme, start_year=2025)
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Journey")
    base = random.randint(10000, 99999)
    csv_text = GIAS_CSV.format(base=base)

    sign_in(page, lead.email, PASSWORD)
    expect(page.get_by_role("region", name="To do")).to_contain_text("Enrol the schools taking part in 2025/26")
    assert_accessible(page)

    page.get_by_role("link", name="Enrol the schools taking part in 2025/26").click()
    expect(page.get_by_role("heading", name="Import schools")).to_be_visible()
    assert_accessible(page)

    # A file with a bad row: listed with its line number, nothing imported.
    broken = csv_text + "not-a-urn,Broken School,,Primary,Northbrook,\n"
    page.get_by_label("Upload a CSV file").set_input_files(
        files=[{"name": "schools.csv", "mimeType": "text/csv", "buffer": broken.encode()}])
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The file has a problem")
    expect(page.locator("#problems")).to_contain_text("URN “not-a-urn” must be a 6 or 7 digit number")
    assert_accessible(page)

    page.get_by_label("Upload a CSV file").set_input_files(
        files=[{"name": "schools.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}])
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check the schools before you import them")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import 4 schools").click()
    expect(page.get_by_text("4 schools added.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Form a triad").click()
    expect(page.get_by_role("heading", name="Form a triad")).to_be_visible()
    assert_accessible(page)
    for name in ("Rowan Tree Primary School", "Sorrel Fields Primary School", "Linnet Lane Primary School"):
        page.get_by_role("link", name=f"Choose {name}").click()
    expect(page.get_by_role("heading", name="Chosen schools: 3 of 3")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Triad name").fill("Triad East")
    # Only the three can coach, and a coach must be chosen.
    coaches = page.get_by_role("group", name="Which of the three is the coach school?")
    expect(coaches.get_by_role("radio")).to_have_count(3)
    page.get_by_role("button", name="Save triad").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the coach school")
    assert_accessible(page)

    page.get_by_role("group", name="Which of the three is the coach school?").get_by_label("Rowan Tree").check()
    page.get_by_role("button", name="Save triad").click()
    expect(page.get_by_text("Triad East formed.")).to_be_visible()
    row = page.get_by_role("row", name="Triad East")
    expect(row).to_contain_text("Rowan Tree Primary School Coach")
    assert_accessible(page)

    row.get_by_role("link", name="Triad East").click()
    expect(page.get_by_role("heading", name="Triad East")).to_be_visible()
    assert_accessible(page)


def test_an_invited_senco_sets_a_password_and_sees_their_school(page: Page, data, live_app):
    import random

    from sqlalchemy import select

    from app.extensions import db
    from app.models import OutboxEmail

    programme = make_programme()
    year = make_year(programme)
    school = make_school(name=f"Wren Hollow Primary {random.randint(1000, 9999)}")
    from tests.factories import enrol

    enrol(year, school)
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme)
    sign_in(page, lead.email, PASSWORD)
    page.goto(f"/programmes/{programme.id}/invite")
    assert_accessible(page)
    email = f"senco-{random.randint(10000, 99999)}@example.org"
    page.get_by_label("Full name").fill("Sasha Senco")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("radio", name="SENCo").check()
    page.get_by_label("School (for a headteacher or SENCo)").select_option(label=school.name)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {email}.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    db.session.remove()
    body = db.session.scalar(select(OutboxEmail.body).where(OutboxEmail.to_address == email))
    db.session.commit()
    link = next(line for line in body.splitlines() if "/invitation/" in line).strip()
    page.goto(link.replace("http://127.0.0.1", ""))
    expect(page.get_by_role("heading", name="Welcome to SEND Triads, Sasha Senco")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("a long and lovely passphrase")
    page.get_by_label("Confirm new password").fill("a long and lovely passphrase")
    page.get_by_role("button", name="Save password and sign in").click()
    expect(page.get_by_role("heading", name=school.name).first).to_be_visible()
    expect(page.get_by_role("region", name="Waiting for others")).to_contain_text("Your school is not in a triad yet")
    assert_accessible(page)


def test_a_triad_can_be_formed_with_the_keyboard_alone_and_without_javascript(browser, base_url, data):
    from tests.browser.test_triads import assert_accessible_in_a_scripted_tab, signed_in_without_javascript
    from tests.factories import enrol

    programme = make_programme()
    year = make_year(programme)
    enrol(year, make_school(name="Ash Primary"), make_school(name="Beech Primary"), make_school(name="Cedar Primary"))
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme)
    with signed_in_without_javascript(browser, base_url, lead.email) as page:
        page.goto(f"/years/{year.id}/triads/new")
        for name in ("Ash Primary", "Beech Primary", "Cedar Primary"):  # step 1: choose each school in turn
            page.get_by_role("link", name=f"Choose {name}").focus()
            page.keyboard.press("Enter")
        page.get_by_role("button", name="Continue").focus()
        page.keyboard.press("Enter")
        page.get_by_label("Triad name").focus()  # step 2: name it and choose the coach
        page.keyboard.type("Triad Keys")
        page.keyboard.press("Tab")  # into the coach radios: the first is focused
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Save triad")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Triad Keys formed.")).to_be_visible()
        expect(page.get_by_role("row", name="Triad Keys")).to_contain_text("Ash Primary Coach")
        assert_accessible_in_a_scripted_tab(browser, base_url, page, [
            "/sign-in", f"/years/{year.id}/triads/new", f"/years/{year.id}/triads/suggestions",
            f"/years/{year.id}/triads"])
