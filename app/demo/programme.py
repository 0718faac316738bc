"""Writes the Northbrook demo programme (app.demo.northbrook) that `make run` loads, through the
services, so what it stores is what the service would store: last academic year, closed, and the
current one (worked out from today), open and at the stage a real programme would be at today."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.audit import acting_as
from app.common.errors import DomainError
from app.demo import current_year, last_year
from app.demo.northbrook import (
    DEMO_DOMAIN,
    DEMO_LAST_YEAR_TRIADS,
    DEMO_ORGANISATION,
    DEMO_PLANNED_YEARS,
    DEMO_PROGRAMME,
    DEMO_PROGRAMME_PEOPLE,
    DEMO_SCHOOLS,
    DEMO_SHARED,
    DEMO_TRIADS,
    Login,
    demo_email,
    demo_logins,
    demo_password_hash,
)
from app.demo.timeline import DemoYear
from app.demo.work import People
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import (
    Cluster,
    Enrolment,
    Organisation,
    OrganisationKind,
    Programme,
    ProgrammeYear,
    Role,
    RoleAssignment,
    School,
    Triad,
    TriadMember,
    User,
)


def database_is_empty() -> bool:
    """True when no organisation has been added yet: a new installation."""
    return db.session.scalar(select(Organisation.id).limit(1)) is None


def is_demo_loaded() -> bool:
    return db.session.scalar(select(Organisation.id).where(Organisation.name == DEMO_ORGANISATION)) is not None


def load_demo_programme(now: datetime | None = None) -> list[Login]:
    """Add the Northbrook programme and its people, with last year closed and this year (the academic
    year `now`, by default the present, falls in) open; returns the people's logins.

    Flushes but does not commit: the caller owns the transaction. Audit events name the system.
    """
    if is_demo_loaded():
        raise DomainError("Demo data already loaded")
    this_year = DemoYear.current(now)
    with acting_as(None):
        organisation = Organisation(name=DEMO_ORGANISATION, kind=OrganisationKind.LOCAL_AUTHORITY)
        programme = Programme(organisation=organisation, name=DEMO_PROGRAMME, planned_years=DEMO_PLANNED_YEARS)
        create_default_framework(programme)
        clusters = {name: Cluster(programme=programme, name=name)
                    for name in dict.fromkeys(triad.cluster for triad in DEMO_TRIADS)}
        schools = {demo.urn: School(urn=demo.urn, name=demo.name, phase=demo.phase, local_authority="Northbrook",
                                    setting_type=demo.setting_type) for demo in DEMO_SCHOOLS}
        db.session.add_all([organisation, *clusters.values(), *schools.values()])
        people = _add_people(programme, clusters, schools)

        previous = _add_year(programme, this_year.previous, DEMO_LAST_YEAR_TRIADS, clusters, schools)
        last_year.write_last_year(this_year.previous, previous, schools, people)
        current = _add_year(programme, this_year, tuple(t.name for t in DEMO_TRIADS), clusters, schools)
        current_year.write_current_year(this_year, current, clusters, schools, people)
    return demo_logins()


def _add_year(programme: Programme, year: DemoYear, triad_names: tuple[str, ...], clusters: dict[str, Cluster],
              schools: dict[int, School]) -> ProgrammeYear:
    """The year with the named triads' schools enrolled (in their clusters) and the triads formed."""
    programme_year = ProgrammeYear(programme=programme, start_year=year.start_year)
    db.session.add(programme_year)
    chosen = [triad for triad in DEMO_TRIADS if triad.name in triad_names]
    for demo_triad in chosen:
        for demo in demo_triad.schools:
            db.session.add(Enrolment(year=programme_year, school=schools[demo.urn],
                                     cluster=clusters[demo_triad.cluster], shared_with_lead=demo.urn in DEMO_SHARED))
    db.session.flush()  # members refer to enrolments, which the ORM does not know to insert first
    for demo_triad in chosen:
        triad = Triad(year=programme_year, name=demo_triad.name)
        for position, demo in enumerate(demo_triad.schools, start=1):
            triad.members.append(TriadMember(year_id=programme_year.id, school=schools[demo.urn], position=position,
                                             is_coach=position == 1))
        db.session.add(triad)
    db.session.flush()
    return programme_year


def _add_people(programme: Programme, clusters: dict[str, Cluster], schools: dict[int, School]) -> People:
    """The programme's people and each school's head and SENCo, all with the demo password."""
    password_hash = demo_password_hash()

    def add_user(name: str, local_part: str, **scope) -> None:
        user = User(email=demo_email(local_part), name=name, password_hash=password_hash)
        user.roles.append(RoleAssignment(**scope))
        db.session.add(user)

    for role, name, local_part, cluster in DEMO_PROGRAMME_PEOPLE:
        if role.scope == "service":
            add_user(name, local_part, role=role)
        elif role.scope == "programme":
            add_user(name, local_part, role=role, programme=programme)
        else:
            assert cluster is not None  # a cluster lead names their cluster
            add_user(name, local_part, role=role, cluster=clusters[cluster])
    for demo in DEMO_SCHOOLS:
        add_user(demo.head, f"head.{demo.slug}", role=Role.HEAD, school=schools[demo.urn])
        add_user(demo.senco, f"senco.{demo.slug}", role=Role.SENCO, school=schools[demo.urn])
    db.session.flush()
    return {u.email: u for u in db.session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}")))}
