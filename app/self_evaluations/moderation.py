"""QA moderation: assigning a QA expert to a school, recording moderated ratings, and the school's
response where the two ratings are far apart. The school's own ratings are never changed here."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from app.common.errors import DomainError
from app.extensions import db
from app.models import (
    ModeratedRating,
    Programme,
    ProgrammeYear,
    QAVisit,
    Role,
    RoleAssignment,
    School,
    User,
)
from app.programmes.service import enrolment_of
from app.self_evaluations import handoffs
from app.self_evaluations.service import EvaluationPage, is_flagged


def qa_experts_for(programme: Programme) -> list[User]:
    """Active people holding the QA expert role in the programme, by name."""
    return list(db.session.scalars(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role == Role.QA_EXPERT, RoleAssignment.programme_id == programme.id, User.active)
        .order_by(User.name)
    ))


def qa_visit_for(year: ProgrammeYear, school: School) -> QAVisit | None:
    return db.session.scalar(select(QAVisit).where(QAVisit.year_id == year.id, QAVisit.school_id == school.id))


def assign_qa_expert(year: ProgrammeYear, school: School, expert_id: uuid.UUID | None) -> QAVisit:
    """Make someone the school's QA expert for the year (they then see its submitted self-evaluation)."""
    year.require_open("QA experts can no longer be changed")
    enrolment_of(school, year)
    expert = next((e for e in qa_experts_for(year.programme) if e.id == expert_id), None)
    if expert is None:
        raise DomainError("Choose a QA expert from the list", field="expert")
    visit = qa_visit_for(year, school)
    if visit is None:
        visit = QAVisit(year_id=year.id, school_id=school.id)
        db.session.add(visit)
    elif visit.expert_id != expert.id and visit.moderated:
        raise DomainError(f"{visit.expert.name} has already recorded moderated ratings, so the QA expert cannot change",
                          field="expert")
    visit.expert = expert
    db.session.flush()
    return visit


def record_moderation(page: EvaluationPage, expert: User, entries: dict[int, tuple[int | None, str]]) -> None:
    """Record the expert's moderated rating and comment for each area (by area number).

    Every entry is checked before anything is written.
    """
    evaluation = page.evaluation
    if evaluation.is_draft:
        raise DomainError("The school has not submitted its self-evaluation yet, so it cannot be moderated")
    evaluation.year.require_open("moderated ratings can no longer be changed")
    if page.visit is None or page.visit.expert_id != expert.id:
        raise DomainError("Only the school's QA expert can record moderated ratings")
    scale = {level.value for level in evaluation.framework.scale}
    for position, (level, _comment) in entries.items():
        if level is not None and level not in scale:
            raise DomainError("Choose a rating from the scale", field=f"level_{position}")
    before = {row.area.position: (is_flagged(row.rating, row.moderated), row.moderated and row.moderated.level)
              for row in page.rows}
    for row in page.rows:
        if row.area.position not in entries:
            continue
        level, comment = entries[row.area.position]
        moderated = row.moderated
        if moderated is None:
            if level is None and not comment.strip():
                continue
            moderated = ModeratedRating(area_id=row.area.id)
            page.visit.moderated.append(moderated)
            row.moderated = moderated
        if moderated.level != level:
            moderated.level = level
        if moderated.comment != comment.strip():
            moderated.comment = comment.strip()
    db.session.flush()
    handoffs.flagged(evaluation, expert, [
        (row.area.position, row.moderated.level) for row in page.rows
        if row.moderated is not None and is_flagged(row.rating, row.moderated)
        and before[row.area.position] != (True, row.moderated.level)])


def respond_to_flag(page: EvaluationPage, position: int, response: str, by: User) -> None:
    """The school's answer to a flagged area, where self and moderated ratings are far apart."""
    row = page.row(position)
    moderated = row.moderated if row else None
    if row is None or moderated is None or not is_flagged(row.rating, moderated):
        raise DomainError("Only flagged areas need a response")
    page.evaluation.year.require_open("responses can no longer be changed")
    response = (response or "").strip()
    if not response:
        raise DomainError("Enter your response to the moderated rating", field="response")
    if moderated.school_response == response:
        return
    moderated.school_response = response
    db.session.flush()
    handoffs.flag_answered(page.evaluation, by, moderated, position)
