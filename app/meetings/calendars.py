"""Calendars: each meeting, visit and event as iCalendar (Europe/London, described by its rules; a stable
UID so a moved date updates the same entry), with who arranges it, who is invited and a reminder the day
before, and each person's private feed of everything they are involved in."""
from __future__ import annotations

import secrets
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress
from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.common import clock, dates
from app.common.clock import LONDON
from app.common.exports import file_slug
from app.common.links import absolute_url
from app.common.settings import setting
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
    RoleAssignment,
    TriadMeeting,
    TriadMember,
    User,
)
from app.models.scheduling import Meeting

PRODID = "-//SEND Triads//EN"


REMINDER = timedelta(days=1)
# Who an entry is for, as the records name them: ("triad", triad_id) the heads and SENCos of a triad's
# schools; ("coach", triad_id) of its coach school; ("school", school_id) of one school; ("heads",
# school_id) its heads; ("cluster", (cluster_id, year_id)) of the cluster's schools that year; ("year",
# year_id) of every school in the year; ("leads", programme_id) and ("cluster_leads", cluster_id) those
# leads; ("person", user_id). A calendar turns them into people all at once (`_people`).
Invite = tuple[str, Any]


@dataclass(frozen=True)
class Person:
    name: str
    email: str


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
    name: str  # what it is, for its file's name: "Triad A meeting 2"
    online_link: str = ""
    invited: tuple[Invite, ...] = ()
    organised_by: tuple[Invite, ...] = ()  # the first person of these arranges it (else the service's mailbox)
    attendees: list[Person] = field(default_factory=list)
    organiser: Person | None = None


def file_name(entry: Entry) -> str:
    """"triad-a-meeting-2-20-january-2027.ics": what it is and when."""
    return f"{file_slug(f'{entry.name} {dates.day(entry.starts_at)}')}.ics"


def _where(meeting: Meeting) -> str:
    return meeting.place or meeting.online_link


def meeting_entry(meeting: TriadMeeting) -> Entry:
    purpose = "draft action plans" if meeting.number == 1 else "review progress"
    name = f"{meeting.triad.name} meeting {meeting.number}"
    return Entry(f"meeting-{meeting.id}@send-triads", f"{name}: {purpose}", meeting.starts_at,
                 meeting.duration_minutes, _where(meeting), meeting.agenda, meeting.updated_at,
                 absolute_url("programmes.triad", triad_id=meeting.triad_id), name, meeting.online_link,
                 invited=(("triad", meeting.triad_id),), organised_by=(("coach", meeting.triad_id),))


def cluster_meeting_entry(meeting: ClusterMeeting) -> Entry:
    name = f"{meeting.cluster.name} {meeting.term.label} meeting"
    return Entry(f"cluster-meeting-{meeting.id}@send-triads", f"{meeting.cluster.name}: {meeting.term.label} meeting",
                 meeting.starts_at, meeting.duration_minutes, _where(meeting), meeting.agenda, meeting.updated_at,
                 absolute_url("scheduling.show_cluster_meeting", cluster_meeting_id=meeting.id), name,
                 meeting.online_link, invited=(("cluster_leads", meeting.cluster_id),
                                               ("cluster", (meeting.cluster_id, meeting.year_id))),
                 organised_by=(("cluster_leads", meeting.cluster_id),))


def peer_visit_entry(visit: PeerVisit) -> Entry:
    # Never the notes: they are for the visited school and the coach only.
    name = f"Peer visit to {visit.visited_school.name}"
    return Entry(f"peer-visit-{visit.id}@send-triads", name, visit.starts_at, visit.duration_minutes,
                 visit.visited_school.name, f"Focus: {visit.focus_area.position}. {visit.focus_area.title}",
                 visit.updated_at, absolute_url("programmes.triad", triad_id=visit.triad_id), name,
                 invited=(("coach", visit.triad_id), ("school", visit.visited_school_id)),
                 organised_by=(("coach", visit.triad_id),))


def qa_visit_entry(visit: QAVisit) -> Entry:
    """A booked QA visit (one with a time)."""
    if visit.starts_at is None:
        raise ValueError("A QA visit is in the calendar once it is booked")
    return Entry(f"qa-visit-{visit.id}@send-triads", f"QA visit: {visit.school.name}", visit.starts_at,
                 visit.duration_minutes, visit.school.name,
                 f"QA expert: {visit.expert.name}. The headteacher attends.", visit.updated_at,
                 absolute_url("programmes.school", school_id=visit.school_id), f"QA visit to {visit.school.name}",
                 invited=(("person", visit.expert_id), ("heads", visit.school_id)),
                 organised_by=(("person", visit.expert_id),))


def event_entry(event: ProgrammeEvent) -> Entry:
    programme = event.year.programme
    return Entry(f"event-{event.id}@send-triads", f"{event.kind.label}: {programme.name}",
                 event.starts_at, event.duration_minutes, event.place, event.details, event.updated_at,
                 absolute_url("programmes.year", year_id=event.year_id), f"{programme.name} {event.kind.label}",
                 invited=(("leads", programme.id), ("year", event.year_id)), organised_by=(("leads", programme.id),))


def _address(person: Person, **parameters: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = person.name
    address.params.update(parameters)
    return address


def _service_mailbox() -> Person:
    name, email = parseaddr(str(setting("MAIL_FROM")))
    return Person(name or "SEND Triads", email)


def _details(entry: Entry) -> str:
    parts = [entry.description, f"Join online: {entry.online_link}" if entry.online_link else "",
             f"In SEND Triads: {entry.href}"]
    return "\n\n".join(part for part in parts if part)


def _vevent(entry: Entry, mailbox: Person) -> Event:
    start = entry.starts_at.astimezone(LONDON)
    vevent = Event()
    vevent.add("uid", entry.uid)
    vevent.add("summary", entry.summary)
    vevent.add("dtstart", start)
    vevent.add("dtend", start + timedelta(minutes=entry.minutes))
    vevent.add("dtstamp", clock.now())
    vevent.add("last-modified", entry.changed_at)
    # Calendar programs take a changed entry when its sequence goes up.
    vevent.add("sequence", int(entry.changed_at.timestamp()) - 1_600_000_000)
    if entry.location:
        vevent.add("location", entry.location)
    vevent.add("description", _details(entry))
    vevent.add("url", entry.online_link or entry.href)
    vevent.add("organizer", _address(entry.organiser or mailbox))
    for person in entry.attendees:
        vevent.add("attendee", _address(person, CUTYPE="INDIVIDUAL", ROLE="REQ-PARTICIPANT",
                                        PARTSTAT="NEEDS-ACTION", RSVP="FALSE"))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Tomorrow: {entry.summary}")
    alarm.add("trigger", -REMINDER)
    vevent.add_component(alarm)
    return vevent


def london_timezone() -> Timezone:
    """Europe/London by its rules since 1996 (the last Sundays of March and October, at 1am GMT), not a
    list of every changeover: what calendar programs expect, and a few lines long."""
    summer, winter = TimezoneDaylight(), TimezoneStandard()
    for part, starts, month, offsets, name in ((summer, datetime(1996, 3, 31, 1), 3, (0, 1), "BST"),  # noqa: DTZ001
                                               (winter, datetime(1996, 10, 27, 2), 10, (1, 0), "GMT")):  # noqa: DTZ001
        part.add("dtstart", starts)  # local time, as VTIMEZONE parts are written
        part.add("tzoffsetfrom", timedelta(hours=offsets[0]))
        part.add("tzoffsetto", timedelta(hours=offsets[1]))
        part.add("tzname", name)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
    timezone = Timezone()
    timezone.add("tzid", "Europe/London")
    timezone.add_component(summer)
    timezone.add_component(winter)
    return timezone


def ics_for(entries: list[Entry], name: str = "SEND Triads") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add_component(london_timezone())
    _invite(entries)
    mailbox = _service_mailbox()
    for entry in sorted(entries, key=lambda e: e.starts_at):
        calendar.add_component(_vevent(entry, mailbox))
    return calendar.to_ical()


# --- Who is invited ------------------------------------------------------------------------------


def _invite(entries: list[Entry]) -> None:
    """Each entry's attendees and organiser, for all the entries in at most three queries."""
    people = _people({invite for entry in entries for invite in (*entry.invited, *entry.organised_by)})
    for entry in entries:
        chosen = {person.email: person for invite in entry.invited for person in people.get(invite, [])}
        entry.attendees = sorted(chosen.values(), key=lambda person: (person.name, person.email))
        entry.organiser = next((person for invite in entry.organised_by for person in people.get(invite, [])), None)


def _keys(invites: set[Invite], *kinds: str) -> set[Any]:
    return {key for kind, key in invites if kind in kinds}


def _schools_behind(invites: set[Invite]) -> dict[Invite, set[uuid.UUID]]:
    """The schools whose staff each triad, coach, cluster or year invite names."""
    schools: dict[Invite, set[uuid.UUID]] = defaultdict(set)
    if triads := _keys(invites, "triad", "coach"):
        for triad_id, school_id, is_coach in db.session.execute(
                select(TriadMember.triad_id, TriadMember.school_id, TriadMember.is_coach)
                .where(TriadMember.triad_id.in_(triads))):
            schools[("triad", triad_id)].add(school_id)
            if is_coach:
                schools[("coach", triad_id)].add(school_id)
    cluster_years = _keys(invites, "cluster")
    if years := _keys(invites, "year") | {year_id for _, year_id in cluster_years}:
        for year_id, cluster_id, school_id in db.session.execute(
                select(Enrolment.year_id, Enrolment.cluster_id, Enrolment.school_id)
                .where(Enrolment.year_id.in_(years))):
            schools[("year", year_id)].add(school_id)
            schools[("cluster", (cluster_id, year_id))].add(school_id)
    for kind, key in invites:
        if kind in ("school", "heads"):
            schools[(kind, key)].add(key)
    return schools


def _people(invites: set[Invite]) -> dict[Invite, list[Person]]:
    """The active people each invite names, heads first, then by name."""
    if not invites:
        return {}
    schools = _schools_behind(invites)
    every_school = set().union(*schools.values()) if schools else set()
    rows = db.session.execute(
        select(User.id, User.name, User.email, RoleAssignment.role, RoleAssignment.school_id,
               RoleAssignment.programme_id, RoleAssignment.cluster_id)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(User.active, or_(
            and_(RoleAssignment.role.in_((Role.HEAD, Role.SENCO)), RoleAssignment.school_id.in_(every_school)),
            and_(RoleAssignment.role == Role.PROGRAMME_LEAD,
                 RoleAssignment.programme_id.in_(_keys(invites, "leads"))),
            and_(RoleAssignment.role == Role.CLUSTER_LEAD,
                 RoleAssignment.cluster_id.in_(_keys(invites, "cluster_leads"))),
            User.id.in_(_keys(invites, "person"))))
        .order_by(RoleAssignment.role != Role.HEAD, User.name, User.email)).all()
    invites_of_school: dict[uuid.UUID, list[Invite]] = defaultdict(list)
    for invite, ids in schools.items():
        if invite in invites:
            for school in ids:
                invites_of_school[school].append(invite)
    found: dict[Invite, dict[str, Person]] = defaultdict(dict)  # each invite's people, by email, in order
    for user_id, name, email, role, school_id, programme_id, cluster_id in rows:
        named: list[Invite | None] = [("person", user_id),
                                      ("leads", programme_id) if role == Role.PROGRAMME_LEAD else None,
                                      ("cluster_leads", cluster_id) if role == Role.CLUSTER_LEAD else None]
        if role in (Role.HEAD, Role.SENCO) and school_id is not None:
            named += [invite for invite in invites_of_school.get(school_id, ())
                      if invite[0] != "heads" or role == Role.HEAD]
        for each in named:
            if each is not None and each in invites:
                found[each].setdefault(email, Person(name, email))
    return {invite: list(people.values()) for invite, people in found.items()}


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

