"""Calendars: iCalendar parsed back, London times in summer and winter (and London's rules), stable UIDs,
who arranges each entry and who is invited, the reminder, the online link, file names, and who sees what
in their feed."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from icalendar import Calendar
from sqlalchemy import event

from app.common import clock
from app.common.exports import file_slug
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.meetings.calendars import (
    entries_for,
    event_entry,
    feed_for_token,
    file_name,
    ics_for,
    meeting_entry,
    peer_visit_entry,
    qa_visit_entry,
    reset_calendar_token,
)
from app.meetings.service import london_time
from app.models import EventKind, PeerVisit, ProgrammeEvent, QAVisit, Role, RoleAssignment, TriadMeeting
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


def emails(component, name) -> set[str]:
    values = component.get(name, [])
    return {str(value).removeprefix("mailto:") for value in (values if isinstance(values, list) else [values])}


def test_london_is_written_as_its_rules_and_they_give_london_s_offsets(app):
    with app.app_context():
        data = ics_for([])
    [timezone_part] = Calendar.from_ical(data).walk("VTIMEZONE")
    assert str(timezone_part["TZID"]) == "Europe/London"
    assert [part.name for part in timezone_part.subcomponents] == ["DAYLIGHT", "STANDARD"]
    assert all("RRULE" in part for part in timezone_part.subcomponents)
    # Read back under another name, so only the rules (not the name) decide the offsets.
    rules = Calendar.from_ical(data.replace(b"Europe/London", b"Rules/Only")).walk("VTIMEZONE")[0].to_tz()
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    moments = [start + timedelta(days=n, hours=12) for n in range(365 * 18)]
    for year in range(2020, 2038):
        for month in (3, 10):  # each quarter of an hour around the change, on the month's last Sunday
            last = date(year, month, 31)
            sunday = datetime.combine(last - timedelta(days=(last.weekday() + 1) % 7), time(0), timezone.utc)
            moments += [sunday + timedelta(minutes=15 * n) for n in range(12)]
    for moment in moments:
        assert moment.astimezone(rules).utcoffset() == moment.astimezone(clock.LONDON).utcoffset(), moment


def test_a_meeting_invites_the_triad_s_staff_and_the_coach_school_arranges_it(diary):
    coach_head = make_user(Role.HEAD, school=diary["coach"].roles[0].school, name="Aaron Coachhead")
    gone = make_user(Role.SENCO, school=diary["third"].roles[0].school)
    gone.active = False
    db.session.commit()
    [vevent] = parsed(ics_for([meeting_entry(diary["meeting"])]))
    staff = {diary["coach"].email, diary["visited"].email, diary["third"].email, coach_head.email}
    assert emails(vevent, "ATTENDEE") == staff  # not someone whose account is closed
    assert emails(vevent, "ORGANIZER") == {coach_head.email}  # the coach school's head before its SENCo
    assert vevent["ORGANIZER"].params["CN"] == "Aaron Coachhead"
    [alarm] = vevent.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == -timedelta(days=1)


def test_a_peer_visit_invites_the_coach_school_and_the_visited_school_only(diary):
    [vevent] = parsed(ics_for([peer_visit_entry(diary["visit"])]))
    assert emails(vevent, "ATTENDEE") == {diary["coach"].email, diary["visited"].email}
    assert emails(vevent, "ORGANIZER") == {diary["coach"].email}


def test_a_qa_visit_invites_the_expert_and_the_head_and_an_event_the_whole_year(diary):
    expert = make_user(Role.QA_EXPERT, programme=diary["programme"], name="Quinn Expert")
    lead = make_user(Role.PROGRAMME_LEAD, programme=diary["programme"], name="Lena Lead")
    visited_school = diary["visit"].visited_school
    senco = make_user(Role.SENCO, school=visited_school)
    visit = QAVisit(year_id=diary["year"].id, school_id=visited_school.id, expert_id=expert.id,
                    starts_at=london_time(date(2026, 1, 20), time(10)))
    db.session.add(visit)
    db.session.commit()
    launch, qa = parsed(ics_for([qa_visit_entry(visit), event_entry(diary["launch"])]))  # by date
    assert emails(qa, "ATTENDEE") == {expert.email, diary["visited"].email}  # the head, not the SENCo
    assert emails(qa, "ORGANIZER") == {expert.email}
    everyone = {lead.email, senco.email, diary["coach"].email, diary["visited"].email, diary["third"].email}
    assert emails(launch, "ATTENDEE") == everyone and emails(launch, "ORGANIZER") == {lead.email}


def test_with_nobody_to_arrange_it_the_service_s_mailbox_is_the_organiser(diary):
    [launch] = parsed(ics_for([event_entry(diary["launch"])]))  # the programme has no lead yet
    assert emails(launch, "ORGANIZER") == {"no-reply@send-triads.invalid"}


def test_the_online_link_is_the_url_and_the_page_is_in_the_description(diary):
    meeting = diary["meeting"]
    meeting.online_link = "https://meet.example.org/triad-1"
    [vevent] = parsed(ics_for([meeting_entry(meeting)]))
    assert str(vevent["URL"]) == "https://meet.example.org/triad-1"
    assert str(vevent["LOCATION"]) == "Room 4"
    description = str(vevent["DESCRIPTION"])
    assert "Join online: https://meet.example.org/triad-1" in description
    assert f"/triads/{meeting.triad_id}" in description
    meeting.online_link = ""
    [vevent] = parsed(ics_for([meeting_entry(meeting)]))
    assert str(vevent["URL"]).endswith(f"/triads/{meeting.triad_id}")  # no online link: the page


def test_a_file_is_named_after_what_the_entry_is_and_its_day(diary):
    diary["triad"].name = "Triad A"
    meeting = diary["meeting"]
    meeting.number, meeting.starts_at = 2, london_time(date(2027, 1, 20), time(9, 30))
    assert file_name(meeting_entry(meeting)) == "triad-a-meeting-2-20-january-2027.ics"
    assert file_name(peer_visit_entry(diary["visit"])) == (
        f"peer-visit-to-{file_slug(diary['visit'].visited_school.name)}-10-june-2026.ics")


def test_the_feed_takes_the_same_queries_with_attendees_however_many_triads(diary):
    coach = diary["coach"]
    counts = []
    for _ in range(2):
        seen: list[int] = []
        listener = lambda *args, seen=seen: seen.append(1)  # noqa: E731
        db.session.expire_all()
        event.listen(db.engine, "before_cursor_execute", listener)
        feed = feed_for_token(reset_calendar_token(db.session.get(type(coach), coach.id)))
        event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(len(seen))
        assert all("ATTENDEE" in vevent for vevent in parsed(feed))
        # Another triad the coach's school is not in, and a second school the coach is head of, in it.
        other = make_triad(diary["year"])
        db.session.add(TriadMeeting(triad_id=other.id, number=1, place="Hall",
                                    starts_at=london_time(date(2026, 2, 2), time(9))))
        make_user(Role.SENCO, school=other.members[0].school)
        coach.roles.append(RoleAssignment(role=Role.HEAD, school_id=other.members[0].school_id))
        db.session.commit()
    assert counts[0] == counts[1]
