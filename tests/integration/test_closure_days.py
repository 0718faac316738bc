"""Closure days through HTTP: the lead adds one (after a refusal), sees it listed and removes it;
nobody else can; the page's queries do not grow with the number of days."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import ClosureDay, Role
from tests.factories import make_programme, make_school, make_user
from tests.pages import error_messages, text_of


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(ClosureDay))


def test_the_lead_adds_a_closure_day_after_a_refusal_and_removes_it(client_request, session):
    programme = make_programme()
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme)
    client_request.sign_in(lead)
    show = client_request.get("programmes.show", programme_id=programme.id)
    assert show.find("a", string="Closure days (INSET days)")["href"] == client_request.url(
        "programmes.closure_days", programme_id=programme.id)
    assert "No closure days yet" in text_of(client_request.get("programmes.closure_days", programme_id=programme.id))

    page = client_request.post("programmes.closure_days", {"day": ["3", "1", "2026"], "reason": "INSET day"},
                               _expected_status=200, programme_id=programme.id)
    assert error_messages(page) == ["Saturday 3 January 2026 is a weekend day, which deadlines already skip"]
    assert page.select_one("#reason")["value"] == "INSET day"
    assert _count() == 0

    page = client_request.post("programmes.closure_days", {"day": ["23", "10", "2026"], "reason": "INSET day"},
                               _expected_status=200, _follow=True, programme_id=programme.id)
    assert "Friday 23 October 2026 added as a closure day" in text_of(page, "body")
    [row] = page.select("tbody tr")
    assert [cell.get_text(" ", strip=True) for cell in row.select("td")] == [
        "Friday 23 October 2026", "INSET day", "Remove Friday 23 October 2026"]
    closure = db.session.scalar(select(ClosureDay))

    page = client_request.post("programmes.remove_closure_day", _expected_status=200, _follow=True,
                               _form_endpoint="programmes.closure_days", programme_id=programme.id,
                               closure_day_id=closure.id)
    assert "Friday 23 October 2026 is no longer a closure day" in text_of(page, "body")
    assert "No closure days yet" in text_of(page)
    assert _count() == 0


def test_a_senco_and_the_lead_of_another_programme_get_403(client_request, session):
    programme = make_programme()
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme)
    db.session.add(ClosureDay(programme_id=programme.id, day=date(2026, 10, 23), reason="INSET day"))
    db.session.commit()
    closure = db.session.scalar(select(ClosureDay))
    client_request.sign_in(lead)
    # The token belongs to the browser's session, so it stays valid when someone else signs in on it.
    token = client_request.csrf_token("programmes.closure_days", programme_id=programme.id)
    add = client_request.url("programmes.closure_days", programme_id=programme.id)
    remove = client_request.url("programmes.remove_closure_day", programme_id=programme.id, closure_day_id=closure.id)
    for outsider in (make_user(Role.SENCO, school=make_school()),
                     make_user(Role.PROGRAMME_LEAD, programme=make_programme())):
        client_request.sign_in(outsider)
        client_request.get("programmes.closure_days", _expected_status=403, programme_id=programme.id)
        assert client_request.client.post(add, data={"csrf_token": token, "day": ["26", "10", "2026"],
                                                     "reason": ""}).status_code == 403
        assert client_request.client.post(remove, data={"csrf_token": token}).status_code == 403
    assert [c.day for c in db.session.scalars(select(ClosureDay))] == [date(2026, 10, 23)]


def test_the_page_takes_the_same_queries_for_1_and_10_closure_days(client_request, session):
    programme = make_programme()
    client_request.sign_in(make_user(Role.PROGRAMME_LEAD, programme=programme))
    # Weekdays from Monday 2 November 2026: no bank holidays until Christmas.
    weekdays = [day for day in (date(2026, 11, 2) + timedelta(days=n) for n in range(14)) if day.weekday() < 5]

    def statements_for(how_many: int) -> int:
        have = _count()
        for day in weekdays[have:how_many]:
            db.session.add(ClosureDay(programme_id=programme.id, day=day, reason=f"INSET {day.day}"))
        db.session.commit()
        db.session.expire_all()
        page = client_request.get("programmes.closure_days", programme_id=programme.id)
        assert len(page.select("tbody tr")) == how_many
        return client_request.last_statements

    assert statements_for(1) == statements_for(10)
