"""The programme lead's pages, through real HTTP."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AuditEvent,
    Enrolment,
    OutboxEmail,
    Programme,
    ProgrammeYear,
    Role,
    School,
    Triad,
    TriadMember,
    User,
)
from tests.factories import enrol, make_organisation, make_programme, make_school, make_triad, make_user, make_year
from tests.pages import error_messages, text_of
from tests.unit.test_school_import import CLEAN


@pytest.fixture
def lead(session):
    programme = make_programme()
    return make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead")


@pytest.fixture
def signed_in_lead(client_request, lead):
    client_request.sign_in(lead)
    return lead


def programme_of(lead) -> Programme:
    return lead.roles[0].programme


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def upload(client_request, year, csv_text: str, expected_status=200):
    token = client_request.csrf_token("programmes.import_schools", year_id=year.id)
    response = client_request.client.post(
        client_request.url("programmes.import_schools", year_id=year.id),
        data={"csrf_token": token, "file": (io.BytesIO(csv_text.encode()), "schools.csv")},
        content_type="multipart/form-data",
    )
    return client_request._page(response, expected_status)


def confirm(client_request, year, page):
    csv_text = page.select_one("input[name=csv_text]")["value"]
    return client_request.client.post(
        client_request.url("programmes.confirm_import", year_id=year.id),
        data={"csrf_token": page.select_one("input[name=csrf_token]")["value"], "csv_text": csv_text},
    )


def test_a_lead_creates_a_programme_and_leads_it(client_request, signed_in_lead):
    organisation = programme_of(signed_in_lead).organisation
    response = client_request.post("programmes.new", {"organisation": str(organisation.id), "name": "Riverside Triads"})
    programme = db.session.scalar(select(Programme).where(Programme.name == "Riverside Triads"))
    assert response.headers["Location"].endswith(f"/programmes/{programme.id}/years/new")
    assert any(r.programme_id == programme.id and r.role == Role.PROGRAMME_LEAD for r in signed_in_lead.roles)


def test_a_lead_cannot_create_a_programme_in_someone_elses_organisation(client_request, signed_in_lead):
    elsewhere = make_organisation()
    page = client_request.post("programmes.new", {"organisation": str(elsewhere.id), "name": "Sneaky"},
                               _expected_status=200)
    assert error_messages(page) == ["Choose the organisation that runs the programme"]
    assert db.session.scalar(select(Programme).where(Programme.name == "Sneaky")) is None


def test_adding_the_same_academic_year_twice_is_refused(client_request, signed_in_lead):
    programme = programme_of(signed_in_lead)
    client_request.post("programmes.new_year", {"start_year": "2025"}, programme_id=programme.id)
    page = client_request.post("programmes.new_year", {"start_year": "2025"}, _expected_status=200,
                               programme_id=programme.id)
    assert error_messages(page) == [f"{programme.name} already has the academic year 2025/26"]
    assert count(ProgrammeYear) == 1


def test_a_clean_csv_is_checked_then_imported(client_request, signed_in_lead):
    year = make_year(programme_of(signed_in_lead))
    page = upload(client_request, year, CLEAN)
    assert "Check the schools before you import them" in text_of(page)
    assert count(School) == 0  # nothing until confirmed
    response = confirm(client_request, year, page)
    assert response.status_code == 302
    year_page = client_request.get("programmes.year", year_id=year.id)
    assert "3 schools added. 2 clusters added." in text_of(year_page)
    assert "Kestrel High School" in text_of(year_page)


def test_a_csv_with_bad_rows_lists_them_and_imports_nothing(client_request, signed_in_lead):
    year = make_year(programme_of(signed_in_lead))
    bad = CLEAN + "61000X,Broken School,,Primary,Northbrook,,\n"
    page = upload(client_request, year, bad)
    assert error_messages(page) == ["The file has a problem. Fix it and upload it again"]
    assert "5 URN “61000X” must be a 6 or 7 digit number" in text_of(page, "#problems")
    assert count(School) == 0 and count(Enrolment) == 0


def test_reimporting_the_same_file_changes_nothing(client_request, signed_in_lead):
    year = make_year(programme_of(signed_in_lead))
    confirm(client_request, year, upload(client_request, year, CLEAN))
    before = (count(School), count(Enrolment), count(AuditEvent))
    page = upload(client_request, year, CLEAN)
    assert confirm(client_request, year, page).status_code == 302
    assert (count(School), count(Enrolment), count(AuditEvent)) == before


@pytest.fixture
def year_with_schools(signed_in_lead):
    year = make_year(programme_of(signed_in_lead))
    return year, enrol(year, *[make_school(name=f"School {n}") for n in range(5)])


def form_triad_page(client_request, data, **values):
    """Post step 2 of forming a triad (its CSRF token from step 1, as step 2 needs three schools chosen)."""
    return client_request.post("programmes.name_triad", data, _form_endpoint="programmes.new_triad", **values)


def triad_form(name, schools, coach):
    return {"name": name, "schools": [str(s.id) for s in schools], "coach": str(coach.id) if coach else ""}


def test_a_lead_forms_a_triad(client_request, year_with_schools):
    year, schools = year_with_schools
    response = form_triad_page(client_request, triad_form("Triad A", schools[:3], schools[0]),
                                   year_id=year.id)
    assert response.headers["Location"].endswith(f"/years/{year.id}/triads")
    page = client_request.get("programmes.triads", year_id=year.id)
    assert "Triad A School 0 Coach School 1 School 2" in text_of(page)


@pytest.mark.parametrize("how_many", [2, 4])
def test_a_triad_of_the_wrong_size_is_refused_with_the_reason(client_request, year_with_schools, how_many):
    year, schools = year_with_schools
    page = form_triad_page(client_request, triad_form("Triad A", schools[:how_many], schools[0]),
                               _expected_status=200, year_id=year.id)
    assert error_messages(page) == [f"Choose exactly three schools. You chose {how_many}."]
    assert count(Triad) == 0 and count(TriadMember) == 0


def test_a_forged_second_coach_still_leaves_exactly_one_coach(client_request, year_with_schools):
    year, schools = year_with_schools
    data = triad_form("Triad A", schools[:3], schools[0])
    data["coach"] = [str(schools[0].id), str(schools[1].id)]  # the coach is a radio group: one answer
    page = form_triad_page(client_request, data, _expected_status=200, year_id=year.id)
    assert error_messages(page) == ["Choose exactly one coach school"]
    assert db.session.scalars(select(TriadMember.school_id).where(TriadMember.is_coach)).all() == []


def test_a_triad_without_a_coach_is_refused(client_request, year_with_schools):
    year, schools = year_with_schools
    page = form_triad_page(client_request, triad_form("Triad A", schools[:3], None),
                               _expected_status=200, year_id=year.id)
    assert error_messages(page) == ["Choose the coach school"]
    assert count(Triad) == 0


def test_a_school_in_another_triad_is_named(client_request, year_with_schools):
    year, schools = year_with_schools
    existing = make_triad(year, schools=schools[:3], name="Triad A")
    page = form_triad_page(client_request, triad_form("Triad B", [schools[2], *schools[3:]], schools[3]),
                               _expected_status=200, year_id=year.id)
    assert error_messages(page) == [f"{schools[2].name} is already in {existing.name} for {year.label}"]
    assert count(Triad) == 1


def test_a_lead_edits_and_dissolves_a_triad(client_request, year_with_schools):
    year, schools = year_with_schools
    triad = make_triad(year, schools=schools[:3], name="Triad A")
    client_request.post("programmes.edit_triad_details", triad_form("Triad Alpha", schools[2:5], schools[4]),
                        triad_id=triad.id)
    page = client_request.get("programmes.triad", triad_id=triad.id)
    assert "Triad Alpha" in text_of(page) and "School 4 Coach" in text_of(page)
    client_request.post("programmes.dissolve", triad_id=triad.id)
    assert count(Triad) == 0 and count(TriadMember) == 0


def test_the_triads_list_issues_the_same_number_of_queries_for_4_and_40_triads(client_request, signed_in_lead):
    def statements_for(how_many):
        year = make_year(programme_of(signed_in_lead), start_year=2000 + how_many)
        for _ in range(how_many):
            make_triad(year)
        page = client_request.get("programmes.triads", year_id=year.id)
        assert len(page.select("tbody tr")) == how_many
        return client_request.last_statements

    assert statements_for(4) == statements_for(40)


def test_the_year_page_issues_the_same_number_of_queries_for_4_and_40_triads(client_request, signed_in_lead):
    def statements_for(how_many):
        year = make_year(programme_of(signed_in_lead), start_year=2000 + how_many)
        for _ in range(how_many):
            make_triad(year)
        client_request.get("programmes.year", year_id=year.id)
        return client_request.last_statements

    assert statements_for(4) == statements_for(40)


def test_a_lead_invites_a_senco_to_a_school(client_request, year_with_schools, signed_in_lead):
    year, schools = year_with_schools
    response = client_request.post(
        "programmes.invite",
        {"name": "Sam Senco", "email": "sam@example.org", "role": "senco", "school": str(schools[0].id), "cluster": ""},
        programme_id=year.programme_id,
    )
    assert response.status_code == 302
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == "sam@example.org"))
    assert "SENCo for School 0" in email.body


def test_inviting_a_schools_senco_to_another_school_of_the_programme_asks_first(client_request, year_with_schools):
    """A person is staff of one school of a programme: the lead is told their role at the first ends."""
    year, schools = year_with_schools
    senco = make_user(Role.SENCO, school=schools[0], name="Sam Senco")
    sent = {"name": "Sam Senco", "email": senco.email, "role": "senco", "school": str(schools[1].id), "cluster": ""}
    page = client_request.post("programmes.invite", sent, programme_id=year.programme_id, _expected_status=200)
    assert "Make Sam Senco SENCo at School 1?" in text_of(page, "h1")
    assert text_of(page, "#ends") == "SENCo at School 0"
    assert [r.school_id for r in senco.roles] == [schools[0].id]  # nothing changed yet
    client_request.post("programmes.invite", {**sent, "confirmed": "yes"}, programme_id=year.programme_id)
    db.session.expire_all()
    assert [r.school_id for r in db.session.get(User, senco.id).roles] == [schools[1].id]


def test_inviting_a_head_without_a_school_asks_for_the_school(client_request, year_with_schools):
    year, _ = year_with_schools
    page = client_request.post("programmes.invite",
                               {"name": "Hal Head", "email": "hal@example.org", "role": "head", "school": "",
                                "cluster": ""},
                               _expected_status=200, programme_id=year.programme_id)
    assert error_messages(page) == ["Choose the school"]
    assert count(OutboxEmail) == 0


def test_inviting_with_a_bad_email_says_how_to_fix_it(client_request, year_with_schools):
    year, schools = year_with_schools
    page = client_request.post("programmes.invite",
                               {"name": "Hal Head", "email": "not-an-email", "role": "head",
                                "school": str(schools[0].id), "cluster": ""},
                               _expected_status=200, programme_id=year.programme_id)
    assert error_messages(page) == ["Enter an email address in the correct format, like name@example.com"]
