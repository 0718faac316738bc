"""What the programme lead sees of self-evaluations: counts per area and level, never one school's
answers, with any count of fewer than 3 schools held back so no school can be picked out, here or by
comparing this page with the locality dashboard's views (`small_counts`)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.dashboard.ratings import self_rating_counts
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
    def submitted(self) -> bool:
        """Submitted or signed off (a reopened self-evaluation is a draft again)."""
        return self.evaluation is not None and self.evaluation.status != EvaluationStatus.DRAFT

    @property
    def status(self) -> str:
        return self.evaluation.status.label if self.evaluation is not None and self.submitted else "Not submitted"

    @property
    def lead_may_read(self) -> bool:
        return self.shared_with_lead and self.submitted


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
    counts = self_rating_counts(year, framework)
    areas = [AreaCounts(area.position, area.title, counts[area.position])
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
    submitted = sum(s.submitted for s in schools)
    return YearSummary(year, list(framework.scale) if framework else [], areas, submitted, schools)

