"""Organisations (local authorities and trusts) that run programmes."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.common.errors import DomainError
from app.extensions import db
from app.models import Organisation, OrganisationKind, RoleAssignment, User


def add_organisation(name: str, kind: str) -> Organisation:
    exists = db.session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == name.lower()))
    if exists:
        raise DomainError(f"An organisation called {name} already exists", field="name")
    organisation = Organisation(name=name, kind=OrganisationKind(kind))
    db.session.add(organisation)
    db.session.flush()
    return organisation


def list_organisations() -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).options(selectinload(Organisation.programmes)).order_by(Organisation.name)
    ))


def people_page(search: str | None, page: int | None = None, per_page: int = 50):
    """Everyone with an account, by name, with their roles; filtered by name or email."""
    query = select(User).options(
        selectinload(User.roles).selectinload(RoleAssignment.school),
        selectinload(User.roles).selectinload(RoleAssignment.programme),
        selectinload(User.roles).selectinload(RoleAssignment.cluster),
    ).order_by(User.name, User.email)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(func.lower(User.name).like(pattern) | User.email.like(pattern))
    return db.paginate(query, page=page, per_page=per_page)


def set_active(user: User, active: bool, by: User) -> None:
    """Deactivate (or reactivate) an account. A deactivated person is signed out at once."""
    if user.id == by.id and not active:
        raise DomainError("You cannot deactivate your own account")
    user.active = active
    if not active:
        user.session_version += 1


def find_user(user_id) -> User:
    return db.get_or_404(User, user_id)
