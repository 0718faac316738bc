"""Who is told when an action plan changes hands: finalised (the coach school and the triad's other schools,
who can read it from then on). The notice names the school, the year and the version, and links to the plan;
never what an action says."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.common.links import Link
from app.extensions import db
from app.models import ActionPlan, NoticeKind, PlanVersion, Role, Triad, TriadMember, User
from app.notifications.notices import Handoff, notify, staff_of


def _triad_schools_but(plan: ActionPlan) -> list[uuid.UUID]:
    """The other schools of the school's triad that year (the coach among them, unless it is this school)."""
    triad = db.session.scalar(
        select(Triad).join(TriadMember, TriadMember.triad_id == Triad.id)
        .where(TriadMember.school_id == plan.school_id, TriadMember.year_id == plan.year_id)
        .options(selectinload(Triad.members)))
    return [] if triad is None else [m.school_id for m in triad.members if m.school_id != plan.school_id]


def finalised(plan: ActionPlan, version: PlanVersion, head: User) -> None:
    which = f"version {version.number} of " if version.number > 1 else ""
    notify(Handoff(NoticeKind.PLAN_FINALISED, f"plan-finalised:{plan.id}:{version.number}",
                   f"{head.name} finalised {which}{plan.school.name}'s action plan for {plan.year.label}",
                   "Read the action plan", Link.to("action_plans.show", plan_id=plan.id), head),
           staff_of(_triad_schools_but(plan)), role_of_sender=f"{Role.HEAD.label}, {plan.school.name}")
