"""How far plans have got: completion and overdue actions, and each school's plan in a triad or a year as
its reader may see it (their own school's live plan, the others' last finalised versions)."""
from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.action_plans.versions import actions_seen, shared_actions
from app.common import clock
from app.extensions import db
from app.models import (
    Action,
    ActionPlan,
    ActionStatus,
    Enrolment,
    PlanStatus,
    PlanVersion,
    ProgrammeYear,
    ProgressUpdate,
    School,
    TriadMember,
    User,
)
from app.models.action_plan import ActionSnapshot

# A plan with everything its pages show, loaded in a fixed number of queries.
PLAN_OPTIONS = (
    selectinload(ActionPlan.actions).selectinload(Action.areas),
    selectinload(ActionPlan.actions).selectinload(Action.updates).selectinload(ProgressUpdate.author),
    selectinload(ActionPlan.actions).selectinload(Action.owner).selectinload(User.roles),
    selectinload(ActionPlan.versions).selectinload(PlanVersion.finalised_by),
    selectinload(ActionPlan.school),
    selectinload(ActionPlan.year).selectinload(ProgrammeYear.programme),
)


def is_overdue(action: Action | ActionSnapshot, on: date) -> bool:
    return action.due_on < on and action.status != ActionStatus.COMPLETE


@dataclass
class Completion:
    complete: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.total) if self.total else 0

    def __str__(self) -> str:
        return f"{self.complete} of {self.total} actions complete ({self.percent}%)" if self.total else "No actions yet"


def completion(actions: Collection[Action | ActionSnapshot]) -> Completion:
    return Completion(sum(a.status == ActionStatus.COMPLETE for a in actions), len(actions))


@dataclass
class SchoolProgress:
    """One school's plan in a list of schools, as the reader sees it: `actions` are actions_seen rows."""

    school: School
    plan: ActionPlan | None
    is_coach: bool
    today: date
    shared: bool = False  # the head shares the school's work with the programme lead
    actions: list[ActionSnapshot] = field(default_factory=list)

    @property
    def completion(self) -> Completion:
        return completion(self.actions)

    @property
    def overdue(self) -> list[ActionSnapshot]:
        return [row for row in self.actions if is_overdue(row, self.today)]

    @property
    def status(self) -> str:
        if self.plan is None:
            return "Not started"
        if self.plan.versions:
            return f"Version {self.plan.versions[-1].number} finalised" + (
                f"; version {self.plan.version} in draft" if self.plan.status == PlanStatus.DRAFT else "")
        return "Draft"


def plans_for(school_ids: list[uuid.UUID], year_id: uuid.UUID) -> dict[uuid.UUID, ActionPlan]:
    return {p.school_id: p for p in db.session.scalars(
        select(ActionPlan).where(ActionPlan.school_id.in_(school_ids), ActionPlan.year_id == year_id)
        .options(*PLAN_OPTIONS))}


def triad_progress(members: list[TriadMember], year_id: uuid.UUID,
                   own_school_ids: set[uuid.UUID]) -> tuple[list[SchoolProgress], Completion]:
    """Each school's plan and completion in a triad, and the triad's overall figure, as a reader who is
    staff of `own_school_ids` sees them: their own school's live plan, the others' last finalised versions."""
    plans = plans_for([m.school_id for m in members], year_id)
    on = clock.today()
    rows = []
    for member in members:
        plan = plans.get(member.school_id)
        own = member.school_id in own_school_ids
        rows.append(SchoolProgress(member.school, plan, member.is_coach, on, actions=actions_seen(plan, own)))
    total = Completion(sum(r.completion.complete for r in rows), sum(r.completion.total for r in rows))
    return rows, total


def year_progress(year: ProgrammeYear) -> list[SchoolProgress]:
    """Every enrolled school's plan status and completion (of its last finalised version), for the
    programme lead."""
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.year_id == year.id).options(selectinload(Enrolment.school))).all()
    plans = {p.school_id: p for p in db.session.scalars(
        select(ActionPlan).where(ActionPlan.year_id == year.id).options(*PLAN_OPTIONS))}
    on = clock.today()
    return sorted((SchoolProgress(e.school, plans.get(e.school_id), False, on, e.shared_with_lead,
                                  actions=shared_actions(plans.get(e.school_id))) for e in enrolments),
                  key=lambda row: row.school.name)
