"""Organisations (local authorities and trusts) that run programmes, and the logo their printed documents carry."""
from __future__ import annotations

from pathlib import PurePath

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.common.errors import DomainError
from app.common.images import check_image
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


def set_logo(organisation: Organisation, name: str | None, content: bytes | None) -> Organisation:
    """Give the organisation a logo for its printed documents (a PNG, JPG or SVG, checked by its content),
    in place of any it had. Nothing is kept when the file is refused (DomainError on "file")."""
    if not name and not content:
        raise DomainError("Select a logo to upload", field="file")
    logo_type = check_image(name, content or b"")
    organisation.logo_name = PurePath(name or "").name[-200:]  # shown on its page, escaped there
    organisation.logo_type, organisation.logo = logo_type, content
    db.session.flush()
    return organisation


def remove_logo(organisation: Organisation) -> None:
    """The organisation's documents go back to printing its name alone."""
    organisation.logo_name, organisation.logo_type, organisation.logo = "", "", None
    db.session.flush()
