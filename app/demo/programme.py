"""Writes the Northbrook demo programme (app.demo.northbrook) that `make run` loads, through the
services, so what it stores is what the service would store."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from app.action_plans.service import (
    OTHER_OWNER,
    ActionInput,
    areas_for,
    finalise_plan,
    record_progress,
    save_action,
    start_action_plan,
)
from app.audit import acting_as
from app.celebration.service import LearningInput, save_learning, submit_celebration, tag_learning
from app.clusters.service import cluster_people, schedule_cluster_meeting, set_cluster_leads
from app.common.clock import london_time
from app.common.errors import DomainError
from app.demo.northbrook import (
    DEMO_ACTIONS,
    DEMO_DOMAIN,
    DEMO_LEARNINGS,
    DEMO_LEVELS,
    DEMO_MODERATED,
    DEMO_ORGANISATION,
    DEMO_PROGRAMME,
    DEMO_PROGRAMME_PEOPLE,
    DEMO_REVIEWS,
    DEMO_SCHOOLS,
    DEMO_SHARED,
    DEMO_SIGNED_OFF,
    DEMO_START_YEAR,
    DEMO_TRIADS,
    Login,
    demo_email,
    demo_logins,
    demo_password_hash,
)
from app.extensions import db
from app.frameworks.service import create_default_framework, current_areas, current_framework
from app.meetings.service import MeetingInput, When
from app.models import (
    Cluster,
    Enrolment,
    EventKind,
    ModeratedRating,
    Organisation,
    OrganisationKind,
    PeerVisit,
    Programme,
    ProgrammeEvent,
    ProgrammeYear,
    QAVisit,
    Role,
    RoleAssignment,
    School,
    Term,
    Triad,
    TriadMeeting,
    TriadMember,
    User,
)
from app.self_evaluations.service import (
    save_area,
    sign_off_self_evaluation,
    start_self_evaluation,
    submit_self_evaluation,
)


def database_is_empty() -> bool:
    """True when no organisation has been added yet: a new installation."""
    return db.session.scalar(select(Organisation.id).limit(1)) is None


def is_demo_loaded() -> bool:
    return db.session.scalar(select(Organisation.id).where(Organisation.name == DEMO_ORGANISATION)) is not None


def load_demo_programme() -> list[Login]:
    """Add the Northbrook programme for 2025/26 and its people; returns their logins.

    Flushes but does not commit: the caller owns the transaction. Audit events name the system.
    """
    if is_demo_loaded():
        raise DomainError("Demo data already loaded")
    with acting_as(None):
        organisation = Organisation(name=DEMO_ORGANISATION, kind=OrganisationKind.LOCAL_AUTHORITY)
        programme = Programme(organisation=organisation, name=DEMO_PROGRAMME)
        create_default_framework(programme)
        year = ProgrammeYear(programme=programme, start_year=DEMO_START_YEAR)
        clusters = {name: Cluster(programme=programme, name=name)
                    for name in dict.fromkeys(triad.cluster for triad in DEMO_TRIADS)}
        schools = {}
        for demo_triad in DEMO_TRIADS:
            for demo in demo_triad.schools:
                schools[demo.urn] = School(urn=demo.urn, name=demo.name, phase=demo.phase,
                                           local_authority="Northbrook", setting_type=demo.setting_type)
                db.session.add(Enrolment(year=year, school=schools[demo.urn], cluster=clusters[demo_triad.cluster]))
        db.session.add(organisation)
        db.session.flush()  # members refer to enrolments, which the ORM does not know to insert first

        for demo_triad in DEMO_TRIADS:
            triad = Triad(year=year, name=demo_triad.name)
            for position, demo in enumerate(demo_triad.schools, start=1):
                triad.members.append(TriadMember(year_id=year.id, school=schools[demo.urn], position=position,
                                                 is_coach=position == 1))
            db.session.add(triad)

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
        _demo_self_evaluations(year, schools)
        _demo_clusters(year, clusters["North cluster"], schools)
    return demo_logins()


def _demo_self_evaluations(year: ProgrammeYear, schools: dict[int, School]) -> None:
    people = {u.email: u for u in db.session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}")))}
    by_urn = {demo.urn: demo for demo in DEMO_SCHOOLS}
    for urn, levels in DEMO_LEVELS.items():
        evaluation = start_self_evaluation(schools[urn], year)
        ratings = sorted(evaluation.ratings, key=lambda r: r.area.position)
        for rating, level in zip(ratings, levels, strict=False):
            save_area(rating, rating.version, {
                "level": level,
                "evidence": "Provision map reviewed each term; learning walks focused on adaptive teaching.",
                "strengths": "Staff know pupils' needs well and plan for them.",
                "development": "Make the monitoring of interventions more consistent.",
            })
        if len(levels) < len(ratings):
            continue
        submit_self_evaluation(evaluation, people[demo_email(f"senco.{by_urn[urn].slug}")])
        if urn in DEMO_SIGNED_OFF:
            sign_off_self_evaluation(evaluation, people[demo_email(f"head.{by_urn[urn].slug}")])
        if urn in DEMO_MODERATED:
            visit = QAVisit(year_id=year.id, school_id=schools[urn].id, expert=people[demo_email("qa")])
            for rating, level in zip(ratings, DEMO_MODERATED[urn], strict=False):
                visit.moderated.append(ModeratedRating(area_id=rating.area_id, level=level,
                                                       comment="Discussed with the SENCo at the visit."))
            db.session.add(visit)
    for enrolment in db.session.scalars(select(Enrolment).where(Enrolment.year_id == year.id)):
        enrolment.shared_with_lead = enrolment.school_id in {schools[urn].id for urn in DEMO_SHARED}
    db.session.flush()
    _demo_action_plans(year, schools, people)
    _demo_diary(year, schools, people)
    _demo_celebration(year, people)


def _demo_diary(year: ProgrammeYear, schools: dict[int, School], people: dict[str, User]) -> None:
    """Triad A's meetings (one held, one booked, one missing), the coach's visit to Birchwood Lane
    with notes, Alder Grove's QA visit, and the programme's launch and celebration."""
    triad = db.session.scalars(select(Triad).where(Triad.year_id == year.id, Triad.name == "Triad A")).one()
    coach = people[demo_email("senco.aldergrove")]
    at = london_time
    db.session.add(TriadMeeting(
        triad_id=triad.id, number=1, starts_at=at(date(2025, 10, 8), time(13, 30)), duration_minutes=120,
        host_school_id=schools[700101].id, place="Alder Grove Primary School, staff room",
        agenda="1. Share self-evaluations\n2. Draft action plans", held=True,
        notes="Each school chose three priorities from its lowest-rated areas and drafted its action plan.",
        attendees=[people[demo_email(f"senco.{slug}")] for slug in ("aldergrove", "birchwoodlane", "catkinhill")]))
    db.session.add(TriadMeeting(
        triad_id=triad.id, number=2, starts_at=at(date(2026, 2, 4), time(13, 30)), duration_minutes=90,
        host_school_id=schools[700102].id, place="Birchwood Lane Primary School, library",
        online_link="https://meet.example/northbrook-triad-a", agenda="Review progress on action plans"))
    framework = current_framework(year.programme)
    assert framework is not None  # load_demo_programme made it
    db.session.add(PeerVisit(
        triad_id=triad.id, visited_school_id=schools[700102].id, starts_at=at(date(2025, 11, 12), time(9, 0)),
        duration_minutes=180, focus_area_id=framework.areas[4].id,
        strengths="Referrals to the SENCo are prompt and well evidenced.",
        questions="How do class teachers record the graduated approach before a referral?",
        next_steps="Trial the graduated approach checklist in Years 3 and 4.", notes_by=coach,
        notes_at=at(date(2025, 11, 13), time(16, 0))))
    db.session.add(PeerVisit(
        triad_id=triad.id, visited_school_id=schools[700103].id, starts_at=at(date(2026, 3, 4), time(9, 0)),
        duration_minutes=180, focus_area_id=framework.areas[2].id))
    visit = db.session.scalars(select(QAVisit).where(QAVisit.school_id == schools[700101].id)).one()
    visit.starts_at = at(date(2026, 1, 21), time(10, 0))
    db.session.add(ProgrammeEvent(year_id=year.id, kind=EventKind.LAUNCH, starts_at=at(date(2025, 9, 17), time(9, 30)),
                                  place="Northbrook Civic Centre", details="Meet your triad and plan the year."))
    db.session.add(ProgrammeEvent(year_id=year.id, kind=EventKind.CELEBRATION,
                                  starts_at=at(date(2026, 7, 8), time(13, 0)), place="Northbrook Civic Centre",
                                  details="Each triad shares up to three key learnings."))
    db.session.flush()


def _demo_clusters(year: ProgrammeYear, north: Cluster, schools: dict[int, School]) -> None:
    """North cluster's leads, its autumn meeting (held, with notes) and its spring meeting; every
    school's last Whole School SEND Review."""
    for urn, review in DEMO_REVIEWS.items():
        if review is not None:
            years_before, month, day = review
            schools[urn].last_send_review_on = date(DEMO_START_YEAR - years_before, month, day)
    people = {u.email: u for u in db.session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}")))}
    set_cluster_leads(north, year, people[demo_email("head.aldergrove")].id,
                      people[demo_email("senco.aldergrove")].id, people[demo_email("senco.hawthornrise")].id)
    autumn, _ = schedule_cluster_meeting(north, year, Term.AUTUMN, MeetingInput(
        When(date(DEMO_START_YEAR, 11, 19), False, "15:30"), 90, schools[700104].id,
        "Hawthorn Rise High School, conference room", "",
        "1. Whole School SEND Reviews due this year\n2. Moving from primary to secondary: sharing SEND information"))
    autumn.held = True
    autumn.notes = ("Birchwood Lane and Hawthorn Rise book their reviews for the spring term. "
                    "Primary and secondary SENCOs agree one transfer form for pupils moving to Year 7.")
    autumn.attendees = [person for person in cluster_people(north, year)
                        if person.email.startswith(("senco.", "head.aldergrove"))]
    schedule_cluster_meeting(north, year, Term.SPRING, MeetingInput(
        When(date(DEMO_START_YEAR + 1, 3, 11), False, "15:30"), 90, schools[700101].id, "",
        "https://meet.example/northbrook-north-cluster", "Review the transfer form after its first term in use"))
    db.session.flush()


def _demo_action_plans(year: ProgrammeYear, schools: dict[int, School], people: dict[str, User]) -> None:
    """Alder Grove's plan is finalised with progress noted; Birchwood Lane's is a draft."""
    by_urn = {demo.urn: demo for demo in DEMO_SCHOOLS}
    for urn, finalise in ((700101, True), (700102, False)):
        head = people[demo_email(f"head.{by_urn[urn].slug}")]
        senco = people[demo_email(f"senco.{by_urn[urn].slug}")]
        plan = start_action_plan(schools[urn], year)
        areas = areas_for(plan)
        for position, description, owner, due_on, criteria, progress in DEMO_ACTIONS[: 3 if finalise else 2]:
            account = {"head": head, "senco": senco}.get(owner)
            action = save_action(plan, None, ActionInput(
                [areas[position - 1].id], description, str(account.id) if account else OTHER_OWNER,
                "" if account else owner, due_on, False, criteria), areas, [head, senco])
            if finalise:
                for status, note, noted_on in progress:
                    record_progress(action, status, note, noted_on, senco)
        if finalise:
            finalise_plan(plan, head)
    db.session.flush()


def _demo_celebration(year: ProgrammeYear, people: dict[str, User]) -> None:
    """Triads A and C have shared their key learnings (one tagged by the lead); Triad B is still writing."""
    triads = {t.name: t for t in db.session.scalars(select(Triad).where(Triad.year_id == year.id))}
    areas = current_areas(year.programme)
    senco, lead = people[demo_email("senco.aldergrove")], people[demo_email("lead")]
    tagged = []
    for name, title, did, impact, next_steps, area_numbers, impact_areas, _submit, tags in DEMO_LEARNINGS:
        learning = save_learning(triads[name], None, LearningInput(
            title, did, impact, next_steps, [a.id for a in areas if a.position in area_numbers],
            [a.value for a in impact_areas]), areas)
        if tags:
            tagged.append((learning, tags))
    for name in {name for name, *_, submit, _tags in DEMO_LEARNINGS if submit}:
        submit_celebration(triads[name], senco)
    for learning, (strength, breadth) in tagged:
        tag_learning(learning, strength, breadth, lead)
    db.session.flush()

