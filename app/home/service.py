"""Each person's task list, worked out from the records on every request: the programme lead's, the QA
expert's and the cluster lead's here, a school's staff's and a coach school's in school_tasks.py. Each kind
of record is read once for all the person's programmes, schools and clusters, so a person with 50 schools
costs the same number of queries as one with a school."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.clusters.service import review_status, term_of
from app.common import clock, dates
from app.common.links import Link
from app.deadlines.service import deadlines_for
from app.extensions import db
from app.home.school_tasks import add_school_tasks
from app.home.tasks import Group, Task, TaskList, TaskStatus, how_many
from app.models import (
    CelebrationSubmission,
    Cluster,
    ClusterMeeting,
    DeadlineKind,
    Enrolment,
    EvaluationStatus,
    InformationRequest,
    Learning,
    ModeratedRating,
    Organisation,
    Programme,
    ProgrammeYear,
    QAVisit,
    RequestRecipient,
    Role,
    School,
    SelfEvaluation,
    Triad,
    TriadMember,
    User,
)

__all__ = ["Task", "TaskList", "tasks_for"]
TODO, WAITING, DONE = TaskStatus.TODO, TaskStatus.WAITING, TaskStatus.DONE


def _counts(column: Any, *where: Any, by: Any) -> dict[uuid.UUID, int]:
    return dict(db.session.execute(select(by, func.count(column)).where(*where).group_by(by)).all())


def _submission_counts(year_ids: list[uuid.UUID], column: Any, *where: Any) -> dict[uuid.UUID, int]:
    """Counted over the year's triads' celebration submissions (and their learnings, when `column` is one)."""
    query = (select(Triad.year_id, func.count(column))
             .join(CelebrationSubmission, CelebrationSubmission.triad_id == Triad.id)
             .where(Triad.year_id.in_(year_ids), *where).group_by(Triad.year_id))
    if column is Learning.id:
        query = query.join(Learning, Learning.submission_id == CelebrationSubmission.id)
    return dict(db.session.execute(query).all())


def _year_counts(year_ids: list[uuid.UUID]) -> dict[str, dict[uuid.UUID, int]]:
    """What the lead's tasks count in each year, a grouped query each."""
    return {
        "enrolled": _counts(Enrolment.id, Enrolment.year_id.in_(year_ids), by=Enrolment.year_id),
        "placed": _counts(TriadMember.id, TriadMember.year_id.in_(year_ids), by=TriadMember.year_id),
        "assigned": _counts(QAVisit.id, QAVisit.year_id.in_(year_ids), by=QAVisit.year_id),
        "booked": _counts(QAVisit.starts_at, QAVisit.year_id.in_(year_ids), by=QAVisit.year_id),
        "submitted": _counts(SelfEvaluation.id, SelfEvaluation.year_id.in_(year_ids),
                             SelfEvaluation.status != EvaluationStatus.DRAFT, by=SelfEvaluation.year_id),
        "triads": _counts(Triad.id, Triad.year_id.in_(year_ids), by=Triad.year_id),
        "learnings_in": _submission_counts(year_ids, CelebrationSubmission.submitted_at),
        "untagged": _submission_counts(year_ids, Learning.id, CelebrationSubmission.submitted_at.is_not(None),
                                       Learning.tagged_at.is_(None)),
    }


def _lead_tasks(group: Group, year: ProgrammeYear, counts: dict[str, dict[uuid.UUID, int]],
                due: dict[DeadlineKind, date]) -> list[Task | None]:
    got = {name: by_year.get(year.id, 0) for name, by_year in counts.items()}
    schools, link = got["enrolled"], Link.to("programmes.year", year_id=year.id)
    if not schools:
        return [Task(f"Enrol the schools taking part in {year.label}", TODO, group,
                     Link.to("programmes.import_schools", year_id=year.id))]
    unplaced, unassigned, unbooked = schools - got["placed"], schools - got["assigned"], got["assigned"] - got["booked"]
    waiting = schools - got["submitted"]
    triads = got["triads"]
    return [
        Task(f"Place {how_many(unplaced, schools, 'school')} in triads", TODO, group,
             Link.to("programmes.new_triad", year_id=year.id)) if unplaced else None,
        Task(f"Assign a QA expert to {how_many(unassigned, schools, 'school')}", TODO, group, link)
        if unassigned else None,
        Task(f"Book {how_many(unbooked, schools, 'QA visit')}", TODO, group, link,
             due_on=due.get(DeadlineKind.QA_VISITS)) if unbooked else None,
        None if due else Task(f"Set the deadlines for {year.label}", TODO, group,
                              Link.to("deadlines.edit", year_id=year.id),
                              hint="The dates schools work to; they are chased before and after each"),
        Task(f"Self-evaluations: {how_many(waiting, schools, 'school')} still to submit", WAITING, group,
             Link.to("deadlines.edit", year_id=year.id) if due else Link.to("dashboard.show", year_id=year.id),
             due_on=due.get(DeadlineKind.SUBMITTED), hint="Chase late schools from the deadlines page"
             if due else "See where each stands on the dashboard") if waiting else
        Task("Every school has submitted its self-evaluation", DONE, group, Link.to("dashboard.show", year_id=year.id)),
        Task(f"Tag {got['untagged']} key learning{'s' if got['untagged'] != 1 else ''} with the evidence they show",
             TODO, group, Link.to("celebration.year", year_id=year.id)) if got["untagged"] else None,
        (Task("Print the celebration of learning pack", TODO, group, Link.to("celebration.year", year_id=year.id))
         if triads and got["learnings_in"] == triads else
         Task(f"Key learnings: {got['learnings_in']} of {triads} triads have submitted theirs", WAITING, group,
              Link.to("celebration.year", year_id=year.id),
              due_on=due.get(DeadlineKind.LEARNINGS))) if triads else None,
    ]


def _add_programme_tasks(tasks: TaskList, programme_ids: set[uuid.UUID], leads: set[uuid.UUID]) -> None:
    programmes = db.session.scalars(
        select(Programme).where(Programme.id.in_(programme_ids))
        .options(selectinload(Programme.years), joinedload(Programme.organisation)).order_by(Programme.name)).all()
    latest = {p.id: p.years[0] for p in programmes if p.years}
    open_years = [y.id for p_id, y in latest.items() if p_id in leads and not y.is_closed]
    counts, deadlines = _year_counts(open_years), deadlines_for(open_years)
    for programme in programmes:
        if programme.id not in leads:
            continue
        group = tasks.place(Group(programme.name, programme.organisation.name,
                                  Link.to("programmes.show", programme_id=programme.id)))
        year = latest.get(programme.id)
        if year is None or year.is_closed:
            tasks.add(Task("Add the next academic year", TODO, group,
                           Link.to("programmes.new_year", programme_id=programme.id)))
            continue
        tasks.add(*_lead_tasks(group, year, counts, deadlines.get(year.id, {})))


def _add_qa_tasks(tasks: TaskList, user: User, programme_ids: set[uuid.UUID]) -> None:
    """Each school assigned to the QA expert in an open year: moderate it once its self-evaluation is in
    and the visit has happened."""
    now = clock.now()
    for name, school_id, year, visit_at, evaluation_id, status, moderated in db.session.execute(
        select(School.name, School.id, ProgrammeYear, QAVisit.starts_at, SelfEvaluation.id, SelfEvaluation.status,
               select(func.count(ModeratedRating.id)).where(ModeratedRating.qa_visit_id == QAVisit.id)
               .correlate(QAVisit).scalar_subquery())
        .select_from(QAVisit).join(School, QAVisit.school_id == School.id)
        .join(ProgrammeYear, QAVisit.year_id == ProgrammeYear.id)
        .outerjoin(SelfEvaluation, (SelfEvaluation.school_id == QAVisit.school_id)
                   & (SelfEvaluation.year_id == QAVisit.year_id))
        .where(QAVisit.expert_id == user.id, ProgrammeYear.programme_id.in_(programme_ids), ~ProgrammeYear.is_closed)
        .order_by(School.name)
    ):
        group = Group(name, f"QA visit, {year.label}", Link.to("programmes.school", school_id=school_id))
        visit_link = Link.to("scheduling.qa_visit", year_id=year.id, school_id=school_id)
        if visit_at is None:
            tasks.add(Task("Agree the date of the QA visit with the school", WAITING, group, visit_link,
                           hint="The programme lead books it"))
        if evaluation_id is None or status == EvaluationStatus.DRAFT:
            tasks.add(Task("Self-evaluation not submitted yet", WAITING, group, hint="With the school"))
        elif moderated:
            tasks.add(Task("Moderated ratings recorded", DONE, group,
                           Link.to("self_evaluations.show", evaluation_id=evaluation_id)))
        elif visit_at is not None and visit_at < now:
            tasks.add(Task("Record your moderated ratings", TODO, group,
                           Link.to("self_evaluations.moderate", evaluation_id=evaluation_id),
                           due_on=clock.in_london(visit_at).date()))
        else:
            tasks.add(Task("Read the self-evaluation before the visit", TODO, group,
                           Link.to("self_evaluations.show", evaluation_id=evaluation_id),
                           due_on=clock.in_london(visit_at).date() if visit_at else None))


def _late_answers(issuer: User) -> list[tuple[InformationRequest, int]]:
    """The person's requests past their due date, with how many schools have not answered."""
    return list(db.session.execute(
        select(InformationRequest, func.count(RequestRecipient.id)).join(
            RequestRecipient, RequestRecipient.request_id == InformationRequest.id)
        .where(InformationRequest.issued_by_id == issuer.id, InformationRequest.due_on < clock.today(),
               RequestRecipient.answered_at.is_(None))
        .group_by(InformationRequest.id).order_by(InformationRequest.due_on)).all())


def _add_cluster_tasks(tasks: TaskList, cluster_ids: set[uuid.UUID]) -> None:
    """Each cluster the person leads: this term's meeting, and the Whole School SEND Reviews due."""
    clusters = db.session.scalars(select(Cluster).where(Cluster.id.in_(cluster_ids))
                                  .options(joinedload(Cluster.programme).selectinload(Programme.years))
                                  .order_by(Cluster.name)).all()
    years = {c.id: c.programme.years[0] for c in clusters if c.programme.years and not c.programme.years[0].is_closed}
    meetings = {(m.cluster_id, m.term) for m in db.session.scalars(select(ClusterMeeting).where(
        ClusterMeeting.cluster_id.in_(cluster_ids), ClusterMeeting.year_id.in_({y.id for y in years.values()})))}
    due: dict[uuid.UUID, int] = {}
    for cluster_id, last in db.session.execute(
            select(Enrolment.cluster_id, School.last_send_review_on).join(School, Enrolment.school_id == School.id)
            .where(Enrolment.cluster_id.in_(cluster_ids), Enrolment.year_id.in_({y.id for y in years.values()}))):
        if cluster_id is not None:
            due[cluster_id] = due.get(cluster_id, 0) + review_status(last, clock.today()).needs_action
    for cluster in clusters:
        tasks.place(Group(cluster.name, "Your cluster", Link.to("clusters.show", cluster_id=cluster.id)))
        year = years.get(cluster.id)
        if year is None:
            continue
        group = Group(cluster.name, f"Your cluster, {year.label}", Link.to("clusters.show", cluster_id=cluster.id))
        term = term_of(clock.today(), year.start_year)
        if term is not None and (cluster.id, term) not in meetings:
            tasks.add(Task(f"Arrange the {term.label.lower()} term meeting", TODO, group,
                           Link.to("scheduling.cluster_meeting", cluster_id=cluster.id, term=term.value)))
        if due.get(cluster.id):
            count = due[cluster.id]
            tasks.add(Task(f"{count} school{'s are' if count != 1 else ' is'} due a Whole School SEND Review",
                           TODO, group, Link.to("clusters.show", cluster_id=cluster.id, _anchor="reviews")))


def tasks_for(user: User) -> TaskList:
    """The person's task list: everything their roles give them to do, wait for, or have done lately."""
    tasks = TaskList(clock.today())
    if user.has_role(Role.ADMIN) and not db.session.scalar(select(func.count()).select_from(Organisation)):
        tasks.add(Task("Add the first organisation", TODO, Group("Administration", "Whole service"),
                       Link.to("admin.new_organisation")))
    programme_ids = {r.programme_id for r in user.roles if r.programme_id}
    leads = {r.programme_id for r in user.roles if r.role == Role.PROGRAMME_LEAD and r.programme_id}
    if leads:
        _add_programme_tasks(tasks, programme_ids, leads)
    experts_in = {r.programme_id for r in user.roles if r.role == Role.QA_EXPERT and r.programme_id}
    if experts_in:
        _add_qa_tasks(tasks, user, experts_in)
    school_ids = {r.school_id for r in user.roles if r.school_id}
    if school_ids:
        add_school_tasks(tasks, user, school_ids)
    cluster_ids = {r.cluster_id for r in user.roles if r.cluster_id}
    if cluster_ids:
        _add_cluster_tasks(tasks, cluster_ids)
    if leads or cluster_ids:
        for request, late in _late_answers(user):
            tasks.add(Task(f"Chase {late} late answer{'s' if late != 1 else ''} to “{request.title}”", TODO,
                           Group(request.title, f"Information request, due {dates.day(request.due_on)}",
                                 Link.to("requests.show", request_id=request.id)),
                           Link.to("requests.show", request_id=request.id), due_on=request.due_on))
    return tasks
