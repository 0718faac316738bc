"""The home page's panels for a head or SENCo: one per school, with what to do next there. Everything
shown is loaded for all the person's schools at once."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, defaultload, selectinload

from app.action_plans.progress import completion, is_overdue
from app.action_plans.versions import shared_actions
from app.common import clock, dates
from app.common.links import Link
from app.extensions import db
from app.home.tasks import Panel, Task
from app.information_requests.service import open_requests_for
from app.models import (
    MAX_LEARNINGS,
    Action,
    ActionPlan,
    AreaRating,
    CelebrationSubmission,
    Cluster,
    ClusterMeeting,
    Enrolment,
    EvaluationStatus,
    Learning,
    ProgrammeEvent,
    ProgrammeYear,
    School,
    SelfEvaluation,
    Triad,
    TriadMember,
    User,
)


@dataclass
class _SchoolData:
    """What the home page shows about a person's schools, loaded for all of them at once (by school id)."""

    latest_triad: dict[uuid.UUID, TriadMember]
    evaluations: dict[tuple[uuid.UUID, uuid.UUID], SelfEvaluation]
    plans: dict[tuple[uuid.UUID, uuid.UUID], ActionPlan]
    coached: dict[uuid.UUID, list[uuid.UUID]]  # a coach school's id: the other schools of its triad
    coached_plans: dict[uuid.UUID, ActionPlan]
    latest_year: dict[uuid.UUID, ProgrammeYear]
    events: dict[uuid.UUID, list[ProgrammeEvent]]  # by year id
    next_cluster_meeting: dict[uuid.UUID, tuple[ClusterMeeting, str]]
    celebrations: dict[uuid.UUID, tuple[CelebrationSubmission, int]]  # by triad id, with its learnings' count
    asked: dict[uuid.UUID, list]


def _latest_triads(school_ids: set[uuid.UUID]) -> dict[uuid.UUID, TriadMember]:
    """Each school's membership of a triad in the latest year it is in one."""
    memberships = db.session.scalars(
        select(TriadMember)
        .join(Triad, TriadMember.triad_id == Triad.id)
        .join(ProgrammeYear, Triad.year_id == ProgrammeYear.id)
        .where(TriadMember.school_id.in_(school_ids))
        .options(contains_eager(TriadMember.triad).contains_eager(Triad.year).joinedload(ProgrammeYear.programme),
                 defaultload(TriadMember.triad).selectinload(Triad.members))
        .order_by(ProgrammeYear.start_year.desc())
    ).all()
    latest_triad: dict[uuid.UUID, TriadMember] = {}
    for member in memberships:
        latest_triad.setdefault(member.school_id, member)
    return latest_triad


# What shared_actions reads of a plan, to count the overdue actions a coach may see: the actions with their
# areas, latest notes and owners' names (not their roles), and the versions.
_SHARED_PLAN_OPTIONS = (
    selectinload(ActionPlan.actions).selectinload(Action.areas),
    selectinload(ActionPlan.actions).selectinload(Action.updates),
    selectinload(ActionPlan.actions).selectinload(Action.owner).lazyload(User.roles),
    selectinload(ActionPlan.versions),
)


def _load_coached_plans(coached: dict[uuid.UUID, list[uuid.UUID]],
                        latest_triad: dict[uuid.UUID, TriadMember]) -> dict[uuid.UUID, ActionPlan]:
    """The plans of the schools a coach school coaches, in the years of the triads."""
    coached_ids = {school_id for ids in coached.values() for school_id in ids}
    if not coached_ids:
        return {}
    return {p.school_id: p for p in db.session.scalars(
        select(ActionPlan).where(ActionPlan.school_id.in_(coached_ids),
                                 ActionPlan.year_id.in_({m.triad.year_id for m in latest_triad.values()}))
        .options(*_SHARED_PLAN_OPTIONS))}


def _latest_years(school_ids: set[uuid.UUID]) -> dict[uuid.UUID, ProgrammeYear]:
    """The latest programme year each school is enrolled in."""
    latest_year: dict[uuid.UUID, ProgrammeYear] = {}
    for enrolment in db.session.scalars(
        select(Enrolment).join(ProgrammeYear, Enrolment.year_id == ProgrammeYear.id)
        .where(Enrolment.school_id.in_(school_ids)).order_by(ProgrammeYear.start_year.desc())
        .options(contains_eager(Enrolment.year))
    ):
        latest_year.setdefault(enrolment.school_id, enrolment.year)
    return latest_year


def _events_by_year(years: list[ProgrammeYear]) -> dict[uuid.UUID, list[ProgrammeEvent]]:
    events: dict[uuid.UUID, list[ProgrammeEvent]] = {}
    for event in db.session.scalars(select(ProgrammeEvent).where(
            ProgrammeEvent.year_id.in_({y.id for y in years})).order_by(ProgrammeEvent.starts_at)):
        events.setdefault(event.year_id, []).append(event)
    return events


def _next_cluster_meetings(school_ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[ClusterMeeting, str]]:
    """Each school's next meeting of its cluster, with the cluster's name."""
    next_cluster_meeting: dict[uuid.UUID, tuple[ClusterMeeting, str]] = {}
    for school_id, meeting, cluster_name in db.session.execute(
        select(Enrolment.school_id, ClusterMeeting, Cluster.name)
        .join(ClusterMeeting, (ClusterMeeting.cluster_id == Enrolment.cluster_id)
              & (ClusterMeeting.year_id == Enrolment.year_id))
        .join(Cluster, Cluster.id == ClusterMeeting.cluster_id)
        .where(Enrolment.school_id.in_(school_ids), ClusterMeeting.starts_at >= clock.now())
        .order_by(ClusterMeeting.starts_at)
    ):
        next_cluster_meeting.setdefault(school_id, (meeting, cluster_name))
    return next_cluster_meeting


def _open_requests_by_school(school_ids: set[uuid.UUID]) -> dict[uuid.UUID, list]:
    asked: dict[uuid.UUID, list] = {}
    for recipient in open_requests_for(set(school_ids)):
        asked.setdefault(recipient.school_id, []).append(recipient)
    return asked


def _latest_evaluations(school_ids: set[uuid.UUID], year_ids: set[uuid.UUID]
                        ) -> dict[tuple[uuid.UUID, uuid.UUID], SelfEvaluation]:
    """The schools' self-evaluations in these years, with only what says whether each area is done."""
    return {(e.school_id, e.year_id): e for e in db.session.scalars(
        select(SelfEvaluation).where(SelfEvaluation.school_id.in_(school_ids), SelfEvaluation.year_id.in_(year_ids))
        .options(selectinload(SelfEvaluation.ratings).load_only(AreaRating.level, AreaRating.not_evaluated_reason)))}


def _latest_plans(school_ids: set[uuid.UUID], year_ids: set[uuid.UUID]
                  ) -> dict[tuple[uuid.UUID, uuid.UUID], ActionPlan]:
    """The schools' plans in these years, with only what completion and overdue actions read."""
    return {(p.school_id, p.year_id): p for p in db.session.scalars(
        select(ActionPlan).where(ActionPlan.school_id.in_(school_ids), ActionPlan.year_id.in_(year_ids))
        .options(selectinload(ActionPlan.actions).load_only(Action.status, Action.due_on)))}


def _celebrations(triad_ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[CelebrationSubmission, int]]:
    """Each triad's celebration submission and how many key learnings it has (counted, not loaded)."""
    return {submission.triad_id: (submission, written) for submission, written in db.session.execute(
        select(CelebrationSubmission, func.count(Learning.id))
        .outerjoin(Learning, Learning.submission_id == CelebrationSubmission.id)
        .where(CelebrationSubmission.triad_id.in_(triad_ids)).group_by(CelebrationSubmission.id))}


def _load_school_data(school_ids: set[uuid.UUID]) -> _SchoolData:
    latest_triad = _latest_triads(school_ids)
    coached = {m.school_id: [o.school_id for o in m.triad.members if o.school_id != m.school_id]
               for m in latest_triad.values() if m.is_coach}
    # The coached plans before the person's own: one that is both keeps what shared_actions reads.
    coached_plans = _load_coached_plans(coached, latest_triad)
    latest_year = _latest_years(school_ids)
    year_ids = {y.id for y in latest_year.values()}
    evaluations = _latest_evaluations(school_ids, year_ids)
    plans = _latest_plans(school_ids, year_ids)
    events = _events_by_year(list(latest_year.values()))
    next_cluster_meeting = _next_cluster_meetings(school_ids)
    celebrations = _celebrations({m.triad_id for m in latest_triad.values()})
    asked = _open_requests_by_school(school_ids)
    return _SchoolData(latest_triad, evaluations, plans, coached, coached_plans, latest_year, events,
                       next_cluster_meeting, celebrations, asked)


def _request_tasks(recipients: list) -> list[Task]:
    tasks = []
    for recipient in recipients:
        due = recipient.request.due_on
        tasks.append(Task(f"Information request: {recipient.request.title}, due {dates.day(due)}.",
                          Link.to("requests.answer", recipient_id=recipient.id),
                          f"Answer “{recipient.request.title}”"))
    return tasks


def _overdue_coached_actions(school: School, triad: Triad, data: _SchoolData) -> int:
    """The overdue actions of the other schools' plans as the coach may read them: their last finalised versions."""
    return sum(is_overdue(row, clock.today()) for school_id in data.coached.get(school.id, [])
               for plan in [data.coached_plans.get(school_id)] if plan and plan.year_id == triad.year_id
               for row in shared_actions(plan))


def _triad_tasks(school: School, data: _SchoolData) -> list[Task]:
    member = data.latest_triad.get(school.id)
    if member is None:
        return [Task("Your school is not in a triad yet. Your programme lead will place it in one.")]
    triad = member.triad
    role = "the coach school" if member.is_coach else "a member school"
    tasks = [Task(f"{triad.year.label}: your school is {role} in {triad.name} ({triad.year.programme.name}).",
                  Link.to("programmes.triad", triad_id=triad.id), f"View {triad.name}")]
    late = _overdue_coached_actions(school, triad, data)
    if late:
        tasks.append(Task(f"As coach: {late} overdue action{'s' if late != 1 else ''} "
                          f"in {triad.name}'s other schools.",
                          Link.to("action_plans.triad", triad_id=triad.id), "See the triad's progress"))
    tasks.append(_celebration_task(triad, *data.celebrations.get(triad.id, (None, 0))))
    tasks.append(Task("Find what has worked in other schools of the programme.",
                      Link.to("celebration.library", programme_id=triad.year.programme_id),
                      "Search the practice library"))
    return tasks


def _cluster_meeting_task(meeting: ClusterMeeting, cluster_name: str) -> Task:
    return Task(f"{cluster_name} {meeting.term.label.lower()} meeting: {dates.moment(meeting.starts_at)}.",
                Link.to("scheduling.show_cluster_meeting", cluster_meeting_id=meeting.id),
                f"See the {cluster_name} meeting")


def _event_task(event: ProgrammeEvent) -> Task:
    return Task(f"{event.kind.label}: {dates.moment(event.starts_at)}, {event.place}.",
                Link.to("calendars.event_ics", event_id=event.id),
                f"Add the {event.kind.label.lower()} to your calendar")


def _school_panel(school: School, data: _SchoolData) -> Panel:
    panel = Panel(school.name, f"URN {school.urn}", link=Link.to("programmes.school", school_id=school.id))
    panel.tasks += _request_tasks(data.asked.get(school.id, []))
    panel.tasks += _triad_tasks(school, data)
    year = data.latest_year.get(school.id)
    if year is not None and not year.is_closed:
        panel.tasks.append(_evaluation_task(school, year, data.evaluations.get((school.id, year.id))))
        panel.tasks.append(_plan_task(school, year, data.plans.get((school.id, year.id))))
    if school.id in data.next_cluster_meeting:
        panel.tasks.append(_cluster_meeting_task(*data.next_cluster_meeting[school.id]))
    for event in data.events.get(year.id, []) if year is not None else []:
        panel.tasks.append(_event_task(event))
    return panel


def _celebration_task(triad: Triad, submission: CelebrationSubmission | None, written: int) -> Task:
    link = Link.to("celebration.show", triad_id=triad.id)
    if submission is not None and submission.is_submitted:
        return Task(f"{triad.name}'s key learnings are submitted for the celebration of learning.", link,
                    f"See {triad.name}'s key learnings")
    return Task(f"Celebration of learning: {triad.name} has written {written} of {MAX_LEARNINGS} key learnings.",
                link, "Share your triad's key learnings")


def _evaluation_task(school: School, year: ProgrammeYear, evaluation: SelfEvaluation | None) -> Task:
    if evaluation is None:
        return Task(f"Your self-evaluation for {year.label} is not started.",
                    Link.to("programmes.school", school_id=school.id),
                    "Start the self-evaluation on your school's page")
    link = Link.to("self_evaluations.show", evaluation_id=evaluation.id)
    if evaluation.status == EvaluationStatus.DRAFT:
        done = sum(r.is_complete for r in evaluation.ratings)
        return Task(f"Self-evaluation {year.label}: {done} of {len(evaluation.ratings)} areas done.", link,
                    "Carry on with the self-evaluation")
    if evaluation.status == EvaluationStatus.SUBMITTED:
        return Task(f"Self-evaluation {year.label} is submitted and waiting for the headteacher to sign it off.", link,
                    "View the self-evaluation")
    return Task(f"Self-evaluation {year.label} is signed off.", link, "View the self-evaluation")


def _plan_task(school: School, year: ProgrammeYear, plan: ActionPlan | None) -> Task:
    if plan is None:
        return Task(f"Your action plan for {year.label} is not started.",
                    Link.to("programmes.school", school_id=school.id), "Start the action plan on your school's page")
    overdue = sum(is_overdue(a, clock.today()) for a in plan.actions)
    text = (f"Action plan {year.label}, version {plan.version} ({plan.status.label.lower()}): "
            f"{completion(plan.actions)}.")
    if overdue:
        text += f" {overdue} overdue."
    return Task(text, Link.to("action_plans.show", plan_id=plan.id), "Open the action plan")


def school_panels(school_ids: set[uuid.UUID]) -> list[Panel]:
    """A panel for each of the person's schools, by name."""
    schools = db.session.scalars(select(School).where(School.id.in_(school_ids)).order_by(School.name)).all()
    data = _load_school_data(school_ids)
    return [_school_panel(school, data) for school in schools]
