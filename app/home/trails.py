"""Breadcrumbs: the pages above a record that the person reading can open, from home down.

A page shows the trail to its parent: the triad page shows `trail(triad.year)`, a meeting page `trail(triad)`.
Each step is a page its own view would let the person open, so no crumb leads to "You cannot see this page".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_login import current_user

from app.models import Cluster, Programme, ProgrammeYear, School, Triad
from app.permissions import can


@dataclass(frozen=True)
class Crumb:
    text: str
    href: str


def _steps(record: Any) -> list[tuple[str, str, Crumb]]:
    """(permission, what it is checked on, the crumb), from the top down to `record` itself."""
    if isinstance(record, Programme):
        return [("programme.create", None, Crumb("Programmes", url_for("programmes.index"))),
                ("programme.view", record, Crumb(record.name, url_for("programmes.show", programme_id=record.id)))]
    if isinstance(record, ProgrammeYear):
        return [*_steps(record.programme),
                ("programme.view", record, Crumb(record.label, url_for("programmes.year", year_id=record.id)))]
    if isinstance(record, Triad):
        return [*_steps(record.year),
                ("triad.view", record, Crumb(record.name, url_for("programmes.triad", triad_id=record.id)))]
    if isinstance(record, Cluster):
        return [*_steps(record.programme),
                ("cluster.lead", record, Crumb(record.name, url_for("clusters.show", cluster_id=record.id)))]
    if isinstance(record, School):
        return [("school.view", record, Crumb(record.name, url_for("programmes.school", school_id=record.id)))]
    raise TypeError(f"No breadcrumbs for {type(record).__name__}")


def trail(*records: Any) -> list[dict[str, str]]:
    """Home, then the steps to each record in turn (a school in a year: `trail(year, school)`), keeping those
    the person may open, as govukBreadcrumbs' items."""
    crumbs = [Crumb("Home", url_for("main.home"))]
    for record in records:
        for permission, subject, crumb in _steps(record):
            if crumb not in crumbs and can(current_user, permission, subject):
                crumbs.append(crumb)
    return [{"text": crumb.text, "href": crumb.href} for crumb in crumbs]
