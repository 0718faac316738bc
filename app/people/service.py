"""A school's people, as its head manages them: who holds a role there now and since when, who held one
before, and inviting someone to the school (told first when that ends their role at another school)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.accounts import (
    SCHOOL_ROLES,
    check_email,
    check_full_name,
    grant_problem,
    invite_user,
    normalise_email,
    roles_ended_by_moving,
    school_access,
    school_role,
)
from app.common.errors import DomainError, checked_together
from app.extensions import db
from app.models import EndedRole, Role, RoleAssignment, School, User

__all__ = ["SCHOOL_ROLES", "Invitation", "PeoplePage", "check_invitation", "invite_to_school", "people_page",
           "roles_ended_by_inviting", "school_role"]


@dataclass
class PeoplePage:
    """The school's roles now (each with its person and who gave it) and the roles that have ended."""

    school: School
    current: list[RoleAssignment]
    ended: list[EndedRole]


def people_page(school: School) -> PeoplePage:
    """Everything the people page shows, in the same six statements however many people."""
    ended = list(db.session.scalars(
        select(EndedRole).where(EndedRole.school_id == school.id)
        .options(selectinload(EndedRole.user), selectinload(EndedRole.granted_by), selectinload(EndedRole.ended_by))
        .order_by(EndedRole.ended_at.desc())))
    return PeoplePage(school, school_access(school), ended)


@dataclass
class Invitation:
    """Someone to be given a head or SENCo role at a school, and what else that does: `account` is their
    existing account (None for someone new) and `ends` the roles at other schools of the programme they lose."""

    email: str
    name: str
    role: Role
    school: School
    account: User | None = None
    ends: list[RoleAssignment] = field(default_factory=list)


def _check_school_role(role: Role) -> None:
    if role not in SCHOOL_ROLES:
        raise DomainError("Choose headteacher or SENCo", field="role")


def check_invitation(school: School, email: str, name: str, role: Role, invited_by: User) -> Invitation:
    """What inviting this person would do, refusing (DomainError on its field) what invite_user would refuse."""
    _, email, _ = checked_together(lambda: _check_school_role(role), lambda: check_email(email),
                                   lambda: check_full_name(name.strip()))
    account = db.session.scalar(select(User).where(User.email == email))
    if account is None:
        return Invitation(email, name.strip(), role, school)
    if problem := grant_problem(account, role, school, invited_by):
        raise DomainError(problem, field="email")
    if any(r.role == role and r.school_id == school.id for r in account.roles):
        raise DomainError(f"{account.name} is already {role.label} at {school.name}", field="email")
    return Invitation(email, account.name, role, school, account, roles_ended_by_moving(account, school))


def invite_to_school(school: School, email: str, name: str, role: Role, invited_by: User) -> User:
    """Give the person the role at the school (their roles at the programme's other schools end) and email them."""
    check_invitation(school, email, name, role, invited_by)
    return invite_user(email=email, name=name, role=role, invited_by=invited_by, school=school)


def roles_ended_by_inviting(email: str, role: Role, school: School | None) -> list[RoleAssignment]:
    """The roles at the programme's other schools that giving the person at `email` this school role ends."""
    account = db.session.scalar(select(User).where(User.email == normalise_email(email or "")))
    if account is None or school is None or role not in SCHOOL_ROLES:
        return []
    return roles_ended_by_moving(account, school)
