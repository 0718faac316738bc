"""Who may give a school role, who is told, and taking a school role away (app/auth/accounts.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.accounts import NoSuchAccess, invite_user, remove_school_access, school_access
from app.common.errors import DomainError
from app.extensions import db
from app.models import OutboxEmail, Role, RoleAssignment
from tests.factories import enrol, make_programme, make_school, make_user, make_year


@pytest.fixture
def year(session):
    return make_year()


@pytest.fixture
def school(year):
    return enrol(year, make_school(name="Catkin Hill Primary"))[0]


@pytest.fixture
def lead(year):
    return make_user(Role.PROGRAMME_LEAD, programme=year.programme, name="Lena Lead")


def emails_to(address: str) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == address)))


def roles_at(school) -> list[tuple[str, Role]]:
    return sorted((r.user.name, r.role) for r in db.session.scalars(
        select(RoleAssignment).where(RoleAssignment.school_id == school.id)))


def invite(person, role, by, school):
    """Give someone who already has an account a role at the school."""
    return invite_user(email=person.email, name=person.name, role=role, invited_by=by, school=school)


@pytest.mark.parametrize("granter_role", [Role.PROGRAMME_LEAD, Role.ADMIN])
def test_nobody_can_give_their_own_account_a_role(year, school, granter_role):
    granter = make_user(granter_role, programme=year.programme if granter_role == Role.PROGRAMME_LEAD else None)
    with pytest.raises(DomainError, match="^You cannot give yourself a role. Ask an administrator.$"):
        invite(granter, Role.HEAD, granter, school)
    assert roles_at(school) == []
    assert emails_to(granter.email) == []


@pytest.mark.parametrize("overseeing", [Role.PROGRAMME_LEAD, Role.QA_EXPERT])
def test_a_lead_cannot_make_someone_who_oversees_the_schools_programme_its_head(year, school, lead, overseeing):
    colleague = make_user(overseeing, programme=year.programme, name="Colin Colleague")
    with pytest.raises(DomainError) as refused:
        invite(colleague, Role.HEAD, lead, school)
    label = {Role.PROGRAMME_LEAD: "programme lead", Role.QA_EXPERT: "QA expert"}[overseeing]
    assert refused.value.message == (
        f"Colin Colleague is a {label} in {year.programme.name}, which Catkin Hill Primary takes "
        "part in. Only an administrator can give them a role at Catkin Hill Primary.")
    assert roles_at(school) == []


def test_a_school_role_for_a_qa_expert_is_refused_when_the_school_took_part_in_an_earlier_year(school, year, lead):
    earlier_only = enrol(make_year(year.programme, start_year=2024), make_school())[0]
    expert = make_user(Role.QA_EXPERT, programme=year.programme)
    with pytest.raises(DomainError, match="Only an administrator"):
        invite(expert, Role.SENCO, lead, earlier_only)


def test_an_administrator_can_make_a_programme_lead_a_schools_head(year, school, lead):
    admin = make_user(Role.ADMIN)
    invite(lead, Role.HEAD, admin, school)
    assert roles_at(school) == [("Lena Lead", Role.HEAD)]


def test_a_lead_of_another_programme_can_be_made_head_of_a_school_outside_it(year, school, lead):
    elsewhere = make_user(Role.PROGRAMME_LEAD, programme=make_programme(), name="Olu Other")
    invite(elsewhere, Role.HEAD, lead, school)
    assert roles_at(school) == [("Olu Other", Role.HEAD)]


def test_the_role_records_who_gave_it(school, lead):
    person = invite_user(email="sam@example.org", name="Sam Senco", role=Role.SENCO, invited_by=lead, school=school)
    assert person.roles[0].granted_by is lead


def test_the_schools_heads_are_told_who_was_given_access_by_whom(school, lead):
    head = make_user(Role.HEAD, school=school, name="Helen Head")
    invite_user(email="sam@example.org", name="Sam Senco", role=Role.SENCO, invited_by=lead, school=school)
    [email] = emails_to(head.email)
    assert email.subject == "Sam Senco now has access to Catkin Hill Primary in SEND Triads"
    assert "Lena Lead has made Sam Senco (sam@example.org) SENCo at Catkin Hill Primary" in email.body
    assert f"/schools/{school.id}" in email.body


def test_a_new_head_is_not_told_about_their_own_access(school, lead):
    make_user(Role.HEAD, school=school)
    invite_user(email="hal@example.org", name="Hal Head", role=Role.HEAD, invited_by=lead, school=school)
    assert [e.subject for e in emails_to("hal@example.org")] == ["You have been invited to SEND Triads"]


def test_heads_are_not_told_about_roles_outside_their_school(year, school, lead):
    head = make_user(Role.HEAD, school=school)
    invite_user(email="qa@example.org", name="Quinn Expert", role=Role.QA_EXPERT, invited_by=lead,
                programme=year.programme)
    invite_user(email="sam@example.org", name="Sam Senco", role=Role.SENCO, invited_by=lead,
                school=enrol(year, make_school())[0])
    assert emails_to(head.email) == []


def test_the_schools_access_list_holds_its_heads_and_sencos_only(year, school, lead):
    head = make_user(Role.HEAD, school=school, name="Helen Head")
    make_user(Role.SENCO, school=make_school())
    senco = invite_user(email="sam@example.org", name="Sam Senco", role=Role.SENCO, invited_by=lead, school=school)
    assert [(a.user, a.role, a.granted_by) for a in school_access(school)] == [
        (head, Role.HEAD, None), (senco, Role.SENCO, lead)]


def test_a_head_removes_a_sencos_role_and_the_senco_is_told(school):
    head = make_user(Role.HEAD, school=school, name="Helen Head")
    senco = make_user(Role.SENCO, school=school, name="Sam Senco")
    remove_school_access(school, senco.roles[0].id, head)
    assert roles_at(school) == [("Helen Head", Role.HEAD)]
    [email] = emails_to(senco.email)
    assert email.subject == "Your access to Catkin Hill Primary in SEND Triads has been removed"
    assert "Helen Head has removed your access to Catkin Hill Primary" in email.body


def test_the_last_head_cannot_remove_their_own_access(school):
    head = make_user(Role.HEAD, school=school)
    with pytest.raises(DomainError, match="^You are the only headteacher of Catkin Hill Primary"):
        remove_school_access(school, head.roles[0].id, head)
    assert roles_at(school) == [(head.name, Role.HEAD)]


def test_a_head_can_remove_their_own_access_while_another_head_remains(school):
    leaving = make_user(Role.HEAD, school=school, name="Lee Leaving")
    make_user(Role.HEAD, school=school, name="Helen Head")
    remove_school_access(school, leaving.roles[0].id, leaving)
    assert roles_at(school) == [("Helen Head", Role.HEAD)]


def test_a_deactivated_second_head_does_not_let_the_last_active_head_leave(school):
    head = make_user(Role.HEAD, school=school)
    gone = make_user(Role.HEAD, school=school)
    gone.active = False
    db.session.commit()
    with pytest.raises(DomainError, match="only headteacher"):
        remove_school_access(school, head.roles[0].id, head)


def test_a_role_that_is_not_this_schools_head_or_senco_is_not_found(year, school, lead):
    head = make_user(Role.HEAD, school=school)
    elsewhere = make_user(Role.SENCO, school=make_school())
    for assignment in (elsewhere.roles[0], lead.roles[0]):
        with pytest.raises(NoSuchAccess):
            remove_school_access(school, assignment.id, head)
    assert db.session.scalar(select(func.count()).select_from(RoleAssignment)) == 3
