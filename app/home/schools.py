"""What the task list reads about a person's schools, loaded for all of them at once, in a fixed number of
queries however many schools they have: the latest year each is enrolled in, its triad that year with the
meetings and peer visits, the self-evaluation and its unanswered flags, the action plan and when progress
was last recorded, the celebration's key learnings, and the requests not yet answered. Each query reads the
columns the tasks show, not whole records."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, contains_eager, load_only, selectinload

from app.action_plans.progress import is_overdue
from app.action_plans.versions import as_snapshots
from app.common import clock
from app.deadlines.service import deadlines_for
from app.extensions import db
from app.information_requests.service import open_requests_for
from app.models import (
    FLAG_GAP,
    Action,
    ActionPlan,
    ActionStatus,
    AreaRating,
    CelebrationSubmission,
    DeadlineKind,
    Enrolment,
    FrameworkArea,
    Learning,
    ModeratedRating,
    PeerVisit,
    PlanStatus,
    PlanVersion,
    ProgrammeEvent,
    ProgrammeYear,
    ProgressUpdate,
    QAVisit,
    RequestRecipient,
    Role,
    RoleAssignment,
    School,
    SelfEvaluation,
    Triad,
    TriadMeeting,
    TriadMember,
    User,
)


@dataclass
class SchoolData:
    """By school id, or (school id, year id) for a year's records, or triad id for a triad's."""

    schools: list[School]
    staff: dict[uuid.UUID, dict[Role, list[str]]]  # the names of each school's active heads and SENCOs
    enrolments: dict[uuid.UUID, Enrolment]  # in the latest year (with it)
    triads: dict[uuid.UUID, TriadMember]  # the school's place in a triad in its latest year
    evaluations: dict[tuple[uuid.UUID, uuid.UUID], SelfEvaluation]
    flags: dict[uuid.UUID, list[int]]  # by self-evaluation: the flagged areas not yet answered
    plans: dict[tuple[uuid.UUID, uuid.UUID], ActionPlan]
    last_progress: dict[uuid.UUID, datetime]  # by plan
    meetings: dict[uuid.UUID, dict[int, TriadMeeting]]  # by triad, by number
    visits: dict[uuid.UUID, dict[uuid.UUID, PeerVisit]]  # by triad, by visited school
    celebrations: dict[uuid.UUID, tuple[CelebrationSubmission, int]]  # by triad, with its learnings' count
    coached_overdue: dict[uuid.UUID, int]  # by school coached by one of the person's: its overdue actions
    events: list[ProgrammeEvent]  # of the schools' open years, by date
    deadlines: dict[uuid.UUID, dict[DeadlineKind, date]]  # by year: the programme's dates for it
    asked: dict[uuid.UUID, list[RequestRecipient]] = field(default_factory=dict)


def _staff(school_ids: set[uuid.UUID]) -> dict[uuid.UUID, dict[Role, list[str]]]:
    found: dict[uuid.UUID, dict[Role, list[str]]] = {}
    for school_id, role, name in db.session.execute(
            select(RoleAssignment.school_id, RoleAssignment.role, User.name)
            .join(User, RoleAssignment.user_id == User.id)
            .where(RoleAssignment.school_id.in_(school_ids), RoleAssignment.role.in_((Role.HEAD, Role.SENCO)),
                   User.active).order_by(User.name)):
        if school_id is not None:
            found.setdefault(school_id, {}).setdefault(role, []).append(name)
    return found


def _latest_enrolments(school_ids: set[uuid.UUID]) -> dict[uuid.UUID, Enrolment]:
    latest: dict[uuid.UUID, Enrolment] = {}
    for enrolment in db.session.scalars(
            select(Enrolment).join(ProgrammeYear, Enrolment.year_id == ProgrammeYear.id)
            .where(Enrolment.school_id.in_(school_ids)).order_by(ProgrammeYear.start_year.desc())
            .options(contains_eager(Enrolment.year).joinedload(ProgrammeYear.programme))):
        latest.setdefault(enrolment.school_id, enrolment)
    return latest


def _triads(enrolments: dict[uuid.UUID, Enrolment]) -> dict[uuid.UUID, TriadMember]:
    """Each school's place in a triad in its latest year, with the triad's members and their schools."""
    if not enrolments:
        return {}
    return {m.school_id: m for m in db.session.scalars(
        select(TriadMember).join(Triad, TriadMember.triad_id == Triad.id)
        .where(TriadMember.school_id.in_(enrolments),
               TriadMember.year_id.in_({e.year_id for e in enrolments.values()}))
        .options(contains_eager(TriadMember.triad).selectinload(Triad.members).joinedload(TriadMember.school)
                 .load_only(School.name)))
        if m.year_id == enrolments[m.school_id].year_id}


def _evaluations(pairs: set[tuple[uuid.UUID, uuid.UUID]]) -> dict[tuple[uuid.UUID, uuid.UUID], SelfEvaluation]:
    school_ids, year_ids = {s for s, _ in pairs}, {y for _, y in pairs}
    return {(e.school_id, e.year_id): e for e in db.session.scalars(
        select(SelfEvaluation).where(SelfEvaluation.school_id.in_(school_ids), SelfEvaluation.year_id.in_(year_ids))
        .options(selectinload(SelfEvaluation.ratings).load_only(AreaRating.level, AreaRating.not_evaluated_reason)))
        if (e.school_id, e.year_id) in pairs}


def _unanswered_flags(evaluations: list[SelfEvaluation]) -> dict[uuid.UUID, list[int]]:
    """The areas, by number, where the moderated rating is FLAG_GAP or more from the school's own and the
    school has not answered yet (as is_flagged decides), for the submitted self-evaluations."""
    submitted = [e for e in evaluations if not e.is_draft]
    if not submitted:
        return {}
    flags: dict[uuid.UUID, list[int]] = {}
    for evaluation_id, position, own, moderated in db.session.execute(
            select(SelfEvaluation.id, FrameworkArea.position, AreaRating.level, ModeratedRating.level)
            .join(QAVisit, (QAVisit.school_id == SelfEvaluation.school_id)
                  & (QAVisit.year_id == SelfEvaluation.year_id))
            .join(ModeratedRating, ModeratedRating.qa_visit_id == QAVisit.id)
            .join(AreaRating, (AreaRating.self_evaluation_id == SelfEvaluation.id)
                  & (AreaRating.area_id == ModeratedRating.area_id))
            .join(FrameworkArea, FrameworkArea.id == ModeratedRating.area_id)
            .where(SelfEvaluation.id.in_([e.id for e in submitted]), ModeratedRating.school_response == "")
            .order_by(FrameworkArea.position)):
        if own is not None and moderated is not None and abs(own - moderated) >= FLAG_GAP:
            flags.setdefault(evaluation_id, []).append(position)
    return flags


def _plans(pairs: set[tuple[uuid.UUID, uuid.UUID]]) -> dict[tuple[uuid.UUID, uuid.UUID], ActionPlan]:
    school_ids, year_ids = {s for s, _ in pairs}, {y for _, y in pairs}
    return {(p.school_id, p.year_id): p for p in db.session.scalars(
        select(ActionPlan).where(ActionPlan.school_id.in_(school_ids), ActionPlan.year_id.in_(year_ids))
        .options(selectinload(ActionPlan.actions).load_only(Action.status, Action.due_on)))
        if (p.school_id, p.year_id) in pairs}


def _last_progress(plan_ids: list[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    if not plan_ids:
        return {}
    return dict(db.session.execute(
        select(Action.plan_id, func.max(ProgressUpdate.created_at))
        .join(ProgressUpdate, ProgressUpdate.action_id == Action.id)
        .where(Action.plan_id.in_(plan_ids)).group_by(Action.plan_id)).all())


def _meetings_and_visits(triad_ids: set[uuid.UUID]) -> tuple[dict[uuid.UUID, dict[int, TriadMeeting]],
                                                            dict[uuid.UUID, dict[uuid.UUID, PeerVisit]]]:
    meetings: dict[uuid.UUID, dict[int, TriadMeeting]] = {}
    visits: dict[uuid.UUID, dict[uuid.UUID, PeerVisit]] = {}
    if not triad_ids:
        return meetings, visits
    for meeting in db.session.scalars(select(TriadMeeting).where(TriadMeeting.triad_id.in_(triad_ids)).options(
            load_only(TriadMeeting.triad_id, TriadMeeting.number, TriadMeeting.starts_at, TriadMeeting.held))):
        meetings.setdefault(meeting.triad_id, {})[meeting.number] = meeting
    for visit in db.session.scalars(select(PeerVisit).where(PeerVisit.triad_id.in_(triad_ids)).options(
            load_only(PeerVisit.triad_id, PeerVisit.visited_school_id, PeerVisit.starts_at, PeerVisit.notes_at))):
        visits.setdefault(visit.triad_id, {})[visit.visited_school_id] = visit
    return meetings, visits


def _celebrations(triad_ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[CelebrationSubmission, int]]:
    """Each triad's celebration submission and how many key learnings it has (counted, not loaded)."""
    if not triad_ids:
        return {}
    return {submission.triad_id: (submission, written) for submission, written in db.session.execute(
        select(CelebrationSubmission, func.count(Learning.id))
        .outerjoin(Learning, Learning.submission_id == CelebrationSubmission.id)
        .where(CelebrationSubmission.triad_id.in_(triad_ids)).group_by(CelebrationSubmission.id))}


def _coached_overdue(triads: dict[uuid.UUID, TriadMember], today: date) -> dict[uuid.UUID, int]:
    """How many overdue actions each school coached by one of the person's schools has, as others may see its
    plan (shared_actions' rule): the live actions while the plan stands finalised, else its last finalised
    version's; nothing before a version is finalised. Three queries, reading due dates and statuses only."""
    coached = {m.school_id: m.year_id for member in triads.values() if member.is_coach
               for m in member.triad.members if m.school_id != member.school_id}
    if not coached:
        return {}
    plans = {plan_id: (school_id, status) for plan_id, school_id, year_id, status in db.session.execute(
        select(ActionPlan.id, ActionPlan.school_id, ActionPlan.year_id, ActionPlan.status)
        .where(ActionPlan.school_id.in_(coached), ActionPlan.year_id.in_(set(coached.values()))))
        if coached[school_id] == year_id}
    overdue: dict[uuid.UUID, int] = {}
    finalised = [plan_id for plan_id, (_, status) in plans.items() if status == PlanStatus.FINALISED]
    for plan_id, due_on, status in db.session.execute(select(Action.plan_id, Action.due_on, Action.status)
                                                       .where(Action.plan_id.in_(finalised))):
        school_id = plans[plan_id][0]
        overdue[school_id] = overdue.get(school_id, 0) + (due_on < today and status != ActionStatus.COMPLETE)
    drafts = [plan_id for plan_id, (_, status) in plans.items() if status != PlanStatus.FINALISED]
    later = aliased(PlanVersion)
    latest = select(func.max(later.number)).where(later.plan_id == PlanVersion.plan_id).scalar_subquery()
    for plan_id, content in db.session.execute(select(PlanVersion.plan_id, PlanVersion.content)
                                               .where(PlanVersion.plan_id.in_(drafts), PlanVersion.number == latest)):
        school_id = plans[plan_id][0]
        overdue[school_id] = overdue.get(school_id, 0) + sum(is_overdue(row, today) for row in as_snapshots(content))
    return overdue


def load_school_data(school_ids: set[uuid.UUID]) -> SchoolData:
    schools = list(db.session.scalars(select(School).where(School.id.in_(school_ids)).order_by(School.name)
                                      .options(load_only(School.name, School.urn))))
    enrolments = _latest_enrolments(school_ids)
    open_pairs = {(s, e.year_id) for s, e in enrolments.items() if not e.year.is_closed}
    triads = _triads({s: e for s, e in enrolments.items() if not e.year.is_closed})
    triad_ids = {m.triad_id for m in triads.values()}
    evaluations = _evaluations(open_pairs)
    plans = _plans(open_pairs)
    meetings, visits = _meetings_and_visits(triad_ids)
    asked: dict[uuid.UUID, list[RequestRecipient]] = {}
    for recipient in open_requests_for(school_ids):
        asked.setdefault(recipient.school_id, []).append(recipient)
    return SchoolData(schools, _staff(school_ids), enrolments, triads, evaluations,
                      _unanswered_flags(list(evaluations.values())), plans,
                      _last_progress([p.id for p in plans.values()]), meetings, visits, _celebrations(triad_ids),
                      _coached_overdue(triads, clock.today()), list(db.session.scalars(
                          select(ProgrammeEvent).where(ProgrammeEvent.year_id.in_({y for _, y in open_pairs}))
                          .order_by(ProgrammeEvent.starts_at))), deadlines_for({y for _, y in open_pairs}), asked)
