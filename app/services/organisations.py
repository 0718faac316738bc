"""Organisations (local authorities and trusts) that run programmes."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Organisation, OrganisationKind
from app.services import DomainError


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
