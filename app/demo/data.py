"""Fictional data: the Northbrook demo programme that `make run` loads, and large data sets for
benchmarks. Every organisation, school and person here is invented; there are no pupils, ever."""
from __future__ import annotations

import itertools
import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache

from sqlalchemy import Table, func, insert, select
from werkzeug.security import generate_password_hash

from app.action_plans.service import (
    OTHER_OWNER,
    ActionInput,
    areas_for,
    areas_for_year,
    finalise_plan,
    record_progress,
    save_action,
    start_action_plan,
)
from app.audit import acting_as
from app.celebration.service import LearningInput, save_learning, submit_celebration, tag_learning
from app.clusters.service import cluster_people, schedule_cluster_meeting, set_cluster_leads
from app.common import clock
from app.common.clock import london_time
from app.common.errors import DomainError
from app.extensions import db
from app.frameworks.content import DEFAULT_AREAS, DEFAULT_NAME, DEFAULT_SCALE
from app.frameworks.service import create_default_framework, current_framework
from app.meetings.service import MeetingInput, When
from app.models import (
    MAX_LEARNINGS,
    TRIAD_SIZE,
    Action,
    ActionPlan,
    ActionStatus,
    AreaRating,
    CelebrationSubmission,
    Cluster,
    Enrolment,
    EvaluationStatus,
    EventKind,
    Framework,
    FrameworkArea,
    FrameworkPrompt,
    ImpactArea,
    Learning,
    ModeratedRating,
    Organisation,
    OrganisationKind,
    PeerVisit,
    PlanStatus,
    PlanVersion,
    Programme,
    ProgrammeEvent,
    ProgrammeYear,
    ProgressUpdate,
    QAVisit,
    Role,
    RoleAssignment,
    ScaleLevel,
    School,
    SelfEvaluation,
    SettingType,
    Term,
    Triad,
    TriadMeeting,
    TriadMember,
    User,
)
from app.models.action_plan import action_area
from app.models.celebration import learning_area
from app.self_evaluations.service import (
    save_area,
    sign_off_self_evaluation,
    start_self_evaluation,
    submit_self_evaluation,
)

# Public on purpose: it only opens fictional demo accounts.
DEMO_PASSWORD = "demo-password-2025"
DEMO_ORGANISATION = "Northbrook Borough Council"
DEMO_PROGRAMME = "Northbrook SEND Triads"
DEMO_START_YEAR = 2025
DEMO_DOMAIN = "northbrook.example"

MAX_SCALE_SCHOOLS = 25_000
SCALE_DOMAIN = "scale.example"
SCALE_START_YEARS = (2023, 2024, 2025)
SCHOOLS_PER_ORGANISATION = 500
SCHOOLS_PER_CLUSTER = 10
COHORT_SHARES = (0.5, 0.75, 1.0)
# Rows per INSERT executemany, and rows held in memory before they are written.
CHUNK_ROWS = 5_000
BUFFERED_ROWS = 50_000
# Scale URNs start above this, clear of the demo's and of any school already stored.
SCALE_URN_FLOOR = 800_000

Login = tuple[str, str, str]  # (role label, name, email)


@cache
def demo_password_hash() -> str:
    """Hashed once per process and shared by every demo and scale account, which keeps loading fast."""
    return generate_password_hash(DEMO_PASSWORD)


# --- The demo programme ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSchool:
    urn: int
    name: str
    slug: str
    phase: str
    head: str
    senco: str
    setting_type: SettingType = SettingType.MAINSTREAM


@dataclass(frozen=True)
class DemoTriad:
    name: str
    cluster: str
    schools: tuple[DemoSchool, ...]  # the first is the coach school


DEMO_TRIADS = (
    DemoTriad("Triad A", "North cluster", (
        DemoSchool(700101, "Alder Grove Primary School", "aldergrove", "Primary", "Helen Marsh", "Tom Okafor"),
        DemoSchool(700102, "Birchwood Lane Primary School", "birchwoodlane", "Primary", "Rajesh Patel", "Claire Dunn"),
        DemoSchool(700103, "Catkin Hill Primary School", "catkinhill", "Primary", "Sophie Leigh", "Daniel Ward"),
    )),
    DemoTriad("Triad B", "North cluster", (
        DemoSchool(700104, "Hawthorn Rise High School", "hawthornrise", "Secondary", "Marcus Bell", "Aisha Rahman"),
        DemoSchool(700105, "Juniper Vale Academy", "junipervale", "Secondary", "Fiona Grant", "Owen Price"),
        DemoSchool(700106, "Kestrel Heath School", "kestrelheath", "Secondary", "Grace Adeyemi", "Luke Harding"),
    )),
    DemoTriad("Triad C", "South cluster", (
        DemoSchool(700107, "Damson Hill Primary School", "damsonhill", "Primary", "Nadia Hussain", "Ben Fairley"),
        DemoSchool(700108, "Elmstead Green Primary School", "elmsteadgreen", "Primary", "Peter Quinn", "Hannah Cole"),
        DemoSchool(700109, "Foxglove Meadow Primary School", "foxglovemeadow", "Primary", "Ruth Ellison", "Sam Kaur"),
    )),
    DemoTriad("Triad D", "South cluster", (
        DemoSchool(700110, "Larchmere High School", "larchmere", "Secondary", "Simon Achebe", "Laura Pym"),
        DemoSchool(700111, "Millbeck Academy", "millbeck", "Secondary", "Joanna Frost", "Imran Sheikh"),
        DemoSchool(700112, "Oakridge Brook School", "oakridgebrook", "All-through", "Catherine Moss", "Ravi Nair",
                setting_type=SettingType.SPECIALIST),
    )),
)
DEMO_SCHOOLS = tuple(school for triad in DEMO_TRIADS for school in triad.schools)
DEMO_DESCRIPTION = (f"{DEMO_ORGANISATION}, {DEMO_PROGRAMME} {DEMO_START_YEAR}/{(DEMO_START_YEAR + 1) % 100:02d}, "
                    f"{len(DEMO_SCHOOLS)} schools in {len(DEMO_TRIADS)} triads")

# (role, name, email local part, cluster name for a cluster lead)
DEMO_PROGRAMME_PEOPLE = (
    (Role.ADMIN, "Ada Whitcombe", "admin", None),
    (Role.PROGRAMME_LEAD, "Lena Fairbrother", "lead", None),
    (Role.QA_EXPERT, "Victor Ashdown", "qa", None),
    (Role.CLUSTER_LEAD, "Maya Thornton", "clusterlead.north", "North cluster"),
)


def _demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def demo_logins() -> list[Login]:
    """Who can sign in to the demo (all with DEMO_PASSWORD), in the order worth trying them."""
    logins = [(role.label, name, _demo_email(local)) for role, name, local, _cluster in DEMO_PROGRAMME_PEOPLE]
    for school in DEMO_SCHOOLS:
        logins.append((f"{Role.HEAD.label}, {school.name}", school.head, _demo_email(f"head.{school.slug}")))
        logins.append((f"{Role.SENCO.label}, {school.name}", school.senco, _demo_email(f"senco.{school.slug}")))
    return logins


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
        for triad in DEMO_TRIADS:
            for demo in triad.schools:
                schools[demo.urn] = School(urn=demo.urn, name=demo.name, phase=demo.phase,
                                           local_authority="Northbrook", setting_type=demo.setting_type)
                db.session.add(Enrolment(year=year, school=schools[demo.urn], cluster=clusters[triad.cluster]))
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
            user = User(email=_demo_email(local_part), name=name, password_hash=password_hash)
            user.roles.append(RoleAssignment(**scope))
            db.session.add(user)

        for role, name, local_part, cluster in DEMO_PROGRAMME_PEOPLE:
            if role.scope == "service":
                add_user(name, local_part, role=role)
            elif role.scope == "programme":
                add_user(name, local_part, role=role, programme=programme)
            else:
                add_user(name, local_part, role=role, cluster=clusters[cluster])
        for demo in DEMO_SCHOOLS:
            add_user(demo.head, f"head.{demo.slug}", role=Role.HEAD, school=schools[demo.urn])
            add_user(demo.senco, f"senco.{demo.slug}", role=Role.SENCO, school=schools[demo.urn])
        db.session.flush()
        _demo_self_evaluations(year, schools)
        _demo_clusters(year, clusters["North cluster"], schools)
    return demo_logins()


# Triad A's self-evaluations: one signed off and moderated, one submitted, one part-way through.
# Triad A: one signed off and moderated, one submitted, one part-way through; the other triads have
# submitted, so the lead's dashboard has counts to show (groups of fewer than 3 are hidden).
DEMO_LEVELS = {700101: (3, 2, 3, 4, 2, 3, 3, 2), 700102: (2, 2, 3, 3, 2, 2, 3, 3), 700103: (2, 1, 2),
               700104: (3, 3, 2, 3, 3, 2, 4, 3), 700105: (2, 3, 2, 2, 3, 3, 3, 2), 700106: (1, 2, 2, 3, 2, 1, 2, 2),
               700107: (4, 4, 3, 4, 3, 3, 3, 4), 700108: (3, 3, 3, 2, 2, 3, 2, 3), 700109: (2, 2, 2, 3, 1, 2, 2, 2),
               700110: (3, 2, 3, 3, 4, 3, 3, 3), 700111: (2, 2, 3, 2, 2, 2, 3, 2), 700112: (3, 3, 4, 4, 3, 3, 2, 4)}
DEMO_SIGNED_OFF = {700101, 700104, 700105, 700107, 700108, 700110, 700112}
DEMO_MODERATED = {
    700101: (3, 4, 3, 3, 2, 3, 2, 2),  # area 2 is two levels from Alder Grove's own rating
    700104: (3, 3, 2, 3, 2, 2, 3, 3),
    700107: (3, 4, 3, 3, 3, 3, 3, 3),
    700110: (3, 2, 3, 3, 2, 3, 3, 3),  # area 5 is two levels below Larchmere's own
}
# Heads who share their school's work with the programme lead (so the dashboard can name them).
DEMO_SHARED = {700101, 700104, 700107, 700110, 700112}


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
        submit_self_evaluation(evaluation, people[_demo_email(f"senco.{by_urn[urn].slug}")])
        if urn in DEMO_SIGNED_OFF:
            sign_off_self_evaluation(evaluation, people[_demo_email(f"head.{by_urn[urn].slug}")])
        if urn in DEMO_MODERATED:
            visit = QAVisit(year_id=year.id, school_id=schools[urn].id, expert=people[_demo_email("qa")])
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


# (area number, what will be done, owner: "head", "senco" or a name, due date, success criteria, progress)
DEMO_ACTIONS = (
    (2, "Governor training on the SEND Code of Practice", "head", date(2026, 1, 30),
     "Every governor has been trained and asks about SEND outcomes at meetings",
     [("on_track", "Two governors trained in November; the rest are booked for January", date(2025, 11, 20)),
      ("complete", "All governors trained", date(2026, 2, 10))]),
    (5, "Introduce a graduated approach checklist for class teachers", "senco", date(2026, 3, 27),
     "Every referral to the SENCo comes with a completed checklist",
     [("at_risk", "Staff absence has delayed the launch", date(2026, 2, 10))]),
    (8, "Review the provision map each half term with class teachers", "Jo Smith, deputy head", date(2026, 7, 17),
     "Interventions that are not working are stopped within a half term", []),
)


def _demo_diary(year: ProgrammeYear, schools: dict[int, School], people: dict[str, User]) -> None:
    """Triad A's meetings (one held, one booked, one missing), the coach's visit to Birchwood Lane
    with notes, Alder Grove's QA visit, and the programme's launch and celebration."""
    triad = db.session.scalar(select(Triad).where(Triad.year_id == year.id, Triad.name == "Triad A"))
    coach = people[_demo_email("senco.aldergrove")]
    at = london_time
    db.session.add(TriadMeeting(
        triad_id=triad.id, number=1, starts_at=at(date(2025, 10, 8), time(13, 30)), duration_minutes=120,
        host_school_id=schools[700101].id, place="Alder Grove Primary School, staff room",
        agenda="1. Share self-evaluations\n2. Draft action plans", held=True,
        notes="Each school chose three priorities from its lowest-rated areas and drafted its action plan.",
        attendees=[people[_demo_email(f"senco.{slug}")] for slug in ("aldergrove", "birchwoodlane", "catkinhill")]))
    db.session.add(TriadMeeting(
        triad_id=triad.id, number=2, starts_at=at(date(2026, 2, 4), time(13, 30)), duration_minutes=90,
        host_school_id=schools[700102].id, place="Birchwood Lane Primary School, library",
        online_link="https://meet.example/northbrook-triad-a", agenda="Review progress on action plans"))
    framework = current_framework(year.programme)
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
    visit = db.session.scalar(select(QAVisit).where(QAVisit.school_id == schools[700101].id))
    visit.starts_at = at(date(2026, 1, 21), time(10, 0))
    db.session.add(ProgrammeEvent(year_id=year.id, kind=EventKind.LAUNCH, starts_at=at(date(2025, 9, 17), time(9, 30)),
                                  place="Northbrook Civic Centre", details="Meet your triad and plan the year."))
    db.session.add(ProgrammeEvent(year_id=year.id, kind=EventKind.CELEBRATION,
                                  starts_at=at(date(2026, 7, 8), time(13, 0)), place="Northbrook Civic Centre",
                                  details="Each triad shares up to three key learnings."))
    db.session.flush()


# Years before DEMO_START_YEAR of each school's last Whole School SEND Review (month, day), None for
# not recorded: some are overdue, some due in the demo year, some up to date.
DEMO_REVIEWS = {700101: (5, 11, 10), 700102: (3, 3, 16), 700103: (2, 6, 24), 700104: (2, 12, 3), 700105: (1, 5, 12),
                700106: None, 700107: (0, 10, 1), 700108: (1, 2, 2), 700109: (4, 1, 20), 700110: (2, 9, 29),
                700111: (3, 12, 3), 700112: (1, 11, 18)}


def _demo_clusters(year: ProgrammeYear, north: Cluster, schools: dict[int, School]) -> None:
    """North cluster's leads, its autumn meeting (held, with notes) and its spring meeting; every
    school's last Whole School SEND Review."""
    for urn, review in DEMO_REVIEWS.items():
        if review is not None:
            years_before, month, day = review
            schools[urn].last_send_review_on = date(DEMO_START_YEAR - years_before, month, day)
    people = {u.email: u for u in db.session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}")))}
    set_cluster_leads(north, year, people[_demo_email("head.aldergrove")].id,
                      people[_demo_email("senco.aldergrove")].id, people[_demo_email("senco.hawthornrise")].id)
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
        head = people[_demo_email(f"head.{by_urn[urn].slug}")]
        senco = people[_demo_email(f"senco.{by_urn[urn].slug}")]
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


# (triad, title, what we did, impact, next steps, framework areas, impact areas, submitted, (strength, breadth))
DEMO_LEARNINGS = (
    ("Triad A", "A graduated approach checklist before every referral",
     "Class teachers in Years 3 and 4 completed a one-page checklist of what they had tried before referring to "
     "the SENCo, after the coach school's peer visit suggested it.",
     "Referrals now arrive with evidence of adaptive teaching, and teachers say they feel more confident trying "
     "strategies first.", "Use the checklist in every year group and share it across the North cluster.",
     (5, 3), (ImpactArea.IDENTIFICATION, ImpactArea.STAFF), True, (3, 2)),
    ("Triad A", "Half-termly drop-ins for parents and carers",
     "Each school's SENCo held an informal drop-in after school every half term, with the family support worker.",
     "More parents and carers came to review meetings, and fewer concerns were raised as complaints.",
     "Offer an online drop-in for working parents.", (4,), (ImpactArea.INCLUSION,), True, None),
    ("Triad C", "Precision teaching for early reading",
     "Teaching assistants were trained to run short daily precision teaching sessions.",
     "Teachers report faster progress in word reading for the groups taking part.",
     "Train a second teaching assistant in each school.", (3, 1), (ImpactArea.EDUCATIONAL_OUTCOMES,), True, None),
    ("Triad B", "Transition passports for Year 7", "Draft: written at meeting 2.", "To follow.", "To follow.",
     (8,), (ImpactArea.INCLUSION,), False, None),
)


def _demo_celebration(year: ProgrammeYear, people: dict[str, User]) -> None:
    """Triads A and C have shared their key learnings (one tagged by the lead); Triad B is still writing."""
    triads = {t.name: t for t in db.session.scalars(select(Triad).where(Triad.year_id == year.id))}
    areas = areas_for_year(year)
    senco, lead = people[_demo_email("senco.aldergrove")], people[_demo_email("lead")]
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


# --- Scale data for benchmarks ---------------------------------------------------------------------

PLACES = (
    "Alder", "Ashby", "Barrow", "Beck", "Birch", "Bramble", "Brook", "Cedar", "Clover", "Combe", "Crane",
    "Dale", "Elder", "Fern", "Finch", "Fox", "Glen", "Hazel", "Heath", "Holly", "Kestrel", "Lark", "Linden",
    "Maple", "Marsh", "Meadow", "Mill", "Moor", "Oak", "Orchard", "Pine", "Rowan", "Rush", "Sedge", "Sorrel",
    "Thorn", "Wheat", "Willow", "Wren", "Yew",
)
FEATURES = ("Bank", "Bridge", "Cross", "End", "Field", "Ford", "Gate", "Green", "Hill", "Lane", "Lea", "Mead",
            "Park", "Ridge", "Side", "Vale", "Wood")
FIRST_NAMES = ("Alex", "Amara", "Ben", "Chloe", "Dev", "Eleanor", "Femi", "Grace", "Harriet", "Imran", "Jess",
               "Kieran", "Leah", "Mohammed", "Nina", "Oliver", "Priya", "Rhys", "Sara", "Tariq", "Una", "Will",
               "Yasmin", "Zoe")
LAST_NAMES = ("Abbott", "Baines", "Carr", "Daly", "Evans", "Fisher", "Gill", "Hale", "Iqbal", "Jones", "Khan",
              "Lowe", "Mensah", "Nolan", "Owens", "Parry", "Reid", "Shah", "Turner", "Vaughan", "Webb", "Young")
# (phase, kind of school, setting type), and how common each is
SCHOOL_KINDS = (
    ("Primary", "Primary School", SettingType.MAINSTREAM),
    ("Primary", "Primary Academy", SettingType.MAINSTREAM),
    ("Secondary", "High School", SettingType.MAINSTREAM),
    ("Secondary", "Academy", SettingType.MAINSTREAM),
    ("All-through", "Special School", SettingType.SPECIALIST),
)
SCHOOL_KIND_WEIGHTS = (14, 4, 3, 2, 1)
ORGANISATION_SUFFIXES = {OrganisationKind.LOCAL_AUTHORITY: "Borough Council", OrganisationKind.TRUST: "Learning Trust"}
# Parents before children, the order the rows are inserted in.
INSERT_ORDER = (Organisation, Programme, Framework, ScaleLevel, FrameworkArea, FrameworkPrompt, ProgrammeYear, Cluster,
                School, Enrolment, Triad, TriadMember, User, RoleAssignment, SelfEvaluation, AreaRating, QAVisit,
                ModeratedRating, ActionPlan, PlanVersion, Action, action_area, ProgressUpdate, CelebrationSubmission,
                Learning, learning_area)
INSERT_TABLES = tuple(getattr(item, "__table__", item) for item in INSERT_ORDER)
ACTION_STATUS_WEIGHTS = (2, 4, 1, 3)  # not started, on track, at risk, complete
ACTION_TEXTS = ("Train staff in adaptive teaching", "Review the provision map each half term",
                "Run parent drop-ins each half term", "Introduce a graduated approach checklist",
                "Governor training on the SEND Code of Practice", "Audit interventions for impact")
# How the current year's self-evaluations stand (closed years are all signed off), and how common each is.
CURRENT_STATUSES = (None, EvaluationStatus.DRAFT, EvaluationStatus.SUBMITTED, EvaluationStatus.SIGNED_OFF)
CURRENT_STATUS_WEIGHTS = (1, 3, 2, 4)
LEVEL_WEIGHTS = (1, 3, 4, 2)  # 1 Emerging to 4 Embedded
CELEBRATION_SHARE = 0.8  # of triads submit key learnings
LEARNING_TITLES = ("Graduated approach checklist", "Parent drop-ins each half term", "Precision teaching",
                   "Transition passports", "Sensory circuits before school", "Pupil voice in SEND reviews",
                   "Adaptive teaching coaching", "Attendance support plans")
QA_EVERY = 3  # every third submitted self-evaluation has a QA visit with moderated ratings


def generate_scale_data(schools: int, seed: int = 1) -> dict[str, int]:
    """Add a large fictional data set: organisations of about 500 schools, each running one programme
    over 2023/24 to 2025/26 with a growing cohort, clusters, triads, and a head and SENCo per school.

    Rows go in with Core executemany in chunks, so the number of statements does not grow with the
    number of schools, and the audit listener (which watches ORM flushes) records none of it.
    Additive: URNs, names and emails continue after whatever is stored. Does not commit.
    """
    if not 1 <= schools <= MAX_SCALE_SCHOOLS:
        raise DomainError(f"Enter a number of schools between 1 and {MAX_SCALE_SCHOOLS:,}")
    first_urn = max(db.session.scalar(select(func.max(School.urn))) or 0, SCALE_URN_FLOOR) + 1
    taken_names = set(db.session.scalars(select(Organisation.name)))
    # Seeded by the first URN too, so a second run with the same seed does not repeat the first's ids.
    plan = _ScalePlan(random.Random(f"{seed}:{first_urn}"), clock.now())

    organisations = max(1, math.ceil(schools / SCHOOLS_PER_ORGANISATION))
    share, extra = divmod(schools, organisations)
    urns = iter(range(first_urn, first_urn + schools))
    numbers = itertools.count(1)
    for index in range(organisations):
        kind = OrganisationKind.TRUST if index % 3 == 2 else OrganisationKind.LOCAL_AUTHORITY
        area = plan.rng.choice(PLACES) + plan.rng.choice(FEATURES).lower()
        while (name := f"{area} {ORGANISATION_SUFFIXES[kind]} {next(numbers)}") in taken_names:
            pass
        taken_names.add(name)
        plan.add_organisation(name, kind, area, [next(urns) for _ in range(share + (index < extra))])
        if plan.buffered >= BUFFERED_ROWS:
            plan.insert()
    plan.insert()
    return plan.inserted


class _ScalePlan:
    """The rows of a scale data set, table by table, built in Python and inserted in bulk."""

    def __init__(self, rng: random.Random, now: datetime):
        self.rng = rng
        self.now = now
        self.password_hash = demo_password_hash()
        self.rows: dict[Table, list[dict]] = {table: [] for table in INSERT_TABLES}
        self.inserted = {table.name: 0 for table in INSERT_TABLES}
        self.buffered = 0
        self.staff: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]] = {}  # school: (head, SENCo)
        self.submitted = 0
        self.year_starts: dict[uuid.UUID, int] = {}

    def add(self, model, **values) -> uuid.UUID:
        row_id = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        row = {"id": row_id, **values}
        if "created_at" in model.__table__.c:
            row["created_at"] = row["updated_at"] = self.now
        self.rows[model.__table__].append(row)
        self.buffered += 1
        return row_id

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def add_user(self, email: str, role: Role, school_id=None, programme_id=None) -> uuid.UUID:
        user_id = self.add(User, email=email, name=self.person(), password_hash=self.password_hash,
                           active=True, session_version=1)
        # Every row of one executemany names the same columns, so the unused scopes are explicit.
        self.add(RoleAssignment, user_id=user_id, role=role, school_id=school_id, programme_id=programme_id,
                 cluster_id=None)
        return user_id

    def add_framework(self, programme_id: uuid.UUID) -> tuple[uuid.UUID, list[uuid.UUID]]:
        """Version 1 of the default framework; returns its id and its area ids in order."""
        framework_id = self.add(Framework, programme_id=programme_id, version=1, name=DEFAULT_NAME)
        for value, label, description in DEFAULT_SCALE:
            self.add(ScaleLevel, framework_id=framework_id, value=value, label=label, description=description)
        area_ids = []
        for position, content in enumerate(DEFAULT_AREAS, start=1):
            area_id = self.add(FrameworkArea, framework_id=framework_id, position=position, title=content.title,
                               description=content.description)
            for setting_type, prompts in ((SettingType.MAINSTREAM, content.mainstream),
                                          (SettingType.SPECIALIST, content.specialist)):
                for number, text in enumerate(prompts, start=1):
                    self.add(FrameworkPrompt, area_id=area_id, setting_type=setting_type, position=number, text=text)
            area_ids.append(area_id)
        return framework_id, area_ids

    def add_self_evaluation(self, year_id, school_id, framework_id, area_ids, closed: bool, expert_id) -> None:
        """A self-evaluation (all signed off in closed years), sometimes with a QA visit's moderated ratings."""
        status = (EvaluationStatus.SIGNED_OFF if closed
                  else self.rng.choices(CURRENT_STATUSES, weights=CURRENT_STATUS_WEIGHTS)[0])
        if status is None:
            return
        head_id, senco_id = self.staff[school_id]
        submitted = status != EvaluationStatus.DRAFT
        evaluation_id = self.add(
            SelfEvaluation, school_id=school_id, year_id=year_id, framework_id=framework_id, status=status,
            submitted_by_id=senco_id if submitted else None, submitted_at=self.now if submitted else None,
            signed_off_by_id=head_id if status == EvaluationStatus.SIGNED_OFF else None,
            signed_off_at=self.now if status == EvaluationStatus.SIGNED_OFF else None, reopened_reason="")
        levels = {}
        for position, area_id in enumerate(area_ids, start=1):
            rated = submitted or self.rng.random() < 0.5
            levels[area_id] = self.rng.choices((1, 2, 3, 4), weights=LEVEL_WEIGHTS)[0] if rated else None
            self.add(AreaRating, self_evaluation_id=evaluation_id, area_id=area_id, level=levels[area_id],
                     not_evaluated_reason="",
                     evidence=f"Provision map, pupil progress meetings and learning walks (area {position})."
                     if rated else "",
                     strengths="Consistent practice seen across classes." if rated else "",
                     development="Share the practice with the wider staff." if rated else "",
                     carried_forward=False, version=1)
        self.submitted += submitted
        if submitted:
            self.add_action_plan(year_id, school_id, area_ids, levels, finalised=closed or self.rng.random() < 0.6)
        if submitted and self.submitted % QA_EVERY == 1:
            visit_id = self.add(QAVisit, year_id=year_id, school_id=school_id, expert_id=expert_id, starts_at=None,
                                duration_minutes=120)
            for area_id, level in levels.items():
                moderated = max(1, min(4, level + self.rng.choice((-2, -1, 0, 0, 0, 1))))
                self.add(ModeratedRating, qa_visit_id=visit_id, area_id=area_id, level=moderated,
                         comment="Agreed after the visit." if moderated == level else "Evidence seen differs.",
                         school_response="")

    def add_action_plan(self, year_id, school_id, area_ids, levels, finalised: bool) -> None:
        """A plan of three to five actions on the lowest-rated areas, with progress, finalised or not."""
        head_id, senco_id = self.staff[school_id]
        start_year = self.year_starts[year_id]
        plan_id = self.add(ActionPlan, school_id=school_id, year_id=year_id,
                           status=PlanStatus.FINALISED if finalised else PlanStatus.DRAFT, version=1)
        lowest = sorted(area_ids, key=lambda area_id: levels[area_id] or 0)
        content = []
        for number in range(1, self.rng.randint(3, 5) + 1):
            due_on = date(start_year + 1, self.rng.randint(1, 7), self.rng.randint(1, 28))
            status = self.rng.choices(list(ActionStatus), weights=ACTION_STATUS_WEIGHTS)[0]
            description = self.rng.choice(ACTION_TEXTS)
            action_id = self.add(Action, plan_id=plan_id, number=number, description=description, owner_id=senco_id,
                                 owner_name="", due_on=due_on, success_criteria="Seen in learning walks and data",
                                 status=status)
            self.add_row(action_area, action_id=action_id, area_id=lowest[number - 1])
            if status != ActionStatus.NOT_STARTED:
                self.add(ProgressUpdate, action_id=action_id, status=status, note="Reviewed at the triad meeting",
                         noted_on=date(start_year + 1, 2, 4), author_id=senco_id)
            content.append({"number": number, "areas": [], "description": description, "owner": "SENCo",
                            "due_on": due_on.isoformat(), "success_criteria": "Seen in learning walks and data",
                            "status": status.label, "latest_note": "", "latest_note_on": ""})
        if finalised:
            self.add(PlanVersion, plan_id=plan_id, number=1, finalised_by_id=head_id, finalised_at=self.now,
                     content=content)

    def add_row(self, table: Table, **values) -> None:
        """A row of a table without an id of its own (an association)."""
        self.rows[table].append(values)
        self.buffered += 1

    def add_organisation(self, name: str, kind: OrganisationKind, area: str, urns: list[int]) -> None:
        organisation_id = self.add(Organisation, name=name, kind=kind)
        programme_id = self.add(Programme, organisation_id=organisation_id, name=f"{area} SEND Triads")
        # The programme's first URN keeps its people's emails unique across runs.
        self.add_user(f"lead.{urns[0]}@{SCALE_DOMAIN}", Role.PROGRAMME_LEAD, programme_id=programme_id)
        expert_id = self.add_user(f"qa.{urns[0]}@{SCALE_DOMAIN}", Role.QA_EXPERT, programme_id=programme_id)
        framework_id, area_ids = self.add_framework(programme_id)

        cluster_ids = [self.add(Cluster, programme_id=programme_id, name=f"{area} cluster {n}")
                       for n in range(1, math.ceil(len(urns) / SCHOOLS_PER_CLUSTER) + 1)]
        school_ids = [self.add_school(urn, area) for urn in urns]
        cluster_of = {school_id: cluster_ids[i // SCHOOLS_PER_CLUSTER] for i, school_id in enumerate(school_ids)}

        # The cohort grows: half the schools in the first year, three quarters in the second, all in the third.
        for cohort_share, start_year in zip(COHORT_SHARES, SCALE_START_YEARS, strict=False):
            year_id = self.add(ProgrammeYear, programme_id=programme_id, start_year=start_year,
                               is_closed=start_year != SCALE_START_YEARS[-1])
            self.year_starts[year_id] = start_year
            enrolled = school_ids[:math.ceil(len(school_ids) * cohort_share)]
            closed = start_year != SCALE_START_YEARS[-1]
            for school_id in enrolled:
                self.add(Enrolment, year_id=year_id, school_id=school_id, cluster_id=cluster_of[school_id],
                         shared_with_lead=self.rng.random() < 0.5)
                self.add_self_evaluation(year_id, school_id, framework_id, area_ids, closed, expert_id)
            self.add_triads(year_id, self.rng.sample(enrolled, len(enrolled)), area_ids)

    def add_school(self, urn: int, area: str) -> uuid.UUID:
        phase, kind, setting_type = self.rng.choices(SCHOOL_KINDS, weights=SCHOOL_KIND_WEIGHTS)[0]
        name = f"{self.rng.choice(PLACES)} {self.rng.choice(FEATURES)} {kind} {urn}"
        school_id = self.add(School, urn=urn, name=name, phase=phase, local_authority=area,
                             setting_type=setting_type)
        self.staff[school_id] = (self.add_user(f"head.{urn}@{SCALE_DOMAIN}", Role.HEAD, school_id=school_id),
                                 self.add_user(f"senco.{urn}@{SCALE_DOMAIN}", Role.SENCO, school_id=school_id))
        return school_id

    def add_triads(self, year_id: uuid.UUID, school_ids: list[uuid.UUID], area_ids: list[uuid.UUID]) -> None:
        """A triad for each complete group of three; one or two schools left over wait for next year."""
        for number, start in enumerate(range(0, len(school_ids) - TRIAD_SIZE + 1, TRIAD_SIZE), start=1):
            triad_id = self.add(Triad, year_id=year_id, name=f"Triad {number}")
            for position, school_id in enumerate(school_ids[start:start + TRIAD_SIZE], start=1):
                self.add(TriadMember, triad_id=triad_id, year_id=year_id, school_id=school_id,
                         position=position, is_coach=position == 1)
            if self.rng.random() < CELEBRATION_SHARE:
                self.add_celebration(triad_id, self.staff[school_ids[start]][1], area_ids)

    def add_celebration(self, triad_id: uuid.UUID, senco_id: uuid.UUID, area_ids: list[uuid.UUID]) -> None:
        """One to three submitted key learnings, most of them tagged by the lead."""
        submission_id = self.add(CelebrationSubmission, triad_id=triad_id, submitted_at=self.now,
                                 submitted_by_id=senco_id)
        for position in range(1, self.rng.randint(1, MAX_LEARNINGS) + 1):
            shows = self.rng.sample(list(ImpactArea), self.rng.randint(1, len(ImpactArea)))
            tagged = self.rng.random() < 0.7
            learning_id = self.add(
                Learning, submission_id=submission_id, position=position, title=self.rng.choice(LEARNING_TITLES),
                what_we_did=f"{self.rng.choice(ACTION_TEXTS)}, reviewed at each triad meeting.",
                impact="Staff are more confident and pupils' needs are picked up sooner.",
                next_steps="Share the approach with the rest of the cluster.",
                **{area.column: area in shows for area in ImpactArea},
                strength=self.rng.randint(1, 4) if tagged else None, breadth=len(shows) if tagged else None,
                tagged_by_id=None, tagged_at=self.now if tagged else None)
            for area_id in self.rng.sample(area_ids, self.rng.randint(1, 2)):
                self.add_row(learning_area, learning_id=learning_id, area_id=area_id)

    def insert(self) -> None:
        """Insert what is buffered, parents first, a chunk per statement."""
        for table, rows in self.rows.items():
            for start in range(0, len(rows), CHUNK_ROWS):
                db.session.execute(insert(table), rows[start:start + CHUNK_ROWS])
            self.inserted[table.name] += len(rows)
            rows.clear()
        self.buffered = 0
