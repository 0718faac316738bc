"""The lead's deadlines through HTTP: dates set (and refused for a closed year, outside the academic year, or
not a real date), shown on the deadlines page, the year page and the dashboard; the chase previewed with
exactly the schools that have not submitted and the message, then sent once a day."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from app.common import clock
from app.extensions import db
from app.models import Deadline, DeadlineKind, EvaluationStatus, Notice, OutboxEmail, Role, User
from tests.factories import enrol, make_programme_with_framework, make_school, make_triad, make_user, make_year
from tests.locality import rate
from tests.pages import error_messages, text_of

BLANK = ["", "", ""]
TODAY = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)  # Monday 2 March 2026


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen_at(TODAY):
        yield


@pytest.fixture
def year(session):
    year = make_year(make_programme_with_framework(), start_year=2025)
    schools = [make_school(name=f"{name} School") for name in ("Alder", "Birch", "Cedar", "Damson")]
    enrol(year, *schools)
    make_triad(year, schools[:3], name="Triad T")
    for school in schools:
        key = school.name.split()[0].lower()
        make_user(Role.SENCO, school=school, email=f"{key}.senco@example.org", name=f"{school.name.split()[0]} Senco")
        make_user(Role.HEAD, school=school, email=f"{key}.head@example.org")
    rate(year, schools[0], [3] * 8, EvaluationStatus.SUBMITTED)  # Alder has submitted
    rate(year, schools[1], [3] * 8, EvaluationStatus.DRAFT)
    return year


@pytest.fixture
def lead(client_request, year):
    lead = make_user(Role.PROGRAMME_LEAD, programme=year.programme, name="Lee Lead")
    client_request.sign_in(lead)
    return lead


def dates_form(**given: list[str]) -> dict[str, list[str]]:
    return {kind.value: given.get(kind.value, BLANK) for kind in DeadlineKind}


def saved() -> dict[DeadlineKind, date]:
    return dict(db.session.execute(select(Deadline.kind, Deadline.due_on)).all())


def test_the_lead_sets_deadlines_and_sees_them_on_the_year_page_and_the_dashboard(client_request, year, lead):
    year_page = client_request.get("programmes.year", year_id=year.id)
    assert year_page.find("a", string="Deadlines and reminders for 2025/26")["href"] == client_request.url(
        "deadlines.edit", year_id=year.id)
    assert "Self-evaluations submitted by : not set yet" in text_of(year_page)

    form = dates_form(submitted=["13", "3", "2026"], qa_visits=["1", "7", "2026"])
    page = client_request.post("deadlines.edit", form, _expected_status=200, _follow=True, year_id=year.id)
    assert "Deadlines for 2025/26 saved" in text_of(page, "body")
    assert saved() == {DeadlineKind.SUBMITTED: date(2026, 3, 13), DeadlineKind.QA_VISITS: date(2026, 7, 1)}
    rows = {row.dt.get_text(strip=True): " ".join(row.dd.get_text(" ").split())
            for row in page.select(".govuk-summary-list__row")}
    assert rows["Self-evaluations submitted by"] == "Friday 13 March 2026 (11 days left)"
    assert rows["Self-evaluations signed off by"] == "Not set"
    assert page.select_one("#submitted-day")["value"] == "13"

    assert "Self-evaluations submitted by : Friday 13 March 2026 (11 days left)" in text_of(
        client_request.get("programmes.year", year_id=year.id))
    dashboard = client_request.get("dashboard.show", year_id=year.id)
    assert "Self-evaluations submitted by 13 March 2026 (11 days left)" in text_of(dashboard)
    assert "QA visits done by 1 July 2026 (121 days left)" in text_of(dashboard)

    client_request.post("deadlines.edit", dates_form(qa_visits=["1", "7", "2026"]), year_id=year.id)  # cleared
    assert saved() == {DeadlineKind.QA_VISITS: date(2026, 7, 1)}


def test_dates_outside_the_year_or_not_real_are_refused_together_and_nothing_is_saved(client_request, year, lead):
    form = dates_form(submitted=["31", "8", "2025"], signed_off=["30", "2", "2026"], learnings=["1", "7", "2026"])
    page = client_request.post("deadlines.edit", form, _expected_status=200, year_id=year.id)
    assert error_messages(page) == [
        "The deadline for submitting self-evaluations must be in 2025/26, from 1 September 2025 to 31 August 2026",
        "The deadline for signing off self-evaluations must be a real date, for example 13 3 2026",
    ]
    assert page.select_one("#learnings-day")["value"] == "1"  # what was typed is kept
    assert saved() == {}


def test_a_closed_year_s_deadlines_cannot_be_changed(client_request, year, lead):
    token = client_request.csrf_token("deadlines.edit", year_id=year.id)
    year.is_closed = True
    db.session.commit()
    page = client_request.get("deadlines.edit", year_id=year.id)
    assert page.select_one("form[method=post] #submitted-day") is None
    assert "2025/26 is closed, so its deadlines can no longer be changed" in text_of(page)
    response = client_request.client.post(client_request.url("deadlines.edit", year_id=year.id),
                                          data={"csrf_token": token, **dates_form(submitted=["13", "3", "2026"])})
    assert response.status_code == 200
    assert "2025/26 is closed, so its deadlines can no longer be changed" in response.get_data(as_text=True)
    assert saved() == {}


def chasers() -> dict[str, int]:
    """Chaser notices and their emails, by who got them."""
    notices = db.session.execute(select(User.email, func.count()).join(Notice, Notice.user_id == User.id)
                                 .where(Notice.dedupe_key.startswith("deadline-chase:")).group_by(User.email)).all()
    emails = db.session.execute(select(OutboxEmail.to_address, func.count())
                                .where(OutboxEmail.dedupe_key.startswith("notice:deadline-chase:"))
                                .group_by(OutboxEmail.to_address)).all()
    assert sorted(notices) == sorted(emails)
    return dict(notices)


def test_the_lead_previews_the_chase_then_sends_it_once_a_day(client_request, year, lead):
    client_request.post("deadlines.edit", dates_form(submitted=["13", "3", "2026"]), year_id=year.id)
    page = client_request.get("deadlines.edit", year_id=year.id)
    link = page.find("a", string="Chase the 3 schools that have not submitted")
    assert link["href"] == client_request.url("deadlines.chase", year_id=year.id, kind="submitted")

    preview = client_request.get("deadlines.chase", year_id=year.id, kind="submitted")
    assert preview.h1.get_text(strip=True) == "Chase the 3 schools that have not submitted"
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in preview.select("tbody tr")]
    assert rows == [["Birch School", "Birch Senco", "No"], ["Cedar School", "Cedar Senco", "No"],
                    ["Damson School", "Damson Senco", "No"]]
    subject = "Birch School's self-evaluation for 2025/26 is due to be submitted by Friday 13 March 2026"
    assert f"Subject: {subject}" in text_of(preview)
    body = preview.select_one("pre.app-email-body").get_text()
    assert body.startswith(f"{subject}.\n\nComplete the self-evaluation and submit it:\nhttp")
    assert "Sent by Lee Lead, Programme lead" in body
    assert chasers() == {}  # nothing sent by looking

    page = client_request.post("deadlines.chase", _expected_status=200, _follow=True, year_id=year.id,
                               kind="submitted")
    assert "Reminders sent to 3 schools" in text_of(page, "body")
    assert chasers() == {"birch.senco@example.org": 1, "cedar.senco@example.org": 1, "damson.senco@example.org": 1}
    birch = db.session.scalar(select(Notice).join(User).where(User.email == "birch.senco@example.org"))
    assert birch.summary == subject and birch.sent_by == f"Lee Lead, Programme lead, {year.programme.name}"

    again = client_request.get("deadlines.chase", year_id=year.id, kind="submitted")
    assert [row.select("td")[2].get_text(strip=True) for row in again.select("tbody tr")] == ["Yes", "Yes", "Yes"]
    page = client_request.post("deadlines.chase", _expected_status=200, _follow=True, year_id=year.id,
                               kind="submitted")
    assert "These schools were already reminded today" in text_of(page, "body")
    assert chasers() == {"birch.senco@example.org": 1, "cedar.senco@example.org": 1, "damson.senco@example.org": 1}


def test_the_chase_for_signing_off_tells_the_heads_of_schools_waiting_for_it(client_request, year, lead):
    preview = client_request.get("deadlines.chase", year_id=year.id, kind="signed_off")
    assert preview.h1.get_text(strip=True) == "Chase the school that has not signed off"
    assert [row.td.get_text(strip=True) for row in preview.select("tbody tr")] == ["Alder School"]
    assert "Self-evaluations signed off by: no date set yet" in text_of(preview)
    page = client_request.post("deadlines.chase", _expected_status=200, _follow=True, year_id=year.id,
                               kind="signed_off")
    assert "Reminder sent to 1 school" in text_of(page, "body")
    assert chasers() == {"alder.head@example.org": 1}


def test_an_unknown_kind_of_deadline_is_not_found(client_request, year, lead):
    client_request.get("deadlines.chase", _expected_status=404, year_id=year.id, kind="launch")


def test_a_chase_with_nobody_to_tell_offers_no_button(client_request, year, lead):
    preview = client_request.get("deadlines.chase", year_id=year.id, kind="qa_visits")
    assert preview.h1.get_text(strip=True) == "Chase the 4 QA visits not yet done"
    assert {row.select("td")[1].get_text(strip=True) for row in preview.select("tbody tr")} == {
        "Nobody: no QA expert is assigned yet"}
    assert "None of these schools has a QA expert to tell yet" in text_of(preview)
    assert preview.select("main form[method=post]") == []
