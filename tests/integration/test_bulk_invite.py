"""Inviting people to a programme in bulk from a CSV file (issue 17), through real HTTP: a bad file is refused
naming each bad line and invites nobody; a clean one is shown for checking, imported once, and importing it
again changes nothing and says so."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxEmail, Role, RoleAssignment, User
from tests.factories import enrol, make_programme_with_framework, make_school, make_user, make_year
from tests.pages import error_messages, text_of


@pytest.fixture
def year(session):
    return make_year(make_programme_with_framework(name="Northbrook Triads"))


@pytest.fixture
def lead(year):
    return make_user(Role.PROGRAMME_LEAD, programme=year.programme, name="Lena Lead", email="lead@example.org")


@pytest.fixture
def schools(year):
    return enrol(year, make_school(name="Alder Grove Primary", urn=100001), make_school(name="Birch Lane", urn=100002))


def upload(client_request, programme, text: str, **kwargs):
    token = client_request.csrf_token("people.bulk_invite", programme_id=programme.id)
    response = client_request.client.post(
        client_request.url("people.bulk_invite", programme_id=programme.id),
        data={"csrf_token": token, "file": (io.BytesIO(text.encode()), "people.csv")},
        content_type="multipart/form-data")
    return client_request._page(response, 200)


def problems(page) -> list[tuple[str, str]]:
    return [tuple(cell.get_text(" ", strip=True) for cell in row.select("td"))
            for row in page.select("#problems tbody tr")]


def people_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


BAD = """Email,Name,Role,School URN
ana@example.org,Ana Able,SENCo,100001
not-an-email,Ben Bad,SENCo,100001
cat@example.org,Cat Cole,Headteacher,999999
dan@example.org,Dan Dale,Teacher,100001
eve@example.org,Eve East,SENCo,
ana@example.org,Ana Able,SENCo,100001
fay@example.org,Fay Far,SENCo,100003
"""


def test_a_bad_file_is_refused_naming_each_bad_line_and_invites_nobody(client_request, year, lead, schools):
    make_school(name="Elsewhere Academy", urn=100003)
    client_request.sign_in(lead)
    before = people_count()
    page = upload(client_request, year.programme, BAD)
    assert error_messages(page) == ["The file has 6 problems. Fix them and upload it again"]
    assert problems(page) == [
        ("3", "Email “not-an-email” is not an email address, like name@example.com"),
        ("4", "No school has the URN 999999"),
        ("5", "Role “Teacher” is not one we know: use Headteacher, SENCo, Programme lead or QA expert"),
        ("6", "A SENCo needs a school: add its URN"),
        ("7", "The same person, role and school as line 2"),
        ("8", "Elsewhere Academy (URN 100003) does not take part in Northbrook Triads"),
    ]
    assert people_count() == before
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 0


def test_a_file_without_the_columns_is_refused(client_request, year, lead):
    client_request.sign_in(lead)
    page = upload(client_request, year.programme, "Mail,Who\nana@example.org,Ana\n")
    assert problems(page) == [("1", "The file must have the columns Email, Name, Role, School URN. "
                                    "Missing: Email, Name, Role")]


CLEAN = """Email,Name,Role,School URN
ana@example.org,Ana Able,SENCo,100001
bea@example.org,Bea Bright,Headteacher,100002
quinn@example.org,Quinn Expert,QA expert,
"""


def test_a_clean_file_is_checked_imported_once_and_again_changes_nothing(client_request, year, lead, schools):
    existing = make_user(Role.HEAD, school=schools[1], name="Bea Bright", email="bea@example.org")
    client_request.sign_in(lead)
    check = upload(client_request, year.programme, CLEAN)
    assert "New accounts to invite 2" in text_of(check, "#summary")
    assert "Already have their role 1" in text_of(check, "#summary")
    csv_text = check.select_one("input[name=csv_text]")["value"]
    token = check.select_one("input[name=csrf_token]")["value"]
    url = client_request.url("people.confirm_bulk_invite", programme_id=year.programme_id)
    response = client_request.client.post(url, data={"csrf_token": token, "csv_text": csv_text})
    assert response.status_code == 302
    roles = {(r.user.email, r.role) for r in db.session.scalars(select(RoleAssignment))}
    assert {("ana@example.org", Role.SENCO), ("quinn@example.org", Role.QA_EXPERT)} <= roles
    subjects = db.session.scalars(select(OutboxEmail.to_address).where(
        OutboxEmail.subject == "You have been invited to SEND Triads"))
    assert sorted(subjects) == ["ana@example.org", "quinn@example.org"]
    assert "2 people invited, 1 already had their role." in text_of(
        client_request.get("people.bulk_invite", programme_id=year.programme_id))

    before = (people_count(), db.session.scalar(select(func.count()).select_from(OutboxEmail)))
    response = client_request.client.post(url, data={"csrf_token": token, "csv_text": csv_text})
    assert response.status_code == 302
    assert "No changes: all 3 people already had these roles." in text_of(
        client_request.get("people.bulk_invite", programme_id=year.programme_id))
    assert (people_count(), db.session.scalar(select(func.count()).select_from(OutboxEmail))) == before
    assert len(existing.roles) == 1


def test_only_the_programmes_managers_may_invite_in_bulk(client_request, year, schools):
    client_request.sign_in(make_user(Role.SENCO, school=schools[0]))
    assert client_request.client.get(
        client_request.url("people.bulk_invite", programme_id=year.programme_id)).status_code == 403
