"""A school sees who can read its work, its heads can take access away, and nobody grants themselves a
school role (issue 13, item 1), through real HTTP."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.common.dates import moment as when
from app.extensions import db
from app.models import EvaluationStatus, OutboxEmail, Role, RoleAssignment
from tests.factories import enrol, make_programme_with_framework, make_school, make_user, make_year
from tests.locality import rate
from tests.pages import error_messages, text_of


@pytest.fixture
def year(session):
    return make_year(make_programme_with_framework())


@pytest.fixture
def school(year):
    return enrol(year, make_school(name="Catkin Hill Primary"))[0]


@pytest.fixture
def lead(year):
    return make_user(Role.PROGRAMME_LEAD, programme=year.programme, name="Lena Lead", email="lead@example.org")


def status(client_request, endpoint, **values) -> int:
    return client_request.client.get(client_request.url(endpoint, **values)).status_code


def roles_at(school) -> list[tuple[str, Role]]:
    return sorted((r.user.name, r.role) for r in db.session.scalars(
        select(RoleAssignment).where(RoleAssignment.school_id == school.id)))


def invite_form(person_email, role, school) -> dict:
    return {"name": "Someone", "email": person_email, "role": role.value, "school": str(school.id), "cluster": ""}


def test_a_lead_who_invites_themselves_as_head_is_refused_and_still_cannot_read_the_draft(
        client_request, year, school, lead):
    draft = rate(year, school, [2, 3], status=EvaluationStatus.DRAFT)
    client_request.sign_in(lead)
    page = client_request.post("programmes.invite", invite_form("lead@example.org", Role.HEAD, school),
                               _expected_status=200, programme_id=year.programme_id)
    assert error_messages(page) == ["You cannot give yourself a role. Ask an administrator."]
    assert roles_at(school) == []
    assert status(client_request, "self_evaluations.show", evaluation_id=draft.id) == 403


def test_a_lead_cannot_make_a_qa_expert_of_the_programme_a_schools_senco(client_request, year, school, lead):
    make_user(Role.QA_EXPERT, programme=year.programme, name="Quinn Expert", email="qa@example.org")
    client_request.sign_in(lead)
    page = client_request.post("programmes.invite", invite_form("qa@example.org", Role.SENCO, school),
                               _expected_status=200, programme_id=year.programme_id)
    assert error_messages(page) == [
        f"Quinn Expert is a QA expert in {year.programme.name}, which Catkin Hill Primary takes part in. "
        "Only an administrator can give them a role at Catkin Hill Primary."]
    assert roles_at(school) == []


def test_the_schools_head_is_emailed_when_the_lead_adds_a_senco(client_request, year, school, lead):
    head = make_user(Role.HEAD, school=school, name="Helen Head")
    client_request.sign_in(lead)
    client_request.post("programmes.invite", invite_form("sam@example.org", Role.SENCO, school),
                        programme_id=year.programme_id)
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == head.email))
    assert "Lena Lead has made Someone (sam@example.org) SENCo at Catkin Hill Primary" in email.body
    assert f"/schools/{school.id}" in email.body


def access_rows(page) -> list[list[str]]:
    """Name, role, who added them and when, for each person in the school page's access list."""
    rows = page.select("#access ~ dl .govuk-summary-list__row")
    return [[row.select_one("dt").get_text(" ", strip=True), row.select_one("dd p").get_text(" ", strip=True),
             row.select_one("[data-added-by]")["data-added-by"], row.select_one("[data-added-by]")["data-added-on"]]
            for row in rows]


def test_the_school_page_lists_who_has_access_who_added_them_and_when(client_request, year, school, lead):
    head = make_user(Role.HEAD, school=school, name="Helen Head")  # from before who added was recorded
    client_request.sign_in(lead)
    form = {**invite_form("sam@example.org", Role.SENCO, school), "name": "Sam Senco"}
    client_request.post("programmes.invite", form, programme_id=year.programme_id)
    client_request.sign_in(head)
    rows = access_rows(client_request.get("programmes.school", school_id=school.id))
    assert [row[:3] for row in rows] == [["Helen Head", "Headteacher", "Not recorded"],
                                         ["Sam Senco", "SENCo", "Lena Lead"]]
    senco_role = db.session.scalar(select(RoleAssignment).where(RoleAssignment.role == Role.SENCO))
    assert rows[1][3] == when(senco_role.created_at)


def test_the_lead_sees_the_access_list_without_remove_links(client_request, year, school, lead):
    make_user(Role.HEAD, school=school, name="Helen Head")
    client_request.sign_in(lead)
    page = client_request.get("programmes.school", school_id=school.id)
    assert [row[:2] for row in access_rows(page)] == [["Helen Head", "Headteacher"]]
    assert "Remove" not in text_of(page, "#access ~ dl")


def test_the_school_page_takes_the_same_statements_for_2_people_or_12(client_request, year, school, lead):
    client_request.sign_in(make_user(Role.HEAD, school=school))

    def statements_with(how_many):
        while len(roles_at(school)) < how_many:
            make_user(Role.SENCO, school=school).roles[0].granted_by = make_user()
            db.session.commit()
        page = client_request.get("programmes.school", school_id=school.id)
        assert len(access_rows(page)) == how_many
        return client_request.last_statements

    assert statements_with(2) == statements_with(12)


@pytest.fixture
def staffed(school):
    head = make_user(Role.HEAD, school=school, name="Helen Head")
    senco = make_user(Role.SENCO, school=school, name="Sam Senco")
    return head, senco


def test_a_head_removes_a_sencos_access_after_confirming(client_request, year, school, staffed):
    head, senco = staffed
    draft = rate(year, school, [2], status=EvaluationStatus.DRAFT)
    assignment = senco.roles[0]
    client_request.sign_in(head)
    page = client_request.get("programmes.remove_access", school_id=school.id, assignment_id=assignment.id)
    assert page.h1.get_text(strip=True) == "Are you sure you want to remove Sam Senco's access?"
    response = client_request.post("programmes.remove_access", school_id=school.id, assignment_id=assignment.id)
    assert response.headers["Location"].endswith(f"/schools/{school.id}")
    assert roles_at(school) == [("Helen Head", Role.HEAD)]
    assert "Sam Senco no longer has access to Catkin Hill Primary as SENCo." in text_of(
        client_request.get("programmes.school", school_id=school.id))
    assert db.session.scalar(select(OutboxEmail.subject).where(OutboxEmail.to_address == senco.email)) == (
        "Your access to Catkin Hill Primary in SEND Triads has been removed")
    client_request.sign_in(senco)
    assert status(client_request, "self_evaluations.show", evaluation_id=draft.id) == 403


def test_the_last_head_removing_their_own_access_is_told_why(client_request, school, staffed):
    head, _ = staffed
    client_request.sign_in(head)
    client_request.post("programmes.remove_access", school_id=school.id, assignment_id=head.roles[0].id)
    assert "You are the only headteacher of Catkin Hill Primary, so you cannot remove your own access." in text_of(
        client_request.get("programmes.school", school_id=school.id))
    assert roles_at(school) == [("Helen Head", Role.HEAD), ("Sam Senco", Role.SENCO)]


@pytest.mark.parametrize("who", ["senco", "lead", "admin"])
def test_only_the_schools_head_may_remove_access(client_request, year, school, staffed, lead, who):
    head, senco = staffed
    client_request.sign_in({"senco": senco, "lead": lead, "admin": make_user(Role.ADMIN)}[who])
    url = client_request.url("programmes.remove_access", school_id=school.id, assignment_id=head.roles[0].id)
    assert client_request.client.get(url).status_code == 403
    token = client_request.csrf_token("main.home")
    assert client_request.client.post(url, data={"csrf_token": token}).status_code == 403
    assert roles_at(school) == [("Helen Head", Role.HEAD), ("Sam Senco", Role.SENCO)]


def test_a_head_cannot_remove_a_role_at_another_school(client_request, year, school, staffed):
    head, _ = staffed
    elsewhere = make_user(Role.SENCO, school=enrol(year, make_school())[0])
    client_request.sign_in(head)
    url = client_request.url("programmes.remove_access", school_id=school.id, assignment_id=elsewhere.roles[0].id)
    assert client_request.client.get(url).status_code == 404
    token = client_request.csrf_token("main.home")
    assert client_request.client.post(url, data={"csrf_token": token}).status_code == 404
    assert len(elsewhere.roles) == 1
