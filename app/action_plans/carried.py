"""Actions carried on from a school's plan of the year before: its unfinished actions are the first
suggestions for the new plan, and an action started from one keeps the link to it (Action.carried_from),
so its history can be followed back."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from app.extensions import db
from app.models import Action, ActionPlan, ActionStatus, FrameworkArea, ProgrammeYear
from app.models.programme import year_label


@dataclass(frozen=True)
class Unfinished:
    """An action of last year's plan that was not completed, to carry on."""

    action: Action
    plan_id: uuid.UUID
    year_label: str

    @property
    def area_positions(self) -> list[int]:
        return [a.position for a in self.action.areas]


def unfinished_from_last_year(plan: ActionPlan) -> list[Unfinished]:
    """The school's actions not completed in its plan of the programme's previous academic year, not yet
    carried on into `plan`, in their order: one query (with their areas)."""
    carried = aliased(Action)
    rows = db.session.execute(
        select(Action, ActionPlan.id, ProgrammeYear.start_year)
        .join(ActionPlan, ActionPlan.id == Action.plan_id)
        .join(ProgrammeYear, ProgrammeYear.id == ActionPlan.year_id)
        .where(ActionPlan.school_id == plan.school_id, ProgrammeYear.programme_id == plan.year.programme_id,
               ProgrammeYear.start_year == plan.year.start_year - 1, Action.status != ActionStatus.COMPLETE,
               ~select(carried.id).where(carried.plan_id == plan.id, carried.carried_from_id == Action.id).exists())
        .order_by(Action.number)
        .options(selectinload(Action.areas))).all()
    return [Unfinished(action, plan_id, year_label(start)) for action, plan_id, start in rows]


def carried_into(plan: ActionPlan, action_id: uuid.UUID | None) -> Unfinished | None:
    """The unfinished action of last year that `action_id` names, if it may be carried on into `plan`."""
    if action_id is None:
        return None
    return next((u for u in unfinished_from_last_year(plan) if u.action.id == action_id), None)


def areas_matching(unfinished: Unfinished, areas: list[FrameworkArea]) -> list[FrameworkArea]:
    """This year's areas with the numbers last year's action addressed (the framework may have a new version)."""
    return [a for a in areas if a.position in set(unfinished.area_positions)]
