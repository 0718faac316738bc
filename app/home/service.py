"""What each person has to do next, for their home page."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.action_plans.service import PLAN_OPTIONS, completion, is_overdue, row_is_overdue, shared_actions
from app.clusters.service import DUE, OVERDUE, review_status
from app.common import clock, dates
from app.extensions import db
from app.information_requests.service import open_requests_for
from app.models import (
    MAX_LEARNINGS,
    ActionPlan,
    CelebrationSubmission,
    Cluster,
    ClusterMeeting,
    Enrolment,
    EvaluationStatus,
    Organisation,
    Programme,
    ProgrammeEvent,
    ProgrammeYear,
    QAVisit,
    Role,
    School,
    SelfEvaluation,
    Triad,
    TriadMember,
    User,
)


@dataclass
class Task:
    text: str
    href: str | None = None
    link_text: str | None = None


@dataclass
class Panel:
    """One block of the home page: a programme, a school or a cluster the person works in."""

    heading: str
    caption: str
    tasks: list[Task] = field(default_factory=list)
    href: str | None = None


def academic_start_year(today: date) -> int:
    """The academic year (1 September to 31 August) a date falls in, by its first calendar year."""
    return today.year if today.month >= 9 else today.year - 1


def _programme_panels(programme_ids: set[uuid.UUID], leads: set[uuid.UUID]) -> list[Panel]:
    programmes = db.session.scalars(
        select(Programme).where(Programme.id.in_(programme_ids))
        .options(selectinload(Programme.years), selectinload(Programme.organisation))
        .order_by(Programme.name)
    ).all()
    latest = {p.id: p.years[0] for p in programmes if p.years}
    year_ids = [y.id for y in latest.values()]
    enrolled = dict(
        db.session.execute(
            select(Enrolment.year_id, func.count()).where(Enrolment.year_id.in_(year_ids)).group_by(Enrolment.year_id)
        ).all()
    )
    in_triads = dict(
        db.session.execute(
            select(TriadMember.year_id, func.count()).where(TriadMember.year_id.in_(year_ids))
            .group_by(TriadMember.year_id)
        ).all()
    )
    panels = []
    for programme in programmes:
        panel = Panel(programme.name, programme.organisation.name,
                      href=url_for("programmes.show", programme_id=programme.id))
        year = latest.get(programme.id)
        is_lead = programme.id in leads
        if year is None:
            if is_lead:
                panel.tasks.append(Task("Add the academic year the programme runs in.",
                                        url_for("programmes.new_year", programme_id=programme.id),
                                        "Add an academic year"))
            else:
                panel.tasks.append(Task("The programme lead has not set up an academic year yet."))
        else:
            schools = enrolled.get(year.id, 0)
            placed = in_triads.get(year.id, 0)
            if schools == 0 and is_lead:
                panel.tasks.append(Task(f"No schools are enrolled in {year.label} yet.",
                                        url_for("programmes.import_schools", year_id=year.id),
                                        "Import schools from a CSV file"))
            elif schools > placed and is_lead:
                panel.tasks.append(Task(f"{schools - placed} of {schools} schools in {year.label} "
                                        "are not in a triad yet.",
                                        url_for("programmes.new_triad", year_id=year.id), "Form a triad"))
            else:
                panel.tasks.append(Task(f"{year.label}: {schools} schools, {placed // 3} triads.",
                                        url_for("programmes.year", year_id=year.id), f"View {year.label}"))
            if is_lead and schools:
                panel.tasks.append(Task("Give each school's headteacher and SENCo an account.",
                                        url_for("programmes.invite", programme_id=programme.id), "Invite someone"))
                panel.tasks.append(Task(f"Where every triad and school stands in {year.label}.",
                                        url_for("dashboard.show", year_id=year.id), "Open the locality dashboard"))
        panels.append(panel)
    return panels


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
    celebrations: dict[uuid.UUID, CelebrationSubmission]  # by triad id
    asked: dict[uuid.UUID, list]


def _latest_triads(school_ids: set[uuid.UUID]) -> dict[uuid.UUID, TriadMember]:
    """Each school's membership of a triad in the latest year it is in one."""
    memberships = db.session.scalars(
        select(TriadMember)
        .join(Triad, TriadMember.triad_id == Triad.id)
        .join(ProgrammeYear, Triad.year_id == ProgrammeYear.id)
        .where(TriadMember.school_id.in_(school_ids))
        .options(selectinload(TriadMember.triad).selectinload(Triad.year).selectinload(ProgrammeYear.programme),
                 selectinload(TriadMember.triad).selectinload(Triad.members))
        .order_by(ProgrammeYear.start_year.desc())
    ).all()
    latest_triad: dict[uuid.UUID, TriadMember] = {}
    for member in memberships:
        latest_triad.setdefault(member.school_id, member)
    return latest_triad


def _load_coached_plans(coached: dict[uuid.UUID, list[uuid.UUID]],
                        latest_triad: dict[uuid.UUID, TriadMember]) -> dict[uuid.UUID, ActionPlan]:
    """The plans of the schools a coach school coaches, in the years of the triads."""
    coached_ids = {school_id for ids in coached.values() for school_id in ids}
    if not coached_ids:
        return {}
    return {p.school_id: p for p in db.session.scalars(
        select(ActionPlan).where(ActionPlan.school_id.in_(coached_ids),
                                 ActionPlan.year_id.in_({m.triad.year_id for m in latest_triad.values()}))
        .options(*PLAN_OPTIONS))}


def _latest_years(school_ids: set[uuid.UUID]) -> dict[uuid.UUID, ProgrammeYear]:
    """The latest programme year each school is enrolled in."""
    latest_year: dict[uuid.UUID, ProgrammeYear] = {}
    for enrolment in db.session.scalars(
        select(Enrolment).join(ProgrammeYear, Enrolment.year_id == ProgrammeYear.id)
        .where(Enrolment.school_id.in_(school_ids)).order_by(ProgrammeYear.start_year.desc())
        .options(selectinload(Enrolment.year))
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


def _load_school_data(school_ids: set[uuid.UUID]) -> _SchoolData:
    latest_triad = _latest_triads(school_ids)
    evaluations = {(e.school_id, e.year_id): e for e in db.session.scalars(
        select(SelfEvaluation).where(SelfEvaluation.school_id.in_(school_ids))
        .options(selectinload(SelfEvaluation.ratings)))}
    plans = {(p.school_id, p.year_id): p for p in db.session.scalars(
        select(ActionPlan).where(ActionPlan.school_id.in_(school_ids)).options(selectinload(ActionPlan.actions)))}
    coached = {m.school_id: [o.school_id for o in m.triad.members if o.school_id != m.school_id]
               for m in latest_triad.values() if m.is_coach}
    coached_plans = _load_coached_plans(coached, latest_triad)
    latest_year = _latest_years(school_ids)
    events = _events_by_year(list(latest_year.values()))
    next_cluster_meeting = _next_cluster_meetings(school_ids)
    celebrations = {s.triad_id: s for s in db.session.scalars(
        select(CelebrationSubmission).where(CelebrationSubmission.triad_id.in_(
            {m.triad_id for m in latest_triad.values()})).options(selectinload(CelebrationSubmission.learnings)))}
    asked = _open_requests_by_school(school_ids)
    return _SchoolData(latest_triad, evaluations, plans, coached, coached_plans, latest_year, events,
                       next_cluster_meeting, celebrations, asked)


def _request_tasks(recipients: list) -> list[Task]:
    tasks = []
    for recipient in recipients:
        due = recipient.request.due_on
        tasks.append(Task(f"Information request: {recipient.request.title}, due {dates.day(due)}.",
                          url_for("requests.answer", recipient_id=recipient.id),
                          f"Answer “{recipient.request.title}”"))
    return tasks


def _overdue_coached_actions(school: School, triad: Triad, data: _SchoolData) -> int:
    """The overdue actions of the other schools' plans as the coach may read them: their last finalised versions."""
    return sum(row_is_overdue(row, clock.today()) for school_id in data.coached.get(school.id, [])
               for plan in [data.coached_plans.get(school_id)] if plan and plan.year_id == triad.year_id
               for row in shared_actions(plan))


def _triad_tasks(school: School, data: _SchoolData) -> list[Task]:
    member = data.latest_triad.get(school.id)
    if member is None:
        return [Task("Your school is not in a triad yet. Your programme lead will place it in one.")]
    triad = member.triad
    role = "the coach school" if member.is_coach else "a member school"
    tasks = [Task(f"{triad.year.label}: your school is {role} in {triad.name} ({triad.year.programme.name}).",
                  url_for("programmes.triad", triad_id=triad.id), f"View {triad.name}")]
    late = _overdue_coached_actions(school, triad, data)
    if late:
        tasks.append(Task(f"As coach: {late} overdue action{'s' if late != 1 else ''} "
                          f"in {triad.name}'s other schools.",
                          url_for("action_plans.triad", triad_id=triad.id), "See the triad's progress"))
    tasks.append(_celebration_task(triad, data.celebrations.get(triad.id)))
    tasks.append(Task("Find what has worked in other schools of the programme.",
                      url_for("celebration.library", programme_id=triad.year.programme_id),
                      "Search the practice library"))
    return tasks


def _cluster_meeting_task(meeting: ClusterMeeting, cluster_name: str) -> Task:
    return Task(f"{cluster_name} {meeting.term.label.lower()} meeting: {dates.moment(meeting.starts_at)}.",
                url_for("scheduling.show_cluster_meeting", cluster_meeting_id=meeting.id),
                f"See the {cluster_name} meeting")


def _event_task(event: ProgrammeEvent) -> Task:
    return Task(f"{event.kind.label}: {dates.moment(event.starts_at)}, {event.place}.",
                url_for("calendars.event_ics", event_id=event.id),
                f"Add the {event.kind.label.lower()} to your calendar")


def _school_panel(school: School, data: _SchoolData) -> Panel:
    panel = Panel(school.name, f"URN {school.urn}", href=url_for("programmes.school", school_id=school.id))
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


def _school_panels(school_ids: set[uuid.UUID]) -> list[Panel]:
    schools = db.session.scalars(select(School).where(School.id.in_(school_ids)).order_by(School.name)).all()
    data = _load_school_data(school_ids)
    return [_school_panel(school, data) for school in schools]


def _celebration_task(triad: Triad, submission: CelebrationSubmission | None) -> Task:
    link = url_for("celebration.show", triad_id=triad.id)
    if submission is not None and submission.is_submitted:
        return Task(f"{triad.name}'s key learnings are submitted for the celebration of learning.", link,
                    f"See {triad.name}'s key learnings")
    written = len(submission.learnings) if submission else 0
    return Task(f"Celebration of learning: {triad.name} has written {written} of {MAX_LEARNINGS} key learnings.",
                link, "Share your triad's key learnings")


def _evaluation_task(school: School, year: ProgrammeYear, evaluation: SelfEvaluation | None) -> Task:
    if evaluation is None:
        return Task(f"Your self-evaluation for {year.label} is not started.",
                    url_for("programmes.school", school_id=school.id),
                    "Start the self-evaluation on your school's page")
    link = url_for("self_evaluations.show", evaluation_id=evaluation.id)
    if evaluation.status == EvaluationStatus.DRAFT:
        done = sum(r.is_complete for r in evaluation.ratings)
        return Task(f"Self-evaluation {year.label}: {done} of {len(evaluation.ratings)} areas done.", link,
                    "Carry on with the self-evaluation")
    if evaluation.status == EvaluationStatus.SUBMITTED:
        return Task(f"Self-evaluation {year.label} is submitted and waiting for the headteacher to sign it off.", link,
                    "View the self-evaluation")
    return Task(f"Self-evaluation {year.label} is signed off.", link, "View the self-evaluation")


def _qa_panels(user: User, programme_ids: set[uuid.UUID]) -> list[Panel]:
    """The schools a QA expert is assigned to, with their self-evaluations once submitted."""
    visits = db.session.scalars(
        select(QAVisit).join(ProgrammeYear, QAVisit.year_id == ProgrammeYear.id)
        .where(QAVisit.expert_id == user.id, ProgrammeYear.programme_id.in_(programme_ids))
        .options(selectinload(QAVisit.school), selectinload(QAVisit.year))
    ).all()
    evaluations = {(e.school_id, e.year_id): e for e in db.session.scalars(
        select(SelfEvaluation).where(SelfEvaluation.school_id.in_({v.school_id for v in visits})))} if visits else {}
    panel = Panel("Your QA visits", "QA expert")
    for visit in sorted(visits, key=lambda v: (-v.year.start_year, v.school.name)):
        evaluation = evaluations.get((visit.school_id, visit.year_id))
        if evaluation is None or evaluation.status == EvaluationStatus.DRAFT:
            panel.tasks.append(Task(f"{visit.school.name} ({visit.year.label}) "
                                    "has not submitted its self-evaluation yet."))
        else:
            panel.tasks.append(Task(f"{visit.school.name} ({visit.year.label}): "
                                    f"self-evaluation {evaluation.status.label.lower()}.",
                                    url_for("self_evaluations.show", evaluation_id=evaluation.id),
                                    f"Read and moderate {visit.school.name}'s self-evaluation"))
    if not visits:
        panel.tasks.append(Task("No schools are assigned to you yet. "
                                "The programme lead assigns QA experts to schools."))
    return [panel]


def _plan_task(school: School, year: ProgrammeYear, plan: ActionPlan | None) -> Task:
    if plan is None:
        return Task(f"Your action plan for {year.label} is not started.",
                    url_for("programmes.school", school_id=school.id), "Start the action plan on your school's page")
    overdue = sum(is_overdue(a, clock.today()) for a in plan.actions)
    text = (f"Action plan {year.label}, version {plan.version} ({plan.status.label.lower()}): "
            f"{completion(plan.actions)}.")
    if overdue:
        text += f" {overdue} overdue."
    return Task(text, url_for("action_plans.show", plan_id=plan.id), "Open the action plan")


def _cluster_panels(cluster_ids: set[uuid.UUID]) -> list[Panel]:
    """Each cluster the person leads: its schools this year, reviews due or overdue, the next meeting."""
    clusters = db.session.scalars(
        select(Cluster).where(Cluster.id.in_(cluster_ids))
        .options(selectinload(Cluster.programme).selectinload(Programme.years)).order_by(Cluster.name)
    ).all()
    latest = {c.id: c.programme.years[0] for c in clusters if c.programme.years}
    reviews: dict[uuid.UUID, list[date | None]] = {}
    for cluster_id, last in db.session.execute(
        select(Enrolment.cluster_id, School.last_send_review_on).join(School, Enrolment.school_id == School.id)
        .where(Enrolment.cluster_id.in_(cluster_ids), Enrolment.year_id.in_({y.id for y in latest.values()}))
    ):
        reviews.setdefault(cluster_id, []).append(last)
    upcoming: dict[uuid.UUID, ClusterMeeting] = {}
    for meeting in db.session.scalars(
        select(ClusterMeeting).where(ClusterMeeting.cluster_id.in_(cluster_ids),
                                     ClusterMeeting.starts_at >= clock.now())
        .order_by(ClusterMeeting.starts_at)
    ):
        upcoming.setdefault(meeting.cluster_id, meeting)
    panels = []
    for cluster in clusters:
        href = url_for("clusters.show", cluster_id=cluster.id)
        panel = Panel(cluster.name, cluster.programme.name, href=href)
        lasts = reviews.get(cluster.id, [])
        if not lasts:
            panel.tasks.append(Task("No schools are in this cluster yet. "
                                    "The programme lead assigns schools to clusters."))
            panels.append(panel)
            continue
        panel.tasks.append(Task(f"{len(lasts)} schools are in this cluster.", href, f"View {cluster.name}"))
        due = sum(review_status(last, clock.today()) in (OVERDUE, DUE) for last in lasts)
        panel.tasks.append(Task(f"{due} Whole School SEND Review{'s are' if due != 1 else ' is'} due or overdue.",
                                url_for("clusters.show", cluster_id=cluster.id, _anchor="reviews"),
                                "See the reviews") if due else Task("No Whole School SEND Reviews are due or overdue."))
        meeting = upcoming.get(cluster.id)
        meetings = url_for("clusters.show", cluster_id=cluster.id, _anchor="meetings")
        panel.tasks.append(Task(f"Next termly meeting: {meeting.term.label.lower()}, "
                                f"{dates.moment(meeting.starts_at)}.",
                                meetings, "See the termly meetings") if meeting else
                           Task("No termly meeting is coming up.", meetings, "Schedule the termly meetings"))
        panels.append(panel)
    return panels


def home_panels(user: User) -> list[Panel]:
    """The panels for a person's home page, one per programme or school they work in."""
    panels: list[Panel] = []
    if user.has_role(Role.ADMIN):
        organisations = db.session.scalar(select(func.count()).select_from(Organisation))
        task = (Task(f"{organisations} organisations use the service.", url_for("admin.index"),
                     "Manage organisations and users")
                if organisations else
                Task("No organisations yet.", url_for("admin.new_organisation"), "Add an organisation"))
        panels.append(Panel("Administration", "Whole service", [task]))
    programme_ids = {r.programme_id for r in user.roles if r.programme_id}
    leads = {r.programme_id for r in user.roles if r.role == Role.PROGRAMME_LEAD and r.programme_id}
    if programme_ids:
        panels += _programme_panels(programme_ids, leads)
    experts_in = {r.programme_id for r in user.roles if r.role == Role.QA_EXPERT and r.programme_id}
    if experts_in:
        panels += _qa_panels(user, experts_in)
    school_ids = {r.school_id for r in user.roles if r.school_id}
    if school_ids:
        panels += _school_panels(school_ids)
    cluster_ids = {r.cluster_id for r in user.roles if r.cluster_id}
    if cluster_ids:
        panels += _cluster_panels(cluster_ids)
    return panels
