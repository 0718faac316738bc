"""Reminder emails before meetings and visits, and a weekly digest of overdue actions.

Each message is queued under a key naming what it is about and for whom, so it is written once
however many schedulers run the job, and not again after a restart. Delivery (email.deliver_outbox)
claims each message before sending it."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.action_plans.exports import shown_actions
from app.action_plans.progress import PLAN_OPTIONS, is_overdue
from app.action_plans.versions import actions_seen, shared_actions
from app.common import dates
from app.common.clock import in_london
from app.common.links import absolute_url
from app.common.settings import render_text, setting
from app.common.working_days import working_days_before
from app.extensions import db
from app.information_requests.service import closures_for
from app.models import (
    ActionPlan,
    ClusterMeeting,
    Enrolment,
    InformationRequest,
    OutboxEmail,
    PeerVisit,
    ProgrammeYear,
    QAVisit,
    RequestRecipient,
    Role,
    RoleAssignment,
    Triad,
    TriadMeeting,
    TriadMember,
    User,
)
from app.models.action_plan import ActionSnapshot
from app.notifications.email import queue_email
from app.notifications.notices import staff_by_school


@dataclass
class Message:
    key: str
    user: User
    subject: str
    body: str


def _queue(messages: list[Message]) -> int:
    """Queue the messages not already queued under their keys (one look-up, then one insert each)."""
    if not messages:
        return 0
    taken = set(db.session.scalars(select(OutboxEmail.dedupe_key)
                                   .where(OutboxEmail.dedupe_key.in_([m.key for m in messages]))))
    queued = 0
    for message in messages:
        if message.key not in taken and queue_email(message.user.email, message.subject, message.body,
                                                    key=message.key) is not None:
            queued += 1
    db.session.flush()
    return queued


@dataclass
class _Upcoming:
    """The meetings and visits starting soon, and who takes part in the cluster meetings."""

    meetings: list[TriadMeeting]
    visits: list[PeerVisit]
    qa_visits: list[QAVisit]
    cluster_meetings: list[ClusterMeeting]
    in_cluster: dict[tuple[uuid.UUID, uuid.UUID], set[uuid.UUID]]  # (cluster, year) -> its schools
    cluster_leads: dict[uuid.UUID, list[User]]  # by cluster id

    def school_ids(self) -> set[uuid.UUID]:
        return ({m.school_id for meeting in self.meetings for m in meeting.triad.members}
                | {m.school_id for visit in self.visits for m in visit.triad.members}
                | {visit.school_id for visit in self.qa_visits}
                | {school_id for ids in self.in_cluster.values() for school_id in ids})


def _load_upcoming(now: datetime, until: datetime) -> _Upcoming:
    meetings = db.session.scalars(
        select(TriadMeeting).where(TriadMeeting.starts_at > now, TriadMeeting.starts_at <= until)
        .options(selectinload(TriadMeeting.triad).selectinload(Triad.members),
                 selectinload(TriadMeeting.triad).selectinload(Triad.year).selectinload(ProgrammeYear.programme))
    ).all()
    visits = db.session.scalars(
        select(PeerVisit).where(PeerVisit.starts_at > now, PeerVisit.starts_at <= until)
        .options(selectinload(PeerVisit.triad).selectinload(Triad.members), selectinload(PeerVisit.visited_school),
                 selectinload(PeerVisit.focus_area))
    ).all()
    qa_visits = db.session.scalars(
        select(QAVisit).where(QAVisit.starts_at > now, QAVisit.starts_at <= until)
        .options(selectinload(QAVisit.school), selectinload(QAVisit.expert))
    ).all()
    cluster_meetings = db.session.scalars(
        select(ClusterMeeting).where(ClusterMeeting.starts_at > now, ClusterMeeting.starts_at <= until)
        .options(selectinload(ClusterMeeting.cluster))).all()
    in_cluster, cluster_leads = _cluster_people(list(cluster_meetings))
    return _Upcoming(list(meetings), list(visits), list(qa_visits), list(cluster_meetings), in_cluster, cluster_leads)


def _cluster_people(cluster_meetings: list[ClusterMeeting]) -> tuple[
        dict[tuple[uuid.UUID, uuid.UUID], set[uuid.UUID]], dict[uuid.UUID, list[User]]]:
    """The schools of each meeting's cluster in its year, and each cluster's active leads."""
    in_cluster: dict[tuple[uuid.UUID, uuid.UUID], set[uuid.UUID]] = {}
    cluster_leads: dict[uuid.UUID, list[User]] = {}
    if not cluster_meetings:
        return in_cluster, cluster_leads
    for cluster_id, year_id, school_id in db.session.execute(
            select(Enrolment.cluster_id, Enrolment.year_id, Enrolment.school_id)
            .where(Enrolment.cluster_id.in_({m.cluster_id for m in cluster_meetings}),
                   Enrolment.year_id.in_({m.year_id for m in cluster_meetings}))):
        if cluster_id is not None:
            in_cluster.setdefault((cluster_id, year_id), set()).add(school_id)
    for assignment in db.session.scalars(
            select(RoleAssignment).where(RoleAssignment.role == Role.CLUSTER_LEAD,
                                         RoleAssignment.cluster_id.in_({m.cluster_id for m in cluster_meetings}))
            .options(selectinload(RoleAssignment.user))):
        if assignment.user.active and assignment.cluster_id is not None:
            cluster_leads.setdefault(assignment.cluster_id, []).append(assignment.user)
    return in_cluster, cluster_leads


def _reminders(kind: str, record: TriadMeeting | PeerVisit | QAVisit | ClusterMeeting, people: list[User],
               subject: str, template: str, **context: Any) -> list[Message]:
    """One reminder of a meeting or visit to each person, keyed by what, whom and when."""
    starts_at = record.starts_at
    if starts_at is None:  # a QA visit not yet given a time has nothing to remind of
        return []
    when = dates.weekday_moment(starts_at)
    return [Message(f"reminder:{kind}:{record.id}:{person.id}:{starts_at.isoformat()}", person, subject,
                    render_text(template, user=person, when=when, **context))
            for person in people]


def queue_reminders(now: datetime) -> int:
    """Queue a reminder for each meeting and visit starting in the next REMINDER_DAYS days, to each
    person taking part. A moved date is a new reminder (the key holds the time)."""
    upcoming = _load_upcoming(now, now + timedelta(days=setting("REMINDER_DAYS")))
    staff = staff_by_school(upcoming.school_ids())
    messages: list[Message] = []
    for meeting in upcoming.meetings:
        people = [p for m in meeting.triad.members for p in staff.get(m.school_id, [])]
        messages += _reminders(
            "meeting", meeting, people, f"Reminder: {meeting.triad.name} meeting {meeting.number}, "
            f"{dates.weekday_moment(meeting.starts_at)}", "emails/reminder_meeting.txt", meeting=meeting,
            link=absolute_url("programmes.triad", triad_id=meeting.triad_id))
    for visit in upcoming.visits:
        coach = next(m.school_id for m in visit.triad.members if m.is_coach)
        people = staff.get(visit.visited_school_id, []) + staff.get(coach, [])
        messages += _reminders(
            "peer-visit", visit, people, f"Reminder: peer visit to {visit.visited_school.name}, "
            f"{dates.weekday_moment(visit.starts_at)}", "emails/reminder_peer_visit.txt", visit=visit,
            link=absolute_url("programmes.triad", triad_id=visit.triad_id))
    for qa_visit in upcoming.qa_visits:
        people = ([qa_visit.expert] if qa_visit.expert.active else []) + staff.get(qa_visit.school_id, [])
        messages += _reminders(
            "qa-visit", qa_visit, people,
            f"Reminder: QA visit to {qa_visit.school.name}, {dates.weekday_moment(qa_visit.starts_at)}",
            "emails/reminder_qa_visit.txt", visit=qa_visit,
            link=absolute_url("programmes.school", school_id=qa_visit.school_id))
    for cluster_meeting in upcoming.cluster_meetings:
        messages += _reminders(
            "cluster-meeting", cluster_meeting, _cluster_meeting_people(cluster_meeting, upcoming, staff),
            f"Reminder: {cluster_meeting.cluster.name} {cluster_meeting.term.label.lower()} meeting, "
            f"{dates.weekday_moment(cluster_meeting.starts_at)}",
            "emails/reminder_cluster_meeting.txt", meeting=cluster_meeting,
            link=absolute_url("scheduling.show_cluster_meeting", cluster_meeting_id=cluster_meeting.id))
    return _queue(messages)


def _cluster_meeting_people(meeting: ClusterMeeting, upcoming: _Upcoming,
                            staff: dict[uuid.UUID, list[User]]) -> list[User]:
    """The staff of the cluster's schools that year and the cluster's leads, each once."""
    people = {p.id: p for school_id in upcoming.in_cluster.get((meeting.cluster_id, meeting.year_id), set())
              for p in staff.get(school_id, [])}
    people.update({p.id: p for p in upcoming.cluster_leads.get(meeting.cluster_id, [])})
    return list(people.values())


def queue_overdue_digest(now: datetime) -> int:
    """Each head and SENCo hears about their own school's overdue actions; the coach school's staff
    also hear about the other two schools', as their last finalised versions have them (never a
    draft). One digest per person per ISO week."""
    today = in_london(now).date()
    plans = db.session.scalars(
        select(ActionPlan).join(ProgrammeYear, ActionPlan.year_id == ProgrammeYear.id)
        .where(ProgrammeYear.is_closed.is_(False)).options(*PLAN_OPTIONS)
    ).all()

    def overdue_in(rows: list[ActionSnapshot]) -> list[dict[str, Any]]:
        return shown_actions([row for row in rows if is_overdue(row, today)], today)

    overdue = {p.id: overdue_in(actions_seen(p, staff=True)) for p in plans}
    shared = {p.id: overdue_in(shared_actions(p)) for p in plans}
    plans = [p for p in plans if overdue[p.id] or shared[p.id]]
    if not plans:
        return 0
    members = db.session.scalars(select(TriadMember).where(
        TriadMember.triad_id.in_(select(TriadMember.triad_id).where(
            TriadMember.school_id.in_({p.school_id for p in plans}))))).all()
    coach_of: dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID] = {}  # (year, school) -> coach school
    by_triad: dict[uuid.UUID, list[TriadMember]] = {}
    for member in members:
        by_triad.setdefault(member.triad_id, []).append(member)
    for group in by_triad.values():
        coach = next((m.school_id for m in group if m.is_coach), None)
        for member in group:
            if coach and member.school_id != coach:
                coach_of[(member.year_id, member.school_id)] = coach
    staff = staff_by_school({p.school_id for p in plans} | set(coach_of.values()))
    sections: dict[uuid.UUID, tuple[User, list[tuple[ActionPlan, list, bool]]]] = {}
    for plan in plans:
        for person in staff.get(plan.school_id, []) if overdue[plan.id] else []:
            sections.setdefault(person.id, (person, []))[1].append((plan, overdue[plan.id], False))
        coach = coach_of.get((plan.year_id, plan.school_id))
        for person in staff.get(coach, []) if coach and shared[plan.id] else []:
            sections.setdefault(person.id, (person, []))[1].append((plan, shared[plan.id], True))
    iso = today.isocalendar()
    messages = []
    for person, items in sections.values():
        count = sum(len(actions) for _, actions, _ in items)
        body = render_text("emails/overdue_digest.txt", user=person, items=items,
                           link=lambda plan: absolute_url("action_plans.show", plan_id=plan.id))
        messages.append(Message(f"digest:{person.id}:{iso.year}-W{iso.week:02d}", person,
                                f"{count} overdue action{'s' if count != 1 else ''} this week", body))
    return _queue(messages)


def queue_request_chasers(now: datetime) -> int:
    """Two working days before an information request's deadline, a chaser to each school that has not
    answered; once the deadline has passed, a notice to those schools and one to whoever asked."""
    today = in_london(now).date()
    requests = db.session.scalars(
        select(InformationRequest).join(ProgrammeYear, InformationRequest.year_id == ProgrammeYear.id)
        .where(ProgrammeYear.is_closed.is_(False), InformationRequest.due_on >= today - timedelta(days=14))
        .options(selectinload(InformationRequest.recipients).selectinload(RequestRecipient.school),
                 selectinload(InformationRequest.issued_by))
    ).all()
    waiting = [(r, rec) for r in requests for rec in r.recipients if rec.answered_at is None]
    staff = staff_by_school({rec.school_id for _, rec in waiting})
    closures = {}
    messages: list[Message] = []
    late_by_request: dict[uuid.UUID, list[RequestRecipient]] = {}
    for request, recipient in waiting:
        if request.year.programme_id not in closures:
            closures[request.year.programme_id] = closures_for(request.year.programme_id)
        chase_from = working_days_before(request.due_on, 2, closures[request.year.programme_id])
        due = dates.day(request.due_on)
        link = absolute_url("requests.answer", recipient_id=recipient.id)
        if chase_from <= today <= request.due_on:
            kind, subject = "chaser", f"Due {due}: {request.title}"
        elif today > request.due_on:
            kind, subject = "late", f"Overdue since {due}: {request.title}"
            late_by_request.setdefault(request.id, []).append(recipient)
        else:
            continue
        for person in staff.get(recipient.school_id, []):
            body = render_text("emails/request_chaser.txt", user=person, request=request, late=kind == "late",
                               due=due, link=link)
            messages.append(Message(f"request:{request.id}:{recipient.school_id}:{person.id}:{kind}", person,
                                    subject, body))
    for request in requests:
        late = late_by_request.get(request.id)
        if late and request.issued_by.active:
            body = render_text("emails/request_late.txt", user=request.issued_by, request=request, late=late,
                               link=absolute_url("requests.show", request_id=request.id))
            messages.append(Message(f"request:{request.id}:issuer-late", request.issued_by,
                                    f"{len(late)} schools have not answered: {request.title}", body))
    return _queue(messages)
