"""Triads: forming, editing and dissolving them, with every rule checked before anything is written.

The rules: exactly three schools, exactly one of them the coach (a forged form that sends two is
refused), all enrolled in the triad's year, none already in another triad that year, a name unique
in the year, and the year still open.
The database holds the same rules where it can; a race that slips past these checks is turned
into the same message by `_constraint_message`.

Forming triads among hundreds of schools: `search_schools` gives one page of a year's schools by the
lead's filters, `chosen_schools` the (at most three) the lead has picked, and `suggested_triads` a
grouping of the schools not yet in a triad (app.programmes.triad_suggestions holds its rules). Each is a
fixed number of statements however many schools the year has. `returning_schools` says which schools
were enrolled in the programme's previous academic year and which completed it.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from app.common.errors import DomainError, checked_together
from app.extensions import db
from app.models import (
    TRIAD_SIZE,
    ActionPlan,
    Cluster,
    Enrolment,
    EvaluationStatus,
    ProgrammeYear,
    School,
    SelfEvaluation,
    SettingType,
    Triad,
    TriadMember,
)
from app.programmes.triad_suggestions import Candidate, Grouping, Suggestion, suggest_triads

SEARCH_PAGE_SIZE = 20
SUGGESTIONS_PAGE_SIZE = 20

CONSTRAINT_MESSAGES = {
    "uq_triad_member_school_per_year": ("A school you chose is already in another triad this year", "schools"),
    "uq_triad_member_one_coach": ("Choose exactly one coach school", "coach"),
    "uq_triad_year_id_name": ("Another triad this year already has that name", "name"),
}


def _check_open(year: ProgrammeYear) -> None:
    year.require_open("its triads cannot be changed")


def _check_name(year: ProgrammeYear, name: str, triad: Triad | None) -> None:
    if not name:
        raise DomainError("Enter a name for the triad", field="name")
    if len(name) > 120:
        raise DomainError("Triad name must be 120 characters or fewer", field="name")
    query = select(Triad.id).where(Triad.year_id == year.id, Triad.name == name)
    if triad is not None:
        query = query.where(Triad.id != triad.id)
    if db.session.scalar(query):
        raise DomainError(f"Another triad in {year.label} is already called {name}", field="name")


Coach = uuid.UUID | Sequence[uuid.UUID | None] | None


def _one_coach(coach: Coach) -> uuid.UUID | None:
    """The coach school, given as one id or as every answer a form sent; more than one is refused."""
    if coach is None or isinstance(coach, uuid.UUID):
        return coach
    answers = list(dict.fromkeys(coach))
    if len(answers) > 1:
        raise DomainError("Choose exactly one coach school", field="coach")
    return answers[0] if answers else None


def _check_members(year: ProgrammeYear, school_ids: Sequence[uuid.UUID], coach_id: uuid.UUID | None,
                   triad: Triad | None) -> list[School]:
    chosen = list(dict.fromkeys(school_ids))
    if len(chosen) != TRIAD_SIZE:
        raise DomainError(f"Choose exactly three schools. You chose {len(chosen)}.", field="schools")
    if coach_id is None or coach_id not in chosen:
        raise DomainError("Choose the coach school from the three schools in the triad", field="coach")
    enrolled = {
        school.id: school
        for school in db.session.scalars(
            select(School).join(Enrolment, Enrolment.school_id == School.id)
            .where(Enrolment.year_id == year.id, School.id.in_(chosen))
        )
    }
    if len(enrolled) != TRIAD_SIZE:
        raise DomainError(f"Choose schools that are enrolled in {year.label}", field="schools")
    taken = db.session.execute(
        select(School.name, Triad.name)
        .join(TriadMember, TriadMember.school_id == School.id)
        .join(Triad, Triad.id == TriadMember.triad_id)
        .where(TriadMember.year_id == year.id, TriadMember.school_id.in_(chosen),
               TriadMember.triad_id != (triad.id if triad else uuid.UUID(int=0)))
        .order_by(School.name)
    ).first()
    if taken:
        raise DomainError(f"{taken[0]} is already in {taken[1]} for {year.label}", field="schools")
    return [enrolled[school_id] for school_id in chosen]


def _constraint_message(error: IntegrityError) -> DomainError:
    text = str(error.orig)
    for constraint, (message, field) in CONSTRAINT_MESSAGES.items():
        if constraint in text:
            return DomainError(message, field=field)
    # SQLite names the columns rather than the constraint.
    if "triad_member.year_id, triad_member.school_id" in text:
        return DomainError(*CONSTRAINT_MESSAGES["uq_triad_member_school_per_year"])
    if "triad.year_id, triad.name" in text:
        return DomainError(*CONSTRAINT_MESSAGES["uq_triad_year_id_name"])
    if "triad_member.triad_id" in text and "UNIQUE" in text:
        return DomainError(*CONSTRAINT_MESSAGES["uq_triad_member_one_coach"])
    raise error


@contextmanager
def _saving() -> Iterator[None]:
    """Write inside a savepoint: on a broken database rule nothing is kept, and the user is told why."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as error:
        raise _constraint_message(error) from error


def _place_members(triad: Triad, schools: list[School], coach_id: uuid.UUID | None) -> None:
    """The checked schools in order; `coach_id` (checked to be one of them) is the coach."""
    for position, school in enumerate(schools, start=1):
        triad.members.append(TriadMember(year_id=triad.year_id, school=school, position=position,
                                         is_coach=school.id == coach_id))


def _checked(year: ProgrammeYear, triad: Triad | None, name: str, school_ids: Sequence[uuid.UUID],
             coach: Coach) -> tuple[str, list[School], uuid.UUID | None]:
    """Check every rule for a triad in `year` (`triad` when changing one, None when forming it) and give
    what to write: the name without surrounding spaces, the schools in order and the coach's id. A problem with
    the name and one with the schools or the coach are raised together."""
    _check_open(year)
    name = (name or "").strip()

    def members() -> tuple[list[School], uuid.UUID | None]:
        coach_id = _one_coach(coach)
        return _check_members(year, school_ids, coach_id, triad), coach_id

    _, (schools, coach_id) = checked_together(lambda: _check_name(year, name, triad), members)
    return name, schools, coach_id


def form_triad(year: ProgrammeYear, name: str, school_ids: Sequence[uuid.UUID], coach: Coach) -> Triad:
    """A new triad of three enrolled schools, one of them the coach. Nothing is saved on error."""
    name, schools, coach_id = _checked(year, None, name, school_ids, coach)
    with _saving():
        triad = Triad(year=year, name=name)
        db.session.add(triad)
        db.session.flush()
        _place_members(triad, schools, coach_id)
    return triad


def update_triad(triad: Triad, name: str, school_ids: Sequence[uuid.UUID], coach: Coach) -> Triad:
    """Rename a triad and replace its schools and coach. Nothing is saved on error."""
    name, schools, coach_id = _checked(triad.year, triad, name, school_ids, coach)
    with _saving():
        triad.name = name
        triad.members.clear()
        db.session.flush()  # the old places go before the new ones take their positions
        _place_members(triad, schools, coach_id)
    return triad


def dissolve_triad(triad: Triad) -> str:
    """Delete a triad; its schools become free to join another. Returns the triad's name."""
    _check_open(triad.year)
    name = triad.name
    db.session.delete(triad)
    db.session.flush()
    return name


def triads_for_year(year: ProgrammeYear) -> list[Triad]:
    """A year's triads with their schools, in two queries however many there are."""
    return list(db.session.scalars(
        select(Triad).where(Triad.year_id == year.id)
        .options(selectinload(Triad.members).selectinload(TriadMember.school))
        .order_by(Triad.name)
    ))


# --- Forming triads at scale ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturningSchools:
    """Which of a year's schools were enrolled in the programme's previous academic year, and which of
    those completed it: their self-evaluation signed off or their action plan finalised (once or more)."""

    returning: frozenset[uuid.UUID]
    completed: frozenset[uuid.UUID]


def _returning_flags(year: ProgrammeYear) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Whether the School in a query was enrolled last year, and whether it completed it: correlated
    EXISTS, so a page of schools or a whole year is one statement."""
    previous = (select(ProgrammeYear.id).where(ProgrammeYear.programme_id == year.programme_id,
                                               ProgrammeYear.start_year == year.start_year - 1)
                .scalar_subquery())
    last = aliased(Enrolment)
    returning = exists().where(last.school_id == School.id, last.year_id == previous)
    completed = or_(
        exists().where(SelfEvaluation.school_id == School.id, SelfEvaluation.year_id == previous,
                       SelfEvaluation.status == EvaluationStatus.SIGNED_OFF),
        exists().where(ActionPlan.school_id == School.id, ActionPlan.year_id == previous, ActionPlan.versions.any()),
    )
    return returning, completed


def returning_schools(year: ProgrammeYear) -> ReturningSchools:
    """The schools of `year` that were enrolled in the programme's previous year, and those that completed it."""
    returning, completed = _returning_flags(year)
    rows = db.session.execute(
        select(School.id, completed).join(Enrolment, Enrolment.school_id == School.id)
        .where(Enrolment.year_id == year.id, returning)
    ).all()
    return ReturningSchools(frozenset(row[0] for row in rows), frozenset(row[0] for row in rows if row[1]))


@dataclass(frozen=True)
class SchoolFilters:
    """What the lead looks for among a year's schools; empty values filter nothing."""

    text: str = ""  # in the name, or the start of the URN
    cluster_id: uuid.UUID | None = None
    phase: str = ""
    setting: SettingType | None = None
    returning: bool | None = None  # True: returning schools only; False: new ones only
    free_only: bool = True  # only schools not yet in a triad (the one being edited counts as free)


@dataclass(frozen=True)
class SchoolRow:
    """A school as the forming pages list it."""

    school: School
    cluster: str | None
    triad: str | None  # the triad it is in this year, other than the one being edited
    is_returning: bool
    completed: bool


@dataclass(frozen=True)
class SchoolSearch:
    rows: list[SchoolRow]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // SEARCH_PAGE_SIZE))


def _school_rows(year: ProgrammeYear, triad: Triad | None, *columns: Any, flags: bool = True) -> Select:
    """The year's schools (`columns` of School, or the whole School) with their cluster's name, the triad
    each is in (but `triad`) and, with `flags`, whether each is returning and completed last year."""
    returning, completed = _returning_flags(year)
    editing = triad.id if triad else uuid.UUID(int=0)
    return (
        select(*(columns or (School,)), Cluster.name, Triad.name, *((returning, completed) if flags else ()))
        .join(Enrolment, and_(Enrolment.school_id == School.id, Enrolment.year_id == year.id))
        .outerjoin(Cluster, Cluster.id == Enrolment.cluster_id)
        .outerjoin(TriadMember, and_(TriadMember.school_id == School.id, TriadMember.year_id == year.id,
                                     TriadMember.triad_id != editing))
        .outerjoin(Triad, Triad.id == TriadMember.triad_id)
    )


def _filtered(query: Select, year: ProgrammeYear, filters: SchoolFilters) -> Select:
    text = filters.text.strip()[:200]
    if text:
        query = query.where(or_(func.lower(School.name).contains(text.lower(), autoescape=True),
                                cast(School.urn, String).startswith(text, autoescape=True)))
    if filters.cluster_id:
        query = query.where(Enrolment.cluster_id == filters.cluster_id)
    if filters.phase:
        query = query.where(School.phase == filters.phase)
    if filters.setting:
        query = query.where(School.setting_type == filters.setting)
    if filters.returning is not None:
        returning = _returning_flags(year)[0]
        query = query.where(returning if filters.returning else ~returning)
    if filters.free_only:
        query = query.where(TriadMember.id.is_(None))
    return query


def _row(row) -> SchoolRow:
    return SchoolRow(row[0], row[1], row[2], bool(row[3]), bool(row[4]))


def search_schools(year: ProgrammeYear, filters: SchoolFilters, page: int = 1,
                   triad: Triad | None = None) -> SchoolSearch:
    """One page (SEARCH_PAGE_SIZE, by name) of the year's schools that match `filters`, in two statements.
    The returning flags are worked out for the page's schools alone."""
    matching = _filtered(_school_rows(year, triad, School.id, flags=False), year, filters)
    total = db.session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    page = min(max(1, page), SchoolSearch([], total, 1).pages)
    on_page = (matching.with_only_columns(School.id).order_by(School.name, School.id)
               .offset((page - 1) * SEARCH_PAGE_SIZE).limit(SEARCH_PAGE_SIZE))
    rows = db.session.execute(_school_rows(year, triad).where(School.id.in_(on_page)).order_by(School.name, School.id))
    return SchoolSearch([_row(row) for row in rows], total, page)


def chosen_schools(year: ProgrammeYear, school_ids: Sequence[uuid.UUID | None],
                   triad: Triad | None = None) -> list[SchoolRow]:
    """The first three of `school_ids` (in the order given) that could join a triad of `year`: enrolled,
    and not in another triad. Anything else is dropped."""
    wanted = list(dict.fromkeys(school_id for school_id in school_ids if school_id))[:TRIAD_SIZE * 2]
    if not wanted:
        return []
    rows = {row.school.id: row for row in map(_row, db.session.execute(
        _filtered(_school_rows(year, triad), year, SchoolFilters()).where(School.id.in_(wanted))))}
    return [rows[school_id] for school_id in wanted if school_id in rows][:TRIAD_SIZE]


def search_choices(year: ProgrammeYear) -> tuple[list[Cluster], list[str]]:
    """The clusters of the year's programme and the phases of its schools, to filter by."""
    clusters = list(db.session.scalars(select(Cluster).where(Cluster.programme_id == year.programme_id)
                                       .order_by(Cluster.name)))
    phases = list(db.session.scalars(select(School.phase).distinct().join(Enrolment, Enrolment.school_id == School.id)
                                     .where(Enrolment.year_id == year.id).order_by(School.phase)))
    return clusters, phases


@dataclass(frozen=True)
class SuggestionPage:
    """One page (SUGGESTIONS_PAGE_SIZE) of the suggested grouping, and the whole grouping's counts."""

    grouping: Grouping
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.grouping.triads) // SUGGESTIONS_PAGE_SIZE))

    @property
    def triads(self) -> list[Suggestion]:
        start = (self.page - 1) * SUGGESTIONS_PAGE_SIZE
        return self.grouping.triads[start:start + SUGGESTIONS_PAGE_SIZE]


def suggestion_page(year: ProgrammeYear, mixed_phases: bool = False, page: int = 1) -> SuggestionPage:
    """The page of suggested triads the lead asked for (the last one when it is past the end)."""
    grouping = suggested_triads(year, mixed_phases)
    return SuggestionPage(grouping, min(max(1, page), SuggestionPage(grouping, 1).pages))


def suggested_triads(year: ProgrammeYear, mixed_phases: bool = False) -> Grouping:
    """The suggested grouping of the year's schools not yet in a triad, named apart from its triads."""
    rows = db.session.execute(_filtered(_school_rows(year, None, School.id, School.name, School.phase,
                                                     School.local_authority), year, SchoolFilters()))
    candidates = [Candidate(row[0], row[1], row[2], row[3], row[4], bool(row[6]), bool(row[7])) for row in rows]
    taken = db.session.scalars(select(Triad.name).where(Triad.year_id == year.id))
    return suggest_triads(candidates, mixed_phases, taken)
