"""Small builders for test data. Each makes one thing (and what it cannot exist without).

Builders commit: inside the `session` fixture a commit only releases a savepoint, and the whole
test is rolled back at the end. Committing matters because a request made by the test client
shares the test's session and rolls back whatever it left pending.
"""
from __future__ import annotations

import itertools
import uuid

from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import (
    AreaOfNeed,
    Budget,
    Cluster,
    Enrolment,
    Organisation,
    OrganisationKind,
    Programme,
    ProgrammeYear,
    Role,
    RoleAssignment,
    School,
    SupportLevel,
    Triad,
    TriadMember,
    User,
    YearGroup,
)

_urns = itertools.count(900001)
PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = generate_password_hash(PASSWORD)


def _unique() -> str:
    return uuid.uuid4().hex[:8]


def make_organisation(name: str | None = None) -> Organisation:
    organisation = Organisation(name=name or f"Testshire Council {_unique()}", kind=OrganisationKind.LOCAL_AUTHORITY)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_programme(organisation: Organisation | None = None, name: str | None = None) -> Programme:
    programme = Programme(organisation=organisation or make_organisation(), name=name or f"SEND triads {_unique()}")
    db.session.add(programme)
    db.session.commit()
    return programme


def make_year(programme: Programme | None = None, start_year: int = 2025) -> ProgrammeYear:
    year = ProgrammeYear(programme=programme or make_programme(), start_year=start_year)
    db.session.add(year)
    db.session.commit()
    return year


def make_school(name: str | None = None, phase: str = "Primary", urn: int | None = None) -> School:
    school = School(urn=urn or next(_urns), name=name or f"Meadow Primary {_unique()}", phase=phase,
                    local_authority="Testshire")
    db.session.add(school)
    db.session.commit()
    return school


def make_cluster(programme: Programme, name: str | None = None) -> Cluster:
    cluster = Cluster(programme=programme, name=name or f"North cluster {_unique()}")
    db.session.add(cluster)
    db.session.commit()
    return cluster


def enrol(year: ProgrammeYear, *schools: School, cluster: Cluster | None = None) -> list[School]:
    schools = schools or tuple(make_school() for _ in range(3))
    for school in schools:
        db.session.add(Enrolment(year=year, school=school, cluster=cluster))
    db.session.commit()
    return list(schools)


def make_triad(year: ProgrammeYear | None = None, schools: list[School] | None = None,
               name: str | None = None) -> Triad:
    """A valid triad (the first school coaches), enrolling the schools in the year when needed."""
    year = year or make_year()
    if schools is None:
        schools = enrol(year)
    triad = Triad(year=year, name=name or f"Triad {_unique()}")
    db.session.add(triad)
    db.session.commit()
    for position, school in enumerate(schools, start=1):
        db.session.add(TriadMember(triad=triad, year_id=year.id, school=school, position=position,
                                   is_coach=position == 1))
    db.session.commit()
    return triad


def make_user(role: Role | None = None, *, school: School | None = None, programme: Programme | None = None,
              cluster: Cluster | None = None, email: str | None = None, name: str = "Alex Example",
              password: bool = True) -> User:
    user = User(email=email or f"user-{_unique()}@example.org", name=name,
                password_hash=_PASSWORD_HASH if password else None)
    db.session.add(user)
    if role is not None:
        user.roles.append(RoleAssignment(role=role, school=school, programme=programme, cluster=cluster))
    db.session.commit()
    return user


def make_board_case(year: ProgrammeYear | None = None, *, cluster: Cluster | None = None, advised: bool = True,
                    budget_pounds: int | None = 5000, need: AreaOfNeed = AreaOfNeed.COMMUNICATION,
                    reference: str = "Case 7"):
    """A referral the cluster's board has decided on, from a new school in the cluster, after an advice
    request the phase group has answered (unless `advised` is False: then the unanswered request is returned). Without a
    `cluster` a new one is made, with a budget for the year of `budget_pounds` unless that is None."""
    from app.clusters import boards

    year = year or make_year()
    if cluster is None:
        cluster = make_cluster(year.programme)
        if budget_pounds is not None:
            db.session.add(Budget(cluster=cluster, year=year, delegated_pounds=budget_pounds))
    [school] = enrol(year, make_school(), cluster=cluster)
    profile = boards.CaseProfile(reference=reference, year_group=YearGroup.YEAR_4, need=need,
                                 support_level=SupportLevel.SEN_SUPPORT, at_risk_of_exclusion=False,
                                 tried="Small-group language work, reviewed each half term", tried_months=6)
    request = boards.ask_for_advice(school, cluster, year, profile)
    if not advised:
        db.session.commit()
        return request
    boards.give_advice(request, "Try a visual timetable and pre-teaching of vocabulary", make_user())
    referral = boards.refer(request, "Outreach from the speech and language base")
    boards.record_decision(referral, "Outreach agreed, reviewed at the end of the spring term", make_user())
    db.session.commit()
    return referral


def make_programme_with_framework(name: str | None = None) -> Programme:
    """A programme with version 1 of the default framework, as create_programme makes one."""
    from app.frameworks.service import create_default_framework

    programme = make_programme(name=name)
    create_default_framework(programme)
    db.session.commit()
    return programme
