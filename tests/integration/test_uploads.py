"""Uploads are what their names say, checked by content through HTTP: a program renamed .txt, a web page
renamed .csv and a zip bomb renamed .xlsx are refused and nothing is stored; real files still upload."""
from __future__ import annotations

import functools
import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from app.extensions import db
from app.information_requests.service import create_request
from app.models import Role
from tests.factories import enrol, make_programme, make_school, make_user, make_year
from tests.pages import error_messages

CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def office_zip(folder: str, part: bytes = b"<document/>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(f"{folder}/document.xml", part)
    return out.getvalue()


@functools.cache  # a second or two to make: only when a test asks
def zip_bomb() -> bytes:
    """A workbook-shaped zip of about 200 KB whose one sheet unpacks to 200 MB of zeros, written in chunks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = bytes(1024 * 1024)
            for _ in range(200):
                sheet.write(chunk)
    return out.getvalue()


def workbook() -> bytes:
    book = Workbook()
    book.active.append(["School", "Pupils with EHC plans"])
    book.active.append(["Alder Primary", 14])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def recipient(session):
    year = make_year(make_programme(), start_year=2026)
    [school] = enrol(year, make_school(name="Alder Primary"))
    request = create_request(year, make_user(Role.PROGRAMME_LEAD, programme=year.programme), "SEND register",
                             "How many pupils?", 10, issued_on=date(2026, 11, 2))
    db.session.commit()
    return request.recipients[0]


def upload(client_request, recipient, name: str, content: bytes):
    client_request.sign_in(make_user(Role.SENCO, school=recipient.school))
    token = client_request.csrf_token("requests.answer", recipient_id=recipient.id)
    return client_request.client.post(
        client_request.url("requests.answer", recipient_id=recipient.id), content_type="multipart/form-data",
        data={"csrf_token": token, "version": "1", "answer": "See the file", "file": (io.BytesIO(content), name)})


@pytest.mark.parametrize(("name", "content", "message"), [
    ("register.txt", lambda: b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)),
     "The selected file is not a real text file"),
    ("register.csv", lambda: b"<html><script>alert(document.cookie)</script></html>",
     "The selected file is not a real CSV file"),
    ("register.xlsx", zip_bomb, "The selected file is not a real Excel file"),
], ids=["program-as-txt", "web-page-as-csv", "zip-bomb-as-xlsx"])
def test_a_file_that_is_not_what_its_name_says_is_refused_and_not_stored(client_request, recipient, name, content,
                                                                          message):
    content = content()
    assert len(content) < 1024 * 1024
    response = upload(client_request, recipient, name, content)
    assert response.status_code == 200
    assert error_messages(client_request._page(response, 200)) == [message]
    db.session.expire_all()
    assert (recipient.file_name or None, recipient.file_data, recipient.answered_at) == (None, None, None)


@pytest.mark.parametrize(("name", "content"), [
    ("register.xlsx", workbook()), ("register.docx", office_zip("word")),
    ("register.csv", "School,Pupils\r\nSt Mary’s,14\r\n".encode("cp1252")),
    ("register.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)),
], ids=["xlsx", "docx", "windows-1252-csv", "legacy-xls"])
def test_a_real_office_file_or_text_file_uploads(client_request, recipient, name, content):
    assert upload(client_request, recipient, name, content).status_code == 302
    db.session.expire_all()
    assert (recipient.file_name, recipient.file_data) == (name, content)


def test_a_web_page_renamed_csv_is_refused_by_the_school_import(client_request, session):
    year = make_year(make_programme())
    client_request.sign_in(make_user(Role.PROGRAMME_LEAD, programme=year.programme))
    token = client_request.csrf_token("programmes.import_schools", year_id=year.id)
    response = client_request.client.post(
        client_request.url("programmes.import_schools", year_id=year.id), content_type="multipart/form-data",
        data={"csrf_token": token, "file": (io.BytesIO(b"<html><script>alert(1)</script>"), "schools.csv")})
    page = client_request._page(response, 200)
    assert [cell.get_text(strip=True) for cell in page.select("#problems td")] == [
        "Whole file", "The selected file is not a real CSV file"]
