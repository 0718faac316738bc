"""Closure days: refused when deadlines skip the day already, listed in date order, and moving the due
date of requests written after them (checked against dates counted by hand)."""
from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from app.common.errors import DomainError
from app.extensions import db
from app.information_requests.service import due_date
from app.models import ClosureDay
from app.programmes.closure_days import add_closure_day, closure_days_for, remove_closure_day
from tests.factories import make_programme, make_year

# October 2026 has no bank holidays: 10 working days from Monday 19 October is Monday 2 November
# (20, 21, 22, 23, 26, 27, 28, 29, 30 October, 2 November). An INSET day on Friday 23 October makes
# it Tuesday 3 November.
ISSUED_ON = date(2026, 10, 19)
INSET = date(2026, 10, 23)


@pytest.fixture
def year(session):
    return make_year(make_programme(), start_year=2026)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(ClosureDay))


@pytest.mark.parametrize(("day", "invalid", "reason", "message", "field"), [
    (None, False, "INSET", "Enter the date of the closure day", "day"),
    (None, True, "INSET", "The date must be a real date, for example 27 3 2026", "day"),
    (date(2026, 1, 3), False, "", "Saturday 3 January 2026 is a weekend day, which deadlines already skip", "day"),
    (date(2026, 1, 4), False, "", "Sunday 4 January 2026 is a weekend day, which deadlines already skip", "day"),
    (date(2026, 1, 1), False, "",
     "1 January 2026 is a bank holiday (New Year's Day), which deadlines already skip", "day"),
    (date(2026, 12, 28), False, "",
     "28 December 2026 is a bank holiday (Boxing Day, observed), which deadlines already skip", "day"),
    (INSET, False, "x" * 201, "The reason must be 200 characters or fewer", "reason"),
])
def test_a_day_deadlines_already_skip_or_a_bad_entry_is_refused_and_nothing_saved(year, day, invalid, reason,
                                                                                   message, field):
    with pytest.raises(DomainError) as refused:
        add_closure_day(year.programme, day, invalid, reason)
    assert (refused.value.message, refused.value.field) == (message, field)
    assert _count() == 0


def test_the_same_day_twice_is_refused(year):
    add_closure_day(year.programme, INSET, False, "INSET day")
    with pytest.raises(DomainError) as refused:
        add_closure_day(year.programme, INSET, False, "Again")
    assert refused.value.message == "Friday 23 October 2026 is already a closure day"
    assert _count() == 1


def test_the_same_day_added_by_two_leads_at_once_is_refused_by_the_database(year, monkeypatch):
    add_closure_day(year.programme, INSET, False, "INSET day")
    # The other lead's check ran before this day was saved.
    monkeypatch.setattr("app.programmes.closure_days._is_closure_day", lambda programme, day: False)
    with pytest.raises(DomainError, match="^Friday 23 October 2026 is already a closure day$"):
        add_closure_day(year.programme, INSET, False, "Again")
    assert [c.reason for c in closure_days_for(year.programme)] == ["INSET day"]


def test_the_reason_is_optional_and_another_programme_may_close_the_same_day(year):
    add_closure_day(year.programme, INSET, False, "")
    other = make_programme()
    closure = add_closure_day(other, INSET, False, " " + "x" * 200 + " ")
    assert closure.reason == "x" * 200
    assert [c.reason for c in closure_days_for(year.programme)] == [""]


def test_closure_days_are_listed_in_date_order(year):
    add_closure_day(year.programme, date(2027, 2, 15), False, "Spring INSET")
    add_closure_day(year.programme, INSET, False, "Autumn INSET")
    add_closure_day(make_programme(), date(2026, 11, 2), False, "Not this programme's")
    assert [c.day for c in closure_days_for(year.programme)] == [INSET, date(2027, 2, 15)]


def test_a_closure_day_moves_the_due_date_of_a_new_request_by_one_working_day(year):
    assert due_date(year, ISSUED_ON, 10) == date(2026, 11, 2)
    add_closure_day(year.programme, INSET, False, "INSET day")
    assert due_date(year, ISSUED_ON, 10) == date(2026, 11, 3)


def test_removing_a_closure_day_gives_the_working_day_back(year):
    closure = add_closure_day(year.programme, INSET, False, "INSET day")
    assert remove_closure_day(year.programme, closure.id) == INSET
    assert closure_days_for(year.programme) == []
    assert due_date(year, ISSUED_ON, 10) == date(2026, 11, 2)


def test_only_the_programmes_own_closure_days_can_be_removed(year):
    closure = add_closure_day(year.programme, INSET, False, "INSET day")
    for programme, closure_day_id in ((make_programme(), closure.id), (year.programme, uuid.uuid4())):
        with pytest.raises(DomainError):
            remove_closure_day(programme, closure_day_id)
    assert _count() == 1
