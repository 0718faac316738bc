"""Large fictional data sets for benchmarks (`flask seed-demo --schools N`): organisations of about
500 schools each, written in bulk, over the current academic year (worked out from today, as the demo's)
and the two before it. Every organisation, school and person here is invented."""
from __future__ import annotations

import itertools
import math
import random
import uuid
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, func, insert, select, text

from app.common import clock
from app.common.dates import academic_start_year
from app.common.errors import DomainError
from app.demo.northbrook import demo_password_hash
from app.extensions import db
from app.frameworks.content import DEFAULT_AREAS, DEFAULT_NAME, DEFAULT_SCALE
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
    Framework,
    FrameworkArea,
    FrameworkPrompt,
    ImpactArea,
    Learning,
    ModeratedRating,
    Organisation,
    OrganisationKind,
    PlanStatus,
    PlanVersion,
    Programme,
    ProgrammeYear,
    ProgressUpdate,
    QAVisit,
    Role,
    RoleAssignment,
    ScaleLevel,
    School,
    SelfEvaluation,
    SettingType,
    Triad,
    TriadMember,
    User,
)
from app.models.action_plan import ActionSnapshot, action_area
from app.models.celebration import learning_area

MAX_SCALE_SCHOOLS = 25_000
SCALE_DOMAIN = "scale.example"
YEARS_BACK = (2, 1, 0)  # the programmes' years, counted back from the current academic year
SCHOOLS_PER_ORGANISATION = 500
SCHOOLS_PER_CLUSTER = 10
COHORT_SHARES = (0.5, 0.75, 1.0)
# Rows per INSERT executemany, and rows held in memory before they are written.
CHUNK_ROWS = 5_000
BUFFERED_ROWS = 50_000
# Scale URNs start above this, clear of the demo's and of any school already stored.
SCALE_URN_FLOOR = 800_000
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
INSERT_TABLES = tuple(cast(Table, getattr(item, "__table__", item)) for item in INSERT_ORDER)
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


def analyse() -> None:
    """Refresh the planner's statistics after a bulk load, so the first queries on the new data are
    planned for its size (PostgreSQL would otherwise wait for autovacuum; SQLite never gathers them)."""
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def generate_scale_data(schools: int, seed: int = 1) -> dict[str, int]:
    """Add a large fictional data set: organisations of about 500 schools, each running one programme
    over the current academic year and the two before it, with a growing cohort, clusters, triads, and a
    head and SENCo per school.

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
        self.today = clock.in_london(now).date()
        current = academic_start_year(self.today)
        self.start_years = tuple(current - back for back in YEARS_BACK)

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
                for number, prompt in enumerate(prompts, start=1):
                    self.add(FrameworkPrompt, area_id=area_id, setting_type=setting_type, position=number, text=prompt)
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
                assert level is not None  # a submitted self-evaluation rates every area
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
                         noted_on=min(date(start_year + 1, 2, 4), self.today), author_id=senco_id)
            content.append(ActionSnapshot(number=number, areas=(), description=description, owner="SENCo",
                                          due_on=due_on, success_criteria="Seen in learning walks and data",
                                          status=status).to_json())
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
        for cohort_share, start_year in zip(COHORT_SHARES, self.start_years, strict=True):
            year_id = self.add(ProgrammeYear, programme_id=programme_id, start_year=start_year,
                               is_closed=start_year != self.start_years[-1])
            self.year_starts[year_id] = start_year
            enrolled = school_ids[:math.ceil(len(school_ids) * cohort_share)]
            closed = start_year != self.start_years[-1]
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
