"""Meetings and visits through HTTP: who schedules, who reads a peer visit's notes (403 for anyone
else, another triad included), dates refused outside the year, and the triad page's meeting states."""
from __future__ import annotations

from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.common import clock
from app.extensions import db
from app.frameworks.service import create_default_framework, current_framework
from app.meetings.service import london_time
from app.models import PeerVisit, Role, TriadMeeting
from tests.factories import make_programme, make_triad, make_user, make_year
from tests.pages import error_messages, text_of

TODAY = clock.today()
THIS_YEAR = TODAY.year if TODAY.month >= 9 else TODAY.year - 1


@pytest.fixture
def scene(session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=THIS_YEAR)
    triad, other_triad = make_triad(year), make_triad(year)
    coach_school, visited, third = (m.school for m in triad.members)
    return SimpleNamespace(
        year=year, triad=triad, visited=visited, focus=current_framework(programme).areas[2],
        coach=make_user(Role.SENCO, school=coach_school, name="Cora Coach"),
        head=make_user(Role.HEAD, school=visited, name="Vic Visited"),
        third=make_user(Role.HEAD, school=third, name="Tia Third"),
        elsewhere=make_user(Role.HEAD, school=other_triad.members[0].school, name="Eli Elsewhere"),
        lead=make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead"),
    )


def form_date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def test_the_triad_page_shows_each_meeting_as_missing_scheduled_or_held(client_request, scene):
    db.session.add(TriadMeeting(triad_id=scene.triad.id, number=1, starts_at=london_time(TODAY, time(9)),
                                place="Room 4", held=True, notes="Plans drafted"))
    db.session.add(TriadMeeting(triad_id=scene.triad.id, number=2, starts_at=london_time(TODAY, time(14)),
                                place="Room 4"))
    db.session.commit()
    client_request.sign_in(scene.third)
    page = client_request.get("programmes.triad", triad_id=scene.triad.id)
    states = [row.select("td")[1].text.strip() for row in page.select("#meetings + .app-table-scroll tbody tr")]
    assert states == ["Held", "Scheduled", "Missing"]
    # members read; the coach and the lead arrange
    assert not page.select("a[href*='/meetings/'][href$='/record'], a[href*='/triads/'][href*='/meetings/']")


def test_the_coach_schedules_a_meeting_and_dates_outside_the_year_are_refused(client_request, scene):
    client_request.sign_in(scene.coach)
    page = client_request.post("scheduling.meeting", {"day": form_date(scene.year.ends_on + timedelta(days=1)),
                                                      "time": "9:30", "duration_minutes": "90", "host_school_id": "",
                                                      "place": "Room 4", "online_link": "", "agenda": ""},
                               _expected_status=200, triad_id=scene.triad.id, number=1)
    assert error_messages(page) == [f"The date must be in the {scene.year.label} academic year, between "
                                    f"1 September {THIS_YEAR} and 31 August {THIS_YEAR + 1}"]
    assert db.session.scalar(select(func.count()).select_from(TriadMeeting)) == 0
    client_request.post("scheduling.meeting", {"day": form_date(TODAY), "time": "9:30", "duration_minutes": "90",
                                               "host_school_id": str(scene.visited.id), "place": "Library",
                                               "online_link": "", "agenda": "Draft the plans"},
                        triad_id=scene.triad.id, number=1)
    meeting = db.session.scalar(select(TriadMeeting))
    assert (meeting.number, meeting.host_school_id, meeting.place) == (1, scene.visited.id, "Library")


def test_only_the_coach_school_and_the_lead_arrange_meetings(client_request, scene):
    for person in (scene.head, scene.third, scene.elsewhere):
        client_request.sign_in(person)
        client_request.get("scheduling.meeting", _expected_status=403, triad_id=scene.triad.id, number=1)
    client_request.sign_in(scene.lead)
    client_request.get("scheduling.meeting", triad_id=scene.triad.id, number=1)


def test_peer_visit_notes_are_read_by_the_visited_school_and_the_coach_only(client_request, scene):
    client_request.sign_in(scene.coach)
    client_request.post("scheduling.peer_visit", {"day": form_date(TODAY), "time": "9:00", "duration_minutes": "180",
                                                  "focus_area_id": str(scene.focus.id)},
                        triad_id=scene.triad.id, school_id=scene.visited.id)
    visit = db.session.scalar(select(PeerVisit))
    client_request.post("scheduling.visit_notes", {"strengths": "Calm classrooms", "questions": "How is it shared?",
                                                   "next_steps": "Visual timetables in KS2", "version": "1"},
                        visit_id=visit.id)
    client_request.sign_in(scene.head)
    page = client_request.get("scheduling.show_visit", visit_id=visit.id)
    assert "Calm classrooms" in text_of(page) and "Visual timetables in KS2" in text_of(page)
    assert "Written by Cora Coach" in text_of(page)
    client_request.get("scheduling.visit_notes", _expected_status=403, visit_id=visit.id)
    for person in (scene.third, scene.elsewhere, scene.lead):
        client_request.sign_in(person)
        client_request.get("scheduling.show_visit", _expected_status=403, visit_id=visit.id)


def test_only_the_coach_schedules_peer_visits_and_only_to_the_other_two_schools(client_request, scene):
    client_request.sign_in(scene.head)
    client_request.get("scheduling.peer_visit", _expected_status=403, triad_id=scene.triad.id,
                       school_id=scene.visited.id)
    client_request.sign_in(scene.coach)
    coach_school = scene.triad.members[0].school
    page = client_request.post("scheduling.peer_visit",
                               {"day": form_date(TODAY), "time": "9:00", "duration_minutes": "180",
                                "focus_area_id": str(scene.focus.id)},
                               _expected_status=200, triad_id=scene.triad.id, school_id=coach_school.id)
    assert error_messages(page) == ["The coach visits the other two schools of the triad"]


def test_a_double_booking_is_saved_with_a_warning(client_request, scene):
    db.session.add(TriadMeeting(triad_id=scene.triad.id, number=1, starts_at=london_time(TODAY, time(9)),
                                place="Room 4"))
    db.session.commit()
    client_request.sign_in(scene.coach)
    response = client_request.post("scheduling.peer_visit", {"day": form_date(TODAY), "time": "13:00",
                                                             "duration_minutes": "120",
                                                             "focus_area_id": str(scene.focus.id)},
                                   _follow=True, _expected_status=200, triad_id=scene.triad.id,
                                   school_id=scene.visited.id)
    assert f"Check the date: {scene.triad.name} has meeting 1 that day." in text_of(response, "body")
    assert db.session.scalar(select(func.count()).select_from(PeerVisit)) == 1


def test_programme_events_show_on_every_schools_home_page(client_request, scene):
    from app.models import EventKind, ProgrammeEvent

    db.session.add(ProgrammeEvent(year_id=scene.year.id, kind=EventKind.CELEBRATION, place="Civic centre",
                                  starts_at=london_time(scene.year.ends_on - timedelta(days=40), time(13))))
    db.session.commit()
    for person in (scene.third, scene.elsewhere):
        client_request.sign_in(person)
        assert "Celebration of learning, Civic centre" in text_of(client_request.get("main.home"), "#key-dates")
