"""The locality dashboard: where every triad and school stands in a programme year, and the
locality's strengths and gaps, without breaking schools' confidence.

Everything is loaded in a fixed number of queries (`facts`), however many triads and schools there are.
Every count of schools the lead sees in any view of the year (all, a cluster, a phase, both; the page,
the CSV, the celebration pack) is decided for every view at once (`small_counts.disclose`), so that no
count is 1 or 2 and none can be worked out from two others. A school is named only while its head
shares its work with the programme lead; otherwise it is counted, under the same rule.
"""
from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.action_plans.progress import Completion
from app.clusters.service import ReviewStatus, clusters_for, review_due_on, review_status
from app.common import clock
from app.common.charts import StackedBarChart, level_series, stacked_bars
from app.dashboard.facts import PHASES, Filters, SchoolFacts, natural_key, school_facts, triads_of
from app.dashboard.mentions import Mentions, Reasons, mentions, reasons_for, strength_areas, support_areas
from app.dashboard.ratings import average_shown, current_scale, previous_averages, school_places, self_level_figures
from app.dashboard.small_counts import (
    ANY,
    HIDDEN,
    NOT_EVALUATED,
    SMALLEST_GROUP,
    Hidden,
    Shown,
    ViewKey,
    cluster_key,
    disclose_places,
    level_figures,
    view_id,
)
from app.extensions import db
from app.models import Cluster, EvaluationStatus, ProgrammeYear

PEER_VISITS_PER_TRIAD = 2

PROGRESS_FIGURES = ("submitted", "signed_off", "plans_finalised", "actions", "complete", "overdue", "qa_done")


@dataclass
class Progress:
    """Completion figures for a group of schools (a triad, a cluster, a phase, or all). A group's
    figures other than its size may be HIDDEN (see `small_counts`); a triad's are always shown."""

    label: str
    schools: int = 0
    submitted: int | Hidden = 0
    signed_off: int | Hidden = 0
    plans_finalised: int | Hidden = 0
    actions: int | Hidden = 0
    complete: int | Hidden = 0
    overdue: int | Hidden = 0
    qa_done: int | Hidden = 0
    view: ViewKey = (ANY, ANY)  # the view of the year these figures are of

    @property
    def view_id(self) -> str:
        return view_id(self.view)

    @property
    def percent_complete(self) -> int | Hidden:
        if isinstance(self.complete, Hidden) or isinstance(self.actions, Hidden):
            return HIDDEN
        return Completion(self.complete, self.actions).percent

    @property
    def actions_text(self) -> str:
        if isinstance(self.complete, Hidden) or isinstance(self.actions, Hidden):
            return "Not shown: too few schools"
        return f"{self.complete} of {self.actions} ({self.percent_complete}%)" if self.actions else "No actions yet"


def _progress(school: SchoolFacts) -> dict[str, int]:
    """A school's part of each progress figure."""
    return {"submitted": int(school.submitted), "signed_off": int(school.status == EvaluationStatus.SIGNED_OFF),
            "plans_finalised": int(school.plan_finalised), "actions": school.actions, "complete": school.complete,
            "overdue": school.overdue, "qa_done": int(school.qa_done)}


@dataclass
class TriadRow(Progress):
    """A triad's progress, with its meetings and the coach's peer visits."""

    triad_id: uuid.UUID | None = None
    meetings_held: int = 0
    peer_visits_done: int = 0


@dataclass
class AreaRow:
    position: int
    title: str
    self_counts: dict[int, int | None]
    moderated_counts: dict[int, int | None]
    average: float | None = None
    previous_average: float | None = None

    @property
    def change(self) -> float | None:
        if self.average is None or self.previous_average is None:
            return None
        return round(self.average - self.previous_average, 1)


@dataclass
class ReviewDue:
    """A school whose Whole School SEND Review is overdue, or due by the end of the academic year."""

    school_id: uuid.UUID
    name: str
    due_on: date
    status: ReviewStatus


@dataclass
class Dashboard:
    year: ProgrammeYear
    previous_year: ProgrammeYear | None
    filters: Filters
    clusters: list[Cluster]
    scale: list[tuple[int, str]]
    totals: Progress
    triads: list[TriadRow]
    by_cluster: list[Progress]
    by_phase: list[Progress]
    areas: list[AreaRow]
    submitted: int  # how many submitted and were moderated: for deciding what to draw; print the *_shown
    moderated_schools: int
    submitted_shown: int | None  # the same, as the lead may see them (None: held back)
    moderated_shown: int | None
    strengths: Mentions
    support: Mentions
    may_name: bool
    reviews: list[ReviewDue] = field(default_factory=list)

    @property
    def view_id(self) -> str:
        return view_id(self.filters.view)

    @property
    def triads_text(self) -> str:
        return f"{len(self.triads)} triad{'' if len(self.triads) == 1 else 's'}"

    @property
    def reviews_overdue(self) -> int:
        return sum(review.status.is_overdue for review in self.reviews)

    @property
    def enough(self) -> bool:
        return self.submitted >= SMALLEST_GROUP

    @property
    def enough_moderated(self) -> bool:
        return self.moderated_schools >= SMALLEST_GROUP

    @property
    def count_keys(self) -> list[int]:
        return [value for value, _ in self.scale] + [NOT_EVALUATED]

    @property
    def filter_label(self) -> str:
        parts = []
        if self.filters.cluster_id:
            parts += [c.name for c in self.clusters if c.id == self.filters.cluster_id]
        if self.filters.phase:
            parts.append(f"{PHASES[self.filters.phase].lower()} schools")
        return ", ".join(parts) if parts else "all schools"

    @property
    def has_change(self) -> bool:
        return any(area.change is not None for area in self.areas)

    def self_chart(self) -> StackedBarChart:
        return self._chart("self-ratings", "Self-ratings by area", "self_counts")

    def moderated_chart(self) -> StackedBarChart:
        return self._chart("moderated-ratings", "Moderated ratings by area", "moderated_counts")

    def _chart(self, chart_id: str, title: str, attribute: str) -> StackedBarChart:
        return stacked_bars(
            chart_id, f"{title}, {self.filter_label}, {self.year.label}",
            "How many schools are at each level in each area. Counts of fewer than 3 schools are hidden. "
            "The table that follows gives the same figures.",
            level_series(self.scale, NOT_EVALUATED if attribute == "self_counts" else None),
            [(f"{area.position}. {area.title}", getattr(area, attribute)) for area in self.areas])


# --- Figures ---------------------------------------------------------------------------------------


def _group(label: str, shown: Shown, view: ViewKey, size: int) -> Progress:
    group = Progress(label, size, view=view)
    for name in PROGRESS_FIGURES:
        setattr(group, name, shown.value((name,), view))
    return group


def _triad_rows(year: ProgrammeYear, every_school: dict[uuid.UUID, SchoolFacts], progress: dict[uuid.UUID, dict],
                chosen: set[uuid.UUID]) -> list[TriadRow]:
    """A row for every triad with a member among the chosen schools, its figures over all its members."""
    members = defaultdict(list)
    for school in every_school.values():
        if school.triad_id is not None:
            members[school.triad_id].append(school.school_id)
    triad_rows = []
    for triad_id, name, held, visited in triads_of(year):
        schools = members[triad_id]
        if not any(school_id in chosen for school_id in schools):
            continue
        triad_rows.append(TriadRow(
            name, len(schools), **{figure: sum(progress[school_id][figure] for school_id in schools)
                                   for figure in PROGRESS_FIGURES},
            triad_id=triad_id, meetings_held=held, peer_visits_done=min(visited, PEER_VISITS_PER_TRIAD)))
    triad_rows.sort(key=lambda row: natural_key(row.label))
    return triad_rows


def _disclose_figures(every_school: dict[uuid.UUID, SchoolFacts], progress: dict[uuid.UUID, dict],
                      titles: dict[int, str], keys: list[int], may_name: bool, strengths: Reasons,
                      support: Reasons) -> Shown:
    """Every figure the lead can see, per school, decided for every view of the year together."""
    places, numbered = school_places(every_school.values())
    submitted = {n: s for n, s in numbered.items() if s.submitted}
    figures, rows = self_level_figures(submitted, titles, keys)
    moderated_figures, moderated_rows = level_figures(
        "moderated", {n: s.moderated for n, s in submitted.items() if s.moderated}, titles, keys, False)
    figures.update(moderated_figures)
    for name in PROGRESS_FIGURES:
        figures[(name,)] = {n: progress[s.school_id][name] for n, s in numbered.items()}
    figures[("moderated",)] = {n: 1 for n, s in submitted.items() if s.moderated}
    for name, reasons in (("strengths", strengths), ("support", support)):
        figures[(name,)] = {n: 1 for n, s in submitted.items()
                            if s.school_id in reasons and not (may_name and s.shared)}
    return disclose_places(places, figures, rows + moderated_rows)


def _cluster_groups(clusters: list[Cluster], schools: list[SchoolFacts], shown: Shown,
                    view: ViewKey) -> list[Progress]:
    sizes = Counter(s.cluster_id for s in schools)
    by_cluster = []
    for cluster_id, label in [*((c.id, c.name) for c in clusters), (None, "Not in a cluster")]:
        if size := sizes[cluster_id]:
            by_cluster.append(_group(label, shown, (cluster_key(cluster_id), view[1]), size))
    return by_cluster


def _phase_groups(schools: list[SchoolFacts], shown: Shown, view: ViewKey) -> list[Progress]:
    by_phase = []
    for phase, label in PHASES.items():
        if size := sum(s.phase == phase for s in schools):
            by_phase.append(_group(label, shown, (view[0], phase), size))
    return by_phase


def _area_rows(titles: dict[int, str], keys: list[int], shown: Shown, view: ViewKey, submitted: list[SchoolFacts],
               previous: dict[int, float | None]) -> list[AreaRow]:
    return [AreaRow(position, title,
                    {key: shown.count(("self", position, key), view) for key in [*keys, NOT_EVALUATED]},
                    {key: shown.count(("moderated", position, key), view) for key in keys},
                    average_shown(submitted, position, shown, view, keys), previous.get(position))
            for position, title in titles.items()]


def _reviews_due(schools: list[SchoolFacts], today: date) -> list[ReviewDue]:
    return sorted((ReviewDue(s.school_id, s.name, review_due_on(s.last_review_on), status) for s in schools
                   if s.last_review_on is not None and (status := review_status(s.last_review_on, today)).needs_action),
                  key=lambda review: review.due_on)


def _previous_year(year: ProgrammeYear) -> ProgrammeYear | None:
    return db.session.scalar(select(ProgrammeYear).where(
        ProgrammeYear.programme_id == year.programme_id, ProgrammeYear.start_year == year.start_year - 1))


def locality_dashboard(year: ProgrammeYear, filters: Filters | None = None, may_name: bool = True,
                       today: date | None = None) -> Dashboard:
    """The dashboard for a programme year, narrowed to a cluster and/or phase. `may_name` is whether
    schools may be named at all (for the programme lead: only those whose heads share)."""
    filters = filters or Filters()
    today = today or clock.today()
    clusters = clusters_for(year.programme)
    if filters.cluster_id not in {c.id for c in clusters}:
        filters.cluster_id = None
    framework = current_scale(year.programme_id)
    titles, keys, scale = framework.titles, framework.values, framework.levels
    every_school = school_facts(year, list(titles), today)
    progress = {school_id: _progress(school) for school_id, school in every_school.items()}
    schools = [s for s in every_school.values() if filters.matches(s)]
    triad_rows = _triad_rows(year, every_school, progress, {s.school_id for s in schools})
    top, lowest = (max(keys), min(keys)) if keys else (None, None)
    every_submitted = [s for s in every_school.values() if s.submitted]
    strengths = reasons_for(every_submitted, lambda school: strength_areas(school, top))
    support = reasons_for(every_submitted, lambda school: support_areas(school, lowest))
    shown = _disclose_figures(every_school, progress, titles, keys, may_name, strengths, support)
    view = filters.view
    submitted = [s for s in schools if s.submitted]
    previous_year = _previous_year(year)
    previous = previous_averages(previous_year, filters, list(titles), keys) if previous_year else {}
    return Dashboard(
        year, previous_year, filters, clusters, scale, _group("All schools", shown, view, len(schools)), triad_rows,
        _cluster_groups(clusters, schools, shown, view), _phase_groups(schools, shown, view),
        _area_rows(titles, keys, shown, view, submitted, previous),
        len(submitted), sum(bool(s.moderated) for s in submitted),
        shown.count(("submitted",), view), shown.count(("moderated",), view),
        mentions(submitted, titles, may_name, strengths, shown.count(("strengths",), view)),
        mentions(submitted, titles, may_name, support, shown.count(("support",), view)), may_name,
        _reviews_due(schools, today))
