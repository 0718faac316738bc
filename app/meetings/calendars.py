"""Calendars: each meeting, visit and event as iCalendar (Europe/London, a stable UID so a moved date
updates the same entry), and each person's private feed of everything they are involved in."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from icalendar import Calendar, Event
from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.common import clock
from app.common.clock import LONDON
from app.common.links import absolute_url
from app.extensions import db
from app.models import (
    Cluster,
    ClusterMeeting,
    Enrolment,
    PeerVisit,
    ProgrammeEvent,
    ProgrammeYear,
    QAVisit,
    Role,
    TriadMeeting,
    TriadMember,
    User,
)
from app.models.scheduling import Meeting

PRODID = "-//SEND Triads//EN"


@dataclass
class Entry:
    """One diary entry, whatever it is."""

    uid: str
    summary: str
    starts_at: datetime
    minutes: int
    location: str
    description: str
    changed_at: datetime
    href: str


def _where(meeting: Meeting) -> str:
    if meeting.place and meeting.online_link:
        return f"{meeting.place} ({meeting.online_link})"
    return meeting.place or meeting.online_link


def meeting_entry(meeting: TriadMeeting) -> Entry:
    purpose = "draft action plans" if meeting.number == 1 else "review progress"
    return Entry(f"meeting-{meeting.id}@send-triads", f"{meeting.triad.name} meeting {meeting.number}: {purpose}",
                 meeting.starts_at, meeting.duration_minutes, _where(meeting), meeting.agenda, meeting.updated_at,
                 absolute_url("programmes.triad", triad_id=meeting.triad_id))


def cluster_meeting_entry(meeting: ClusterMeeting) -> Entry:
    return Entry(f"cluster-meeting-{meeting.id}@send-triads", f"{meeting.cluster.name}: {meeting.term.label} meeting",
                 meeting.starts_at, meeting.duration_minutes, _where(meeting), meeting.agenda, meeting.updated_at,
                 absolute_url("scheduling.show_cluster_meeting", cluster_meeting_id=meeting.id))


def peer_visit_entry(visit: PeerVisit) -> Entry:
    # Never the notes: they are for the visited school and the coach only.
    return Entry(f"peer-visit-{visit.id}@send-triads", f"Peer visit to {visit.visited_school.name}",
                 visit.starts_at, visit.duration_minutes, visit.visited_school.name,
                 f"Focus: {visit.focus_area.position}. {visit.focus_area.title}", visit.updated_at,
                 absolute_url("programmes.triad", triad_id=visit.triad_id))


def qa_visit_entry(visit: QAVisit) -> Entry:
    """A booked QA visit (one with a time)."""
    if visit.starts_at is None:
        raise ValueError("A QA visit is in the calendar once it is booked")
    return Entry(f"qa-visit-{visit.id}@send-triads", f"QA visit: {visit.school.name}", visit.starts_at,
                 visit.duration_minutes, visit.school.name,
                 f"QA expert: {visit.expert.name}. The headteacher attends.", visit.updated_at,
                 absolute_url("programmes.school", school_id=visit.school_id))


def event_entry(event: ProgrammeEvent) -> Entry:
    return Entry(f"event-{event.id}@send-triads", f"{event.kind.label}: {event.year.programme.name}",
                 event.starts_at, event.duration_minutes, event.place, event.details, event.updated_at,
                 absolute_url("programmes.year", year_id=event.year_id))


def _vevent(entry: Entry) -> Event:
    start = entry.starts_at.astimezone(LONDON)
    vevent = Event()
    vevent.add("uid", entry.uid)
    vevent.add("summary", entry.summary)
    vevent.add("dtstart", start)
    vevent.add("dtend", start + timedelta(minutes=entry.minutes))
    vevent.add("dtstamp", clock.now())
    # Calendar programs take a changed entry when its sequence goes up.
    vevent.add("sequence", int(entry.changed_at.timestamp()) - 1_600_000_000)
    if entry.location:
        vevent.add("location", entry.location)
    if entry.description:
        vevent.add("description", entry.description)
    vevent.add("url", entry.href)
    return vevent


def ics_for(entries: list[Entry], name: str = "SEND Triads") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for entry in sorted(entries, key=lambda e: e.starts_at):
        calendar.add_component(_vevent(entry))
    calendar.add_missing_timezones()
    return calendar.to_ical()


# What a kind's query keeps: given the query and the kind (a model with `starts_at`), the query narrowed.
Narrowing = Callable[[Select, Any], Select]


def _everything(query: Select, _kind: Any) -> Select:
    return query


def _starting_between(starts: datetime, until: datetime, limit: int) -> Narrowing:
    """Only the entries starting from `starts` to `until` (both included), the first `limit` of each kind by
    their start (then id, so ties are cut the same way each time), filtered in SQL."""
    def narrowed(query: Select, kind: Any) -> Select:
        return query.where(kind.starts_at.between(starts, until)).order_by(kind.starts_at, kind.id).limit(limit)
    return narrowed


def _entries(user: User, within: Narrowing) -> list[Entry]:
    """The person's entries that `within` keeps, each kind in one query with what its entry names."""
    schools = {r.school_id for r in user.roles if r.role in (Role.HEAD, Role.SENCO) and r.school_id}
    programmes = {r.programme_id for r in user.roles if r.programme_id}
    clusters = {r.cluster_id for r in user.roles if r.cluster_id}
    entries: list[Entry] = []
    if schools:
        triad_ids = select(TriadMember.triad_id).where(TriadMember.school_id.in_(schools))
        meetings = db.session.scalars(within(select(TriadMeeting).where(TriadMeeting.triad_id.in_(triad_ids))
                                             .options(joinedload(TriadMeeting.triad)), TriadMeeting))
        entries += [meeting_entry(m) for m in meetings]
        coached = select(TriadMember.triad_id).where(TriadMember.school_id.in_(schools), TriadMember.is_coach)
        visits = db.session.scalars(within(
            select(PeerVisit).where(or_(PeerVisit.visited_school_id.in_(schools), PeerVisit.triad_id.in_(coached)))
            .options(joinedload(PeerVisit.visited_school), joinedload(PeerVisit.focus_area)), PeerVisit))
        entries += [peer_visit_entry(v) for v in visits]
    if schools or clusters:
        # The clusters the person leads, and those their schools are in that year.
        in_cluster = exists().where(Enrolment.school_id.in_(schools), Enrolment.cluster_id == ClusterMeeting.cluster_id,
                                    Enrolment.year_id == ClusterMeeting.year_id)
        cluster_meetings = db.session.scalars(within(
            select(ClusterMeeting).where(or_(ClusterMeeting.cluster_id.in_(clusters), in_cluster))
            .options(joinedload(ClusterMeeting.cluster)), ClusterMeeting))
        entries += [cluster_meeting_entry(m) for m in cluster_meetings]
    qa_visits = db.session.scalars(within(
        select(QAVisit).where(QAVisit.starts_at.is_not(None),
                              or_(QAVisit.expert_id == user.id, QAVisit.school_id.in_(schools)))
        # The entry names the expert: their roles are not needed.
        .options(joinedload(QAVisit.school), joinedload(QAVisit.expert).lazyload(User.roles)), QAVisit))
    entries += [qa_visit_entry(v) for v in qa_visits]
    in_programme = or_(
        ProgrammeYear.programme_id.in_(programmes),
        ProgrammeYear.id.in_(select(Enrolment.year_id).where(Enrolment.school_id.in_(schools))),
        ProgrammeYear.programme_id.in_(select(Cluster.programme_id).where(Cluster.id.in_(clusters))),
    )
    events = db.session.scalars(within(
        select(ProgrammeEvent).join(ProgrammeYear, ProgrammeEvent.year_id == ProgrammeYear.id).where(in_programme)
        .options(contains_eager(ProgrammeEvent.year).joinedload(ProgrammeYear.programme)), ProgrammeEvent))
    entries += [event_entry(e) for e in events]
    return sorted(entries, key=lambda e: e.starts_at)


def entries_for(user: User) -> list[Entry]:
    """Everything the person is involved in (their calendar feed), in a fixed number of queries."""
    return _entries(user, _everything)


def upcoming_for(user: User, now: datetime, days: int = 60, limit: int = 5) -> list[Entry]:
    """The next few entries, for the home page: those of entries_for starting from now to `days` later, the
    first `limit` of them."""
    return _entries(user, _starting_between(now, now + timedelta(days=days), limit))[:limit]


def calendar_token_of(user: User) -> str:
    """The person's feed token, made on first use."""
    if not user.calendar_token:
        user.calendar_token = secrets.token_urlsafe(32)
        db.session.flush()
    return user.calendar_token


def reset_calendar_token(user: User) -> str:
    user.calendar_token = secrets.token_urlsafe(32)
    db.session.flush()
    return user.calendar_token


def feed_for_token(token: str) -> bytes | None:
    """The feed for the active person holding this token; None for anyone else."""
    user = db.session.scalar(select(User).where(User.calendar_token == token, User.active)
                             .options(selectinload(User.roles)))
    if user is None or not token:
        return None
    return ics_for(entries_for(user), name=f"SEND Triads: {user.name}")

