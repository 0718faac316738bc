"""What each person has to do next, for their home page: a panel per programme, school or cluster they
work in (the schools' panels are in schools.py). Panels carry links, not URLs: the template writes those."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.clusters.service import DUE, OVERDUE, review_status
from app.common import clock, dates
from app.common.links import Link
from app.extensions import db
from app.home.schools import school_panels
from app.home.tasks import Panel, Task
from app.models import (
    Cluster,
    ClusterMeeting,
    Enrolment,
    EvaluationStatus,
    Organisation,
    Programme,
    ProgrammeYear,
    QAVisit,
    Role,
    School,
    SelfEvaluation,
    TriadMember,
    User,
)

__all__ = ["Panel", "Task", "home_panels"]


def _programme_panels(programme_ids: set[uuid.UUID], leads: set[uuid.UUID]) -> list[Panel]:
    programmes = db.session.scalars(
        select(Programme).where(Programme.id.in_(programme_ids))
        .options(selectinload(Programme.years), joinedload(Programme.organisation))
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
                      link=Link.to("programmes.show", programme_id=programme.id))
        year = latest.get(programme.id)
        is_lead = programme.id in leads
        if year is None:
            if is_lead:
                panel.tasks.append(Task("Add the academic year the programme runs in.",
                                        Link.to("programmes.new_year", programme_id=programme.id),
                                        "Add an academic year"))
            else:
                panel.tasks.append(Task("The programme lead has not set up an academic year yet."))
        else:
            schools = enrolled.get(year.id, 0)
            placed = in_triads.get(year.id, 0)
            if schools == 0 and is_lead:
                panel.tasks.append(Task(f"No schools are enrolled in {year.label} yet.",
                                        Link.to("programmes.import_schools", year_id=year.id),
                                        "Import schools from a CSV file"))
            elif schools > placed and is_lead:
                panel.tasks.append(Task(f"{schools - placed} of {schools} schools in {year.label} "
                                        "are not in a triad yet.",
                                        Link.to("programmes.new_triad", year_id=year.id), "Form a triad"))
            else:
                panel.tasks.append(Task(f"{year.label}: {schools} schools, {placed // 3} triads.",
                                        Link.to("programmes.year", year_id=year.id), f"View {year.label}"))
            if is_lead and schools:
                panel.tasks.append(Task("Give each school's headteacher and SENCo an account.",
                                        Link.to("programmes.invite", programme_id=programme.id), "Invite someone"))
                panel.tasks.append(Task(f"Where every triad and school stands in {year.label}.",
                                        Link.to("dashboard.show", year_id=year.id), "Open the locality dashboard"))
        panels.append(panel)
    return panels


def _qa_panels(user: User, programme_ids: set[uuid.UUID]) -> list[Panel]:
    """The schools a QA expert is assigned to, with their self-evaluations once submitted: one query for the
    names, years and statuses shown."""
    visits = db.session.execute(
        select(School.name, ProgrammeYear, SelfEvaluation.id, SelfEvaluation.status)
        .select_from(QAVisit)
        .join(School, QAVisit.school_id == School.id)
        .join(ProgrammeYear, QAVisit.year_id == ProgrammeYear.id)
        .outerjoin(SelfEvaluation, (SelfEvaluation.school_id == QAVisit.school_id)
                   & (SelfEvaluation.year_id == QAVisit.year_id))
        .where(QAVisit.expert_id == user.id, ProgrammeYear.programme_id.in_(programme_ids))
    ).all()
    panel = Panel("Your QA visits", "QA expert")
    for name, year, evaluation_id, status in sorted(visits, key=lambda v: (-v[1].start_year, v[0])):
        if evaluation_id is None or status == EvaluationStatus.DRAFT:
            panel.tasks.append(Task(f"{name} ({year.label}) has not submitted its self-evaluation yet."))
        else:
            panel.tasks.append(Task(f"{name} ({year.label}): self-evaluation {status.label.lower()}.",
                                    Link.to("self_evaluations.show", evaluation_id=evaluation_id),
                                    f"Read and moderate {name}'s self-evaluation"))
    if not visits:
        panel.tasks.append(Task("No schools are assigned to you yet. "
                                "The programme lead assigns QA experts to schools."))
    return [panel]


def _cluster_panels(cluster_ids: set[uuid.UUID]) -> list[Panel]:
    """Each cluster the person leads: its schools this year, reviews due or overdue, the next meeting."""
    clusters = db.session.scalars(
        select(Cluster).where(Cluster.id.in_(cluster_ids))
        .options(joinedload(Cluster.programme).selectinload(Programme.years)).order_by(Cluster.name)
    ).all()
    latest = {c.id: c.programme.years[0] for c in clusters if c.programme.years}
    reviews: dict[uuid.UUID, list[date | None]] = {}
    for cluster_id, last in db.session.execute(
        select(Enrolment.cluster_id, School.last_send_review_on).join(School, Enrolment.school_id == School.id)
        .where(Enrolment.cluster_id.in_(cluster_ids), Enrolment.year_id.in_({y.id for y in latest.values()}))
    ):
        if cluster_id is not None:
            reviews.setdefault(cluster_id, []).append(last)
    upcoming: dict[uuid.UUID, ClusterMeeting] = {}
    for meeting in db.session.scalars(
        select(ClusterMeeting).where(ClusterMeeting.cluster_id.in_(cluster_ids),
                                     ClusterMeeting.starts_at >= clock.now())
        .order_by(ClusterMeeting.starts_at)
    ):
        upcoming.setdefault(meeting.cluster_id, meeting)
    return [_cluster_panel(cluster, reviews.get(cluster.id, []), upcoming.get(cluster.id)) for cluster in clusters]


def _cluster_panel(cluster: Cluster, lasts: list[date | None], meeting: ClusterMeeting | None) -> Panel:
    """A cluster's schools (by the dates of their last reviews) and its next termly meeting."""
    link = Link.to("clusters.show", cluster_id=cluster.id)
    panel = Panel(cluster.name, cluster.programme.name, link=link)
    if not lasts:
        panel.tasks.append(Task("No schools are in this cluster yet. "
                                "The programme lead assigns schools to clusters."))
        return panel
    panel.tasks.append(Task(f"{len(lasts)} schools are in this cluster.", link, f"View {cluster.name}"))
    due = sum(review_status(last, clock.today()) in (OVERDUE, DUE) for last in lasts)
    panel.tasks.append(Task(f"{due} Whole School SEND Review{'s are' if due != 1 else ' is'} due or overdue.",
                            Link.to("clusters.show", cluster_id=cluster.id, _anchor="reviews"),
                            "See the reviews") if due else Task("No Whole School SEND Reviews are due or overdue."))
    meetings = Link.to("clusters.show", cluster_id=cluster.id, _anchor="meetings")
    panel.tasks.append(Task(f"Next termly meeting: {meeting.term.label.lower()}, "
                            f"{dates.moment(meeting.starts_at)}.",
                            meetings, "See the termly meetings") if meeting else
                       Task("No termly meeting is coming up.", meetings, "Schedule the termly meetings"))
    return panel


def home_panels(user: User) -> list[Panel]:
    """The panels for a person's home page, one per programme or school they work in."""
    panels: list[Panel] = []
    if user.has_role(Role.ADMIN):
        organisations = db.session.scalar(select(func.count()).select_from(Organisation))
        task = (Task(f"{organisations} organisations use the service.", Link.to("admin.index"),
                     "Manage organisations and users")
                if organisations else
                Task("No organisations yet.", Link.to("admin.new_organisation"), "Add an organisation"))
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
        panels += school_panels(school_ids)
    cluster_ids = {r.cluster_id for r in user.roles if r.cluster_id}
    if cluster_ids:
        panels += _cluster_panels(cluster_ids)
    return panels
