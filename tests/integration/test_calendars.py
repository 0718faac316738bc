"""Calendar downloads and the private feed through HTTP: who may download, the files' names, and every
calendar well made (London's rules, people, a reminder)."""
from __future__ import annotations

from datetime import date, time, timedelta

from icalendar import Calendar

from app.common.exports import file_slug
from app.extensions import db
from app.meetings.service import london_time
from app.models import Role, TriadMeeting
from tests.factories import make_triad, make_user
from tests.pages import text_of
from tests.seeded import seed_year


def test_a_meeting_downloads_for_its_triad_and_is_403_for_another(client_request, session):
    triad, other = make_triad(), make_triad()
    meeting = TriadMeeting(triad_id=triad.id, number=2, starts_at=london_time(date(2026, 2, 3), time(13, 30)),
                           place="Library")
    db.session.add(meeting)
    db.session.commit()
    url = client_request.url("calendars.meeting_ics", meeting_id=meeting.id)
    client_request.sign_in(make_user(Role.SENCO, school=triad.members[2].school))
    response = client_request.client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    [vevent] = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == f"{triad.name} meeting 2: review progress"
    client_request.sign_in(make_user(Role.SENCO, school=other.members[0].school))
    assert client_request.client.get(url).status_code == 403


def test_the_feed_works_by_token_and_a_reset_ends_the_old_link(client_request, session):
    triad = make_triad()
    db.session.add(TriadMeeting(triad_id=triad.id, number=1, place="Hall",
                                starts_at=london_time(date(2025, 10, 1), time(9))))
    db.session.commit()
    person = make_user(Role.HEAD, school=triad.members[0].school)
    client_request.sign_in(person)
    client_request.post("calendars.make_link", _form_endpoint="calendars.account")
    page = client_request.get("calendars.account")
    feed_url = page.select_one("#feed-url")["value"]
    calendar_app = client_request.client.application.test_client()  # not signed in: the token is the key
    response = calendar_app.get(feed_url)
    assert response.status_code == 200 and b"meeting 1" in response.data
    client_request.post("calendars.account")
    assert "has been reset" in text_of(client_request.get("calendars.account"), "body")
    assert calendar_app.get(feed_url).status_code == 404
    assert calendar_app.get("/calendar/not-a-token.ics").status_code == 404


def test_every_calendar_download_and_the_feed_have_people_a_reminder_and_london_s_rules(client_request, session):
    seeded = seed_year()
    users = seeded.users
    t_staff = {users["head"].email, users["senco"].email, users["coach"].email, seeded.head_of_submitted.email}
    when = "14-october-2025"
    downloads = [  # (endpoint, its values, who opens it, the file's name, who is invited, who arranges it)
        ("calendars.meeting_ics", {"meeting_id": seeded.meeting.id}, "senco",
         f"{file_slug(seeded.triad.name)}-meeting-1-{when}.ics", t_staff, users["coach"].email),
        ("calendars.peer_visit_ics", {"visit_id": seeded.peer_visit.id}, "coach",
         f"peer-visit-to-{file_slug(seeded.draft_school.name)}-{when}.ics",
         {users["head"].email, users["senco"].email, users["coach"].email}, users["coach"].email),
        ("calendars.qa_visit_ics", {"qa_visit_id": seeded.qa_visit.id}, "qa",
         f"qa-visit-to-{file_slug(seeded.submitted_school.name)}-{when}.ics",
         {users["qa"].email, seeded.head_of_submitted.email}, users["qa"].email),
        ("calendars.cluster_meeting_ics", {"cluster_meeting_id": seeded.cluster_meeting.id}, "cluster_lead",
         f"{file_slug(seeded.cluster.name)}-autumn-term-meeting-{when}.ics",
         t_staff | {users["cluster_lead"].email}, users["cluster_lead"].email),
        ("calendars.event_ics", {"event_id": seeded.event.id}, "head",
         f"{file_slug(seeded.programme.name)}-launch-event-{when}.ics",
         t_staff | {users["lead"].email, users["other_triad"].email}, users["lead"].email),
    ]
    for endpoint, values, who, name, invited, organiser in downloads:
        client_request.sign_in(users[who])
        response = client_request.client.get(client_request.url(endpoint, **values))
        assert response.status_code == 200 and response.mimetype == "text/calendar", endpoint
        assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
        [vevent] = well_made_calendar(response.data)
        attendees = {str(a).removeprefix("mailto:") for a in vevent["ATTENDEE"]}
        assert invited <= attendees, endpoint
        assert users["other_lead"].email not in attendees and users["admin"].email not in attendees
        assert str(vevent["ORGANIZER"]) == f"mailto:{organiser}", endpoint
    feed = client_request.client.application.test_client().get(f"/calendar/{seeded.tokens['calendars.feed']}.ics")
    assert feed.status_code == 200
    assert len(well_made_calendar(feed.data)) == 4  # D's head: T's meeting, the visit to D, the cluster's, the launch


def well_made_calendar(data: bytes) -> list:
    """The entries of a calendar, checked: one VTIMEZONE, Europe/London by its rules (one summer and one
    winter part, each with an RRULE), and every entry with its people and a reminder alarm."""
    calendar = Calendar.from_ical(data)
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/London"
    assert sorted(part.name for part in timezone.subcomponents) == ["DAYLIGHT", "STANDARD"]
    assert all("RRULE" in part for part in timezone.subcomponents)
    entries = calendar.walk("VEVENT")
    for vevent in entries:
        assert vevent["DTSTART"].params["TZID"] == "Europe/London"
        assert isinstance(vevent["ATTENDEE"], list) and vevent["ATTENDEE"], vevent["SUMMARY"]
        assert str(vevent["ORGANIZER"]).startswith("mailto:")
        [alarm] = vevent.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") < timedelta(0)
    return entries
