"""The organisation's logo through HTTP: the programme lead uploads, replaces and removes it; a file that is not
a printable picture, or is too large, gets a GOV.UK error and changes nothing; and the celebration pack and
the school report print it."""
from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Role
from tests.celebrations import submitted
from tests.factories import make_programme_with_framework, make_triad, make_user, make_year
from tests.pages import error_messages, text_of
from tests.unit.test_images import picture

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 60"><rect width="60" height="60" fill="#00703c"/>'
       b'<text x="70" y="40" font-size="30">Northbrook</text></svg>')


@pytest.fixture
def scene(session):
    programme = make_programme_with_framework(name="Logo Programme")
    return SimpleNamespace(programme=programme, lead=make_user(Role.PROGRAMME_LEAD, programme=programme))


def upload(client_request, programme, name: str, content: bytes):
    token = client_request.csrf_token("programmes.logo", programme_id=programme.id)
    return client_request.client.post(
        client_request.url("programmes.logo", programme_id=programme.id), content_type="multipart/form-data",
        data={"csrf_token": token, "file": (io.BytesIO(content), name)})


def stored(programme) -> tuple[str, str, bytes | None]:
    db.session.expire_all()
    organisation = programme.organisation
    return organisation.logo_name, organisation.logo_type, organisation.logo


def test_the_lead_uploads_replaces_and_removes_the_logo(client_request, scene):
    client_request.sign_in(scene.lead)
    page = client_request.get("programmes.show", programme_id=scene.programme.id)
    link = page.find("a", string="Logo for printed documents")
    assert link["href"].endswith(f"/programmes/{scene.programme.id}/logo")
    page = client_request.get("programmes.logo", programme_id=scene.programme.id)
    assert "There is no logo yet" in text_of(page) and not page.select("main img")
    assert [b.get_text(strip=True) for b in page.select("main button")] == ["Upload logo"]

    crest = picture("PNG")
    response = upload(client_request, scene.programme, "Crest.png", crest)
    assert response.status_code == 302 and response.location.endswith(f"/programmes/{scene.programme.id}/logo")
    assert stored(scene.programme) == ("Crest.png", "image/png", crest)
    page = client_request.get("programmes.logo", programme_id=scene.programme.id)
    [preview] = page.select("main img")
    assert preview["src"].startswith("data:image/png;base64,") and preview["alt"]
    assert "Logo saved." in text_of(page, ".govuk-notification-banner") and "Uploaded as Crest.png" in text_of(page)

    assert upload(client_request, scene.programme, "wordmark.svg", SVG).status_code == 302
    assert stored(scene.programme) == ("wordmark.svg", "image/svg+xml", SVG)

    client_request.post("programmes.remove_logo_page", {}, _form_endpoint="programmes.logo",
                        programme_id=scene.programme.id)
    assert stored(scene.programme) == ("", "", None)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("crest.png", b"This is a letter, not a picture.", "The selected file is not a real PNG file"),
    ("crest.svg", b"<html><script>alert(document.cookie)</script></html>",
     "The selected file is not an SVG image we can print. Save it as a plain SVG, or upload a PNG or JPG instead"),
    ("crest.docx", b"PK\x03\x04", "The selected file must be a PNG, JPG or SVG image"),
    ("crest.png", picture("PNG", (2000, 2000))[:8] + bytes(1024 * 1024), "The selected file must be smaller than 1 MB"),
], ids=["text-as-png", "web-page-as-svg", "word-document", "over-size"])
def test_a_file_that_is_not_a_printable_logo_is_refused_and_the_old_one_kept(client_request, scene, name, content,
                                                                          message):
    client_request.sign_in(scene.lead)
    crest = picture("JPEG")
    assert upload(client_request, scene.programme, "crest.jpg", crest).status_code == 302
    response = upload(client_request, scene.programme, name, content)
    page = client_request._page(response, 200)
    assert error_messages(page) == [message]
    assert page.select_one("#file-error") is not None  # the message is on the field too
    assert stored(scene.programme) == ("crest.jpg", "image/jpeg", crest)


def test_sending_no_file_asks_for_one_and_saves_nothing(client_request, scene):
    client_request.sign_in(scene.lead)
    page = client_request.post("programmes.logo", {}, _expected_status=200, programme_id=scene.programme.id)
    assert error_messages(page) == ["Select a logo to upload"]
    assert stored(scene.programme) == ("", "", None)


def test_a_lead_of_another_programme_and_a_school_s_head_cannot_open_it(client_request, scene):
    triad = make_triad(make_year(scene.programme))
    for user in (make_user(Role.PROGRAMME_LEAD, programme=make_programme_with_framework()),
                 make_user(Role.HEAD, school=triad.members[0].school)):
        client_request.sign_in(user)
        client_request.get("programmes.logo", _expected_status=403, programme_id=scene.programme.id)


def test_the_downloaded_pack_and_school_report_print_the_logo(client_request, scene):
    year = make_year(scene.programme)
    triad = make_triad(year, name="Triad A")
    submitted(triad, scene.lead, "Parent drop-ins")
    head = make_user(Role.HEAD, school=triad.members[0].school)
    client_request.sign_in(scene.lead)
    assert upload(client_request, scene.programme, "crest.png", picture("PNG", (320, 100))).status_code == 302

    pack = client_request.client.get(client_request.url("celebration.pack", year_id=year.id))
    [cover_logo] = PdfReader(io.BytesIO(pack.data)).pages[0].images
    assert cover_logo.image.size == (320, 100)
    client_request.sign_in(head)
    school = triad.members[0].school
    report = client_request.client.get(client_request.url("reports.school_report", school_id=school.id,
                                                          year_id=year.id))
    assert report.status_code == 200
    [header_logo] = PdfReader(io.BytesIO(report.data)).pages[0].images
    assert header_logo.image.size == (320, 100)


@pytest.mark.parametrize(("logo_type", "logo"), [("image/gif", b"GIF89a"), ("image/png", None), ("", b"\x89PNG")],
                         ids=["another-type", "a-type-without-a-logo", "a-logo-without-a-type"])
def test_the_database_holds_a_logo_to_its_type(scene, logo_type, logo):
    organisation = scene.programme.organisation
    organisation.logo_type, organisation.logo = logo_type, logo
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
