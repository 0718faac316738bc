"""Builders for a programme year's figures: self-evaluations, moderation, plans, meetings and
visits, written straight as rows (the services that make them are tested elsewhere)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from app.extensions import db
from app.frameworks.service import current_framework
from app.models import (
    Action,
    ActionPlan,
    ActionStatus,
    AreaRating,
    Enrolment,
    EvaluationStatus,
    Framework,
    ModeratedRating,
    PeerVisit,
    PlanStatus,
    PlanVersion,
    ProgrammeYear,
    QAVisit,
    School,
    SelfEvaluation,
    Triad,
    TriadMeeting,
    User,
)


def rate(year: ProgrammeYear, school: School, levels: list[int | None],
         status: EvaluationStatus = EvaluationStatus.SUBMITTED) -> SelfEvaluation:
    """A self-evaluation with these levels for areas 1, 2, ... (the rest unrated)."""
    framework: Framework = current_framework(year.programme)
    evaluation = SelfEvaluation(school_id=school.id, year_id=year.id, framework_id=framework.id, status=status)
    for area in framework.areas:
        level = levels[area.position - 1] if area.position <= len(levels) else None
        evaluation.ratings.append(AreaRating(area_id=area.id, level=level,
                                             not_evaluated_reason="" if level else "Not yet looked at"))
    db.session.add(evaluation)
    db.session.commit()
    return evaluation


def moderate(year: ProgrammeYear, school: School, levels: list[int], expert: User,
             visited_on: date | None = None) -> QAVisit:
    framework = current_framework(year.programme)
    visit = QAVisit(year_id=year.id, school_id=school.id, expert_id=expert.id,
                    starts_at=datetime.combine(visited_on, datetime.min.time(), timezone.utc) if visited_on else None)
    for area, level in zip(framework.areas, levels, strict=False):
        visit.moderated.append(ModeratedRating(area_id=area.id, level=level))
    db.session.add(visit)
    db.session.commit()
    return visit


def plan(year: ProgrammeYear, school: School, actions: list[tuple[ActionStatus, date]], finalised: bool,
         by: User) -> ActionPlan:
    plan = ActionPlan(school_id=school.id, year_id=year.id,
                      status=PlanStatus.FINALISED if finalised else PlanStatus.DRAFT)
    for number, (status, due_on) in enumerate(actions, start=1):
        plan.actions.append(Action(number=number, description=f"Action {number}", owner_name="Jo Smith",
                                   due_on=due_on, status=status))
    if finalised:
        plan.versions.append(PlanVersion(number=1, finalised_by_id=by.id, finalised_at=datetime.now(timezone.utc),
                                         content=[]))
    db.session.add(plan)
    db.session.commit()
    return plan


def meeting(triad: Triad, number: int, held: bool) -> TriadMeeting:
    record = TriadMeeting(triad_id=triad.id, number=number, held=held, place="Room 1",
                          starts_at=datetime(triad.year.start_year, 10, number, 9, tzinfo=timezone.utc))
    db.session.add(record)
    db.session.commit()
    return record


def peer_visit(triad: Triad, visited: School, days_from_now: int) -> PeerVisit:
    framework = current_framework(triad.year.programme)
    visit = PeerVisit(triad_id=triad.id, visited_school_id=visited.id, focus_area_id=framework.areas[0].id,
                      starts_at=datetime.now(timezone.utc) + timedelta(days=days_from_now))
    db.session.add(visit)
    db.session.commit()
    return visit


def share(year: ProgrammeYear, school: School, shared: bool = True) -> None:
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.year_id == year.id,
                                                          Enrolment.school_id == school.id))
    enrolment.shared_with_lead = shared
    db.session.commit()
