"""Programmes and their academic years, and the pages that show them."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.common.errors import DomainError
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import (
    ActionPlan,
    Cluster,
    Enrolment,
    Organisation,
    Programme,
    ProgrammeYear,
    Role,
    RoleAssignment,
    School,
    SelfEvaluation,
    Triad,
    TriadMember,
    User,
)
from app.models.programme import year_label


def organisations_for(user: User) -> list[Organisation]:
    """Where `user` may start a programme: any organisation for an admin, else those they lead in."""
    query = select(Organisation).order_by(Organisation.name)
    if not user.has_role(Role.ADMIN):
        led = [r.programme_id for r in user.roles if r.role == Role.PROGRAMME_LEAD and r.programme_id]
        query = (query.join(Programme, Programme.organisation_id == Organisation.id)
                 .where(Programme.id.in_(led)).distinct())
    return list(db.session.scalars(query))


def create_programme(organisation: Organisation, name: str, lead: User) -> Programme:
    """A new programme with its own copy of the default framework; the person creating it leads it."""
    if not name:
        raise DomainError("Enter the programme's name", field="name")
    exists = db.session.scalar(select(Programme.id).where(
        Programme.organisation_id == organisation.id, func.lower(Programme.name) == name.lower()))
    if exists:
        raise DomainError(f"A programme called {name} already exists in {organisation.name}", field="name")
    programme = Programme(organisation=organisation, name=name)
    db.session.add(programme)
    create_default_framework(programme)
    if not lead.has_role(Role.ADMIN):
        lead.roles.append(RoleAssignment(role=Role.PROGRAMME_LEAD, programme=programme))
    db.session.flush()
    return programme


def add_year(programme: Programme, start_year: int | None) -> ProgrammeYear:
    if start_year is None or not 2000 <= start_year <= 2100:
        raise DomainError("Enter a year between 2000 and 2100, like 2025", field="start_year")
    label = year_label(start_year)
    exists = db.session.scalar(select(ProgrammeYear.id).where(
        ProgrammeYear.programme_id == programme.id, ProgrammeYear.start_year == start_year))
    if exists:
        raise DomainError(f"{programme.name} already has the academic year {label}", field="start_year")
    year = ProgrammeYear(programme=programme, start_year=start_year)
    db.session.add(year)
    db.session.flush()
    return year


def programmes_led_by(user: User) -> list[Programme]:
    query = select(Programme).options(selectinload(Programme.years), selectinload(Programme.organisation))
    if not user.has_role(Role.ADMIN):
        ids = [r.programme_id for r in user.roles if r.role in (Role.PROGRAMME_LEAD, Role.QA_EXPERT) and r.programme_id]
        query = query.where(Programme.id.in_(ids))
    return list(db.session.scalars(query.order_by(Programme.name)))


@dataclass
class EnrolledSchool:
    school: School
    cluster: Cluster | None
    triad: Triad | None
    is_coach: bool


def enrolled_schools(year: ProgrammeYear) -> list[EnrolledSchool]:
    """A year's schools with their cluster and triad: three queries however many schools."""
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.year_id == year.id)
        .options(selectinload(Enrolment.school), selectinload(Enrolment.cluster))
    ).all()
    places = {
        m.school_id: m for m in db.session.scalars(
            select(TriadMember).where(TriadMember.year_id == year.id).options(selectinload(TriadMember.triad))
        )
    }
    rows = [
        EnrolledSchool(e.school, e.cluster, places[e.school_id].triad if e.school_id in places else None,
                       places[e.school_id].is_coach if e.school_id in places else False)
        for e in enrolments
    ]
    return sorted(rows, key=lambda row: row.school.name)


@dataclass
class SchoolPage:
    school: School
    places: list[TriadMember]
    years: list[ProgrammeYear]
    evaluations: dict[uuid.UUID, SelfEvaluation]  # by year
    plans: dict[uuid.UUID, ActionPlan]  # by year


def school_page(school: School) -> SchoolPage:
    places = db.session.scalars(
        select(TriadMember).where(TriadMember.school_id == school.id)
        .options(selectinload(TriadMember.triad).selectinload(Triad.year).selectinload(ProgrammeYear.programme))
    ).all()
    years = db.session.scalars(
        select(ProgrammeYear).join(Enrolment, Enrolment.year_id == ProgrammeYear.id)
        .where(Enrolment.school_id == school.id)
        .options(selectinload(ProgrammeYear.programme))
        .order_by(ProgrammeYear.start_year.desc())
    ).all()
    evaluations = {e.year_id: e for e in db.session.scalars(
        select(SelfEvaluation).where(SelfEvaluation.school_id == school.id))}
    plans = {p.year_id: p for p in db.session.scalars(
        select(ActionPlan).where(ActionPlan.school_id == school.id).options(selectinload(ActionPlan.versions)))}
    return SchoolPage(school, sorted(places, key=lambda m: -m.triad.year.start_year), list(years), evaluations, plans)


def invite_choices(programme: Programme) -> tuple[list[School], list[Cluster]]:
    """Schools enrolled in any year of the programme, and its clusters, for the invite form."""
    schools = db.session.scalars(
        select(School).where(School.id.in_(
            select(Enrolment.school_id).join(ProgrammeYear, Enrolment.year_id == ProgrammeYear.id)
            .where(ProgrammeYear.programme_id == programme.id)
        )).order_by(School.name)
    ).all()
    clusters = db.session.scalars(select(Cluster).where(Cluster.programme_id == programme.id)
                                  .order_by(Cluster.name)).all()
    return list(schools), list(clusters)


def enrolment_of(school: School, year: ProgrammeYear) -> Enrolment:
    """The school's place in the year; a DomainError when it is not taking part."""
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.school_id == school.id, Enrolment.year_id == year.id))
    if enrolment is None:
        raise DomainError(f"{school.name} is not taking part in {year.label}")
    return enrolment
