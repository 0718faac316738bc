"""What the programme lead sees of self-evaluations: counts per area and level, never one school's
answers, with any count of fewer than 3 schools held back so no school can be picked out."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (AreaRating, Enrolment, EvaluationStatus, FrameworkArea, ProgrammeYear, QAVisit, School,
                        ScaleLevel, SelfEvaluation)
from app.services.framework import current_framework

SMALLEST_GROUP = 3
NOT_EVALUATED = 0  # the column for "not yet evaluated"


def suppress(counts: dict[int, int]) -> dict[int, int | None]:
    """Hide (None) every count of 1 or 2 schools. If that hides exactly one count in a row, hide the
    next smallest too, so the hidden one cannot be worked out from the total."""
    shown: dict[int, int | None] = {key: (None if 0 < n < SMALLEST_GROUP else n) for key, n in counts.items()}
    hidden = [key for key, n in shown.items() if n is None]
    if len(hidden) == 1:
        others = [key for key, n in shown.items() if n is not None]
        if others:
            shown[min(others, key=lambda key: (counts[key], key))] = None
    return shown


@dataclass
class AreaCounts:
    position: int
    title: str
    counts: dict[int, int | None]  # by level value, and NOT_EVALUATED


@dataclass
class SchoolStatus:
    school: School
    evaluation: SelfEvaluation | None
    shared_with_lead: bool
    visit: QAVisit | None

    @property
    def status(self) -> str:
        if self.evaluation is None or self.evaluation.status == EvaluationStatus.DRAFT:
            return "Not submitted"
        return self.evaluation.status.label

    @property
    def lead_may_read(self) -> bool:
        return self.shared_with_lead and self.status != "Not submitted"


@dataclass
class YearSummary:
    year: ProgrammeYear
    scale: list[ScaleLevel]
    areas: list[AreaCounts]
    submitted: int
    schools: list[SchoolStatus]

    @property
    def enough(self) -> bool:
        return self.submitted >= SMALLEST_GROUP


def year_summary(year: ProgrammeYear) -> YearSummary:
    """Counts of submitted self-evaluations per area and level for a programme year, and each school's
    status, in a fixed number of queries."""
    framework = current_framework(year.programme)
    submitted_ids = select(SelfEvaluation.id).where(
        SelfEvaluation.year_id == year.id, SelfEvaluation.status != EvaluationStatus.DRAFT)
    rows = db.session.execute(
        select(FrameworkArea.position, AreaRating.level, func.count())
        .join(AreaRating, AreaRating.area_id == FrameworkArea.id)
        .where(AreaRating.self_evaluation_id.in_(submitted_ids))
        .group_by(FrameworkArea.position, AreaRating.level)
    ).all()
    levels = [level.value for level in framework.scale] if framework else []
    raw: dict[int, dict[int, int]] = {}
    for position, level, count in rows:
        row = raw.setdefault(position, dict.fromkeys([*levels, NOT_EVALUATED], 0))
        key = NOT_EVALUATED if level is None else level
        row[key] = row.get(key, 0) + count
    areas = [AreaCounts(area.position, area.title,
                        suppress(raw.get(area.position, dict.fromkeys([*levels, NOT_EVALUATED], 0))))
             for area in (framework.areas if framework else [])]
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.year_id == year.id).options(selectinload(Enrolment.school))
    ).all()
    evaluations = {e.school_id: e for e in db.session.scalars(
        select(SelfEvaluation).where(SelfEvaluation.year_id == year.id))}
    visits = {v.school_id: v for v in db.session.scalars(
        select(QAVisit).where(QAVisit.year_id == year.id).options(selectinload(QAVisit.expert)))}
    schools = sorted((SchoolStatus(e.school, evaluations.get(e.school_id), e.shared_with_lead, visits.get(e.school_id))
                      for e in enrolments), key=lambda s: s.school.name)
    submitted = sum(1 for s in schools if s.status != "Not submitted")
    return YearSummary(year, list(framework.scale) if framework else [], areas, submitted, schools)

