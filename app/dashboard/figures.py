"""The locality dashboard: where every triad and school stands in a programme year, and the
locality's strengths and gaps, without breaking schools' confidence.

Everything is loaded in a fixed number of queries (plain rows, counted in Python), however many
triads and schools there are. Every count of schools the lead sees in any view of the year (all, a
cluster, a phase, both; the page, the CSV, the celebration pack) is decided for every view at once
(`small_counts.disclose`), so that no count is 1 or 2 and none can be worked out from two others. A
school is named only while its head shares its work with the programme lead; otherwise it is
counted, under the same rule.
"""
from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app.action_plans.service import Completion, row_completion, row_is_overdue
from app.clusters.service import DUE, OTHER, OVERDUE, PRIMARY, SECONDARY, phase_group, review_due_on, review_status
from app.common import clock
from app.common.charts import StackedBarChart, level_series, stacked_bars
from app.common.clock import as_utc
from app.common.exports import guarded
from app.dashboard.small_counts import (
    ANY,
    HIDDEN,
    HIDDEN_TEXT,
    NOT_EVALUATED,
    SMALLEST_GROUP,
    Hidden,
    Shown,
    ViewKey,
    Views,
    cluster_key,
    disclose,
    level_figures,
    view_id,
)
from app.extensions import db
from app.models import (
    FLAG_GAP,
    Action,
    ActionPlan,
    ActionStatus,
    AreaRating,
    Cluster,
    Enrolment,
    EvaluationStatus,
    Framework,
    FrameworkArea,
    ModeratedRating,
    PeerVisit,
    PlanStatus,
    PlanVersion,
    ProgrammeYear,
    QAVisit,
    School,
    SelfEvaluation,
    Triad,
    TriadMeeting,
)

PHASES = {PRIMARY: "Primary", SECONDARY: "Secondary", OTHER: "All-through and other"}
PEER_VISITS_PER_TRIAD = 2


def phase_of(phase: str) -> str:
    """The dashboard's phase of a school: primary, secondary, or other (all-through schools included)."""
    group = phase_group(phase)
    return group if group in PHASES and group != OTHER else OTHER


def natural_key(name: str) -> list:
    """Sort "Triad 2" before "Triad 10"."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


@dataclass
class Filters:
    cluster_id: uuid.UUID | None = None
    phase: str | None = None

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            self.phase = None

    @property
    def any(self) -> bool:
        return self.cluster_id is not None or self.phase is not None

    @property
    def view(self) -> ViewKey:
        return (ANY if self.cluster_id is None else cluster_key(self.cluster_id), self.phase or ANY)


@dataclass
class SchoolFacts:
    """One enrolled school's year, as plain values."""

    school_id: uuid.UUID
    name: str
    phase: str
    cluster_id: uuid.UUID | None
    shared: bool
    last_review_on: date | None = None
    status: EvaluationStatus | None = None
    levels: dict[int, int | None] = field(default_factory=dict)  # by area position
    moderated: dict[int, int | None] = field(default_factory=dict)
    qa_done: bool = False
    plan_finalised: bool = False
    actions: int = 0
    complete: int = 0
    overdue: int = 0

    @property
    def submitted(self) -> bool:
        return self.status in (EvaluationStatus.SUBMITTED, EvaluationStatus.SIGNED_OFF)


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

    def add(self, school: SchoolFacts) -> None:
        self.schools += 1
        for name in PROGRESS_FIGURES:
            setattr(self, name, getattr(self, name) + _progress(school)[name])

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
class Mention:
    school_id: uuid.UUID
    name: str
    areas: list[str]


@dataclass
class Mentions:
    """Schools named (their heads share with the lead) and how many others there are."""

    named: list[Mention] = field(default_factory=list)
    others: int = 0  # how many are not named; what the lead sees of it is `others_shown`
    others_shown: int | None = 0  # None when held back (see `small_counts`)

    def _counted(self, noun: str) -> str:
        count = self.others_shown
        if count is None:
            return f"{HIDDEN_TEXT} {noun}s"
        return f"{count} {noun}{'s' if count != 1 else ''}"

    @property
    def others_text(self) -> str:
        return self._counted("other school")

    @property
    def schools_text(self) -> str:
        """How many schools, when none is named."""
        return self._counted("school")

    @property
    def empty(self) -> bool:
        return not self.named and self.others_shown == 0


@dataclass
class ReviewDue:
    """A school whose Whole School SEND Review is overdue, or due by the end of the academic year."""

    school_id: uuid.UUID
    name: str
    due_on: date
    status: str


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
        return sum(review.status == OVERDUE for review in self.reviews)

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


# --- Loading ---------------------------------------------------------------------------------------


def _schools(year: ProgrammeYear) -> dict[uuid.UUID, SchoolFacts]:
    rows = db.session.execute(
        select(Enrolment.school_id, School.name, School.phase, Enrolment.cluster_id, Enrolment.shared_with_lead,
               School.last_send_review_on)
        .join(School, School.id == Enrolment.school_id).where(Enrolment.year_id == year.id))
    return {row.school_id: SchoolFacts(row.school_id, row.name, phase_of(row.phase), row.cluster_id,
                                       row.shared_with_lead, row.last_send_review_on) for row in rows}


def _levels(year_id: uuid.UUID) -> list[tuple[uuid.UUID, int, int | None]]:
    """(school, area position, level) for every submitted self-evaluation of the year."""
    return list(db.session.execute(
        select(SelfEvaluation.school_id, FrameworkArea.position, AreaRating.level)
        .join(AreaRating, AreaRating.self_evaluation_id == SelfEvaluation.id)
        .join(FrameworkArea, FrameworkArea.id == AreaRating.area_id)
        .where(SelfEvaluation.year_id == year_id, SelfEvaluation.status != EvaluationStatus.DRAFT)).all())


def _fill_school_facts(year: ProgrammeYear, schools: dict[uuid.UUID, SchoolFacts], today: date) -> None:
    for school_id, status in db.session.execute(
            select(SelfEvaluation.school_id, SelfEvaluation.status).where(SelfEvaluation.year_id == year.id)):
        if school_id in schools:
            schools[school_id].status = status
    for school_id, position, level in _levels(year.id):
        if school_id in schools:
            schools[school_id].levels[position] = level
    for school_id, position, level in db.session.execute(
            select(QAVisit.school_id, FrameworkArea.position, ModeratedRating.level)
            .join(ModeratedRating, ModeratedRating.qa_visit_id == QAVisit.id)
            .join(FrameworkArea, FrameworkArea.id == ModeratedRating.area_id)
            .where(QAVisit.year_id == year.id)):
        if school_id in schools:
            schools[school_id].moderated[position] = level
    now = clock.now()
    for school_id, starts_at in db.session.execute(
            select(QAVisit.school_id, QAVisit.starts_at).where(QAVisit.year_id == year.id)):
        if school_id in schools:
            schools[school_id].qa_done = bool(schools[school_id].moderated) or (
                starts_at is not None and as_utc(starts_at) <= now)
    for school_id in db.session.scalars(
            select(ActionPlan.school_id).where(ActionPlan.year_id == year.id)
            .where(select(PlanVersion.id).where(PlanVersion.plan_id == ActionPlan.id).exists())):
        if school_id in schools:
            schools[school_id].plan_finalised = True
    _fill_shared_actions(year, schools, today)


def _fill_shared_actions(year: ProgrammeYear, schools: dict[uuid.UUID, SchoolFacts], today: date) -> None:
    """Actions as the lead may see them (`action_plans.shared_actions`): a finalised plan's live
    actions, counted in SQL, and for a plan whose next version is in draft the last finalised
    version as kept. A plan never finalised counts nothing."""
    not_complete = Action.status != ActionStatus.COMPLETE
    for school_id, total, complete, overdue in db.session.execute(
            select(ActionPlan.school_id, func.count(Action.id),
                   func.sum(case((Action.status == ActionStatus.COMPLETE, 1), else_=0)),
                   func.sum(case(((Action.due_on < today) & not_complete, 1), else_=0)))
            .join(Action, Action.plan_id == ActionPlan.id)
            .where(ActionPlan.year_id == year.id, ActionPlan.status == PlanStatus.FINALISED)
            .group_by(ActionPlan.school_id)):
        if school_id in schools:
            schools[school_id].actions, schools[school_id].complete = total, complete or 0
            schools[school_id].overdue = overdue or 0
    latest = (select(func.max(PlanVersion.number)).where(PlanVersion.plan_id == ActionPlan.id)
              .correlate(ActionPlan).scalar_subquery())
    for school_id, content in db.session.execute(
            select(ActionPlan.school_id, PlanVersion.content).join(PlanVersion, PlanVersion.plan_id == ActionPlan.id)
            .where(ActionPlan.year_id == year.id, ActionPlan.status != PlanStatus.FINALISED,
                   PlanVersion.number == latest)):
        if school_id in schools:
            completion = row_completion(content)
            schools[school_id].actions, schools[school_id].complete = completion.total, completion.complete
            schools[school_id].overdue = sum(row_is_overdue(row, today) for row in content)


def _counts_by_triad(model, year: ProgrammeYear, condition) -> dict[uuid.UUID, int]:
    return dict(db.session.execute(
        select(model.triad_id, func.count()).join(Triad, Triad.id == model.triad_id)
        .where(Triad.year_id == year.id, condition).group_by(model.triad_id)).all())


def _current_framework(year: ProgrammeYear) -> Framework | None:
    return db.session.scalar(
        select(Framework).where(Framework.programme_id == year.programme_id).order_by(Framework.version.desc())
        .limit(1).options(selectinload(Framework.areas), selectinload(Framework.scale)))


def _previous_averages(year: ProgrammeYear, filters: Filters, positions: list[int],
                       levels: list[int]) -> tuple[ProgrammeYear | None, dict[int, float | None]]:
    """Last year's average self-rating per area in the same view, shown under the same rule as this
    year's: over at least 3 schools, and only where none of last year's counts in that row is held back
    (an average and the counts beside it would otherwise give the hidden ones away)."""
    previous = db.session.scalar(select(ProgrammeYear).where(
        ProgrammeYear.programme_id == year.programme_id, ProgrammeYear.start_year == year.start_year - 1))
    if previous is None:
        return None, {}
    schools = _schools(previous)
    for school_id, position, level in _levels(previous.id):
        if school_id in schools:
            schools[school_id].levels[position] = level
    shown = _rating_counts(schools, positions, levels)
    chosen = [school for school in schools.values() if _matches(school, filters)]
    return previous, {position: _average_shown(chosen, position, shown, filters.view, levels)
                      for position in positions}


def _average(values: list[int]) -> float | None:
    """An average over at least 3 schools, to one decimal place; None over fewer."""
    return round(sum(values) / len(values), 1) if len(values) >= SMALLEST_GROUP else None


def _average_shown(schools: list[SchoolFacts], position: int, shown: Shown, view: ViewKey,
                   levels: list[int]) -> float | None:
    if any(shown.count(("self", position, key), view) is None for key in [*levels, NOT_EVALUATED]):
        return None
    return _average([s.levels[position] for s in schools if s.levels.get(position) is not None])


def _matches(school: SchoolFacts, filters: Filters) -> bool:
    return ((filters.cluster_id is None or school.cluster_id == filters.cluster_id)
            and (filters.phase is None or school.phase == filters.phase))


# --- Figures ---------------------------------------------------------------------------------------


def _views(schools: dict[uuid.UUID, SchoolFacts]) -> Views:
    return Views({s.school_id: (cluster_key(s.cluster_id), s.phase) for s in schools.values()})


def _rating_counts(schools: dict[uuid.UUID, SchoolFacts], positions: list[int], levels: list[int]) -> Shown:
    """The self-rating counts of every view of a year (the schools' levels filled in), as shown."""
    figures, rows = level_figures("self", {s.school_id: s.levels for s in schools.values() if s.levels},
                                  positions, levels, True)
    return disclose(_views(schools), figures, rows)


def self_rating_counts(year: ProgrammeYear, positions: list[int],
                       levels: list[int]) -> dict[int, dict[int, int | None]]:
    """The counts of schools at each level in each area over all the year's schools, held back exactly
    as the dashboard holds them back in every view (the year's summary page shows these)."""
    schools = _schools(year)
    for school_id, position, level in _levels(year.id):
        if school_id in schools:
            schools[school_id].levels[position] = level
    shown = _rating_counts(schools, positions, levels)
    return {position: {key: shown.count(("self", position, key), Views.ALL) for key in [*levels, NOT_EVALUATED]}
            for position in positions}


def _mentions(schools: list[SchoolFacts], titles: dict[int, str], may_name: bool, reasons,
              others_shown: int | None) -> Mentions:
    mentions = Mentions(others_shown=others_shown)
    for school in sorted(schools, key=lambda s: natural_key(s.name)):
        areas = reasons(school)
        if not areas:
            continue
        if may_name and school.shared:
            mentions.named.append(Mention(school.school_id, school.name,
                                          [f"{p}. {titles.get(p, f'Area {p}')}{note}" for p, note in areas]))
        else:
            mentions.others += 1
    return mentions


def _group(label: str, shown: Shown, view: ViewKey, size: int) -> Progress:
    return Progress(label, size, *(shown.value((name,), view) for name in PROGRESS_FIGURES), view=view)


def _programme_clusters(year: ProgrammeYear) -> list[Cluster]:
    return list(db.session.scalars(
        select(Cluster).where(Cluster.programme_id == year.programme_id).order_by(Cluster.name)))


def _triad_rows(year: ProgrammeYear, every_school: dict[uuid.UUID, SchoolFacts],
                chosen: set[uuid.UUID]) -> list[TriadRow]:
    """A row for every triad with a member among the chosen schools, its figures over all its members."""
    triads = db.session.scalars(select(Triad).where(Triad.year_id == year.id).options(selectinload(Triad.members)))
    held = _counts_by_triad(TriadMeeting, year, TriadMeeting.held)
    visited = _counts_by_triad(PeerVisit, year, PeerVisit.starts_at <= clock.now())
    triad_rows = []
    for triad in triads:
        if not any(m.school_id in chosen for m in triad.members):
            continue
        row = TriadRow(triad.name, triad_id=triad.id, meetings_held=held.get(triad.id, 0),
                       peer_visits_done=min(visited.get(triad.id, 0), PEER_VISITS_PER_TRIAD))
        for member in triad.members:
            if member.school_id in every_school:
                row.add(every_school[member.school_id])
        triad_rows.append(row)
    triad_rows.sort(key=lambda row: natural_key(row.label))
    return triad_rows


def _strength_areas(school: SchoolFacts, top: int | None) -> list[tuple[int, str]]:
    """The areas a school rates itself at the top level."""
    return [(p, "") for p, level in sorted(school.levels.items()) if level is not None and level == top]


def _support_areas(school: SchoolFacts, lowest: int | None) -> list[tuple[int, str]]:
    """The areas where a school's own and moderated ratings are far apart, or either is the lowest level."""
    found = []
    for p in sorted(set(school.levels) | set(school.moderated)):
        own, checked = school.levels.get(p), school.moderated.get(p)
        if own is not None and checked is not None and abs(own - checked) >= FLAG_GAP:
            found.append((p, " (QA gap)"))
        elif lowest is not None and lowest in (own, checked):
            found.append((p, ""))
    return found


def _disclose_figures(every_school: dict[uuid.UUID, SchoolFacts], titles: dict[int, str], keys: list[int],
                      may_name: bool, strengths, support) -> Shown:
    """Every figure the lead can see, per school, decided for every view of the year together."""
    every_submitted = [s for s in every_school.values() if s.submitted]
    figures, rows = level_figures("self", {s.school_id: s.levels for s in every_submitted}, titles, keys, True)
    moderated_figures, moderated_rows = level_figures(
        "moderated", {s.school_id: s.moderated for s in every_submitted if s.moderated}, titles, keys, False)
    figures.update(moderated_figures)
    for name in PROGRESS_FIGURES:
        figures[(name,)] = {s.school_id: _progress(s)[name] for s in every_school.values()}
    figures[("moderated",)] = {s.school_id: 1 for s in every_submitted if s.moderated}
    for name, reasons in (("strengths", strengths), ("support", support)):
        figures[(name,)] = {s.school_id: 1 for s in every_submitted if reasons(s) and not (may_name and s.shared)}
    return disclose(_views(every_school), figures, rows + moderated_rows)


def _cluster_groups(clusters: list[Cluster], schools: list[SchoolFacts], shown: Shown,
                    view: ViewKey) -> list[Progress]:
    by_cluster = []
    for cluster_id, label in [*((c.id, c.name) for c in clusters), (None, "Not in a cluster")]:
        if size := sum(s.cluster_id == cluster_id for s in schools):
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
                    _average_shown(submitted, position, shown, view, keys), previous.get(position))
            for position, title in titles.items()]


def _reviews_due(schools: list[SchoolFacts], today: date) -> list[ReviewDue]:
    return sorted((ReviewDue(s.school_id, s.name, review_due_on(s.last_review_on), status) for s in schools
                   if (status := review_status(s.last_review_on, today)) in (OVERDUE, DUE)),
                  key=lambda review: review.due_on)


def locality_dashboard(year: ProgrammeYear, filters: Filters | None = None, may_name: bool = True,
                       today: date | None = None) -> Dashboard:
    """The dashboard for a programme year, narrowed to a cluster and/or phase. `may_name` is whether
    schools may be named at all (for the programme lead: only those whose heads share)."""
    filters = filters or Filters()
    today = today or clock.today()
    clusters = _programme_clusters(year)
    if filters.cluster_id not in {c.id for c in clusters}:
        filters.cluster_id = None
    every_school = _schools(year)
    _fill_school_facts(year, every_school, today)
    schools = [s for s in every_school.values() if _matches(s, filters)]
    triad_rows = _triad_rows(year, every_school, {s.school_id for s in schools})

    framework = _current_framework(year)
    scale = [(level.value, level.label) for level in framework.scale] if framework else []
    keys = [value for value, _ in scale]
    titles = {area.position: area.title for area in framework.areas} if framework else {}
    top, lowest = (max(keys), min(keys)) if keys else (None, None)

    def strengths(school: SchoolFacts) -> list[tuple[int, str]]:
        return _strength_areas(school, top)

    def support(school: SchoolFacts) -> list[tuple[int, str]]:
        return _support_areas(school, lowest)

    shown = _disclose_figures(every_school, titles, keys, may_name, strengths, support)
    view = filters.view

    totals = _group("All schools", shown, view, len(schools))
    by_cluster = _cluster_groups(clusters, schools, shown, view)
    by_phase = _phase_groups(schools, shown, view)

    submitted = [s for s in schools if s.submitted]
    moderated = [s for s in submitted if s.moderated]
    previous_year, previous = _previous_averages(year, filters, list(titles), keys)
    areas = _area_rows(titles, keys, shown, view, submitted, previous)
    return Dashboard(
        year, previous_year, filters, clusters, scale, totals, triad_rows, by_cluster, by_phase,
        areas, len(submitted), len(moderated), shown.count(("submitted",), view), shown.count(("moderated",), view),
        _mentions(submitted, titles, may_name, strengths, shown.count(("strengths",), view)),
        _mentions(submitted, titles, may_name, support, shown.count(("support",), view)), may_name,
        _reviews_due(schools, today))


# --- CSV -------------------------------------------------------------------------------------------


def _shown(count: int | None) -> str:
    return HIDDEN_TEXT if count is None else str(count)


def dashboard_csv(dashboard: Dashboard) -> str:
    """The dashboard's figures as one CSV file, a section after another, with the same numbers held
    back as on the page."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)

    def write(*row) -> None:
        writer.writerow([guarded(str(value)) for value in row])

    year = dashboard.year
    write(f"{year.programme.name} {year.label}", f"Figures for {dashboard.filter_label}")
    write()
    write("Triads")
    write("Triad", "Schools", "Meetings held (of 3)", f"Peer visits done (of {PEER_VISITS_PER_TRIAD})",
          "Self-evaluations submitted", "Self-evaluations signed off", "Action plans finalised", "Actions",
          "Actions complete", "Actions complete (%)", "Overdue actions", "QA visits done")
    for p in dashboard.triads:
        write(p.label, p.schools, p.meetings_held, p.peer_visits_done, p.submitted, p.signed_off,
              p.plans_finalised, p.actions, p.complete, p.percent_complete, p.overdue, p.qa_done)
    for heading, rows in (("Clusters", dashboard.by_cluster), ("Phases", dashboard.by_phase),
                          ("Total", [dashboard.totals])):
        write()
        write(heading)
        write("Group", "Schools", "Self-evaluations submitted", "Self-evaluations signed off",
              "Action plans finalised", "Actions", "Actions complete", "Actions complete (%)", "Overdue actions",
              "QA visits done")
        for p in rows:
            write(p.label, p.schools, p.submitted, p.signed_off, p.plans_finalised, p.actions, p.complete,
                  p.percent_complete, p.overdue, p.qa_done)
    levels = [f"{value} {label}" for value, label in dashboard.scale]
    for heading, attribute, enough, extra in (
            ("Self-ratings: schools at each level", "self_counts", dashboard.enough, ["Not yet evaluated"]),
            ("Moderated ratings: schools at each level", "moderated_counts", dashboard.enough_moderated, [])):
        write()
        write(heading)
        if not enough:
            write("Not shown: fewer than 3 schools")
            continue
        write("Area", *levels, *extra)
        for area in dashboard.areas:
            counts = getattr(area, attribute)
            write(f"{area.position}. {area.title}", *(_shown(counts.get(key)) for key in
                                                       [value for value, _ in dashboard.scale]),
                  *([_shown(counts.get(NOT_EVALUATED))] if extra else []))
    if dashboard.previous_year is not None:
        write()
        write("Change since last year: average self-rating")
        write("Area", dashboard.previous_year.label, year.label, "Change")
        for area in dashboard.areas:
            write(f"{area.position}. {area.title}", _average_text(area.previous_average),
                  _average_text(area.average), _change_text(area.change))
    return out.getvalue()


def _average_text(value: float | None) -> str:
    return "not shown" if value is None else f"{value:.1f}"


def _change_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:+.1f}" if value else "0.0"
