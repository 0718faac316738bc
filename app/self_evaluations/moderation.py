"""QA moderation: assigning a QA expert to a school, recording moderated ratings, and the school's
response where the two ratings are far apart. The school's own ratings are never changed here."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from app.common.errors import DomainError, raise_all
from app.common.versions import check_version, new_version
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

MODERATION_CLASH = "Someone else saved these moderated ratings while you were editing them. Choose which to keep."


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


def moderation_fields(page: EvaluationPage) -> list[str]:
    """The moderation form's parts, in its order: each area's rating and comment (`level_3`, `comment_3`)."""
    return [f"{kind}_{row.area.position}" for row in page.rows for kind in ("level", "comment")]


def _saved_moderation(page: EvaluationPage, visit: QAVisit) -> dict[str, Any]:
    """Each area's moderated rating and comment as saved now, by the form's names (read again, so it holds
    another save that landed first)."""
    saved = {m.area_id: m for m in db.session.scalars(
        select(ModeratedRating).where(ModeratedRating.qa_visit_id == visit.id))}
    values: dict[str, Any] = {}
    for row in page.rows:
        moderated = saved.get(row.area.id)
        values[f"level_{row.area.position}"] = moderated.level if moderated else None
        values[f"comment_{row.area.position}"] = moderated.comment if moderated else ""
    return values


def _check_moderator(page: EvaluationPage, expert: User) -> QAVisit:
    evaluation = page.evaluation
    if evaluation.is_draft:
        raise DomainError("The school has not submitted its self-evaluation yet, so it cannot be moderated")
    evaluation.year.require_open("moderated ratings can no longer be changed")
    if page.visit is None or page.visit.expert_id != expert.id:
        raise DomainError("Only the school's QA expert can record moderated ratings")
    return page.visit


def record_moderation(page: EvaluationPage, expert: User, entries: dict[int, tuple[int | None, str]],
                      expected_version: int | None = None, *, keep_theirs: tuple[str, ...] = (),
                      comments_only: bool = False) -> QAVisit:
    """Record the expert's moderated rating and comment for each area (by area number), unless someone else
    saved them since `expected_version` (VersionConflict; `keep_theirs` names the parts for which the clash
    page chose the version saved). Every entry is checked before anything is written. The school is told of
    areas newly flagged. `comments_only` (autosave): the comments are kept as typed, the ratings (which flag
    areas and tell the school) wait for the Save button."""
    visit = _check_moderator(page, expert)
    scale = {level.value for level in page.evaluation.framework.scale}
    refused = [DomainError(f"Choose a moderated rating for area {position} from the scale", field=f"level_{position}")
               for position, (level, _comment) in entries.items()
               if level is not None and level not in scale and not comments_only]
    raise_all(refused)  # every area refused at once, so the form lists them all
    saved = _saved_moderation(page, visit)
    yours = {name: value for position, (level, comment) in entries.items()
             for name, value in ((f"level_{position}", level), (f"comment_{position}", comment.strip()))
             if name in saved and not (comments_only and name.startswith("level_"))}
    yours = {name: saved[name] if name in keep_theirs else value for name, value in yours.items()}
    before = {row.area.position: (is_flagged(row.rating, row.moderated), row.moderated and row.moderated.level)
              for row in page.rows}
    if check_version(visit, expected_version, saved, yours, MODERATION_CLASH):
        with new_version(visit, lambda: _saved_moderation(page, visit), yours, MODERATION_CLASH):
            _write_moderation(page, visit, yours)
    if not comments_only:
        handoffs.flagged(page.evaluation, expert, [
            (row.area.position, row.moderated.level) for row in page.rows
            if row.moderated is not None and is_flagged(row.rating, row.moderated)
            and before[row.area.position] != (True, row.moderated.level)])
    return visit


def _write_moderation(page: EvaluationPage, visit: QAVisit, values: dict[str, Any]) -> None:
    for row in page.rows:
        n = row.area.position
        level = values.get(f"level_{n}", row.moderated.level if row.moderated else None)
        comment = values.get(f"comment_{n}", row.moderated.comment if row.moderated else "")
        moderated = row.moderated
        if moderated is None:
            if level is None and not comment:
                continue
            moderated = ModeratedRating(area_id=row.area.id)
            visit.moderated.append(moderated)
            row.moderated = moderated
        if moderated.level != level:
            moderated.level = level
        if moderated.comment != comment:
            moderated.comment = comment


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
