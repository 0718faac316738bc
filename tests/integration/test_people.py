"""A school's people page (issue 17, "People"), through real HTTP: the head sees each role and when its person
last signed in, invites, ends a role after confirming (kept as history; access ends on the next request),
resends an invitation, names a successor who takes over the leaver's open actions and drafts, and is told
first when an invitation ends the person's role at another school of the programme. Administrators confirm a
deactivation on a page of its own."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from app.action_plans.service import start_action_plan
from app.common import clock
from app.extensions import db
from app.models import (
    Action,
    ActionStatus,
    EndedRole,
    EndReason,
    FormDraft,
    Notice,
    OutboxEmail,
    ProgressUpdate,
    Role,
    RoleAssignment,
    User,
)
from tests.factories import enrol, make_programme_with_framework, make_school, make_user, make_year
from tests.pages import error_messages, text_of


@pytest.fixture
def year(session):
    return make_year(make_programme_with_framework())


@pytest.fixture
def school(year):
    return enrol(year, make_school(name="Catkin Hill Primary"))[0]


@pytest.fixture
def head(school):
    return make_user(Role.HEAD, school=school, name="Helen Head", email="helen@example.org")


@pytest.fixture
def senco(school):
    return make_user(Role.SENCO, school=school, name="Sam Senco", email="sam@example.org")


def status(client_request, endpoint, **values) -> int:
    return client_request.client.get(client_request.url(endpoint, **values)).status_code


def people_rows(page) -> list[list[str]]:
    return [[" ".join(cell.get_text(" ").split()) for cell in row.select("td")[:3]]
            for row in page.select("#people tbody tr")]


def emails_to(address: str) -> list[str]:
    return list(db.session.scalars(select(OutboxEmail.subject).where(OutboxEmail.to_address == address)))


def test_the_people_page_shows_each_role_and_when_its_person_last_signed_in(client_request, school, head, senco):
    head.last_signed_in_at = datetime(2025, 10, 6, 9, 30, tzinfo=timezone.utc)
    senco.password_hash, senco.invited_at = None, datetime(2025, 9, 8, 12, 0, tzinfo=timezone.utc)
    db.session.commit()
    client_request.sign_in(head)
    rows = people_rows(client_request.get("people.index", school_id=school.id))
    assert [row[0] for row in rows] == ["Helen Head helen@example.org", "Sam Senco sam@example.org"]
    assert rows[0][2] == "6 October 2025 at 10:30am"
    assert rows[1][2] == "Not yet: invitation sent 8 September 2025"


def test_the_people_page_takes_the_same_statements_for_2_people_or_12(client_request, school, head):
    client_request.sign_in(head)

    def statements_with(how_many):
        while db.session.scalar(select(func.count()).select_from(RoleAssignment)
                                .where(RoleAssignment.school_id == school.id)) < how_many:
            make_user(Role.SENCO, school=school).roles[0].granted_by = make_user()
            leaver = make_user(Role.SENCO, school=school)
            db.session.add(EndedRole(user_id=leaver.id, role=Role.SENCO, school_id=school.id, granted_at=clock.now(),
                                     granted_by_id=head.id, ended_at=clock.now(), ended_by_id=head.id,
                                     reason=EndReason.REMOVED))
            db.session.delete(leaver.roles[0])
            db.session.commit()
        page = client_request.get("people.index", school_id=school.id)
        assert len(people_rows(page)) == how_many
        assert len(page.select("#ended tbody tr")) == how_many - 1
        return client_request.last_statements

    assert statements_with(2) == statements_with(12)


def test_a_head_invites_a_senco_who_is_emailed_and_the_other_heads_are_told(client_request, school, head):
    other_head = make_user(Role.HEAD, school=school, name="Olu Head")
    client_request.sign_in(head)
    client_request.post("people.invite", {"name": "Nia New", "email": "Nia@Example.org", "role": "senco"},
                        school_id=school.id)
    nia = db.session.scalar(select(User).where(User.email == "nia@example.org"))
    assert [(r.role, r.school_id, r.granted_by_id) for r in nia.roles] == [(Role.SENCO, school.id, head.id)]
    assert emails_to("nia@example.org") == ["You have been invited to SEND Triads"]
    assert nia.invited_at is not None
    assert db.session.scalar(select(Notice.summary).where(Notice.user_id == other_head.id)) == (
        "Helen Head made Nia New SENCo at Catkin Hill Primary")


def test_an_invitation_with_no_role_is_refused_with_a_message(client_request, school, head):
    client_request.sign_in(head)
    page = client_request.post("people.invite", {"name": "Nia New", "email": "nia@example.org"},
                               _expected_status=200, school_id=school.id)
    assert error_messages(page) == ["Choose headteacher or SENCo"]
    assert db.session.scalar(select(User).where(User.email == "nia@example.org")) is None


def test_ending_a_role_is_confirmed_kept_as_history_and_ends_access_on_the_next_request(
        client_request, school, head, senco):
    client_request.sign_in(senco)
    assert status(client_request, "programmes.school", school_id=school.id) == 200
    client_request.sign_in(head)
    assignment = senco.roles[0]
    page = client_request.get("people.end_role", school_id=school.id, assignment_id=assignment.id)
    assert page.h1.get_text(strip=True) == "Are you sure you want to end Sam Senco's role as SENCo?"
    client_request.post("people.end_role", school_id=school.id, assignment_id=assignment.id)
    ended = db.session.scalars(select(EndedRole)).one()
    assert (ended.user_id, ended.role, ended.school_id, ended.ended_by_id, ended.reason) == (
        senco.id, Role.SENCO, school.id, head.id, EndReason.REMOVED)
    assert "Sam Senco" in text_of(client_request.get("people.index", school_id=school.id), "#ended")
    client_request.sign_in(senco)
    assert status(client_request, "programmes.school", school_id=school.id) == 403


def test_the_old_remove_access_route_keeps_the_history_too(client_request, school, head, senco):
    client_request.sign_in(head)
    client_request.post("programmes.remove_access", school_id=school.id, assignment_id=senco.roles[0].id)
    assert db.session.scalar(select(EndedRole.user_id)) == senco.id


def test_a_head_resends_an_invitation_to_someone_who_has_not_set_a_password(client_request, school, head, senco):
    senco.password_hash = None
    db.session.commit()
    client_request.sign_in(head)
    client_request.post("people.resend", school_id=school.id, assignment_id=senco.roles[0].id,
                        _form_endpoint="people.index")
    assert emails_to("sam@example.org") == ["You have been invited to SEND Triads"]


def _open_and_done_actions(year, school, owner):
    plan = start_action_plan(school, year)
    open_action = Action(plan_id=plan.id, number=1, description="Audit the SEND register", owner_id=owner.id,
                         due_on=date(2026, 3, 1), status=ActionStatus.ON_TRACK)
    done = Action(plan_id=plan.id, number=2, description="Train staff", owner_id=owner.id, due_on=date(2026, 1, 1),
                  status=ActionStatus.COMPLETE)
    db.session.add_all([open_action, done])
    db.session.flush()
    db.session.add(ProgressUpdate(action_id=open_action.id, status=ActionStatus.ON_TRACK, note="Begun",
                                  noted_on=date(2025, 11, 1), author_id=owner.id))
    db.session.add(FormDraft(user_id=owner.id, path=f"/action-plans/{plan.id}/actions/new", fields="[]",
                             saved_at=clock.now()))
    db.session.add(FormDraft(user_id=owner.id, path="/triads/elsewhere/meetings/1", fields="[]", saved_at=clock.now()))
    db.session.commit()
    return plan, open_action, done


def test_a_successor_takes_over_the_leavers_role_open_actions_and_the_schools_drafts(
        client_request, year, school, head, senco):
    plan, open_action, done = _open_and_done_actions(year, school, senco)
    client_request.sign_in(head)
    form = {"successor": "new", "name": "Nia New", "email": "nia@example.org"}
    check = client_request.post("people.successor", form, _expected_status=200, school_id=school.id,
                                assignment_id=senco.roles[0].id)
    assert "Open actions passing to them 1" in text_of(check, "#handover")
    assert "Drafts passing to them 1" in text_of(check, "#handover")
    assert db.session.scalar(select(User).where(User.email == "nia@example.org")) is None  # nothing yet
    client_request.post("people.successor", {**form, "confirmed": "yes"}, school_id=school.id,
                        assignment_id=senco.roles[0].id)
    nia = db.session.scalar(select(User).where(User.email == "nia@example.org"))
    assert [r.role for r in nia.roles] == [Role.SENCO]
    db.session.expire_all()
    assert (db.session.get(Action, open_action.id).owner_id, db.session.get(Action, done.id).owner_id) == (
        nia.id, senco.id)
    assert db.session.scalar(select(ProgressUpdate.author_id)) == senco.id
    assert sorted(d.path.split("/")[1] for d in db.session.scalars(select(FormDraft).where(
        FormDraft.user_id == senco.id))) == ["triads"]
    assert db.session.scalar(select(EndedRole.reason).where(EndedRole.user_id == senco.id)) == EndReason.REPLACED
    client_request.sign_in(senco)
    assert status(client_request, "programmes.school", school_id=school.id) == 403


def test_the_leaver_cannot_be_their_own_successor(client_request, school, head, senco):
    client_request.sign_in(head)
    page = client_request.post("people.successor", {"successor": "new", "name": "Sam", "email": "sam@example.org"},
                               _expected_status=200, school_id=school.id, assignment_id=senco.roles[0].id)
    assert error_messages(page) == ["Choose someone other than Sam Senco to take over"]


def test_inviting_a_senco_of_another_school_of_the_programme_says_it_ends_that_role_then_does(
        client_request, year, school, head):
    other = enrol(year, make_school(name="Alder Grove Primary"))[0]
    mover = make_user(Role.SENCO, school=other, name="Mo Mover", email="mo@example.org")
    client_request.sign_in(head)
    form = {"name": "Mo Mover", "email": "mo@example.org", "role": "senco"}
    check = client_request.post("people.invite", form, _expected_status=200, school_id=school.id)
    assert text_of(check, "#ends") == "SENCo at Alder Grove Primary"
    assert [r.school_id for r in mover.roles] == [other.id]
    client_request.post("people.invite", {**form, "confirmed": "yes"}, school_id=school.id)
    db.session.expire_all()
    assert [r.school_id for r in db.session.get(User, mover.id).roles] == [school.id]
    assert db.session.scalar(select(EndedRole.reason).where(EndedRole.school_id == other.id)) == EndReason.MOVED


def test_a_role_at_a_school_of_another_programme_is_kept(client_request, school, head):
    elsewhere = enrol(make_year(make_programme_with_framework()), make_school())[0]
    keeper = make_user(Role.SENCO, school=elsewhere, email="kay@example.org")
    client_request.sign_in(head)
    client_request.post("people.invite", {"name": "Kay", "email": "kay@example.org", "role": "senco"},
                        school_id=school.id)
    db.session.expire_all()
    assert sorted(str(r.school_id) for r in db.session.get(User, keeper.id).roles) == sorted(
        [str(school.id), str(elsewhere.id)])


def test_an_administrator_confirms_a_deactivation_on_a_page_of_its_own(client_request, senco):
    client_request.sign_in(make_user(Role.ADMIN, name="Ada Admin"))
    page = client_request.get("admin.deactivate", user_id=senco.id)
    assert page.h1.get_text(strip=True) == "Are you sure you want to deactivate Sam Senco?"
    assert db.session.get(User, senco.id).active
    client_request.post("admin.deactivate", user_id=senco.id)
    db.session.expire_all()
    assert not db.session.get(User, senco.id).active


def test_a_successor_already_on_the_staff_takes_the_actions_without_a_second_role(
        client_request, year, school, head, senco):
    colleague = make_user(Role.SENCO, school=school, name="Cara Colleague")
    _, open_action, _ = _open_and_done_actions(year, school, senco)
    client_request.sign_in(head)
    form = {"successor": str(colleague.id), "name": "", "email": ""}
    check = client_request.post("people.successor", form, _expected_status=200, school_id=school.id,
                                assignment_id=senco.roles[0].id)
    assert "Already SENCo" in text_of(check, "#handover")
    client_request.post("people.successor", {**form, "confirmed": "yes"}, school_id=school.id,
                        assignment_id=senco.roles[0].id)
    db.session.expire_all()
    assert [r.role for r in db.session.get(User, colleague.id).roles] == [Role.SENCO]
    assert db.session.get(Action, open_action.id).owner_id == colleague.id
    assert [(r.user.name, r.role) for r in db.session.scalars(select(RoleAssignment).where(
        RoleAssignment.school_id == school.id).order_by(RoleAssignment.role))] == [
        ("Helen Head", Role.HEAD), ("Cara Colleague", Role.SENCO)]


def test_a_successor_from_another_school_of_the_programme_is_told_it_ends_their_role_there(
        client_request, year, school, head, senco):
    other = enrol(year, make_school(name="Alder Grove Primary"))[0]
    make_user(Role.SENCO, school=other, name="Mo Mover", email="mo@example.org")
    client_request.sign_in(head)
    check = client_request.post("people.successor", {"successor": "new", "name": "Mo", "email": "mo@example.org"},
                                _expected_status=200, school_id=school.id, assignment_id=senco.roles[0].id)
    assert text_of(check, "#ends") == "SENCo at Alder Grove Primary"
    assert "Mo Mover" in text_of(check, "h1")


def test_the_heads_are_told_of_a_successor_who_is_new(client_request, school, head, senco):
    other_head = make_user(Role.HEAD, school=school, name="Olu Head")
    client_request.sign_in(head)
    form = {"successor": "new", "name": "Nia New", "email": "nia@example.org", "confirmed": "yes"}
    client_request.post("people.successor", form, school_id=school.id, assignment_id=senco.roles[0].id)
    assert db.session.scalar(select(Notice.summary).where(Notice.user_id == other_head.id)) == (
        "Helen Head made Nia New SENCo at Catkin Hill Primary")
    assert "Nia New now has access to Catkin Hill Primary in SEND Triads" in emails_to("helen@example.org")
    assert emails_to("sam@example.org") == ["Your access to Catkin Hill Primary in SEND Triads has been removed"]


def test_a_head_who_hands_over_their_own_role_goes_home(client_request, school, head):
    client_request.sign_in(head)
    form = {"successor": "new", "name": "Hugo Next", "email": "hugo@example.org", "confirmed": "yes"}
    response = client_request.post("people.successor", form, school_id=school.id, assignment_id=head.roles[0].id)
    assert response.headers["Location"].endswith("/")
    assert status(client_request, "people.index", school_id=school.id) == 403
