"""A programme's years over its life: what is unfinished in a year, closing it (read-only everywhere from then
on), an administrator reopening it with a reason, starting the next year from this one (returning schools
with their clusters, last year's triads as a starting draft), and where the programme is in its arc."""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.common import clock
from app.common.errors import DomainError
from app.dashboard.small_counts import small
from app.extensions import db
from app.models import (
    MEETINGS_PER_YEAR,
    ActionPlan,
    Enrolment,
    EvaluationStatus,
    PlanStatus,
    Programme,
    ProgrammeYear,
    School,
    SelfEvaluation,
    Triad,
    TriadMeeting,
    TriadMember,
    User,
)
from app.models.programme import year_label

MOST_PLANNED_YEARS = 10


@dataclass
class Unfinished:
    """What a year still has to do: schools by name (a self-evaluation not signed off, a plan not
    finalised: not started counts too), and triads with the meetings not held, by number."""

    not_signed_off: list[str] = field(default_factory=list)
    not_finalised: list[str] = field(default_factory=list)
    meetings_not_held: list[tuple[str, list[int]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.not_signed_off or self.not_finalised or self.meetings_not_held)


def unfinished_work(year: ProgrammeYear) -> Unfinished:
    """Three queries, however many schools: the schools with their self-evaluation and plan statuses, and
    the triads with the numbers of their meetings held."""
    rows = db.session.execute(
        select(School.name, SelfEvaluation.status, ActionPlan.status)
        .join(Enrolment, Enrolment.school_id == School.id)
        .outerjoin(SelfEvaluation, (SelfEvaluation.school_id == School.id) & (SelfEvaluation.year_id == year.id))
        .outerjoin(ActionPlan, (ActionPlan.school_id == School.id) & (ActionPlan.year_id == year.id))
        .where(Enrolment.year_id == year.id).order_by(School.name)).all()
    unfinished = Unfinished(
        not_signed_off=[name for name, evaluation, _ in rows if evaluation != EvaluationStatus.SIGNED_OFF],
        not_finalised=[name for name, _, plan in rows if plan != PlanStatus.FINALISED])
    held: dict[uuid.UUID, set[int]] = defaultdict(set)
    for triad_id, number in db.session.execute(
            select(TriadMeeting.triad_id, TriadMeeting.number).join(Triad, Triad.id == TriadMeeting.triad_id)
            .where(Triad.year_id == year.id, TriadMeeting.held)):
        held[triad_id].add(number)
    for triad_id, name in db.session.execute(
            select(Triad.id, Triad.name).where(Triad.year_id == year.id).order_by(Triad.name)):
        missing = [n for n in range(1, MEETINGS_PER_YEAR + 1) if n not in held[triad_id]]
        if missing:
            unfinished.meetings_not_held.append((name, missing))
    return unfinished


def close_year(year: ProgrammeYear, by: User) -> ProgrammeYear:
    """From now on the year is read-only everywhere (ProgrammeYear.require_open guards every change)."""
    if year.is_closed:
        raise DomainError(f"{year.label} is already closed")
    year.is_closed, year.closed_at, year.closed_by_id = True, clock.now(), by.id
    db.session.flush()
    return year


def reopen_year(year: ProgrammeYear, reason: str | None) -> ProgrammeYear:
    """An administrator's correction: the year can be changed again. The reason is kept on the year, and the
    audit trail records the change with who made it and when."""
    if not year.is_closed:
        raise DomainError(f"{year.label} is not closed")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter why you are reopening the year", field="reason")
    if len(reason) > 2000:
        raise DomainError("The reason must be 2,000 characters or fewer", field="reason")
    year.is_closed, year.closed_at, year.closed_by_id, year.reopen_reason = False, None, None, reason
    db.session.flush()
    return year


def set_planned_years(programme: Programme, planned: int | None) -> Programme:
    """How many academic years the programme is planned to run; None: not said."""
    if planned is not None and not 1 <= planned <= MOST_PLANNED_YEARS:
        raise DomainError(f"Enter a number of years from 1 to {MOST_PLANNED_YEARS}", field="planned_years")
    years = len(programme.years)
    if planned is not None and planned < years:
        raise DomainError(f"The programme already has {years} academic years, so it runs for at least {years}",
                          field="planned_years")
    programme.planned_years = planned
    db.session.flush()
    return programme


@dataclass(frozen=True)
class Arc:
    """Where a year sits in its programme's life: "Year 2 of 3" (or "Year 2" when the length is not set)."""

    number: int
    planned: int | None

    @property
    def label(self) -> str:
        return f"Year {self.number} of {self.planned}" if self.planned else f"Year {self.number}"


def arc_of(year: ProgrammeYear) -> Arc:
    """The year's place among its programme's years, counted from the first (the years are loaded with it)."""
    starts = sorted(y.start_year for y in year.programme.years)
    return Arc(starts.index(year.start_year) + 1, year.programme.planned_years)


@dataclass(frozen=True)
class YearFigures:
    """One year's column on the programme page: how far its schools got."""

    year: ProgrammeYear
    arc: Arc
    schools: int
    triads: int
    signed_off: int | None  # None: 1 or 2 schools, held back (app/dashboard/small_counts.py)
    finalised: int | None


def years_side_by_side(programme: Programme) -> list[YearFigures]:
    """Every year of the programme, earliest first, with its counts: four grouped queries, however many
    years and schools. Counts of 1 or 2 schools signed off or finalised are held back, as everywhere."""
    ids = [y.id for y in programme.years]

    def counted(query) -> dict[uuid.UUID, int]:
        return {key: count for key, count in db.session.execute(query)}

    schools = counted(select(Enrolment.year_id, func.count()).where(Enrolment.year_id.in_(ids))
                      .group_by(Enrolment.year_id))
    triads = counted(select(Triad.year_id, func.count()).where(Triad.year_id.in_(ids)).group_by(Triad.year_id))
    signed = counted(select(SelfEvaluation.year_id, func.count())
                     .where(SelfEvaluation.year_id.in_(ids), SelfEvaluation.status == EvaluationStatus.SIGNED_OFF)
                     .group_by(SelfEvaluation.year_id))
    finalised = counted(select(ActionPlan.year_id, func.count())
                        .where(ActionPlan.year_id.in_(ids), ActionPlan.status == PlanStatus.FINALISED)
                        .group_by(ActionPlan.year_id))
    def shown(count: int) -> int | None:
        return None if small(count) else count

    return [YearFigures(y, arc_of(y), schools.get(y.id, 0), triads.get(y.id, 0), shown(signed.get(y.id, 0)),
                        shown(finalised.get(y.id, 0))) for y in sorted(programme.years, key=lambda y: y.start_year)]


@dataclass(frozen=True)
class LastYearTriad:
    triad: Triad
    all_return: bool  # all its schools are chosen to return, so it can be copied whole


@dataclass(frozen=True)
class NextYearPlan:
    """What starting the year after `previous` offers: its schools (all returning by default) and its
    triads, to copy as a starting draft where all three return."""

    previous: ProgrammeYear
    start_year: int
    schools: list[Enrolment]
    triads: list[Triad]

    @property
    def label(self) -> str:
        return year_label(self.start_year)


def latest_year(programme: Programme) -> ProgrammeYear | None:
    return max(programme.years, key=lambda y: y.start_year, default=None)


def next_year_plan(programme: Programme) -> NextYearPlan | None:
    """The roll-over from the programme's latest year (None when it has none yet): two queries."""
    previous = latest_year(programme)
    if previous is None:
        return None
    schools = list(db.session.scalars(
        select(Enrolment).join(School, School.id == Enrolment.school_id).where(Enrolment.year_id == previous.id)
        .options(selectinload(Enrolment.school), selectinload(Enrolment.cluster)).order_by(School.name)))
    triads = list(db.session.scalars(
        select(Triad).where(Triad.year_id == previous.id).order_by(Triad.name)
        .options(selectinload(Triad.members).selectinload(TriadMember.school))))
    return NextYearPlan(previous, previous.start_year + 1, schools, triads)


def start_next_year(programme: Programme, returning: Collection[uuid.UUID],
                    copied_triads: Collection[uuid.UUID]) -> ProgrammeYear:
    """The year after the latest, with the chosen schools of the latest returning (each in the same cluster as
    before) and the chosen triads copied whole (name, members, coach), as a starting draft the lead then
    changes. A triad is copied only when all its schools return; anything else chosen counts as not chosen."""
    plan = next_year_plan(programme)
    if plan is None:
        raise DomainError("The programme has no academic year to start the next one from")
    if plan.start_year > 2100:
        raise DomainError("The programme cannot run beyond 2100")
    exists = db.session.scalar(select(ProgrammeYear.id).where(
        ProgrammeYear.programme_id == programme.id, ProgrammeYear.start_year == plan.start_year))
    if exists:
        raise DomainError(f"{programme.name} already has the academic year {plan.label}")
    if programme.planned_years is not None and len(programme.years) >= programme.planned_years:
        raise DomainError(f"{programme.name} is planned to run for {programme.planned_years} years. "
                          "Change its length first to add another")
    chosen = {e.school_id for e in plan.schools} & set(returning)
    if not chosen:
        raise DomainError("Choose at least one school to return, or add the year and import its schools",
                          field="schools")
    year = ProgrammeYear(programme=programme, start_year=plan.start_year)
    db.session.add(year)
    db.session.flush()
    db.session.add_all(Enrolment(year_id=year.id, school_id=e.school_id, cluster_id=e.cluster_id)
                       for e in plan.schools if e.school_id in chosen)
    db.session.flush()
    for old in plan.triads:
        if old.id in copied_triads and all(m.school_id in chosen for m in old.members):
            triad = Triad(year_id=year.id, name=old.name)
            db.session.add(triad)
            db.session.flush()
            db.session.add_all(TriadMember(triad_id=triad.id, year_id=year.id, school_id=m.school_id,
                                           position=m.position, is_coach=m.is_coach) for m in old.members)
    db.session.flush()
    return year
