"""Who may do what. Every view declares its permission with @requires; templates ask can().

`@requires("triad.view", triad="triad_id")` signs the user in if needed, loads the Triad named
by the URL's triad_id (404 when there is none), answers 403 when `can()` says no, and passes
the loaded object to the view as `triad`.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.models import Cluster, Enrolment, Programme, ProgrammeYear, Role, School, Triad, User

PUBLIC = "public"
SIGNED_IN = "signed_in"

LOADABLE: dict[str, type] = {
    "programme": Programme,
    "year": ProgrammeYear,
    "school": School,
    "triad": Triad,
    "cluster": Cluster,
}


def _programme_ids(user: User, *roles: Role) -> set[uuid.UUID]:
    return {r.programme_id for r in user.roles if r.role in roles and r.programme_id}


def _school_ids(user: User) -> set[uuid.UUID]:
    return {r.school_id for r in user.roles if r.role in (Role.HEAD, Role.SENCO) and r.school_id}


def _programme_of(obj: Any) -> uuid.UUID | None:
    if isinstance(obj, Programme):
        return obj.id
    if isinstance(obj, ProgrammeYear):
        return obj.programme_id
    if isinstance(obj, Triad):
        return obj.year.programme_id
    if isinstance(obj, Cluster):
        return obj.programme_id
    return None


def _school_in_programmes(school: School, programme_ids: set[uuid.UUID]) -> bool:
    if not programme_ids:
        return False
    found = db.session.scalar(
        select(Enrolment.id)
        .join(ProgrammeYear, Enrolment.year_id == ProgrammeYear.id)
        .where(Enrolment.school_id == school.id, ProgrammeYear.programme_id.in_(programme_ids))
        .limit(1)
    )
    return found is not None


def _school_in_clusters(school: School, cluster_ids: set[uuid.UUID]) -> bool:
    if not cluster_ids:
        return False
    found = db.session.scalar(
        select(Enrolment.id).where(Enrolment.school_id == school.id, Enrolment.cluster_id.in_(cluster_ids)).limit(1)
    )
    return found is not None


def is_admin(user: User) -> bool:
    return user.has_role(Role.ADMIN)


def leads_programme(user: User, obj: Any) -> bool:
    return _programme_of(obj) in _programme_ids(user, Role.PROGRAMME_LEAD)


def can_view_school(user: User, school: School) -> bool:
    if school.id in _school_ids(user):
        return True
    overseeing = _programme_ids(user, Role.PROGRAMME_LEAD, Role.QA_EXPERT)
    clusters = {r.cluster_id for r in user.roles if r.role == Role.CLUSTER_LEAD and r.cluster_id}
    return _school_in_programmes(school, overseeing) or _school_in_clusters(school, clusters)


def can_view_triad(user: User, triad: Triad) -> bool:
    if _programme_of(triad) in _programme_ids(user, Role.PROGRAMME_LEAD, Role.QA_EXPERT):
        return True
    return any(m.school_id in _school_ids(user) for m in triad.members)


# Each rule takes the user and the object the view is about (None for none).
RULES: dict[str, Callable[[User, Any], bool]] = {
    SIGNED_IN: lambda user, obj: True,
    "admin": lambda user, obj: False,  # admins only (see can())
    "programme.create": lambda user, obj: bool(_programme_ids(user, Role.PROGRAMME_LEAD)),
    "programme.view": lambda user, obj: _programme_of(obj) in _programme_ids(user, Role.PROGRAMME_LEAD, Role.QA_EXPERT),
    "programme.manage": leads_programme,
    "school.view": can_view_school,
    "triad.view": can_view_triad,
}


def can(user: User | None, action: str, obj: Any = None) -> bool:
    """May `user` do `action` to `obj`? Admins may do everything."""
    if action == PUBLIC:
        return True
    if user is None or not user.is_authenticated:
        return False
    if action not in RULES:
        raise KeyError(f"Unknown permission {action!r}")
    return is_admin(user) or RULES[action](user, obj)


def _load(kind: str, raw_id: Any) -> Any:
    model = LOADABLE[kind]
    try:
        key = raw_id if isinstance(raw_id, uuid.UUID) else uuid.UUID(str(raw_id))
    except ValueError:
        abort(404)
    return db.get_or_404(model, key)


def requires(action: str, **load: str) -> Callable:
    """Declare the permission a view needs; load URL ids into objects (`triad="triad_id"`)."""
    if action != PUBLIC and action not in RULES:
        raise KeyError(f"Unknown permission {action!r}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            objects = {kind: _load(kind, kwargs.pop(url_key)) for kind, url_key in load.items()}
            subject = next(iter(objects.values()), None)
            if not can(current_user, action, subject):
                abort(403)
            return view(*args, **kwargs, **objects)

        checked = guarded if action == PUBLIC else login_required(guarded)
        checked.required_permission = action  # read by the test that walks the URL map
        return checked

    return decorate
