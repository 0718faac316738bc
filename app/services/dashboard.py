"""The locality dashboard: where every triad and school stands in a programme year, and the
locality's strengths and gaps, without breaking schools' confidence.

Everything is loaded in a fixed number of queries (plain rows, counted in Python), however many
triads and schools there are. Counts of schools at each level hide groups of fewer than 3
(`evaluation_summary.suppress`), and a school is named only while its head shares its work with
the programme lead; otherwise it is counted, and a count of 1 or 2 is not shown either.
"""
from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (FLAG_GAP, Action, ActionPlan, ActionStatus, AreaRating, Cluster, Enrolment, EvaluationStatus,
                        Framework, FrameworkArea, ModeratedRating, PeerVisit, PlanVersion, ProgrammeYear, QAVisit,
                        School, SelfEvaluation, Triad, TriadMeeting)
from app.services.action_plans import Completion
from app.services.charts import StackedBarChart, level_series, stacked_bars
from app.services.clusters import DUE, OTHER, OVERDUE, PRIMARY, SECONDARY, phase_group, review_due_on, review_status
from app.services.evaluation_summary import NOT_EVALUATED, SMALLEST_GROUP, suppress
from app.services.plan_exports import guarded
from app.services.scheduling import as_utc

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


@dataclass
class Progress:
    """Completion figures for a group of schools (a triad, a cluster, a phase, or all)."""

    label: str
    schools: int = 0
    submitted: int = 0
    signed_off: int = 0
    plans_finalised: int = 0
    actions: int = 0
    complete: int = 0
    overdue: int = 0
    qa_done: int = 0

    def add(self, school: SchoolFacts) -> None:
        self.schools += 1
        self.submitted += school.submitted
        self.signed_off += school.status == EvaluationStatus.SIGNED_OFF
        self.plans_finalised += school.plan_finalised
        self.actions += school.actions
        self.complete += school.complete
        self.overdue += school.overdue
        self.qa_done += school.qa_done

    @property
    def percent_complete(self) -> int:
        return Completion(self.complete, self.actions).percent

    @property
    def actions_text(self) -> str:
        return f"{self.complete} of {self.actions} ({self.percent_complete}%)" if self.actions else "No actions yet"


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
    others: int = 0

    @property
    def others_shown(self) -> int | None:
        """The count of schools not named; None when it is 1 or 2 (too few to show)."""
        return None if 0 < self.others < SMALLEST_GROUP else self.others

    def _counted(self, noun: str) -> str:
        count = self.others_shown
        if count is None:
            return f"fewer than 3 {noun}s"
        return f"{count} {noun}{'s' if count != 1 else ''}"

    @property
    def others_text(self) -> str:
        return self._counted("other school")

    @property
    def schools_text(self) -> str:
        """How many schools, when none is named."""
        return self._counted("school")

    @property
    def total(self) -> int:
        return len(self.named) + self.others


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
    submitted: int
    moderated_schools: int
    strengths: Mentions
    support: Mentions
    may_name: bool
    reviews: list[ReviewDue] = field(default_factory=list)

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


def _now() -> datetime:
    return datetime.now(timezone.utc)


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
    now = _now()
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
    not_complete = Action.status != ActionStatus.COMPLETE
    for school_id, total, complete, overdue in db.session.execute(
            select(ActionPlan.school_id, func.count(Action.id),
                   func.sum(case((Action.status == ActionStatus.COMPLETE, 1), else_=0)),
                   func.sum(case(((Action.due_on < today) & not_complete, 1), else_=0)))
            .join(Action, Action.plan_id == ActionPlan.id).where(ActionPlan.year_id == year.id)
            .group_by(ActionPlan.school_id)):
        if school_id in schools:
            schools[school_id].actions, schools[school_id].complete = total, complete or 0
            schools[school_id].overdue = overdue or 0


def _counts_by_triad(model, year: ProgrammeYear, condition) -> dict[uuid.UUID, int]:
    return dict(db.session.execute(
        select(model.triad_id, func.count()).join(Triad, Triad.id == model.triad_id)
        .where(Triad.year_id == year.id, condition).group_by(model.triad_id)).all())


def _current_framework(year: ProgrammeYear) -> Framework | None:
    return db.session.scalar(
        select(Framework).where(Framework.programme_id == year.programme_id).order_by(Framework.version.desc())
        .limit(1).options(selectinload(Framework.areas), selectinload(Framework.scale)))


def _previous_averages(year: ProgrammeYear, filters: Filters) -> tuple[ProgrammeYear | None, dict[int, float | None]]:
    previous = db.session.scalar(select(ProgrammeYear).where(
        ProgrammeYear.programme_id == year.programme_id, ProgrammeYear.start_year == year.start_year - 1))
    if previous is None:
        return None, {}
    schools = _schools(previous)
    levels: dict[int, list[int]] = {}
    for school_id, position, level in _levels(previous.id):
        school = schools.get(school_id)
        if school is not None and level is not None and _matches(school, filters):
            levels.setdefault(position, []).append(level)
    return previous, {position: _average(values) for position, values in levels.items()}


def _average(values: list[int]) -> float | None:
    """An average over at least 3 schools, to one decimal place; None over fewer."""
    return round(sum(values) / len(values), 1) if len(values) >= SMALLEST_GROUP else None


def _matches(school: SchoolFacts, filters: Filters) -> bool:
    return ((filters.cluster_id is None or school.cluster_id == filters.cluster_id)
            and (filters.phase is None or school.phase == filters.phase))


# --- Figures ---------------------------------------------------------------------------------------


def _level_counts(schools: list[SchoolFacts], position: int, attribute: str, keys: list[int],
                  with_not_evaluated: bool) -> dict[int, int]:
    counts = dict.fromkeys(keys + ([NOT_EVALUATED] if with_not_evaluated else []), 0)
    for school in schools:
        ratings = getattr(school, attribute)
        if position not in ratings:
            continue
        level = ratings[position]
        if level is None:
            if with_not_evaluated:
                counts[NOT_EVALUATED] += 1
        elif level in counts:
            counts[level] += 1
    return counts


def _mentions(schools: list[SchoolFacts], titles: dict[int, str], may_name: bool, reasons) -> Mentions:
    mentions = Mentions()
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


def locality_dashboard(year: ProgrammeYear, filters: Filters | None = None, may_name: bool = True,
                       today: date | None = None) -> Dashboard:
    """The dashboard for a programme year, narrowed to a cluster and/or phase. `may_name` is whether
    schools may be named at all (for the programme lead: only those whose heads share)."""
    filters = filters or Filters()
    today = today or _now().date()
    clusters = list(db.session.scalars(
        select(Cluster).where(Cluster.programme_id == year.programme_id).order_by(Cluster.name)))
    if filters.cluster_id not in {c.id for c in clusters}:
        filters.cluster_id = None
    every_school = _schools(year)
    _fill_school_facts(year, every_school, today)
    schools = [s for s in every_school.values() if _matches(s, filters)]
    chosen = {s.school_id for s in schools}

    triads = db.session.scalars(select(Triad).where(Triad.year_id == year.id).options(selectinload(Triad.members)))
    held = _counts_by_triad(TriadMeeting, year, TriadMeeting.held)
    visited = _counts_by_triad(PeerVisit, year, PeerVisit.starts_at <= _now())
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

    totals = Progress("All schools")
    by_cluster = {c.id: Progress(c.name) for c in clusters}
    by_cluster[None] = Progress("Not in a cluster")
    by_phase = {key: Progress(label) for key, label in PHASES.items()}
    for school in schools:
        totals.add(school)
        by_cluster[school.cluster_id].add(school)
        by_phase[school.phase].add(school)

    framework = _current_framework(year)
    scale = [(level.value, level.label) for level in framework.scale] if framework else []
    keys = [value for value, _ in scale]
    titles = {area.position: area.title for area in framework.areas} if framework else {}
    submitted = [s for s in schools if s.submitted]
    moderated = [s for s in submitted if s.moderated]
    previous_year, previous = _previous_averages(year, filters)
    areas = []
    for position, title in titles.items():
        current = [s.levels[position] for s in submitted if s.levels.get(position) is not None]
        areas.append(AreaRow(position, title,
                             suppress(_level_counts(submitted, position, "levels", keys, True)),
                             suppress(_level_counts(moderated, position, "moderated", keys, False)),
                             _average(current), previous.get(position)))

    top, lowest = (max(keys), min(keys)) if keys else (None, None)

    def strengths(school: SchoolFacts) -> list[tuple[int, str]]:
        return [(p, "") for p, level in sorted(school.levels.items()) if level is not None and level == top]

    def support(school: SchoolFacts) -> list[tuple[int, str]]:
        found = []
        for p in sorted(set(school.levels) | set(school.moderated)):
            own, checked = school.levels.get(p), school.moderated.get(p)
            if own is not None and checked is not None and abs(own - checked) >= FLAG_GAP:
                found.append((p, " (QA gap)"))
            elif lowest is not None and lowest in (own, checked):
                found.append((p, ""))
        return found

    reviews = sorted((ReviewDue(s.school_id, s.name, review_due_on(s.last_review_on), status) for s in schools
                      if (status := review_status(s.last_review_on, today)) in (OVERDUE, DUE)),
                     key=lambda review: review.due_on)
    return Dashboard(
        year, previous_year, filters, clusters, scale, totals, triad_rows,
        [row for row in by_cluster.values() if row.schools], [row for row in by_phase.values() if row.schools],
        areas, len(submitted), len(moderated),
        _mentions(submitted, titles, may_name, strengths), _mentions(submitted, titles, may_name, support), may_name,
        reviews)


# --- CSV -------------------------------------------------------------------------------------------


def _shown(count: int | None) -> str:
    return "fewer than 3" if count is None else str(count)


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
    return "fewer than 3" if value is None else f"{value:.1f}"


def _change_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:+.1f}" if value else "0.0"
