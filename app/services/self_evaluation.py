"""Self-evaluation rules: starting one, saving an area without losing anyone's text, submitting,
signing off and reopening."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.models import (AreaRating, EvaluationStatus, Framework, FrameworkArea, ProgrammeYear, Role, School,
                        SelfEvaluation, User)
from app.services import DomainError
from app.services.framework import current_framework

TEXT_FIELDS = ("not_evaluated_reason", "evidence", "strengths", "development")


class VersionConflict(DomainError):
    """Someone else saved this area since the page was opened. Both texts are kept for choosing."""

    def __init__(self, theirs: dict, yours: dict):
        super().__init__("Someone else saved this area while you were editing it. Choose which text to keep.")
        self.theirs = theirs
        self.yours = yours


def start_self_evaluation(school: School, year: ProgrammeYear) -> SelfEvaluation:
    """A draft on the programme's current framework, with an empty rating for every area."""
    existing = db.session.scalar(
        select(SelfEvaluation).where(SelfEvaluation.school_id == school.id, SelfEvaluation.year_id == year.id))
    if existing is not None:
        return existing
    framework = current_framework(year.programme)
    if framework is None:
        raise DomainError("The programme has no framework yet. Ask your programme lead to set one up")
    evaluation = SelfEvaluation(school=school, year=year, framework=framework)
    for area in framework.areas:
        evaluation.ratings.append(AreaRating(area=area))
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


def _values(rating: AreaRating) -> dict:
    return {"level": rating.level, **{name: getattr(rating, name) for name in TEXT_FIELDS}}


def save_area(rating: AreaRating, expected_version: int, changes: dict) -> AreaRating:
    """Save an area's rating and text if nobody has saved it since `expected_version`.

    Raises VersionConflict (with both versions of the text) rather than overwrite another save.
    """
    if rating.self_evaluation.status != EvaluationStatus.DRAFT:
        raise DomainError("This self-evaluation has been submitted, so it can no longer be changed")
    level = changes.get("level", rating.level)
    scale = {s.value for s in rating.self_evaluation.framework.scale}
    if level is not None and level not in scale:
        raise DomainError("Choose a rating from the scale", field="level")
    if rating.version != expected_version:
        raise VersionConflict(theirs=_values(rating), yours=changes)
    try:
        with db.session.begin_nested():
            for name, value in changes.items():
                if name == "level" or name in TEXT_FIELDS:
                    setattr(rating, name, value)
            rating.carried_forward = False
            db.session.flush()
    except StaleDataError:
        db.session.refresh(rating)
        raise VersionConflict(theirs=_values(rating), yours=changes)
    return rating


def incomplete_areas(evaluation: SelfEvaluation) -> list[FrameworkArea]:
    return sorted((r.area for r in evaluation.ratings if not r.is_complete), key=lambda area: area.position)


def submit_self_evaluation(evaluation: SelfEvaluation, by: User) -> None:
    """Submit for sign-off; refused while an area has neither a rating nor a reason it is not evaluated."""
    if evaluation.status != EvaluationStatus.DRAFT:
        raise DomainError("This self-evaluation has already been submitted")
    missing = incomplete_areas(evaluation)
    if missing:
        names = "; ".join(f"{area.position}. {area.title}" for area in missing)
        raise DomainError(f"Rate every area, or mark it not yet evaluated with a reason. Still to do: {names}")
    evaluation.status = EvaluationStatus.SUBMITTED
    evaluation.submitted_by_id = by.id
    evaluation.submitted_at = datetime.now(timezone.utc)


def load_self_evaluation(evaluation_id: uuid.UUID) -> SelfEvaluation | None:
    """A self-evaluation with its ratings, areas, prompts and scale, in a fixed number of queries."""
    return db.session.scalar(
        select(SelfEvaluation).where(SelfEvaluation.id == evaluation_id)
        .options(
            selectinload(SelfEvaluation.ratings).selectinload(AreaRating.area).selectinload(FrameworkArea.prompts),
            selectinload(SelfEvaluation.framework).selectinload(Framework.scale),
        )
    )


def _check_head(evaluation: SelfEvaluation, user: User, action: str) -> None:
    if not any(r.role == Role.HEAD and r.school_id == evaluation.school_id for r in user.roles):
        raise DomainError(f"Only the school's headteacher can {action} the self-evaluation")


def sign_off_self_evaluation(evaluation: SelfEvaluation, head: User) -> None:
    """The head signs off a submitted self-evaluation; it is then read-only."""
    _check_head(evaluation, head, "sign off")
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise DomainError("Only a submitted self-evaluation can be signed off")
    evaluation.status = EvaluationStatus.SIGNED_OFF
    evaluation.signed_off_by_id = head.id
    evaluation.signed_off_at = datetime.now(timezone.utc)


def reopen_self_evaluation(evaluation: SelfEvaluation, head: User, reason: str) -> None:
    """The head reopens a submitted or signed-off self-evaluation for editing, saying why."""
    _check_head(evaluation, head, "reopen")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter why you are reopening the self-evaluation", field="reason")
    if evaluation.status == EvaluationStatus.DRAFT:
        raise DomainError("This self-evaluation is already open for editing")
    evaluation.status = EvaluationStatus.DRAFT
    evaluation.reopened_reason = reason
    evaluation.signed_off_by_id = None
    evaluation.signed_off_at = None
