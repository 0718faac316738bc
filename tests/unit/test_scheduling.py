"""Scheduling rules: dates inside the academic year, London times, same-day warnings, who hosts and
is visited, and notes only once the day has come."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from app.common import clock
from app.common.errors import DomainError
from app.extensions import db
from app.meetings.service import (
    MeetingInput,
    When,
    check_when,
    london_time,
    parse_time,
    record_meeting,
    record_visit_notes,
    same_day_bookings,
    schedule_meeting,
    schedule_peer_visit,
    schedule_qa_visit,
    set_programme_event,
)
from app.models import EventKind, QAVisit, Role
from tests.factories import make_programme_with_framework, make_school, make_triad, make_user, make_year


@pytest.fixture
def triad(session):
    return make_triad(make_year(make_programme_with_framework(), start_year=2025))


def meeting_input(day=date(2025, 10, 14), at="9:30", **changes):
    values = {"when": When(day, False, at), "duration_minutes": 90, "host_school_id": None, "place": "Room 4",
              "online_link": "", "agenda": "Draft the plans"}
    return MeetingInput(**{**values, **changes})


@pytest.mark.parametrize("day", [date(2025, 8, 31), date(2026, 9, 1)])
def test_a_date_outside_the_academic_year_is_refused_naming_the_range(triad, day):
    with pytest.raises(DomainError) as refused:
        schedule_meeting(triad, 1, meeting_input(day))
    assert refused.value.message == (
        "The date must be in the 2025/26 academic year, between 1 September 2025 and 31 August 2026")


@pytest.mark.parametrize("day", [date(2025, 9, 1), date(2026, 8, 31)])
def test_the_first_and_last_days_of_the_year_are_allowed(triad, day):
    meeting, _ = schedule_meeting(triad, 1, meeting_input(day))
    assert meeting.starts_at.date() in (day, day - timedelta(days=1))


@pytest.mark.parametrize(("text", "expected"), [
    ("9:30", time(9, 30)), ("09:30", time(9, 30)), ("14:00", time(14, 0)), ("2pm", time(14, 0)),
    ("2:30 PM", time(14, 30)), ("9.15", time(9, 15)), ("", None), ("noon-ish", None), ("25:00", None)])
def test_times_are_read_as_people_write_them(text, expected):
    assert parse_time(text) == expected


def test_london_times_are_stored_in_utc_with_summer_time():
    assert london_time(date(2026, 6, 10), time(9, 30)) == datetime(2026, 6, 10, 8, 30, tzinfo=timezone.utc)
    assert london_time(date(2026, 1, 10), time(9, 30)) == datetime(2026, 1, 10, 9, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(("when", "message"), [
    (When(None, False, "9:30"), "Enter a date"),
    (When(None, True, "9:30"), "The date must be a real date"),
    (When(date(2025, 10, 1), False, "soon"), "Enter a start time"),
])
def test_a_missing_or_impossible_date_or_time_is_refused(triad, when, message):
    with pytest.raises(DomainError, match=message):
        check_when(triad.year, when)


def test_a_meeting_needs_a_place_or_link_and_a_host_from_the_triad(triad):
    with pytest.raises(DomainError, match="Enter where the meeting is"):
        schedule_meeting(triad, 1, meeting_input(place=""))
    with pytest.raises(DomainError, match="starting with https://"):
        schedule_meeting(triad, 1, meeting_input(online_link="teams.example/meet"))
    with pytest.raises(DomainError, match="Choose one of the triad's schools to host"):
        schedule_meeting(triad, 1, meeting_input(host_school_id=make_school().id))
    meeting, _ = schedule_meeting(triad, 1, meeting_input(place="", online_link="https://meet.example/abc",
                                                         host_school_id=triad.members[1].school_id))
    assert meeting.online_link == "https://meet.example/abc"


def test_rescheduling_moves_the_same_meeting(triad):
    first, _ = schedule_meeting(triad, 2, meeting_input())
    moved, _ = schedule_meeting(triad, 2, meeting_input(day=date(2026, 2, 3)))
    assert moved is first and moved.starts_at.date() == date(2026, 2, 3)


def test_a_school_booked_twice_on_one_day_gets_a_warning_not_a_refusal(triad):
    schedule_meeting(triad, 1, meeting_input())
    visited = triad.members[1].school
    from app.frameworks.service import current_framework

    focus = current_framework(triad.year.programme).areas[0]
    visit, warnings = schedule_peer_visit(triad, visited, When(date(2025, 10, 14), False, "13:00"), 120, focus)
    assert visit.id is not None
    assert warnings == [f"{triad.name} has meeting 1 that day"]
    _, warnings = schedule_meeting(triad, 1, meeting_input())  # moving it onto itself is no clash with itself
    assert warnings == [f"there is a peer visit to {visited.name} that day"]
    assert same_day_bookings({make_school().id}, london_time(date(2025, 10, 14), time(9))) == []


def test_the_coach_visits_only_the_other_two_schools(triad):
    from app.frameworks.service import current_framework

    focus = current_framework(triad.year.programme).areas[0]
    coach = triad.members[0].school
    with pytest.raises(DomainError, match="The coach visits the other two schools"):
        schedule_peer_visit(triad, coach, When(date(2025, 11, 4), False, "9:00"), 120, focus)
    with pytest.raises(DomainError, match="Choose the area"):
        schedule_peer_visit(triad, triad.members[1].school, When(date(2025, 11, 4), False, "9:00"), 120, None)


def test_visit_notes_need_some_text_and_the_day_to_have_come(triad):
    from app.frameworks.service import current_framework

    focus = current_framework(triad.year.programme).areas[0]
    today = clock.today()
    year = make_year(triad.year.programme, start_year=today.year if today.month >= 9 else today.year - 1)
    this_triad = make_triad(year)
    coach = make_user(Role.SENCO, school=this_triad.members[0].school)
    visit, _ = schedule_peer_visit(this_triad, this_triad.members[1].school, When(today, False, "9:00"), 120, focus)
    with pytest.raises(DomainError, match="Enter the strengths"):
        record_visit_notes(visit, " ", "", "", coach)
    record_visit_notes(visit, "Calm, purposeful classrooms", "", "Share the visual timetables", coach)
    assert (visit.notes_by_id, visit.strengths) == (coach.id, "Calm, purposeful classrooms")
    if today < year.ends_on:
        later, _ = schedule_peer_visit(this_triad, this_triad.members[2].school,
                                       When(today + timedelta(days=1), False, "9:00"), 120, focus)
        with pytest.raises(DomainError, match="has not happened yet"):
            record_visit_notes(later, "Too early", "", "", coach)


def test_a_meeting_is_recorded_as_held_with_who_attended(triad):
    meeting, _ = schedule_meeting(triad, 1, meeting_input())
    people = [make_user(Role.SENCO, school=m.school) for m in triad.members]
    record_meeting(meeting, True, "Plans drafted", {people[0].id, people[2].id}, people)
    assert meeting.held and {p.id for p in meeting.attendees} == {people[0].id, people[2].id}


def test_qa_visits_and_programme_events_are_dated_inside_the_year(triad):
    school = triad.members[0].school
    expert = make_user(Role.QA_EXPERT, programme=triad.year.programme)
    visit = QAVisit(year_id=triad.year_id, school_id=school.id, expert_id=expert.id)
    db.session.add(visit)
    db.session.flush()
    with pytest.raises(DomainError, match="between 1 September 2025 and 31 August 2026"):
        schedule_qa_visit(visit, When(date(2027, 1, 5), False, "10:00"), 120)
    schedule_qa_visit(visit, When(date(2026, 1, 5), False, "10:00"), 120)
    assert visit.starts_at == datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
    event = set_programme_event(triad.year, EventKind.CELEBRATION, When(date(2026, 7, 2), False, "13:30"), 150,
                                "Town hall", "Bring your posters")
    assert event.starts_at == datetime(2026, 7, 2, 12, 30, tzinfo=timezone.utc)
    with pytest.raises(DomainError, match="Enter where the event is"):
        set_programme_event(triad.year, EventKind.LAUNCH, When(date(2025, 9, 10), False, "9:00"), 120, "", "")
