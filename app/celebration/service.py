"""The celebration of learning: a triad's up to three key learnings, submitted to the programme lead,
who tags each with the What Works in SEND evidence framework's two signals; and the practice library
of every year's learnings."""
from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.celebration import handoffs
from app.common import clock
from app.common.errors import DomainError, raise_all
from app.common.versions import checked_update
from app.dashboard.facts import natural_key
from app.extensions import db
from app.frameworks.service import current_areas
from app.models import (
    EVIDENCE_LEVELS,
    MAX_LEARNINGS,
    CelebrationSubmission,
    FrameworkArea,
    ImpactArea,
    Learning,
    Programme,
    ProgrammeYear,
    Triad,
    TriadMember,
    User,
)

# What the learning form changes, in its order: the parts two saves can clash in.
LEARNING_FIELDS = ("title", "what_we_did", "impact", "next_steps", "areas", *(area.column for area in ImpactArea))
LEARNING_CLASH = "Someone else saved this key learning while you were editing it. Choose which text to keep."
TOO_MANY = (f"Your triad already has {MAX_LEARNINGS} key learnings, the most it can share. "
            "Change or remove one to add another")


@dataclass
class LearningInput:
    """What the learning form sends, before it is checked."""

    title: str
    what_we_did: str
    impact: str
    next_steps: str
    area_ids: list[uuid.UUID]
    impact_areas: list[str]


def submission_of(triad: Triad) -> CelebrationSubmission | None:
    return db.session.scalar(
        select(CelebrationSubmission).where(CelebrationSubmission.triad_id == triad.id)
        .options(selectinload(CelebrationSubmission.learnings).selectinload(Learning.areas),
                 selectinload(CelebrationSubmission.submitted_by)))


def _check_editable(triad: Triad, submission: CelebrationSubmission | None) -> None:
    triad.year.require_open("its celebration can no longer be changed")
    if submission is not None and submission.is_submitted:
        raise DomainError("Your triad's learnings have been submitted to the programme lead, so they can no longer "
                          "be changed. Ask the programme lead to return them if something needs changing")


# What a learning's form needs, in its order: each text's field and what to say when it is left blank.
LEARNING_TEXTS = {"title": "Enter a title for the learning", "what_we_did": "Enter what you did",
                  "impact": "Enter the impact you have seen", "next_steps": "Enter the next steps"}


def _checked(given: LearningInput, areas: list[FrameworkArea]) -> dict:
    """The learning's fields from the form, every problem with them raised at once."""
    values = {name: (getattr(given, name) or "").strip() for name in LEARNING_TEXTS}
    found = [DomainError(message, field=name) for name, message in LEARNING_TEXTS.items() if not values[name]]
    if len(values["title"]) > 200:
        found.insert(0, DomainError("The title must be 200 characters or fewer", field="title"))
    chosen = [a for a in areas if a.id in set(given.area_ids)]
    if not chosen:
        found.append(DomainError("Choose at least one framework area the learning concerns", field="areas"))
    shown = {area for area in ImpactArea if area.value in set(given.impact_areas)}
    if not shown:
        found.append(DomainError("Choose at least one area of impact the learning shows", field="impact_areas"))
    raise_all(found)
    values["areas"] = sorted(chosen, key=lambda area: area.position)
    values.update({area.column: area in shown for area in ImpactArea})
    return values


def save_learning(triad: Triad, learning: Learning | None, given: LearningInput, areas: list[FrameworkArea],
                  expected_version: int | None = None, *, keep_theirs: tuple[str, ...] = ()) -> Learning:
    """Add a key learning (at most three a triad) or change one. Nothing is saved when a check fails, nor a
    change when someone else saved the learning since `expected_version` (VersionConflict; `keep_theirs` names
    the parts for which the clash page chose the version saved). Autosave saves a change the same way."""
    submission = learning.submission if learning is not None else submission_of(triad)
    _check_editable(triad, submission)
    if learning is None and submission is not None and len(submission.learnings) >= MAX_LEARNINGS:
        raise DomainError(TOO_MANY, field="title")
    values = _checked(given, areas)
    if learning is not None:
        checked_update(learning, expected_version, values, keep_theirs=keep_theirs, message=LEARNING_CLASH)
        return learning
    try:
        # A savepoint: two people adding the third learning at once meet the database's rule, not a 500.
        with db.session.begin_nested():
            if submission is None:
                submission = CelebrationSubmission(triad_id=triad.id)
                db.session.add(submission)
            taken = {existing.position for existing in submission.learnings}
            position = min(set(range(1, MAX_LEARNINGS + 1)) - taken)
            learning = Learning(position=position, **values)
            submission.learnings.append(learning)
            db.session.flush()
    except IntegrityError as error:
        raise DomainError(TOO_MANY, field="title") from error
    return learning


def remove_learning(triad: Triad, learning: Learning) -> None:
    _check_editable(triad, learning.submission)
    learning.submission.learnings.remove(learning)
    db.session.flush()


def submit_celebration(triad: Triad, by: User) -> CelebrationSubmission:
    submission = submission_of(triad)
    _check_editable(triad, submission)
    if submission is None or not submission.learnings:
        raise DomainError("Add at least one key learning before you submit")
    submission.submitted_at = clock.now()
    submission.submitted_by = by
    db.session.flush()
    return submission


def return_celebration(submission: CelebrationSubmission, by: User) -> None:
    """The programme lead hands a submission back for changes (the tags are kept), and the triad is told."""
    submission.triad.year.require_open("its celebration can no longer be changed")
    was_submitted_at = submission.submitted_at
    submission.submitted_at = None
    submission.submitted_by = None
    db.session.flush()
    if was_submitted_at is not None:
        handoffs.returned(submission, by, was_submitted_at)


def tag_learning(learning: Learning, strength: int | None, breadth: int | None, by: User) -> None:
    """The programme lead's evidence signals, each 1 Emerging to 4 Robust."""
    learning.submission.triad.year.require_open("its learnings can no longer be tagged")
    if not learning.submission.is_submitted:
        raise DomainError("Only submitted learnings can be tagged")
    raise_all([DomainError(message, field=name) for name, level, message in (
        ("strength", strength, "Choose the strength of evidence"), ("breadth", breadth, "Choose the breadth of impact"))
        if level not in EVIDENCE_LEVELS])
    if (learning.strength, learning.breadth) != (strength, breadth):
        learning.strength, learning.breadth = strength, breadth
        learning.tagged_by, learning.tagged_at = by, clock.now()
    db.session.flush()


def areas_of(triad: Triad) -> list[FrameworkArea]:
    """The framework areas a learning can concern: the programme's current framework."""
    return current_areas(triad.year.programme)


def load_learning(learning_id: uuid.UUID) -> Learning | None:
    return db.session.scalar(select(Learning).where(Learning.id == learning_id)
                             .options(selectinload(Learning.areas), selectinload(Learning.submission)))


# --- The programme lead's overview and the pack ---------------------------------------------------------


class CelebrationState(enum.StrEnum):
    """How far a triad's celebration has got; its value is how it reads."""

    NOT_STARTED = "Not started"
    BEING_WRITTEN = "Being written"
    SUBMITTED = "Submitted"


@dataclass
class TriadCelebration:
    triad: Triad
    members: list[TriadMember]  # schools in alphabetical order
    submission: CelebrationSubmission | None

    @property
    def is_submitted(self) -> bool:
        return self.submission is not None and self.submission.is_submitted

    @property
    def learnings(self) -> list[Learning]:
        return list(self.submission.learnings) if self.submission is not None and self.is_submitted else []

    @property
    def status(self) -> CelebrationState:
        if self.is_submitted:
            return CelebrationState.SUBMITTED
        if self.submission is not None and self.submission.learnings:
            return CelebrationState.BEING_WRITTEN
        return CelebrationState.NOT_STARTED


def year_celebration(year: ProgrammeYear) -> list[TriadCelebration]:
    """Every triad of the year in name order with its schools (alphabetical) and its submission, in a
    fixed number of queries."""
    triads = db.session.scalars(
        select(Triad).where(Triad.year_id == year.id)
        .options(selectinload(Triad.members).selectinload(TriadMember.school))).all()
    submissions = {s.triad_id: s for s in db.session.scalars(
        select(CelebrationSubmission).join(Triad, Triad.id == CelebrationSubmission.triad_id)
        .where(Triad.year_id == year.id)
        .options(selectinload(CelebrationSubmission.learnings).selectinload(Learning.areas)))}
    return [TriadCelebration(t, sorted(t.members, key=lambda m: m.school.name.lower()), submissions.get(t.id))
            for t in sorted(triads, key=lambda t: natural_key(t.name))]


# --- The practice library ------------------------------------------------------------------------------


LIBRARY_PAGE_SIZE = 20


@dataclass
class LibraryEntry:
    learning: Learning
    triad_name: str
    year_label: str
    schools: list[str]


@dataclass
class LibraryPage:
    entries: list[LibraryEntry]
    total: int
    page: int
    areas: list[tuple[int, str]] = field(default_factory=list)  # for the filter

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // LIBRARY_PAGE_SIZE))


def practice_library(programme: Programme, text: str = "", area: int | None = None, strength: int | None = None,
                     page: int = 1) -> LibraryPage:
    """Submitted learnings from every year of the programme, newest year first, searchable by their
    words and filterable by framework area (its number) and strength of evidence."""
    query = (select(Learning)
             .join(CelebrationSubmission, CelebrationSubmission.id == Learning.submission_id)
             .join(Triad, Triad.id == CelebrationSubmission.triad_id)
             .join(ProgrammeYear, ProgrammeYear.id == Triad.year_id)
             .where(ProgrammeYear.programme_id == programme.id, CelebrationSubmission.submitted_at.is_not(None)))
    for word in (text or "").split()[:8]:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        query = query.where(or_(Learning.title.ilike(pattern), Learning.what_we_did.ilike(pattern),
                                Learning.impact.ilike(pattern), Learning.next_steps.ilike(pattern)))
    if area is not None:
        query = query.where(Learning.areas.any(FrameworkArea.position == area))
    if strength in EVIDENCE_LEVELS:
        query = query.where(Learning.strength == strength)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = min(max(1, page), LibraryPage([], total, page).pages)
    learnings = db.session.scalars(
        query.order_by(ProgrammeYear.start_year.desc(), Triad.name, Learning.position)
        .offset((page - 1) * LIBRARY_PAGE_SIZE).limit(LIBRARY_PAGE_SIZE)
        .options(selectinload(Learning.areas),
                 selectinload(Learning.submission).selectinload(CelebrationSubmission.triad)
                 .selectinload(Triad.year),
                 selectinload(Learning.submission).selectinload(CelebrationSubmission.triad)
                 .selectinload(Triad.members).selectinload(TriadMember.school))).all()
    entries = [LibraryEntry(learning, learning.submission.triad.name, learning.submission.triad.year.label,
                            sorted(m.school.name for m in learning.submission.triad.members))
               for learning in learnings]
    latest = db.session.scalar(select(ProgrammeYear).where(ProgrammeYear.programme_id == programme.id)
                               .order_by(ProgrammeYear.start_year.desc()).limit(1))
    areas = [(a.position, a.title) for a in current_areas(latest.programme)] if latest else []
    return LibraryPage(entries, total, page, areas)
