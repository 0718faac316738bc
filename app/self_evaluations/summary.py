"""What the programme lead sees of self-evaluations: counts per area and level, never one school's
answers, with any count of fewer than 3 schools held back so no school can be picked out, here or by
comparing this page with the locality dashboard's views (`small_counts`)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.dashboard.figures import self_rating_counts
from app.dashboard.small_counts import SMALLEST_GROUP
from app.extensions import db
from app.frameworks.service import current_framework
from app.models import Enrolment, EvaluationStatus, ProgrammeYear, QAVisit, ScaleLevel, School, SelfEvaluation


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
    """Counts of submitted self-evaluations per area and level for a programme year (held back as the
    locality dashboard holds them back, across all its views), and each school's status, in a fixed
    number of queries."""
    framework = current_framework(year.programme)
    levels = [level.value for level in framework.scale] if framework else []
    areas_of = list(framework.areas) if framework else []
    counts = self_rating_counts(year, [area.position for area in areas_of], levels)
    areas = [AreaCounts(area.position, area.title, counts[area.position]) for area in areas_of]
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

