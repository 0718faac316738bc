"""What the locality dashboard knows of each enrolled school in a year, as plain values, loaded in a fixed
number of queries however many schools there are (plain rows, counted in Python)."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import case, func, select

from app.action_plans.progress import completion, is_overdue
from app.clusters.phases import OTHER, PRIMARY, SECONDARY, phase_group
from app.common import clock
from app.dashboard.small_counts import ANY, ViewKey, cluster_key
from app.extensions import db
from app.models import (
    Action,
    ActionPlan,
    ActionStatus,
    AreaRating,
    Enrolment,
    EvaluationStatus,
    FrameworkArea,
    ModeratedRating,
    PlanStatus,
    PlanVersion,
    ProgrammeYear,
    QAVisit,
    School,
    SelfEvaluation,
    Triad,
)
from app.models.action_plan import ActionSnapshot

PHASES = {PRIMARY: "Primary", SECONDARY: "Secondary", OTHER: "All-through and other"}


def natural_key(name: str) -> list:
    """Sort "Triad 2" before "Triad 10"."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def phase_of(phase: str) -> str:
    """The dashboard's phase of a school: primary, secondary, or other (all-through schools included)."""
    group = phase_group(phase)
    return group if group in PHASES and group != OTHER else OTHER


@dataclass
class SchoolFacts:
    """One enrolled school's year, as plain values."""

    school_id: uuid.UUID
    name: str
    phase: str
    cluster_id: uuid.UUID | None
    shared: bool
    last_review_on: date | None = None
    status: EvaluationStatus | None = None
    levels: dict[int, int | None] = field(default_factory=dict)  # by area position
    moderated: dict[int, int | None] = field(default_factory=dict)
    qa_done: bool = False
    plan_finalised: bool = False
    actions: int = 0
    complete: int = 0
    overdue: int = 0

    @property
    def submitted(self) -> bool:
        return self.status in (EvaluationStatus.SUBMITTED, EvaluationStatus.SIGNED_OFF)


@dataclass
class Filters:
    """The view of the year the dashboard shows: a cluster, a phase, both, or neither (all schools)."""

    cluster_id: uuid.UUID | None = None
    phase: str | None = None

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            self.phase = None

    @property
    def any(self) -> bool:
        return self.cluster_id is not None or self.phase is not None

    @property
    def view(self) -> ViewKey:
        return (ANY if self.cluster_id is None else cluster_key(self.cluster_id), self.phase or ANY)

    def matches(self, school: SchoolFacts) -> bool:
        return ((self.cluster_id is None or school.cluster_id == self.cluster_id)
                and (self.phase is None or school.phase == self.phase))


def rated_schools(year: ProgrammeYear) -> dict[uuid.UUID, SchoolFacts]:
    """The year's enrolled schools, each with its own rating in every area of its submitted self-evaluation
    (None: not yet evaluated): one query for the schools and one for every submitted rating."""
    rows = db.session.execute(
        select(Enrolment.school_id, School.name, School.phase, Enrolment.cluster_id, Enrolment.shared_with_lead,
               School.last_send_review_on)
        .join(School, School.id == Enrolment.school_id).where(Enrolment.year_id == year.id))
    schools = {row.school_id: SchoolFacts(row.school_id, row.name, phase_of(row.phase), row.cluster_id,
                                          row.shared_with_lead, row.last_send_review_on) for row in rows}
    for school_id, position, level in db.session.execute(
            select(SelfEvaluation.school_id, FrameworkArea.position, AreaRating.level)
            .join(AreaRating, AreaRating.self_evaluation_id == SelfEvaluation.id)
            .join(FrameworkArea, FrameworkArea.id == AreaRating.area_id)
            .where(SelfEvaluation.year_id == year.id, SelfEvaluation.status != EvaluationStatus.DRAFT)):
        if school_id in schools:
            schools[school_id].levels[position] = level
    return schools


def school_facts(year: ProgrammeYear, today: date) -> dict[uuid.UUID, SchoolFacts]:
    """Every enrolled school's year: its ratings, statuses, QA visit and the actions the lead may see."""
    schools = rated_schools(year)
    for school_id, status in db.session.execute(
            select(SelfEvaluation.school_id, SelfEvaluation.status).where(SelfEvaluation.year_id == year.id)):
        if school_id in schools:
            schools[school_id].status = status
    for school_id, position, level in db.session.execute(
            select(QAVisit.school_id, FrameworkArea.position, ModeratedRating.level)
            .join(ModeratedRating, ModeratedRating.qa_visit_id == QAVisit.id)
            .join(FrameworkArea, FrameworkArea.id == ModeratedRating.area_id)
            .where(QAVisit.year_id == year.id)):
        if school_id in schools:
            schools[school_id].moderated[position] = level
    now = clock.now()
    for school_id, starts_at in db.session.execute(
            select(QAVisit.school_id, QAVisit.starts_at).where(QAVisit.year_id == year.id)):
        if school_id in schools:
            schools[school_id].qa_done = bool(schools[school_id].moderated) or (
                starts_at is not None and starts_at <= now)
    for school_id in db.session.scalars(
            select(ActionPlan.school_id).where(ActionPlan.year_id == year.id)
            .where(select(PlanVersion.id).where(PlanVersion.plan_id == ActionPlan.id).exists())):
        if school_id in schools:
            schools[school_id].plan_finalised = True
    _fill_shared_actions(year, schools, today)
    return schools


def _fill_shared_actions(year: ProgrammeYear, schools: dict[uuid.UUID, SchoolFacts], today: date) -> None:
    """Actions as the lead may see them (`action_plans.shared_actions`): a finalised plan's live
    actions, counted in SQL, and for a plan whose next version is in draft the last finalised
    version as kept. A plan never finalised counts nothing."""
    not_complete = Action.status != ActionStatus.COMPLETE
    for school_id, total, complete, overdue in db.session.execute(
            select(ActionPlan.school_id, func.count(Action.id),
                   func.sum(case((Action.status == ActionStatus.COMPLETE, 1), else_=0)),
                   func.sum(case(((Action.due_on < today) & not_complete, 1), else_=0)))
            .join(Action, Action.plan_id == ActionPlan.id)
            .where(ActionPlan.year_id == year.id, ActionPlan.status == PlanStatus.FINALISED)
            .group_by(ActionPlan.school_id)):
        if school_id in schools:
            schools[school_id].actions, schools[school_id].complete = total, complete or 0
            schools[school_id].overdue = overdue or 0
    latest = (select(func.max(PlanVersion.number)).where(PlanVersion.plan_id == ActionPlan.id)
              .correlate(ActionPlan).scalar_subquery())
    for school_id, content in db.session.execute(
            select(ActionPlan.school_id, PlanVersion.content).join(PlanVersion, PlanVersion.plan_id == ActionPlan.id)
            .where(ActionPlan.year_id == year.id, ActionPlan.status != PlanStatus.FINALISED,
                   PlanVersion.number == latest)):
        if school_id in schools:
            kept = [ActionSnapshot.from_json(row) for row in content]
            done = completion(kept)
            schools[school_id].actions, schools[school_id].complete = done.total, done.complete
            schools[school_id].overdue = sum(is_overdue(action, today) for action in kept)


def counts_by_triad(model: Any, year: ProgrammeYear, condition: Any) -> dict[uuid.UUID, int]:
    """How many of `model` (a triad's meetings or visits) meeting `condition` each of the year's triads has."""
    return dict(db.session.execute(
        select(model.triad_id, func.count()).join(Triad, Triad.id == model.triad_id)
        .where(Triad.year_id == year.id, condition).group_by(model.triad_id)).all())
