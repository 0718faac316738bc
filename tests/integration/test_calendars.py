"""Calendar downloads and the private feed through HTTP."""
from __future__ import annotations

from datetime import date, time

from icalendar import Calendar

from app.extensions import db
from app.meetings.service import london_time
from app.models import Role, TriadMeeting
from tests.factories import make_triad, make_user
from tests.pages import text_of


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
