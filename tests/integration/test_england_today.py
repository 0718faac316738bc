"""Through HTTP, "today" is the date in England: a request sent at 00:30 on a summer night is dated that
day and its working days are counted from it."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select

from app.common import clock
from app.common.working_days import add_working_days
from app.extensions import db
from app.models import InformationRequest, Role
from tests.factories import enrol, make_programme, make_school, make_user, make_year
from tests.pages import text_of


def test_a_request_sent_at_half_past_midnight_in_summer_is_dated_that_day_in_england(client_request, session):
    year = make_year(make_programme(), start_year=2025)
    enrol(year, make_school(name="Alder Primary"))
    lead = make_user(Role.PROGRAMME_LEAD, programme=year.programme)
    with clock.frozen_at(datetime(2026, 6, 14, 23, 30, tzinfo=timezone.utc)):  # 00:30 BST, Monday 15 June
        client_request.sign_in(lead)
        response = client_request.post("requests.new", {"title": "SEND register", "details": "How many pupils?",
                                                        "working_days": "10", "audience": "all"},
                                       _follow=True, _expected_status=200, year_id=year.id)
    request = db.session.scalar(select(InformationRequest))
    assert (request.issued_on, request.due_on) == (date(2026, 6, 15), add_working_days(date(2026, 6, 15), 10))
    assert request.due_on == date(2026, 6, 29)
    assert "Sent 15 June 2026" in text_of(response, "body")
