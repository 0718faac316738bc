"""Issue 13, items 12, 15 and 19 (part): one coach school per triad however the form is forged, a
Windows-1252 file imported as it was previewed, and an import that says what it changed."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Role, School, Triad, TriadMember
from tests.factories import enrol, make_triad, make_user, make_year
from tests.pages import error_messages, text_of
from tests.unit.test_school_import import CLEAN, HEADER


@pytest.fixture
def year(session):
    return make_year()


@pytest.fixture
def signed_in_lead(client_request, year):
    lead = make_user(Role.PROGRAMME_LEAD, programme=year.programme)
    client_request.sign_in(lead)
    return lead


# --- item 12: two coach values ---------------------------------------------------------------

def forged(schools, *coaches) -> dict:
    return {"name": "Triad A", "schools": [str(s.id) for s in schools], "coach": [str(c.id) for c in coaches]}


def test_forming_a_triad_with_two_coach_values_is_refused_and_saves_nothing(client_request, year, signed_in_lead):
    schools = enrol(year)
    page = client_request.post("programmes.name_triad", forged(schools, schools[0], schools[1]),
                               _expected_status=200, _form_endpoint="programmes.new_triad", year_id=year.id)
    assert error_messages(page) == ["Choose exactly one coach school"]
    assert db.session.scalar(select(func.count()).select_from(Triad)) == 0
    assert db.session.scalar(select(func.count()).select_from(TriadMember)) == 0


def test_editing_a_triad_with_two_coach_values_is_refused_and_keeps_the_coach(client_request, year, signed_in_lead):
    triad = make_triad(year)  # the first school coaches
    schools = [m.school for m in triad.members]
    page = client_request.post("programmes.edit_triad_details", forged(schools, schools[1], schools[2]),
                               _expected_status=200, triad_id=triad.id)
    assert error_messages(page) == ["Choose exactly one coach school"]
    db.session.expire_all()
    assert db.session.scalars(select(TriadMember.school_id).where(TriadMember.is_coach)).all() == [schools[0].id]


# --- item 15: Windows-1252 -------------------------------------------------------------------

def upload(client_request, year, raw: bytes):
    token = client_request.csrf_token("programmes.import_schools", year_id=year.id)
    response = client_request.client.post(
        client_request.url("programmes.import_schools", year_id=year.id),
        data={"csrf_token": token, "file": (io.BytesIO(raw), "schools.csv")}, content_type="multipart/form-data")
    return client_request._page(response, 200)


def confirm(client_request, year, page):
    response = client_request.client.post(
        client_request.url("programmes.confirm_import", year_id=year.id),
        data={"csrf_token": page.select_one("input[name=csrf_token]")["value"],
              "csv_text": page.select_one("input[name=csv_text]")["value"]})
    assert response.status_code == 302
    return client_request.get("programmes.year", year_id=year.id)


def test_a_windows_1252_file_is_stored_with_the_names_its_preview_showed(client_request, year, signed_in_lead):
    raw = (HEADER + "610009,St Mary’s C of E Primary,,Primary,Northbrook,,\n").encode("cp1252")
    assert b"\x92" in raw  # the curly apostrophe, as Excel on Windows saves it
    preview = upload(client_request, year, raw)
    assert "St Mary’s C of E Primary" in text_of(preview)
    confirm(client_request, year, preview)
    assert db.session.scalar(select(School.name).where(School.urn == 610009)) == "St Mary’s C of E Primary"


# --- item 19 (part): what an import did -------------------------------------------------------

def flash_of(page) -> str:
    return text_of(page, ".govuk-notification-banner__content")


def test_importing_new_schools_says_how_many_were_added(client_request, year, signed_in_lead):
    page = confirm(client_request, year, upload(client_request, year, CLEAN.encode()))
    assert flash_of(page) == "3 schools added. 2 clusters added."


def test_a_reimport_that_changes_nothing_says_so(client_request, year, signed_in_lead):
    confirm(client_request, year, upload(client_request, year, CLEAN.encode()))
    page = confirm(client_request, year, upload(client_request, year, CLEAN.encode()))
    assert flash_of(page) == "No changes: all 3 schools were already up to date."


def test_an_import_says_how_many_schools_were_added_changed_and_unchanged(client_request, year, signed_in_lead):
    confirm(client_request, year, upload(client_request, year, CLEAN.encode()))
    changed = (CLEAN.replace("Kestrel High School", "Kestrel Academy")
               + "610004,Otter Lane Primary,,Primary,Northbrook,North,\n")
    page = confirm(client_request, year, upload(client_request, year, changed.encode()))
    assert flash_of(page) == "1 school added, 1 changed, 2 unchanged."


def test_moving_a_school_to_another_cluster_counts_as_a_change(client_request, year, signed_in_lead):
    confirm(client_request, year, upload(client_request, year, CLEAN.encode()))
    moved = CLEAN.replace("Northbrook,South", "Northbrook,North")
    preview = upload(client_request, year, moved.encode())
    assert "Schools whose details will be updated 1" in text_of(preview, ".govuk-summary-list")
    page = confirm(client_request, year, preview)
    assert flash_of(page) == "1 school changed, 2 unchanged."


def test_known_schools_joining_a_new_year_are_counted_as_enrolled(client_request, year, signed_in_lead):
    confirm(client_request, year, upload(client_request, year, CLEAN.encode()))
    next_year = make_year(year.programme, start_year=year.start_year + 1)
    page = confirm(client_request, next_year, upload(client_request, next_year, CLEAN.encode()))
    assert flash_of(page) == f"3 schools unchanged. 3 enrolled in {next_year.label}."
