"""Triads: forming, editing and dissolving them, with every rule checked before anything is written.

The rules: exactly three schools, exactly one of them the coach (a forged form that sends two is
refused), all enrolled in the triad's year, none already in another triad that year, a name unique
in the year, and the year still open.
The database holds the same rules where it can; a race that slips past these checks is turned
into the same message by `_constraint_message`.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.common.errors import DomainError
from app.extensions import db
from app.models import TRIAD_SIZE, Enrolment, ProgrammeYear, School, Triad, TriadMember

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
    what to write: the name without surrounding spaces, the schools in order and the coach's id."""
    _check_open(year)
    name = (name or "").strip()
    _check_name(year, name, triad)
    coach_id = _one_coach(coach)
    return name, _check_members(year, school_ids, coach_id, triad), coach_id


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


def schools_free_for(year: ProgrammeYear, triad: Triad | None = None) -> list[School]:
    """Schools enrolled in the year and not in a triad (or in `triad`, when editing it)."""
    in_other_triads = select(TriadMember.school_id).where(
        TriadMember.year_id == year.id, TriadMember.triad_id != (triad.id if triad else uuid.UUID(int=0))
    )
    return list(db.session.scalars(
        select(School).join(Enrolment, Enrolment.school_id == School.id)
        .where(Enrolment.year_id == year.id, School.id.not_in(in_other_triads))
        .order_by(School.name)
    ))
