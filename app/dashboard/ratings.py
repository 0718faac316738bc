"""The lead's schools per area and level: how many schools rate themselves at each level in each area,
counted one way for the dashboard (in every view of the year), last year's averages beside it, and the
year's summary page, with the counts the lead may not see held back (`small_counts`)."""
from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import literal, select, union_all

from app.dashboard.facts import Filters, SchoolFacts, rated_schools
from app.dashboard.small_counts import (
    NOT_EVALUATED,
    SMALLEST_GROUP,
    Figure,
    Place,
    Shown,
    ViewKey,
    Views,
    cluster_key,
    disclose_places,
    level_figures,
)
from app.extensions import db
from app.models import Framework, FrameworkArea, ProgrammeYear, ScaleLevel


@dataclass
class Scale:
    """The year's framework as the dashboard uses it: the areas' titles by position, and the levels."""

    titles: dict[int, str]
    levels: list[tuple[int, str]]  # (value, label), lowest first

    @property
    def values(self) -> list[int]:
        return [value for value, _ in self.levels]


def framework_scale(framework: Framework | None) -> tuple[dict[int, str], list[int]]:
    """The areas' titles by position, and the levels of the scale, of the year's framework."""
    if framework is None:
        return {}, []
    return {area.position: area.title for area in framework.areas}, [level.value for level in framework.scale]


def current_scale(programme_id: uuid.UUID) -> Scale:
    """The areas and scale of the programme's current framework (its newest version, the one
    `frameworks.service.current_framework` gives), in one query and without the prompts."""
    newest = (select(Framework.id).where(Framework.programme_id == programme_id)
              .order_by(Framework.version.desc()).limit(1).scalar_subquery())
    rows = db.session.execute(union_all(
        select(literal(0).label("kind"), FrameworkArea.position.label("number"), FrameworkArea.title.label("text"))
        .where(FrameworkArea.framework_id == newest),
        select(literal(1), ScaleLevel.value, ScaleLevel.label).where(ScaleLevel.framework_id == newest))).all()
    return Scale({number: text for kind, number, text in sorted(rows) if kind == 0},
                 [(number, text) for kind, number, text in sorted(rows) if kind == 1])


def school_places(schools: Iterable[SchoolFacts]) -> tuple[list[Place], dict[int, SchoolFacts]]:
    """Where each school sits (from which the views of the year the lead can see follow), and the
    schools by the number the figures know them by (their position in the list)."""
    numbered = dict(enumerate(schools))
    return [(cluster_key(s.cluster_id), s.phase) for s in numbered.values()], numbered


def self_level_figures(schools: dict[int, SchoolFacts], positions: Iterable[int],
                       levels: list[int]) -> tuple[dict[Figure, dict], list[list[Figure]]]:
    """Which schools are at each level in each area by their own rating ("self", area, level), and the
    rows they add up in: the figures behind every count of schools per area and level the lead sees.
    Only submitted ratings count (`rated_schools` and `school_facts` read no others)."""
    return level_figures("self", {n: s.levels for n, s in schools.items() if s.levels}, positions, levels, True)


def _self_rating_counts(schools: dict[uuid.UUID, SchoolFacts], positions: Sequence[int], levels: list[int]) -> Shown:
    places, numbered = school_places(schools.values())
    return disclose_places(places, *self_level_figures(numbered, positions, levels))


def self_rating_counts(year: ProgrammeYear, framework: Framework | None) -> dict[int, dict[int, int | None]]:
    """The counts of schools at each level (and not yet evaluated) in each area of the framework, over
    all the year's schools, held back exactly as the dashboard holds them back in every view."""
    titles, levels = framework_scale(framework)
    shown = _self_rating_counts(rated_schools(year, list(titles)), list(titles), levels)
    return {position: {key: shown.count(("self", position, key), Views.ALL) for key in [*levels, NOT_EVALUATED]}
            for position in titles}


def average_shown(schools: list[SchoolFacts], position: int, shown: Shown, view: ViewKey,
                  levels: list[int]) -> float | None:
    """The average self-rating in an area over at least 3 schools, to one decimal place; None over fewer,
    or where a count in that area is held back (the average would give it away)."""
    if any(shown.count(("self", position, key), view) is None for key in [*levels, NOT_EVALUATED]):
        return None
    values = [level for s in schools if (level := s.levels.get(position)) is not None]
    return round(sum(values) / len(values), 1) if len(values) >= SMALLEST_GROUP else None


def previous_averages(previous: ProgrammeYear, filters: Filters, positions: list[int],
                      levels: list[int]) -> dict[int, float | None]:
    """Last year's average self-rating per area in the same view, shown under the same rule as this
    year's: over at least 3 schools, and only where none of last year's counts in that row is held back."""
    schools = rated_schools(previous, positions)
    shown = _self_rating_counts(schools, positions, levels)
    chosen = [school for school in schools.values() if filters.matches(school)]
    return {position: average_shown(chosen, position, shown, filters.view, levels) for position in positions}
