"""Programme deadlines: the dates the lead sets for a year (one of each kind, each inside the academic year),
and who has not yet done what each asks:

- self-evaluations submitted by: schools enrolled in the year whose self-evaluation is missing or a draft;
  their SENCo is told (their head when the school has no SENCo with an account);
- signed off by: schools whose self-evaluation is submitted and waits for its head, who is told;
- plans finalised by: schools whose plan is missing or has never been finalised; the SENCo drafts it and the
  head finalises it, so both are told;
- key learnings submitted by: triads whose key learnings are missing or not submitted; each of the triad's
  schools' SENCo (or head) is told;
- QA visits done by: schools whose QA visit has not happened (not moderated, and not booked for a time now
  past), the QA expert assigned to it told; a school with no QA expert yet is listed, and nobody told."""
from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.common import dates
from app.common.errors import DomainError, raise_all
from app.common.links import Link
from app.common.settings import setting
from app.extensions import db
from app.models import (
    ActionPlan,
    CelebrationSubmission,
    Deadline,
    DeadlineKind,
    Enrolment,
    EvaluationStatus,
    ModeratedRating,
    PlanStatus,
    ProgrammeYear,
    QAVisit,
    Role,
    School,
    SelfEvaluation,
    Triad,
    User,
)
from app.notifications.notices import staff_by_role

# Whose turn it is at a school, for each kind a school's staff are told of.
TOLD: dict[DeadlineKind, tuple[Role, ...]] = {
    DeadlineKind.SUBMITTED: (Role.SENCO,),
    DeadlineKind.SIGNED_OFF: (Role.HEAD,),
    DeadlineKind.PLANS_FINALISED: (Role.SENCO, Role.HEAD),
    DeadlineKind.LEARNINGS: (Role.SENCO,),
}
# Told instead when a school has none of the people above (only a head can sign off, so not for that).
STAND_IN = {DeadlineKind.SUBMITTED: Role.HEAD, DeadlineKind.LEARNINGS: Role.HEAD}

# What the deadline is for, in the lead's error messages.
_DEADLINE_FOR = {
    DeadlineKind.SUBMITTED: "The deadline for submitting self-evaluations",
    DeadlineKind.SIGNED_OFF: "The deadline for signing off self-evaluations",
    DeadlineKind.PLANS_FINALISED: "The deadline for finalising action plans",
    DeadlineKind.LEARNINGS: "The deadline for submitting key learnings",
    DeadlineKind.QA_VISITS: "The deadline for QA visits",
}


@dataclass(frozen=True)
class Wording:
    """How the lead's pages count what is outstanding: "Chase the 7 schools that have not submitted"."""

    one: str  # "school"
    many: str  # "schools"
    not_done_one: str  # "that has not submitted"
    not_done_many: str  # "that have not submitted"
    all_done: str  # "Every school has submitted"

    def count(self, number: int) -> str:
        return f"{number} {self.one if number == 1 else self.many}"

    def chase(self, number: int) -> str:
        if number == 1:
            return f"Chase the {self.one} {self.not_done_one}"
        return f"Chase the {number} {self.many} {self.not_done_many}"


WORDING = {
    DeadlineKind.SUBMITTED: Wording("school", "schools", "that has not submitted", "that have not submitted",
                                    "Every school has submitted"),
    DeadlineKind.SIGNED_OFF: Wording("school", "schools", "that has not signed off", "that have not signed off",
                                     "No submitted self-evaluation is waiting to be signed off"),
    DeadlineKind.PLANS_FINALISED: Wording("school", "schools", "that has not finalised its plan",
                                          "that have not finalised their plans", "Every school has finalised its plan"),
    DeadlineKind.LEARNINGS: Wording("triad", "triads", "that has not submitted key learnings",
                                    "that have not submitted key learnings", "Every triad has submitted key learnings"),
    DeadlineKind.QA_VISITS: Wording("QA visit", "QA visits", "not yet done", "not yet done", "Every QA visit is done"),
}


def deadlines_for(year_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[DeadlineKind, date]]:
    """Each year's deadlines by kind (a year with none has an empty dict), in one query."""
    ids = set(year_ids)
    found: dict[uuid.UUID, dict[DeadlineKind, date]] = {year_id: {} for year_id in ids}
    if ids:
        for year_id, kind, due_on in db.session.execute(
                select(Deadline.year_id, Deadline.kind, Deadline.due_on).where(Deadline.year_id.in_(ids))):
            found[year_id][kind] = due_on
    return found


def _problem(year: ProgrammeYear, kind: DeadlineKind, day: date | None, invalid: bool) -> str | None:
    if invalid:
        return f"{_DEADLINE_FOR[kind]} must be a real date, for example 13 3 {year.start_year + 1}"
    if day is not None and not year.starts_on <= day <= year.ends_on:
        return (f"{_DEADLINE_FOR[kind]} must be in {year.label}, from {dates.day(year.starts_on)} "
                f"to {dates.day(year.ends_on)}")
    return None


def set_deadlines(year: ProgrammeYear, dates_by_kind: dict[DeadlineKind, date | None],
                  invalid: Collection[DeadlineKind] = ()) -> int:
    """Set, move or clear (None) the year's deadlines of the kinds given; how many changed. A closed year, a date
    that does not exist (`invalid`) or one outside the academic year is refused, and nothing is saved."""
    year.require_open("its deadlines can no longer be changed")
    # Every date the lead needs to correct, on its field (the kind's value), in the order the page shows them.
    raise_all([DomainError(problem, field=kind.value) for kind in DeadlineKind
               if (problem := _problem(year, kind, dates_by_kind.get(kind), kind in invalid))])
    existing = {d.kind: d for d in db.session.scalars(select(Deadline).where(Deadline.year_id == year.id))}
    changed = 0
    try:
        with db.session.begin_nested():
            for kind, day in dates_by_kind.items():
                current = existing.get(kind)
                if (day is None and current is None) or (current is not None and current.due_on == day):  # unchanged
                    continue
                if day is None:
                    db.session.delete(current)
                elif current is None:
                    db.session.add(Deadline(year_id=year.id, kind=kind, due_on=day))
                else:
                    current.due_on = day
                changed += 1
            db.session.flush()
    except IntegrityError as error:  # another lead set the same deadline at the same moment
        raise DomainError("Someone else changed these deadlines at the same time. Check the dates and save them "
                          "again", field=DeadlineKind.SUBMITTED.value) from error
    return changed


def saved_message(year: ProgrammeYear, changed: int) -> str:
    return f"Deadlines for {year.label} saved" if changed else "The deadlines have not changed"


@dataclass(frozen=True)
class Outstanding:
    """A school or triad that has not yet done what a deadline asks, and who is told."""

    id: uuid.UUID  # the school's or the triad's
    name: str
    link: Link  # where it is done
    school_ids: tuple[uuid.UUID, ...] = ()  # whose staff are told
    expert: User | None = None  # a QA visit's expert, who is told
    people: tuple[User, ...] = ()
    note: str = ""  # why nobody is told, when nobody is


def _school_states(year: ProgrammeYear) -> list:
    """Each enrolled school, by name, with its self-evaluation and plan this year (ids and statuses)."""
    return list(db.session.execute(
        select(School.id, School.name, SelfEvaluation.id, SelfEvaluation.status, ActionPlan.id, ActionPlan.status,
               ActionPlan.version)
        .join(Enrolment, and_(Enrolment.school_id == School.id, Enrolment.year_id == year.id))
        .outerjoin(SelfEvaluation, and_(SelfEvaluation.school_id == School.id, SelfEvaluation.year_id == year.id))
        .outerjoin(ActionPlan, and_(ActionPlan.school_id == School.id, ActionPlan.year_id == year.id))
        .order_by(School.name, School.id)))


def _school_work(year: ProgrammeYear) -> dict[DeadlineKind, list[Outstanding]]:
    found: dict[DeadlineKind, list[Outstanding]] = {
        DeadlineKind.SUBMITTED: [], DeadlineKind.SIGNED_OFF: [], DeadlineKind.PLANS_FINALISED: []}
    for school_id, name, evaluation_id, status, plan_id, plan_status, version in _school_states(year):
        at_school = Link.to("programmes.school", school_id=school_id)
        evaluation = Link.to("self_evaluations.show", evaluation_id=evaluation_id) if evaluation_id else at_school
        if status in (None, EvaluationStatus.DRAFT):
            found[DeadlineKind.SUBMITTED].append(Outstanding(school_id, name, evaluation, (school_id,)))
        elif status == EvaluationStatus.SUBMITTED:
            found[DeadlineKind.SIGNED_OFF].append(Outstanding(school_id, name, evaluation, (school_id,)))
        if plan_id is None or (plan_status != PlanStatus.FINALISED and version == 1):  # never finalised
            plan = Link.to("action_plans.show", plan_id=plan_id) if plan_id else at_school
            found[DeadlineKind.PLANS_FINALISED].append(Outstanding(school_id, name, plan, (school_id,)))
    return found


def _learnings_due(year: ProgrammeYear) -> list[Outstanding]:
    triads = db.session.execute(
        select(Triad, CelebrationSubmission.submitted_at)
        .outerjoin(CelebrationSubmission, CelebrationSubmission.triad_id == Triad.id)
        .where(Triad.year_id == year.id).order_by(Triad.name, Triad.id).options(selectinload(Triad.members)))
    return [Outstanding(triad.id, triad.name, Link.to("celebration.show", triad_id=triad.id),
                        tuple(m.school_id for m in triad.members))
            for triad, submitted_at in triads if submitted_at is None]


def _visits_due(year: ProgrammeYear, now: datetime) -> list[Outstanding]:
    """Schools whose QA visit is not done: done is moderated, or booked for a time now past (as the dashboard
    counts them)."""
    moderated = exists().where(ModeratedRating.qa_visit_id == QAVisit.id)
    rows = db.session.execute(
        select(School.id, School.name, QAVisit.id, QAVisit.starts_at, moderated, User)
        .join(Enrolment, and_(Enrolment.school_id == School.id, Enrolment.year_id == year.id))
        .outerjoin(QAVisit, and_(QAVisit.school_id == School.id, QAVisit.year_id == year.id))
        .outerjoin(User, User.id == QAVisit.expert_id)
        .order_by(School.name, School.id))
    due = []
    for school_id, name, visit_id, starts_at, is_moderated, expert in rows:
        if visit_id is not None and (is_moderated or (starts_at is not None and starts_at <= now)):
            continue
        note = ("Nobody: no QA expert is assigned yet" if expert is None
                else "" if expert.active else f"Nobody: {expert.name}, the QA expert, no longer has an account")
        due.append(Outstanding(school_id, name, Link.to("programmes.school", school_id=school_id),
                               expert=expert if expert is not None and expert.active else None, note=note))
    return due


def _people(kind: DeadlineKind, item: Outstanding, staff: dict[tuple[uuid.UUID, Role], list[User]]) -> Outstanding:
    if kind == DeadlineKind.QA_VISITS:
        return replace(item, people=(item.expert,) if item.expert else ())
    told: dict[uuid.UUID, User] = {}
    for school_id in item.school_ids:
        people = [p for role in TOLD[kind] for p in staff.get((school_id, role), [])]
        if not people and kind in STAND_IN:
            people = staff.get((school_id, STAND_IN[kind]), [])
        told.update((p.id, p) for p in people)
    roles = "headteacher" if kind == DeadlineKind.SIGNED_OFF else "SENCo or headteacher"
    where = "the triad's schools" if kind == DeadlineKind.LEARNINGS else "the school"
    note = "" if told else f"Nobody: no {roles} at {where} has an account"
    return replace(item, people=tuple(told.values()), note=note)


def outstanding(year: ProgrammeYear, now: datetime) -> dict[DeadlineKind, list[Outstanding]]:
    """For each kind of deadline, who has not yet done it this year and who is told (a fixed number of queries)."""
    found = _school_work(year)
    found[DeadlineKind.LEARNINGS] = _learnings_due(year)
    found[DeadlineKind.QA_VISITS] = _visits_due(year, now)
    staff = staff_by_role({school_id for items in found.values() for item in items for school_id in item.school_ids})
    return {kind: [_people(kind, item, staff) for item in found[kind]] for kind in DeadlineKind}


def time_left(due_on: date, today: date) -> str:
    """"12 days left", "Due today" or "Passed"."""
    days = (due_on - today).days
    if days < 0:
        return "Passed"
    if days == 0:
        return "Due today"
    return f"{days} day{'s' if days != 1 else ''} left"


@dataclass(frozen=True)
class DeadlineDate:
    kind: DeadlineKind
    due_on: date | None
    time_left: str  # "" when not set


def deadline_dates(year: ProgrammeYear, today: date) -> list[DeadlineDate]:
    """The year's five deadlines in order, each with its date (or None) and the time left (one query)."""
    set_on = deadlines_for([year.id])[year.id]
    return [DeadlineDate(kind, set_on.get(kind), time_left(set_on[kind], today) if kind in set_on else "")
            for kind in DeadlineKind]


@dataclass(frozen=True)
class DeadlineRow:
    date: DeadlineDate
    outstanding: int
    chase: str  # the link's text: "Chase the 7 schools that have not submitted"; "" when nobody is left
    all_done: str


@dataclass(frozen=True)
class DeadlinesPage:
    rows: list[DeadlineRow]
    before_days: int  # chasers go this many working days before each date
    after_days: int  # and this many after


def deadlines_page(year: ProgrammeYear, now: datetime, today: date) -> DeadlinesPage:
    """The lead's deadlines page: each date, how many have not done it yet, and the chase link's text."""
    left = outstanding(year, now)
    rows = [DeadlineRow(row, len(left[row.kind]), WORDING[row.kind].chase(len(left[row.kind])) if left[row.kind]
                        else "", WORDING[row.kind].all_done) for row in deadline_dates(year, today)]
    return DeadlinesPage(rows, setting("DEADLINE_CHASE_BEFORE_DAYS"), setting("DEADLINE_CHASE_AFTER_DAYS"))
