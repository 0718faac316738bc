"""Information requests: due dates fixed in working days (bank holidays and the programme's closure
days skipped), who is asked, answers with safe files, lateness and the CSV of responses."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import func, select

from app.common.errors import DomainError
from app.extensions import db
from app.information_requests.service import answer_request, create_request, is_late, responses_csv
from app.models import ClosureDay, InformationRequest, Role
from tests.factories import enrol, make_cluster, make_programme, make_school, make_user, make_year


@pytest.fixture
def year(session):
    year = make_year(make_programme(), start_year=2026)
    enrol(year, make_school(name="Alder Primary"), make_school(name="Birch Primary"), make_school(name="Cedar High"))
    return year


def test_the_due_date_skips_christmas_and_new_year_and_is_fixed_when_written(year):
    lead = make_user(Role.PROGRAMME_LEAD, programme=year.programme)
    request = create_request(year, lead, "SEND register numbers", "How many pupils have EHC plans?", 10,
                             issued_on=date(2026, 12, 18))
    assert request.due_on == date(2027, 1, 6)  # worked out by hand: see test_working_days.py
    assert len(request.recipients) == 3
    # A closure day added later does not move a deadline already given.
    db.session.add(ClosureDay(programme_id=year.programme_id, day=date(2027, 1, 5), reason="INSET"))
    db.session.flush()
    db.session.refresh(request)
    assert request.due_on == date(2027, 1, 6)
    later = create_request(year, lead, "Again", "Details", 10, issued_on=date(2026, 12, 18))
    assert later.due_on == date(2027, 1, 7)


def test_requests_go_to_chosen_schools_or_a_cluster(year):
    lead = make_user(Role.PROGRAMME_LEAD, programme=year.programme)
    cluster = make_cluster(year.programme)
    [north] = enrol(year, make_school(name="North Primary"), cluster=cluster)
    assert [r.school_id for r in create_request(year, lead, "T", "D", 5, cluster=cluster).recipients] == [north.id]
    outsider = make_school()
    with pytest.raises(DomainError, match="Choose at least one school"):
        create_request(year, lead, "T", "D", 5, school_ids={outsider.id})


@pytest.mark.parametrize(("title", "details", "days", "message"), [
    ("", "D", 10, "Enter a title"), ("T", " ", 10, "Enter what you are asking"),
    ("T", "D", 0, "from 1 to 60"), ("T", "D", None, "from 1 to 60")])
def test_a_request_missing_something_is_refused_and_nothing_saved(year, title, details, days, message):
    with pytest.raises(DomainError, match=message):
        create_request(year, make_user(), title, details, days)
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 0


def test_answers_take_safe_files_only(year):
    request = create_request(year, make_user(), "T", "D", 10, issued_on=date(2026, 11, 2))
    recipient = request.recipients[0]
    senco = make_user(Role.SENCO, school=recipient.school)
    with pytest.raises(DomainError, match="Enter your answer"):
        answer_request(recipient, senco, " ")
    with pytest.raises(DomainError, match="must be a PDF"):
        answer_request(recipient, senco, "See file", ("run.exe", "application/octet-stream", b"MZ"))
    with pytest.raises(DomainError, match="not a real PDF"):
        answer_request(recipient, senco, "See file", ("report.pdf", "application/pdf", b"MZ not a pdf"))
    with pytest.raises(DomainError, match="smaller than 5 MB"):
        answer_request(recipient, senco, "See file", ("big.pdf", "application/pdf", b"%PDF" + b"0" * 5_242_880))
    assert recipient.answered_at is None
    answer_request(recipient, senco, "Attached", ("../../etc/report.pdf", "text/html", b"%PDF-1.7 ..."))
    assert (recipient.file_name, recipient.file_type) == ("report.pdf", "application/pdf")


def test_unanswered_schools_are_late_after_the_due_date_and_the_csv_says_so(year):
    request = create_request(year, make_user(), "Numbers", "How many?", 2, issued_on=date(2026, 11, 2))
    assert request.due_on == date(2026, 11, 4)
    answered = next(r for r in request.recipients if r.school.name == "Birch Primary")
    answer_request(answered, make_user(Role.SENCO, school=answered.school, name="Bea Senco"), "=14 pupils")
    assert not any(is_late(r, date(2026, 11, 4)) for r in request.recipients)
    assert sum(is_late(r, date(2026, 11, 5)) for r in request.recipients) == 2
    rows = list(csv.reader(io.StringIO(responses_csv(request, date(2026, 11, 5)).lstrip("\ufeff"))))
    assert rows[0][:3] == ["School", "URN", "Status"]
    assert [(r[0], r[2]) for r in rows[1:]] == [("Alder Primary", "Late"), ("Birch Primary", "Answered"),
                                                ("Cedar High", "Late")]
    assert rows[2][5] == "'=14 pupils"  # never a formula


def test_the_audit_trail_records_a_files_size_not_its_content(year):
    from app.models import AuditEvent

    request = create_request(year, make_user(), "T", "D", 10, issued_on=date(2026, 11, 2))
    recipient = request.recipients[0]
    answer_request(recipient, make_user(), "Attached", ("notes.txt", "text/plain", b"confidential text"))
    db.session.flush()
    changes = [e.changes for e in db.session.scalars(select(AuditEvent).where(AuditEvent.entity_id == recipient.id))]
    assert "[17 bytes]" in str(changes)
    assert "confidential text" not in str(changes)
