"""Moving on: a head or SENCo who leaves is replaced by a successor in one step. The successor gets the role
(a new person is invited), the leaver's role at the school ends, and what the leaver still had to do there
passes to the successor: their open actions in the school's plans for open years, and their own kept drafts of
pages that are the school's alone (a page whose address names one of the school's self-evaluations, action
plans or answers to information requests; drafts of a triad's pages, such as a meeting booking, stay theirs,
as the triad's other schools share those pages). Everything the leaver wrote keeps their name."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from app.auth.accounts import (
    check_email,
    end_school_role,
    grant_problem,
    invite_user,
    roles_ended_by_moving,
    school_role,
)
from app.common.errors import DomainError, checked_together
from app.extensions import db
from app.models import (
    Action,
    ActionPlan,
    ActionStatus,
    EndReason,
    FormDraft,
    ProgrammeYear,
    RequestRecipient,
    RoleAssignment,
    School,
    SelfEvaluation,
    User,
)


@dataclass
class Successor:
    """Who takes over: an existing member of the school's staff (`account`), or a person named by email
    and name, who may already have an account elsewhere."""

    account: User | None = None
    email: str = ""
    name: str = ""


@dataclass
class Handover:
    """What naming the successor will do (or did): the leaver's role, who gets it, and what passes to them."""

    leaver: RoleAssignment
    successor: Successor
    gets_role: bool  # False when the successor already holds the leaver's role at the school
    actions: list[Action] = field(default_factory=list)
    drafts: list[FormDraft] = field(default_factory=list)
    ends: list[RoleAssignment] = field(default_factory=list)  # the successor's roles at the programme's other schools
    leaver_name: str = ""

    @property
    def successor_name(self) -> str:
        return self.successor.account.name if self.successor.account else self.successor.name


def staff_who_could_succeed(school: School, leaver: RoleAssignment) -> list[User]:
    """The school's other staff, by name, each once: the people the head can name as successor."""
    people = {r.user.id: r.user for r in db.session.scalars(
        select(RoleAssignment).where(RoleAssignment.school_id == school.id, RoleAssignment.user_id != leaver.user_id)
    ) if r.user.active}
    return sorted(people.values(), key=lambda user: (user.name, user.email))


def _open_actions(school: School, owner_id: uuid.UUID) -> list[Action]:
    return list(db.session.scalars(
        select(Action).join(ActionPlan, ActionPlan.id == Action.plan_id)
        .join(ProgrammeYear, ProgrammeYear.id == ActionPlan.year_id)
        .where(ActionPlan.school_id == school.id, Action.owner_id == owner_id, Action.status != ActionStatus.COMPLETE,
               ProgrammeYear.is_closed.is_(False))
        .order_by(ActionPlan.created_at, Action.number)))


def _school_drafts(school: School, user_id: uuid.UUID) -> list[FormDraft]:
    """The person's drafts of pages that are the school's alone: those whose address names one of its records."""
    drafts = list(db.session.scalars(select(FormDraft).where(FormDraft.user_id == user_id)))
    if not drafts:
        return []
    ids = {str(record_id) for model in (SelfEvaluation, ActionPlan, RequestRecipient)
           for record_id in db.session.scalars(select(model.id).where(model.school_id == school.id))}
    return [draft for draft in drafts if ids & set(draft.path.split("/"))]


def _check_successor_name(name: str) -> None:
    if not name.strip():
        raise DomainError("Enter the successor's full name", field="name")


def _successor_account(school: School, leaver: RoleAssignment, successor: Successor) -> User | None:
    """The successor's account, if they have one; refuses the leaver themselves and a name without an email."""
    if successor.account is None:
        _, successor.email = checked_together(lambda: _check_successor_name(successor.name),
                                              lambda: check_email(successor.email))
        successor.name = successor.name.strip()
        account = db.session.scalar(select(User).where(User.email == successor.email))
    else:
        account = successor.account
    if account is not None and account.id == leaver.user_id:
        raise DomainError(f"Choose someone other than {leaver.user.name} to take over", field="successor")
    return account


def plan_handover(school: School, leaver_id: uuid.UUID, successor: Successor, by: User) -> Handover:
    """What naming `successor` for the role `leaver_id` would do, refusing what cannot be done."""
    leaver = school_role(school, leaver_id)
    account = _successor_account(school, leaver, successor)
    successor.account = account
    gets_role = account is None or not any(r.role == leaver.role and r.school_id == school.id for r in account.roles)
    if account is not None and gets_role and (problem := grant_problem(account, leaver.role, school, by)):
        raise DomainError(problem, field="email" if successor.email else "successor")
    drafts = [draft for draft in _school_drafts(school, leaver.user_id)
              if account is None or not _has_draft(account.id, draft.path)]
    return Handover(leaver, successor, gets_role, _open_actions(school, leaver.user_id), drafts,
                    roles_ended_by_moving(account, school) if account is not None and gets_role else [],
                    leaver.user.name)


def _has_draft(user_id: uuid.UUID, path: str) -> bool:
    return db.session.scalar(select(FormDraft.id).where(FormDraft.user_id == user_id, FormDraft.path == path)) \
        is not None


def hand_over(school: School, leaver_id: uuid.UUID, successor: Successor, by: User) -> Handover:
    """Name the successor: they get the leaver's role (invited, if new), the leaver's role ends (kept as
    replaced), and the leaver's open actions and the school's drafts pass to them. One step, all or nothing."""
    handover = plan_handover(school, leaver_id, successor, by)
    leaver, role = handover.leaver, handover.leaver.role
    account = handover.successor.account
    if handover.gets_role:
        account = invite_user(email=account.email if account else successor.email,
                              name=account.name if account else successor.name,
                              role=role, invited_by=by, school=school)
    assert account is not None
    for action in handover.actions:
        action.owner_id, action.owner_name = account.id, ""
        action.version += 1  # an edit form open on the old owner is then a clash, not a silent overwrite
    for draft in handover.drafts:
        draft.user_id = account.id
    end_school_role(leaver, by, EndReason.REPLACED)
    return handover
