"""Breadcrumbs: the pages above a page that the person reading can open, from home down.

A page shows the trail to its parent, as the records it sits under: the triad page shows `trail(triad.year)`,
a meeting's notes `trail(meeting)`. A page below one that lists or gathers things names that page by its endpoint,
after the record whose page it is (`trail(programme, "frameworks.show")`: Home > ... > the programme >
Framework), or alone for the service's own (`trail("admin.index")`). A page given only an address (a form's
"back" link) is named by it: `trail("/triads/...")` is the trail down to that page, or, for an address of a form
(which has no crumb of its own), down to the record the form is about.

Each crumb is checked with the permission its own view declares with @requires, asked of the same record, so
no crumb leads to "You do not have permission to see this page".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from flask_login import current_user

from app.extensions import db
from app.models import (
    ActionPlan,
    CelebrationSubmission,
    Cluster,
    ClusterMeeting,
    InformationRequest,
    Learning,
    PeerVisit,
    Programme,
    ProgrammeYear,
    RequestRecipient,
    School,
    SelfEvaluation,
    Triad,
    TriadMeeting,
)
from app.permissions import LOADABLE, can

# Pages that list or gather things, by endpoint: their crumb's words, and the page above them when that is
# another such page (else the record given before them, or Home).
LISTINGS: dict[str, tuple[str, str | None]] = {
    "admin.index": ("Administration", None),
    "admin.people": ("People", "admin.index"),
    "programmes.index": ("Programmes", None),
    "notices.index": ("Notifications", None),
    "clusters.index": ("Clusters", None),
    "frameworks.show": ("Framework", None),
    "programmes.triads": ("Triads", None),
    "self_evaluations.summary": ("Self-evaluations", None),
    "requests.index": ("Information requests", None),
    "deadlines.edit": ("Deadlines", None),
    "celebration.year": ("Celebration of learning", None),
    "celebration.show": ("Celebration of learning", None),
    "people.index": ("People", None),
    # The first step of a form with a check page after it: the way back to change what was entered.
    "programmes.import_schools": ("Import schools", None),
    "programmes.invite": ("Invite someone", None),
    "people.invite": ("Invite someone", None),
    "people.bulk_invite": ("Invite people in bulk", None),
}

# A school's work for a year, under the year (for those who oversee it) and the school.
SCHOOL_WORK: dict[type, tuple[str, str]] = {SelfEvaluation: ("Self-evaluation", "self_evaluations.show"),
                                            ActionPlan: ("Action plan", "action_plans.show")}


@dataclass(frozen=True)
class Step:
    """A page above: its words, its endpoint, and the record its address names (None for the service's own)."""

    text: str
    endpoint: str
    record: Any = None


def _record_steps(record: Any) -> list[Step]:
    """The steps from the top down to `record`'s own page (to its parent's, for a record with no page)."""
    if isinstance(record, Programme):
        return [*_listing_steps("programmes.index", None), Step(record.name, "programmes.show", record)]
    if isinstance(record, ProgrammeYear):
        return [*_record_steps(record.programme), Step(record.label, "programmes.year", record)]
    if isinstance(record, Triad):
        return [*_record_steps(record.year), Step(record.name, "programmes.triad", record)]
    if isinstance(record, Cluster):
        return [*_listing_steps("clusters.index", record.programme), Step(record.name, "clusters.show", record)]
    if isinstance(record, School):
        return [Step(record.name, "programmes.school", record)]
    return _work_steps(record)


def _work_steps(record: Any) -> list[Step]:
    """A school's work, a triad's or a cluster's meetings and visits, a request and its answers."""
    if isinstance(record, SelfEvaluation | ActionPlan):
        text, endpoint = SCHOOL_WORK[type(record)]
        return [*_record_steps(record.year), *_record_steps(record.school), Step(text, endpoint, record)]
    if isinstance(record, TriadMeeting):
        return _record_steps(record.triad)
    if isinstance(record, PeerVisit):
        return [*_record_steps(record.triad),
                Step(f"Peer visit to {record.visited_school.name}", "scheduling.show_visit", record)]
    if isinstance(record, ClusterMeeting):
        return [*_record_steps(record.cluster),
                Step(f"{record.term.label} meeting", "scheduling.show_cluster_meeting", record)]
    if isinstance(record, Learning | CelebrationSubmission):
        triad = record.submission.triad if isinstance(record, Learning) else record.triad
        return _listing_steps("celebration.show", triad)
    if isinstance(record, InformationRequest):
        above = _record_steps(record.cluster) if record.cluster else _listing_steps("requests.index", record.year)
        return [*above, Step(record.title, "requests.show", record)]
    if isinstance(record, RequestRecipient):
        return _record_steps(record.school)
    raise TypeError(f"No breadcrumbs for {type(record).__name__}")


def _listing_steps(endpoint: str, record: Any) -> list[Step]:
    """The steps down to a listing page: the record's (or the listing's own parent's), then the listing."""
    text, parent = LISTINGS[endpoint]
    above = _listing_steps(parent, record) if parent else _record_steps(record) if record is not None else []
    return [*above, Step(text, endpoint, record)]


def _address_steps(address: str) -> list[Step]:
    """The steps down to the page at `address` (an address of this service, as url_for writes it)."""
    adapter = current_app.create_url_adapter(request)
    assert adapter is not None  # there is a request
    endpoint, values = adapter.match(urlsplit(address).path.removeprefix(request.script_root), method="GET")
    view: Any = current_app.view_functions[endpoint]
    loads = view.loads
    record = next((db.session.get(LOADABLE[kind], values[key]) for kind, key in loads.items()), None)
    if endpoint in LISTINGS:
        return _listing_steps(endpoint, record)
    return _record_steps(record) if record is not None else []


def _steps(item: Any, previous: Any) -> list[Step]:
    if isinstance(item, str) and item.startswith("/"):
        return _address_steps(item)
    if isinstance(item, str):
        return _listing_steps(item, previous)
    return _record_steps(item)


def _owner(record: Any, kind: str) -> Any:
    """The record of `kind` that a URL naming `record` takes: the record itself, or the one it belongs to."""
    return record if isinstance(record, LOADABLE[kind]) else getattr(record, kind)


def _crumb(step: Step) -> dict[str, str] | None:
    """The step as a crumb, if its view would let the person open it."""
    view: Any = current_app.view_functions[step.endpoint]
    named = {kind: _owner(step.record, kind) for kind in view.loads}
    if not can(current_user, view.required_permission, next(iter(named.values()), None)):
        return None
    values = {view.loads[kind]: record.id for kind, record in named.items()}
    return {"text": step.text, "href": url_for(step.endpoint, **values)}


def trail(*items: Any) -> list[dict[str, str]]:
    """Home, then the steps down to each item in turn (a record, a listing's endpoint, a page's address), keeping
    those the person may open, as govukBreadcrumbs' items."""
    steps: list[Step] = []
    previous = None
    for item in items:
        steps += [step for step in _steps(item, previous) if step not in steps]
        previous = item if not isinstance(item, str) else previous
    crumbs = [{"text": "Home", "href": url_for("main.home")}]
    return crumbs + [crumb for crumb in map(_crumb, steps) if crumb is not None]
