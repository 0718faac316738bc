"""What the database itself holds, whatever the Python code does."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import AuditEvent, Enrolment, Role, RoleAssignment, TriadMember
from tests.factories import enrol, make_school, make_triad, make_user, make_year


def insert_member(triad, school, position, is_coach=False):
    db.session.execute(insert(TriadMember).values(
        id=uuid.uuid4(), triad_id=triad.id, year_id=triad.year_id, school_id=school.id,
        position=position, is_coach=is_coach,
    ))
    db.session.flush()


def test_a_fourth_place_in_a_triad_is_refused(session):
    triad = make_triad()
    [extra] = enrol(triad.year, make_school())
    with pytest.raises(IntegrityError, match="position"):
        with db.session.begin_nested():
            insert_member(triad, extra, position=4)


def test_a_second_coach_is_refused(session):
    year = make_year()
    triad = make_triad(year, schools=enrol(year, make_school(), make_school()))
    [third] = enrol(year, make_school())
    with pytest.raises(IntegrityError, match="one_coach|UNIQUE"):
        with db.session.begin_nested():
            insert_member(triad, third, position=3, is_coach=True)


def test_a_school_cannot_be_in_two_triads_in_one_year(session):
    year = make_year()
    first = make_triad(year)
    second = make_triad(year, schools=enrol(year, make_school(), make_school()))
    with pytest.raises(IntegrityError, match="school_per_year|UNIQUE"):
        with db.session.begin_nested():
            insert_member(second, first.members[0].school, position=3)


def test_a_triad_member_must_be_enrolled_in_the_triads_year(session):
    year = make_year()
    triad = make_triad(year, schools=enrol(year, make_school(), make_school()))
    not_enrolled = make_school()
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            insert_member(triad, not_enrolled, position=3)


def test_a_school_is_enrolled_once_a_year(session):
    year = make_year()
    [school] = enrol(year, make_school())
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(Enrolment(year=year, school=school))
            db.session.flush()


def test_a_role_must_be_held_in_the_scope_it_needs(session):
    user = make_user()
    with pytest.raises(IntegrityError, match="scope_matches_role|CHECK"):
        with db.session.begin_nested():
            db.session.add(RoleAssignment(user=user, role=Role.SENCO))  # a SENCo with no school
            db.session.flush()


def test_every_change_leaves_an_audit_event_naming_who_and_what(session):
    actor = make_user(name="Ada Auditor")
    school = make_school(name="Old Name Primary")
    from app.audit import acting_as

    with acting_as(actor.id):
        school.name = "New Name Primary"
        db.session.flush()
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_id == school.id).order_by(AuditEvent.at.desc())
    ).first()
    assert event.action == "update"
    assert event.actor_id == actor.id
    assert event.changes == {"name": {"from": "Old Name Primary", "to": "New Name Primary"}}
    created = db.session.scalar(
        select(AuditEvent).where(AuditEvent.entity_id == school.id, AuditEvent.action == "create")
    )
    assert created.changes["urn"] == school.urn


def test_audit_events_never_hold_a_password_hash(session):
    user = make_user()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_id == user.id))
    assert event.changes["password_hash"] == "[redacted]"
