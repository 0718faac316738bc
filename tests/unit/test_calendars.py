"""Calendars: iCalendar parsed back, London times in summer and winter, stable UIDs, and who sees what
in their feed."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest
from icalendar import Calendar
from sqlalchemy import event

from app.common import clock
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.meetings.calendars import (
    entries_for,
    feed_for_token,
    ics_for,
    meeting_entry,
    peer_visit_entry,
    reset_calendar_token,
)
from app.meetings.service import london_time
from app.models import EventKind, PeerVisit, ProgrammeEvent, QAVisit, Role, TriadMeeting
from tests.factories import make_programme, make_triad, make_user, make_year


@pytest.fixture
def diary(app, session):
    programme = make_programme()
    framework = create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=2025)
    triad = make_triad(year)
    coach_school, visited, third = (m.school for m in triad.members)
    meeting = TriadMeeting(triad_id=triad.id, number=1, starts_at=london_time(date(2025, 10, 14), time(9, 30)),
                           place="Room 4", agenda="Draft the plans")
    visit = PeerVisit(triad_id=triad.id, visited_school_id=visited.id, focus_area_id=framework.areas[0].id,
                      starts_at=london_time(date(2026, 6, 10), time(13, 0)), strengths="SECRET NOTES")
    launch = ProgrammeEvent(year_id=year.id, kind=EventKind.LAUNCH, starts_at=london_time(date(2025, 9, 17), time(9)),
                            place="Civic centre")
    db.session.add_all([meeting, visit, launch])
    db.session.commit()
    with app.test_request_context("/", method="POST"):  # url_for needs a request; this one may write
        yield {"triad": triad, "meeting": meeting, "visit": visit, "launch": launch, "year": year,
               "coach": make_user(Role.SENCO, school=coach_school), "visited": make_user(Role.HEAD, school=visited),
               "third": make_user(Role.HEAD, school=third), "programme": programme}


def parsed(data: bytes):
    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


def test_times_are_in_london_winter_and_summer(diary):
    winter, summer = parsed(ics_for([meeting_entry(diary["meeting"]), peer_visit_entry(diary["visit"])]))
    assert winter["DTSTART"].params["TZID"] == "Europe/London"
    assert winter.decoded("DTSTART") == datetime(2025, 10, 14, 9, 30, tzinfo=clock.LONDON)
    assert summer.decoded("DTSTART") == datetime(2026, 6, 10, 13, 0, tzinfo=clock.LONDON)
    assert summer.decoded("DTSTART").astimezone(timezone.utc).hour == 12  # British Summer Time
    assert b"VTIMEZONE" in ics_for([meeting_entry(diary["meeting"])])


def test_a_moved_meeting_keeps_its_uid_and_its_sequence_goes_up(diary):
    meeting = diary["meeting"]
    before = parsed(ics_for([meeting_entry(meeting)]))[0]
    meeting.starts_at = london_time(date(2025, 10, 21), time(9, 30))
    meeting.updated_at = datetime(2030, 1, 1, tzinfo=timezone.utc)
    after = parsed(ics_for([meeting_entry(meeting)]))[0]
    assert before["UID"] == after["UID"] == f"meeting-{meeting.id}@send-triads"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_peer_visit_notes_never_go_into_a_calendar(diary):
    assert b"SECRET NOTES" not in ics_for([peer_visit_entry(diary["visit"])])


def test_each_person_sees_what_they_are_involved_in(diary):
    summaries = lambda user: {e.summary.split(":")[0] for e in entries_for(user)}  # noqa: E731
    meeting = f"{diary['triad'].name} meeting 1"
    assert summaries(diary["coach"]) == {meeting, f"Peer visit to {diary['visit'].visited_school.name}", "Launch event"}
    assert summaries(diary["visited"]) == summaries(diary["coach"])
    assert summaries(diary["third"]) == {meeting, "Launch event"}  # not the other school's visit
    lead = make_user(Role.PROGRAMME_LEAD, programme=diary["programme"])
    assert summaries(lead) == {"Launch event"}
    expert = make_user(Role.QA_EXPERT, programme=diary["programme"])
    db.session.add(QAVisit(year_id=diary["year"].id, school_id=diary["visit"].visited_school_id, expert_id=expert.id,
                           starts_at=london_time(date(2026, 1, 20), time(10))))
    db.session.commit()
    assert "QA visit" in summaries(expert) and "QA visit" in summaries(diary["visited"])
    assert "QA visit" not in summaries(diary["third"])


def test_the_feed_takes_the_same_queries_however_much_is_in_it(diary):
    coach = diary["coach"]
    seen = []
    listener = lambda *args: seen.append(1)  # noqa: E731
    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", listener)
    entries_for(db.session.get(type(coach), coach.id))
    few = len(seen)
    event.remove(db.engine, "before_cursor_execute", listener)
    for number in (2, 3):
        db.session.add(TriadMeeting(triad_id=diary["triad"].id, number=number, place="Room 4",
                                    starts_at=london_time(date(2026, 2, number), time(9))))
    db.session.commit()
    db.session.expire_all()
    seen.clear()
    event.listen(db.engine, "before_cursor_execute", listener)
    assert len(entries_for(db.session.get(type(coach), coach.id))) == 5
    event.remove(db.engine, "before_cursor_execute", listener)
    assert len(seen) == few


def test_a_reset_token_ends_the_old_feed(diary):
    coach = diary["coach"]
    old = reset_calendar_token(coach)
    assert b"BEGIN:VCALENDAR" in feed_for_token(old)
    reset_calendar_token(coach)
    assert feed_for_token(old) is None
    coach.active = False
    assert feed_for_token(coach.calendar_token) is None
