"""A school's self-evaluation beside its last year's: self and moderated ratings per area, matched by
area number."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import FrameworkArea, ModeratedRating, QAVisit, SelfEvaluation
from app.self_evaluations.service import EvaluationPage, previous_self_evaluation


@dataclass
class ComparisonRow:
    position: int
    title: str
    last_self: int | None
    last_moderated: int | None
    this_self: int | None
    this_moderated: int | None

    @property
    def change(self) -> int | None:
        """How far the school's own rating moved since last year."""
        if self.last_self is None or self.this_self is None:
            return None
        return self.this_self - self.last_self


def _moderated_levels(evaluation: SelfEvaluation | None) -> dict[int, int | None]:
    if evaluation is None:
        return {}
    rows = db.session.execute(
        select(FrameworkArea.position, ModeratedRating.level)
        .join(ModeratedRating, ModeratedRating.area_id == FrameworkArea.id)
        .join(QAVisit, ModeratedRating.qa_visit_id == QAVisit.id)
        .where(QAVisit.school_id == evaluation.school_id, QAVisit.year_id == evaluation.year_id)
    ).all()
    return {position: level for position, level in rows}


def comparison(page: EvaluationPage) -> tuple[SelfEvaluation | None, list[ComparisonRow]]:
    """Last year's and this year's self and moderated ratings per area, matched by area number."""
    this = page.evaluation
    last = previous_self_evaluation(this.school, this.year)
    last_levels = {r.area.position: r.level for r in last.ratings} if last else {}
    last_moderated = _moderated_levels(last)
    return last, [
        ComparisonRow(row.area.position, row.area.title, last_levels.get(row.area.position),
                      last_moderated.get(row.area.position), row.rating.level,
                      row.moderated.level if row.moderated else None)
        for row in page.rows
    ]
