"""The programme lead adds the organisation's logo from the programme's page: a file that is not a picture is
refused with a GOV.UK error, a wide picture shows as it will print without the page scrolling sideways on a
phone, and it can be removed; axe-core checks every page on the way."""
from __future__ import annotations

import io
import random

from PIL import Image
from playwright.sync_api import Browser, expect

from app.extensions import db
from app.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, make_programme_with_framework, make_user


def wide_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2400, 300), "#00703c").save(out, "PNG")
    return out.getvalue()


def test_the_lead_adds_a_logo_sees_it_and_removes_it(browser: Browser, base_url: str, data, tmp_path):
    programme = make_programme_with_framework(name=f"Logo Triads {random.randint(1000, 9999)}")
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead")
    db.session.commit()
    letter, logo = tmp_path / "letter.png", tmp_path / "crest.png"
    letter.write_bytes(b"Dear colleagues, this is a letter.")
    logo.write_bytes(wide_png())

    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    sign_in(page, lead.email, PASSWORD)
    page.goto(f"/programmes/{programme.id}")
    page.get_by_role("link", name="Logo for printed documents").click()
    expect(page.get_by_role("heading", name="Logo for printed documents")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Upload a logo").set_input_files(str(letter))
    page.get_by_role("button", name="Upload logo").click()
    expect(page.get_by_role("alert")).to_contain_text("The selected file is not a real PNG file")
    assert_accessible(page)

    page.get_by_label("Upload a logo").set_input_files(str(logo))
    page.get_by_role("button", name="Upload logo").click()
    expect(page.get_by_text("Logo saved.")).to_be_visible()
    preview = page.get_by_role("img", name=f"{programme.organisation.name}'s logo, as it prints")
    expect(preview).to_be_visible()
    assert_accessible(page)  # the 2,400 px picture fits the column, and a phone
    page.screenshot(path=str(tmp_path / "logo-1280.png"), full_page=True)

    page.get_by_role("button", name="Remove logo").click()
    expect(page.get_by_text("Logo removed.")).to_be_visible()
    expect(page.get_by_role("img", name=f"{programme.organisation.name}'s logo, as it prints")).to_have_count(0)
    assert_accessible(page)
    context.close()
