"""Who may do what. Every view declares its permission with @requires; templates ask can().

`@requires("triad.view", triad="triad_id")` signs the user in if needed, loads the Triad named
by the URL's triad_id (404 when there is none), answers 403 when `can()` says no, and passes
the loaded object to the view as `triad`. A URL that names two records (`/triads/<t>/peer-visits/<s>`)
is checked for both: the permission is asked of the first, and the records must belong together
(the school is one of the triad's), or the answer is 404.

The rules table (who may do what) and the questions it asks are in app.permissions.rules.
"""
from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from app.extensions import db
from app.models import (
    ActionPlan,
    CelebrationSubmission,
    Cluster,
    ClusterMeeting,
    InformationRequest,
    Learning,
    Notice,
    PeerVisit,
    PreparedPack,
    Programme,
    ProgrammeEvent,
    ProgrammeYear,
    QAVisit,
    RequestRecipient,
    School,
    SelfEvaluation,
    Triad,
    TriadMeeting,
    User,
)
from app.permissions.rules import (
    BELONGS,
    CONFIDENTIAL,
    PUBLIC,
    RULES,
    SIGNED_IN,
    is_admin,
    is_school_staff,
    leads_programme,
    staff_school_ids,
)

__all__ = ["CONFIDENTIAL", "PUBLIC", "RULES", "SIGNED_IN", "can", "is_school_staff", "leads_programme", "requires",
           "staff_school_ids"]

LOADABLE: dict[str, type] = {
    "programme": Programme,
    "year": ProgrammeYear,
    "school": School,
    "triad": Triad,
    "cluster": Cluster,
    "evaluation": SelfEvaluation,
    "plan": ActionPlan,
    "meeting": TriadMeeting,
    "visit": PeerVisit,
    "event": ProgrammeEvent,
    "qa_visit": QAVisit,
    "request": InformationRequest,
    "recipient": RequestRecipient,
    "cluster_meeting": ClusterMeeting,
    "learning": Learning,
    "submission": CelebrationSubmission,
    "pack": PreparedPack,
    "notice": Notice,
}


def _belong_together(objects: dict[str, Any]) -> bool:
    for (kind_a, a), (kind_b, b) in itertools.combinations(objects.items(), 2):
        rule = BELONGS.get((kind_a, kind_b))
        if not (rule(a, b) if rule else BELONGS[(kind_b, kind_a)](b, a)):
            return False
    return True


def _check_pairs(kinds: list[str]) -> None:
    """Refuse, when the app starts, a route naming two kinds of record that no rule ties together."""
    for kind_a, kind_b in itertools.combinations(kinds, 2):
        if (kind_a, kind_b) not in BELONGS and (kind_b, kind_a) not in BELONGS:
            raise KeyError(f"No rule in BELONGS says how a {kind_a} and a {kind_b} belong together")


def can(user: User | None, action: str, obj: Any = None) -> bool:
    """May `user` do `action` to `obj`? Admins may do everything."""
    if action == PUBLIC:
        return True
    if user is None or not user.is_authenticated:
        return False
    if action not in RULES:
        raise KeyError(f"Unknown permission {action!r}")
    if action in CONFIDENTIAL:
        return RULES[action](user, obj)
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
    _check_pairs(list(load))

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            objects = {kind: _load(kind, kwargs.pop(url_key)) for kind, url_key in load.items()}
            subject = next(iter(objects.values()), None)
            if not can(current_user, action, subject):
                abort(403)
            if not _belong_together(objects):
                abort(404)  # the records exist, but not together: there is no such page
            return view(*args, **kwargs, **objects)

        checked: Any = guarded if action == PUBLIC else login_required(guarded)
        checked.required_permission = action  # read by the tests that walk the URL map
        checked.loads = dict(load)
        return checked

    return decorate
