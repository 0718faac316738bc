"""Scheduling: triad meetings, peer visits, QA visits and programme events. Dates must fall in the
academic year; a school booked twice on one day gets a warning (not a refusal). Times are entered
and shown in Europe/London and stored in UTC."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import partial
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.common import clock, dates
from app.common.clock import in_london, london_time
from app.common.errors import DomainError, checked_together
from app.common.versions import checked_update
from app.extensions import db
from app.meetings import handoffs
from app.models import (
    ClusterMeeting,
    EventKind,
    FrameworkArea,
    MeetingState,
    PeerVisit,
    ProgrammeEvent,
    ProgrammeYear,
    QAVisit,
    Role,
    RoleAssignment,
    School,
    Triad,
    TriadMeeting,
    TriadMember,
    User,
)
from app.models.scheduling import Meeting

AnyMeeting = TypeVar("AnyMeeting", bound=Meeting)
# What the notes forms of a triad's meeting and of a peer visit change: the parts two saves can clash in.
RECORD_FIELDS = ("held", "attendees", "notes")
VISIT_NOTE_FIELDS = ("strengths", "questions", "next_steps")
NOTES_CLASH = "Someone else saved these notes while you were editing them. Choose which text to keep."


def parse_time(text: str | None) -> time | None:
    """"9:30", "09:30", "14:00", "2pm" or "2:30pm"; None when it is not a time."""
    text = (text or "").strip().lower().replace(".", ":").replace(" ", "")
    for pattern in ("%H:%M", "%I:%M%p", "%I%p"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=timezone.utc).time()  # a time of day only
        except ValueError:
            continue
    return None


@dataclass
class When:
    """A date and time as entered in a form, before they are checked."""

    day: date | None
    day_invalid: bool
    time_text: str


# What a closed year says to anything scheduled in it. It is checked before a form's fields, so that it is said alone.
CLOSED_FOR_SCHEDULING = "nothing more can be scheduled in it"


def check_when(year: ProgrammeYear, when: When, field: str = "day") -> datetime:
    """The moment to store, or a DomainError naming what to fix (inside the academic year): the date's problem
    and the time's together."""
    year.require_open(CLOSED_FOR_SCHEDULING)
    day, at = checked_together(lambda: _checked_day(year, when, field), lambda: _checked_time(when))
    return london_time(day, at)


def _checked_day(year: ProgrammeYear, when: When, field: str) -> date:
    if when.day_invalid:
        raise DomainError("The date must be a real date, for example 27 3 2026", field=field)
    if when.day is None:
        raise DomainError("Enter a date", field=field)
    if not year.starts_on <= when.day <= year.ends_on:
        raise DomainError(f"The date must be in the {year.label} academic year, between "
                          f"{dates.day(year.starts_on)} and {dates.day(year.ends_on)}", field=field)
    return when.day


def _checked_time(when: When) -> time:
    at = parse_time(when.time_text)
    if at is None:
        raise DomainError("Enter a start time, for example 9:30 or 14:00", field="time")
    return at


def update_changed(record: object, values: dict) -> None:
    """Set only what changed, so an unchanged save writes (and audits) nothing."""
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)


def _day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    day = in_london(moment).date()
    return london_time(day, time(0, 0)), london_time(day + timedelta(days=1), time(0, 0))


def same_day_bookings(school_ids: set[uuid.UUID], moment: datetime, ignore: object | None = None) -> list[str]:
    """What else these schools have on that day: triad meetings, peer visits and QA visits."""
    start, end = _day_bounds(moment)
    found: list[str] = []
    meetings = db.session.scalars(
        select(TriadMeeting).join(TriadMember, TriadMember.triad_id == TriadMeeting.triad_id)
        .where(TriadMember.school_id.in_(school_ids), TriadMeeting.starts_at >= start, TriadMeeting.starts_at < end)
        .options(selectinload(TriadMeeting.triad)).distinct())
    for meeting in meetings:
        if meeting is not ignore:
            found.append(f"{meeting.triad.name} has meeting {meeting.number} that day")
    visits = db.session.scalars(
        select(PeerVisit).join(TriadMember, TriadMember.triad_id == PeerVisit.triad_id)
        .where(TriadMember.school_id.in_(school_ids),
               TriadMember.is_coach | PeerVisit.visited_school_id.in_(school_ids),
               PeerVisit.starts_at >= start, PeerVisit.starts_at < end)
        .options(selectinload(PeerVisit.visited_school)).distinct())
    for visit in visits:
        if visit is not ignore:
            found.append(f"there is a peer visit to {visit.visited_school.name} that day")
    qa_visits = db.session.scalars(
        select(QAVisit).where(QAVisit.school_id.in_(school_ids), QAVisit.starts_at >= start, QAVisit.starts_at < end)
        .options(selectinload(QAVisit.school)))
    for qa_visit in qa_visits:
        if qa_visit is not ignore:
            found.append(f"{qa_visit.school.name} has its QA visit that day")
    return found


# --- Triad meetings --------------------------------------------------------------------------------


@dataclass
class MeetingInput:
    when: When
    duration_minutes: int | None
    host_school_id: uuid.UUID | None
    place: str
    online_link: str
    agenda: str


def check_duration(minutes: int | None) -> int:
    if minutes is None or not 15 <= minutes <= 8 * 60:
        raise DomainError("Enter how long it lasts, between 15 and 480 minutes", field="duration_minutes")
    return minutes


def checked_meeting(year: ProgrammeYear, given: MeetingInput, school_ids: set[uuid.UUID], group: str) -> dict:
    """A triad's or a cluster's meeting as it will be stored, or a DomainError naming what to fix. `group`
    names who meets ("triad", "cluster"); the host must be one of its schools. Every problem is raised at once."""
    year.require_open(CLOSED_FOR_SCHEDULING)
    place, link = (given.place or "").strip(), (given.online_link or "").strip()
    starts_at, duration, _, _ = checked_together(
        lambda: check_when(year, given.when), lambda: check_duration(given.duration_minutes),
        lambda: _check_host(given.host_school_id, school_ids, group), lambda: _check_place(place, link))
    return {"starts_at": starts_at, "duration_minutes": duration, "host_school_id": given.host_school_id,
            "place": place, "online_link": link, "agenda": (given.agenda or "").strip()}


def _check_host(host_school_id: uuid.UUID | None, school_ids: set[uuid.UUID], group: str) -> None:
    if host_school_id is not None and host_school_id not in school_ids:
        raise DomainError(f"Choose one of the {group}'s schools to host", field="host_school_id")


def _check_place(place: str, link: str) -> None:
    if not place and not link:
        raise DomainError("Enter where the meeting is, or an online link", field="place")
    if link and not link.startswith(("https://", "http://")):
        raise DomainError("Enter the online link in full, starting with https://", field="online_link")


def schedule_meeting(triad: Triad, number: int, given: MeetingInput) -> tuple[TriadMeeting, list[str]]:
    """Schedule (or move) meeting 1, 2 or 3. Returns the meeting and any same-day warnings."""
    if number not in (1, 2, 3):
        raise DomainError("A triad has meetings 1, 2 and 3")
    member_ids = {m.school_id for m in triad.members}
    values = checked_meeting(triad.year, given, member_ids, "triad")
    meeting = db.session.scalar(select(TriadMeeting).where(TriadMeeting.triad_id == triad.id,
                                                           TriadMeeting.number == number))
    return save_meeting(meeting, partial(TriadMeeting, triad_id=triad.id, number=number), values, member_ids)


def save_meeting(meeting: AnyMeeting | None, new: Callable[..., AnyMeeting], values: dict,
                 school_ids: set[uuid.UUID]) -> tuple[AnyMeeting, list[str]]:
    """Move the meeting to the checked `values`, or make it with `new(**values)` when there is none yet.
    Returns it and what else the schools have on that day."""
    warnings = same_day_bookings(school_ids, values["starts_at"], ignore=meeting)
    if meeting is None:
        meeting = new(**values)
        db.session.add(meeting)
    else:
        update_changed(meeting, values)
    db.session.flush()
    return meeting, warnings


def record_meeting(meeting: TriadMeeting, held: bool, notes: str, attendee_ids: set[uuid.UUID],
                   people: list[User], expected_version: int | None = None, *,
                   keep_theirs: tuple[str, ...] = ()) -> TriadMeeting:
    """After the meeting: whether it was held, the notes, and who attended (from the triad's staff)."""
    save_meeting_record(meeting, meeting.triad.year, held, notes, attendee_ids, people, expected_version,
                        keep_theirs=keep_theirs)
    return meeting


def save_meeting_record(meeting: TriadMeeting | ClusterMeeting, year: ProgrammeYear, held: bool, notes: str,
                        attendee_ids: set[uuid.UUID], people: list[User], expected_version: int | None = None, *,
                        keep_theirs: tuple[str, ...] = ()) -> None:
    """A triad's or a cluster's meeting record, unless someone else saved it since `expected_version`
    (VersionConflict); `keep_theirs` names the parts for which the clash page chose the version saved.
    Autosave saves the same way."""
    values = checked_meeting_record(meeting, year, held, notes, attendee_ids, people)
    checked_update(meeting, expected_version, values, keep_theirs=keep_theirs, message=NOTES_CLASH)


def checked_meeting_record(meeting: Meeting, year: ProgrammeYear, held: bool, notes: str,
                           attendee_ids: set[uuid.UUID], people: list[User]) -> dict:
    """A triad's or a cluster's meeting record as it will be stored: not before its day, and not in a closed
    year."""
    year.require_open("its meetings can no longer be changed")
    if held and in_london(meeting.starts_at).date() > clock.today():
        raise DomainError("The meeting has not happened yet. Record it on or after the day", field="held")
    return {"held": held, "attendees": [p for p in people if p.id in attendee_ids], "notes": (notes or "").strip()}


@dataclass
class MeetingSlot:
    number: int
    meeting: TriadMeeting | None

    @property
    def purpose(self) -> str:
        return "Draft action plans" if self.number == 1 else "Review progress on action plans"

    @property
    def state(self) -> MeetingState:
        return MeetingState.of(self.meeting)


def meeting_slots(triad: Triad) -> list[MeetingSlot]:
    meetings = {m.number: m for m in db.session.scalars(
        select(TriadMeeting).where(TriadMeeting.triad_id == triad.id)
        .options(selectinload(TriadMeeting.host_school), selectinload(TriadMeeting.attendees)))}
    return [MeetingSlot(n, meetings.get(n)) for n in (1, 2, 3)]


def triad_people(triad: Triad) -> list[User]:
    """Heads and SENCOs of the triad's schools: who can attend its meetings."""
    return list(db.session.scalars(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.school_id.in_([m.school_id for m in triad.members]),
               RoleAssignment.role.in_((Role.HEAD, Role.SENCO)), User.active)
        .order_by(User.name).distinct()))


# --- Peer visits ---------------------------------------------------------------------------------


def coach_of(triad: Triad) -> TriadMember:
    return next(m for m in triad.members if m.is_coach)


def schedule_peer_visit(triad: Triad, visited: School, when: When, duration_minutes: int | None,
                        focus_area: FrameworkArea | None) -> tuple[PeerVisit, list[str]]:
    """The coach school books (or moves) its visit to one of the other two schools."""
    if visited.id not in {m.school_id for m in triad.members if not m.is_coach}:
        raise DomainError("The coach visits the other two schools of the triad", field="visited_school_id")
    triad.year.require_open(CLOSED_FOR_SCHEDULING)
    starts_at, duration, focus = checked_together(
        lambda: check_when(triad.year, when), lambda: check_duration(duration_minutes),
        lambda: _checked_focus(focus_area))
    visit = db.session.scalar(select(PeerVisit).where(PeerVisit.triad_id == triad.id,
                                                      PeerVisit.visited_school_id == visited.id))
    warnings = same_day_bookings({visited.id, coach_of(triad).school_id}, starts_at, ignore=visit)
    values = {"starts_at": starts_at, "duration_minutes": duration, "focus_area_id": focus.id}
    if visit is None:
        visit = PeerVisit(triad_id=triad.id, visited_school_id=visited.id, **values)
        db.session.add(visit)
    else:
        update_changed(visit, values)
    db.session.flush()
    return visit, warnings


def _checked_focus(focus_area: FrameworkArea | None) -> FrameworkArea:
    if focus_area is None:
        raise DomainError("Choose the area of the framework the visit focuses on", field="focus_area_id")
    return focus_area


def record_visit_notes(visit: PeerVisit, strengths: str, questions: str, next_steps: str, by: User,
                       expected_version: int | None = None, *, keep_theirs: tuple[str, ...] = (),
                       autosave: bool = False) -> PeerVisit:
    """The coach's notes after the visit: strengths, questions to consider, agreed next steps; refused when
    someone else saved them since `expected_version` (VersionConflict; `keep_theirs` names the parts for which
    the clash page chose the version saved). The Save button marks them written and tells the visited school
    (once: it reads the latest); an autosave (`autosave`) keeps the text only, and tells nobody."""
    visit.triad.year.require_open("its visits can no longer be changed")
    texts = {"strengths": strengths, "questions": questions, "next_steps": next_steps}
    texts = {name: (value or "").strip() for name, value in texts.items()}
    if not any(texts.values()):
        raise DomainError("Enter the strengths you saw, questions to consider, or the next steps agreed",
                          field="strengths")
    if in_london(visit.starts_at).date() > clock.today():
        raise DomainError("The visit has not happened yet. Write the notes on or after the day", field="strengths")
    checked_update(visit, expected_version, texts, keep_theirs=keep_theirs, message=NOTES_CLASH)
    if autosave:
        return visit
    visit.notes_by = by
    visit.notes_at = clock.now()
    db.session.flush()
    handoffs.visit_notes_written(visit, by)
    return visit


def peer_visits_for(triad: Triad) -> dict[uuid.UUID, PeerVisit]:
    return {v.visited_school_id: v for v in db.session.scalars(
        select(PeerVisit).where(PeerVisit.triad_id == triad.id)
        .options(selectinload(PeerVisit.focus_area), selectinload(PeerVisit.visited_school)))}


# --- QA visits and programme events ------------------------------------------------------------------


def schedule_qa_visit(visit: QAVisit, when: When, duration_minutes: int | None) -> list[str]:
    visit.year.require_open(CLOSED_FOR_SCHEDULING)
    visit.starts_at, visit.duration_minutes = checked_together(lambda: check_when(visit.year, when),
                                                               lambda: check_duration(duration_minutes))
    db.session.flush()
    return same_day_bookings({visit.school_id}, visit.starts_at, ignore=visit)


def _check_event_place(place: str) -> None:
    if not place:
        raise DomainError("Enter where the event is, or say it is online", field="place")


def set_programme_event(year: ProgrammeYear, kind: EventKind, when: When, duration_minutes: int | None, place: str,
                        details: str) -> ProgrammeEvent:
    year.require_open(CLOSED_FOR_SCHEDULING)
    place = (place or "").strip()
    starts_at, duration, _ = checked_together(lambda: check_when(year, when), lambda: check_duration(duration_minutes),
                                              lambda: _check_event_place(place))
    event = db.session.scalar(select(ProgrammeEvent).where(ProgrammeEvent.year_id == year.id,
                                                           ProgrammeEvent.kind == kind))
    values = {"starts_at": starts_at, "duration_minutes": duration, "place": place, "details": (details or "").strip()}
    if event is None:
        event = ProgrammeEvent(year_id=year.id, kind=kind, **values)
        db.session.add(event)
    else:
        update_changed(event, values)
    db.session.flush()
    return event


def events_for(year_id: uuid.UUID) -> dict[EventKind, ProgrammeEvent]:
    return {e.kind: e for e in db.session.scalars(select(ProgrammeEvent).where(ProgrammeEvent.year_id == year_id))}

