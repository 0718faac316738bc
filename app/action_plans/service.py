"""Action plan rules: drafting actions, the head finalising (each finalised plan kept as a version),
progress notes, owners who have left, and the plan's page. Versions and what others read of a plan are in
versions.py; completion, overdue actions and the triad's and year's progress in progress.py."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import defaultload, selectinload

from app.action_plans import handoffs
from app.action_plans.carried import Unfinished, carried_into, unfinished_from_last_year
from app.action_plans.progress import PLAN_OPTIONS, Completion, completion, is_overdue
from app.action_plans.versions import actions_seen, snapshot
from app.common import clock, dates
from app.common.errors import DomainError, checked_together
from app.common.versions import checked_update
from app.extensions import db
from app.frameworks.service import areas_of, current_areas
from app.models import (
    FLAG_GAP,
    Action,
    ActionPlan,
    ActionStatus,
    AreaRating,
    FrameworkArea,
    ModeratedRating,
    PlanStatus,
    PlanVersion,
    ProgrammeYear,
    ProgressUpdate,
    QAVisit,
    Role,
    RoleAssignment,
    ScaleLevel,
    School,
    SelfEvaluation,
    User,
)
from app.models.action_plan import ActionSnapshot
from app.programmes.service import enrolment_of

OWNER_ROLES = (Role.HEAD, Role.SENCO)
OTHER_OWNER = "other"
# What the action form changes, in its order: the parts a clash between two saves can differ in.
ACTION_FIELDS = ("areas", "description", "owner", "owner_name", "due_on", "success_criteria")
ACTION_CLASH = "Someone else saved this action while you were editing it. Choose which text to keep."


# --- Starting, drafting and finalising -----------------------------------------------------------


def start_action_plan(school: School, year: ProgrammeYear) -> ActionPlan:
    existing = db.session.scalar(select(ActionPlan).where(ActionPlan.school_id == school.id,
                                                          ActionPlan.year_id == year.id))
    if existing is not None:
        return existing
    year.require_open("no new action plans can be started")
    enrolment_of(school, year)
    plan = ActionPlan(school_id=school.id, year_id=year.id)
    db.session.add(plan)
    db.session.flush()
    return plan


def staff_of(school_id: uuid.UUID) -> list[User]:
    """The school's head and SENCo accounts, who can own actions."""
    return list(db.session.scalars(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.school_id == school_id, RoleAssignment.role.in_(OWNER_ROLES), User.active)
        .order_by(User.name).distinct()
    ))


@dataclass
class ActionInput:
    """What the action form sends, before it is checked."""

    area_ids: list[uuid.UUID]
    description: str
    owner: str  # a staff user's id, OTHER_OWNER, or ""
    owner_name: str
    due_on: date | None
    due_on_invalid: bool
    success_criteria: str
    carried_from_id: uuid.UUID | None = None  # last year's unfinished action a new one carries on



def _check_editable(plan: ActionPlan) -> None:
    plan.year.require_open("its action plan can no longer be changed")


def _begin_new_version(plan: ActionPlan) -> None:
    """Changing a finalised plan starts the next version; the finalised one stays as it was."""
    if plan.status == PlanStatus.FINALISED:
        plan.status = PlanStatus.DRAFT
        plan.version += 1


def _chosen_areas(given: ActionInput, areas: list[FrameworkArea]) -> list[FrameworkArea]:
    chosen = [a for a in areas if a.id in set(given.area_ids)]
    if not chosen:
        raise DomainError("Choose at least one area the action addresses", field="areas")
    return chosen


def _checked_description(given: ActionInput) -> str:
    description = (given.description or "").strip()
    if not description:
        raise DomainError("Enter what will be done", field="description")
    return description


def _checked_owner(given: ActionInput, staff: list[User]) -> tuple[User | None, str]:
    """The staff account chosen as owner, or None and the typed name of someone else."""
    owner = next((u for u in staff if str(u.id) == given.owner), None)
    owner_name = (given.owner_name or "").strip()
    if owner is None and given.owner != OTHER_OWNER:
        raise DomainError("Choose who owns this action", field="owner")
    if owner is None and not owner_name:
        raise DomainError("Enter the name of the person who owns this action", field="owner_name")
    if owner is None and len(owner_name) > 120:
        raise DomainError("The owner's name must be 120 characters or fewer", field="owner_name")
    return owner, owner_name


def _checked_due_on(given: ActionInput) -> date:
    if given.due_on_invalid:
        raise DomainError("The due date must be a real date, for example 27 3 2026", field="due_on")
    if given.due_on is None:
        raise DomainError("Enter a due date", field="due_on")
    return given.due_on


def _checked_criteria(given: ActionInput) -> str:
    criteria = (given.success_criteria or "").strip()
    if not criteria:
        raise DomainError("Enter the success criteria: how you will know the action has worked",
                          field="success_criteria")
    return criteria


def _checked_values(given: ActionInput, areas: list[FrameworkArea], staff: list[User]) -> dict:
    """The action's fields from the form, each checked, in the order the form shows them: every problem is
    raised at once (checked_together)."""
    chosen, description, (owner, owner_name), due_on, criteria = checked_together(
        lambda: _chosen_areas(given, areas), lambda: _checked_description(given),
        lambda: _checked_owner(given, staff), lambda: _checked_due_on(given), lambda: _checked_criteria(given))
    return {"areas": sorted(chosen, key=lambda area: area.position), "description": description, "owner": owner,
            "owner_name": "" if owner else owner_name, "due_on": due_on, "success_criteria": criteria}


def _check_autosave(plan: ActionPlan) -> None:
    """Autosave changes a draft only: a change to a finalised plan starts its next version, which only the
    Save button does."""
    if plan.status == PlanStatus.FINALISED:
        raise DomainError(f"Version {plan.version} of the plan is finalised, so changes are not saved as you type. "
                          f"Select Save action to start version {plan.version + 1}")


def save_action(plan: ActionPlan, action: Action | None, given: ActionInput, areas: list[FrameworkArea],
                staff: list[User], expected_version: int | None = None, *, keep_theirs: tuple[str, ...] = (),
                autosave: bool = False) -> Action:
    """Add or change an action. Everything is checked first; nothing is saved when a check fails. A change
    is saved only if nobody has saved the action since `expected_version` (VersionConflict otherwise);
    `keep_theirs` names the parts for which the clash page chose the version saved. `autosave`: the
    page's script saving a draft as it is typed."""
    _check_editable(plan)
    if autosave:
        _check_autosave(plan)
    values = _checked_values(given, areas, staff)
    chosen_areas = values.pop("areas")
    if action is None:
        action = Action(number=max((a.number for a in plan.actions), default=0) + 1, **values)
        action.areas = chosen_areas
        if carried_into(plan, given.carried_from_id) is not None:  # anything else sent is not carried on
            action.carried_from_id = given.carried_from_id
        plan.actions.append(action)
    elif not checked_update(action, expected_version, {"areas": chosen_areas, **values}, keep_theirs=keep_theirs,
                            message=ACTION_CLASH):
        return action  # nothing changed: no new version
    _begin_new_version(plan)
    db.session.flush()
    return action


def remove_action(plan: ActionPlan, action: Action) -> None:
    _check_editable(plan)
    plan.actions.remove(action)
    _begin_new_version(plan)
    db.session.flush()


def finalise_plan(plan: ActionPlan, head: User) -> PlanVersion:
    """The head finalises the plan: who and when are recorded, and this version is kept."""
    if not any(r.role == Role.HEAD and r.school_id == plan.school_id for r in head.roles):
        raise DomainError("Only the school's headteacher can finalise the action plan")
    _check_editable(plan)
    if plan.status == PlanStatus.FINALISED:
        raise DomainError("This version of the plan is already finalised")
    if not plan.actions:
        raise DomainError("Add at least one action before finalising the plan")
    version = PlanVersion(number=plan.version, finalised_by=head, finalised_at=clock.now(),
                          content=[row.to_json() for row in snapshot(plan.actions)])
    plan.versions.append(version)
    plan.status = PlanStatus.FINALISED
    db.session.flush()
    handoffs.finalised(plan, version, head)
    return version


def _checked_status(status: str) -> ActionStatus:
    try:
        return ActionStatus(status)
    except ValueError:
        raise DomainError("Choose the action's status", field="status") from None


def _checked_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise DomainError("Enter a note about the progress", field="note")
    return note


def _checked_noted_on(invalid: bool) -> None:
    if invalid:
        raise DomainError("The date must be a real date, for example 27 3 2026", field="noted_on")


def record_progress(action: Action, status: str, note: str, noted_on: date | None, by: User,
                    noted_on_invalid: bool = False) -> ProgressUpdate:
    """Move an action's status on with a dated note (today when none is given); earlier notes are kept as
    written. `noted_on_invalid`: the form's date does not exist. Every problem with the form is raised at once."""
    _check_editable(action.plan)
    new_status, note, _ = checked_together(lambda: _checked_status(status), lambda: _checked_note(note),
                                           lambda: _checked_noted_on(noted_on_invalid))
    update = ProgressUpdate(status=new_status, note=note, noted_on=noted_on or clock.today(), author=by)
    action.updates.append(update)
    action.status = new_status
    db.session.flush()
    return update


# --- Reading ---------------------------------------------------------------------------------


def owner_has_left(action: Action, school_id: uuid.UUID) -> bool:
    """The owner's account is deactivated or no longer at the school. Past entries keep their names."""
    owner = action.owner
    if owner is None:
        return False
    return not owner.active or not any(r.school_id == school_id and r.role in OWNER_ROLES for r in owner.roles)


@dataclass(frozen=True)
class SuggestedArea:
    """An area as a suggestion names it."""

    position: int
    title: str


@dataclass
class Suggestion:
    area: SuggestedArea
    level_text: str
    flagged: bool


@dataclass
class PlanPage:
    plan: ActionPlan
    today: date
    suggestions: list[Suggestion] = field(default_factory=list)
    carried: list[Unfinished] = field(default_factory=list)  # last year's unfinished actions, to carry on

    @property
    def completion(self) -> Completion:
        return completion(self.plan.actions)

    @property
    def latest_version(self) -> PlanVersion | None:
        return self.plan.versions[-1] if self.plan.versions else None

    def overdue(self, action: Action) -> bool:
        return is_overdue(action, self.today)

    def owner_left(self, action: Action) -> bool:
        return owner_has_left(action, self.plan.school_id)


# The plan's pages name the authors of notes and who finalised each version, nothing more: their roles
# (which a user's loading brings) are left unloaded. The owners' roles are read (has the owner left?).
_NAMED_ONLY = (
    defaultload(ActionPlan.actions).defaultload(Action.updates).defaultload(ProgressUpdate.author).lazyload(User.roles),
    defaultload(ActionPlan.versions).defaultload(PlanVersion.finalised_by).lazyload(User.roles),
)


def load_plan(plan_id: uuid.UUID) -> ActionPlan | None:
    return db.session.scalar(select(ActionPlan).where(ActionPlan.id == plan_id).options(
        *PLAN_OPTIONS, *_NAMED_ONLY, selectinload(ActionPlan.actions).selectinload(Action.carried_from)))


def plan_page(plan_id: uuid.UUID, with_suggestions: bool = True) -> PlanPage | None:
    """The plan with everything its page shows, in a fixed number of queries."""
    plan = load_plan(plan_id)
    if plan is None:
        return None
    page = PlanPage(plan, clock.today())
    if with_suggestions:
        page.suggestions = suggestions_for(plan)
        page.carried = unfinished_from_last_year(plan)
    return page


@dataclass(frozen=True)
class _RatedArea:
    area: SuggestedArea
    level: int | None
    level_text: str  # as the self-evaluation page writes it: "3 Established"
    flagged: bool  # self and moderated ratings two or more levels apart, as that page flags them


def _rated_areas(plan: ActionPlan) -> list[_RatedArea]:
    """The areas of the school's self-evaluation this year, by number, with the school's level, its label in
    the framework version the school used, and the QA expert's level: one query, only these columns."""
    rows = db.session.execute(
        select(FrameworkArea.position, FrameworkArea.title, AreaRating.level, ScaleLevel.label, ModeratedRating.level)
        .select_from(SelfEvaluation)
        .join(AreaRating, AreaRating.self_evaluation_id == SelfEvaluation.id)
        .join(FrameworkArea, FrameworkArea.id == AreaRating.area_id)
        .outerjoin(ScaleLevel, (ScaleLevel.framework_id == SelfEvaluation.framework_id)
                   & (ScaleLevel.value == AreaRating.level))
        .outerjoin(QAVisit, (QAVisit.school_id == SelfEvaluation.school_id)
                   & (QAVisit.year_id == SelfEvaluation.year_id))
        .outerjoin(ModeratedRating, (ModeratedRating.qa_visit_id == QAVisit.id)
                   & (ModeratedRating.area_id == AreaRating.area_id))
        .where(SelfEvaluation.school_id == plan.school_id, SelfEvaluation.year_id == plan.year_id)
        .order_by(FrameworkArea.position)
    ).all()
    return [_RatedArea(SuggestedArea(position, title), level,
                       f"{level} {label or ''}".strip() if level is not None else "",
                       level is not None and checked is not None and abs(level - checked) >= FLAG_GAP)
            for position, title, level, label, checked in rows]


def suggestions_for(plan: ActionPlan) -> list[Suggestion]:
    """The school's lowest-rated areas (the three lowest, and any tied with them) and any QA flags."""
    rows = _rated_areas(plan)
    rated = sorted((row for row in rows if row.level is not None), key=lambda row: (row.level, row.area.position))
    cut = rated[min(2, len(rated) - 1)].level if rated else None
    chosen = [row for row in rows if (cut is not None and row.level is not None and row.level <= cut) or row.flagged]
    chosen.sort(key=lambda row: (row.level or 0, row.area.position))
    return [Suggestion(row.area, row.level_text, row.flagged) for row in chosen]


def areas_for(plan: ActionPlan) -> list[FrameworkArea]:
    """The areas an action can address: those of the school's self-evaluation, or the current framework."""
    framework_id = db.session.scalar(select(SelfEvaluation.framework_id).where(
        SelfEvaluation.school_id == plan.school_id, SelfEvaluation.year_id == plan.year_id))
    return current_areas(plan.year.programme) if framework_id is None else areas_of(framework_id)


def plan_content(page: PlanPage, staff: bool) -> tuple[list[ActionSnapshot], int, str]:
    """What the reader sees of a plan (actions_seen), its version number and a line on its finalising."""
    plan = page.plan
    rows = actions_seen(plan, staff)
    kept = page.latest_version if plan.status == PlanStatus.FINALISED or not staff else None
    number = plan.version if staff or plan.status == PlanStatus.FINALISED or kept is None else kept.number
    finalised = (f"finalised by {kept.finalised_by.name} on {dates.day(kept.finalised_at)}" if kept
                 else "draft, not yet finalised")
    return rows, number, finalised
