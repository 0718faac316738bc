"""Closure days: the days a programme's schools are closed (INSET days, say), which information
request deadlines skip as well as weekends and England's bank holidays.

A request already sent keeps its due date: `InformationRequest.due_on` is worked out once, when the
request is written, so adding or removing a closure day only changes the deadlines of requests sent
after it."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.common import dates
from app.common.errors import DomainError, checked_together
from app.common.working_days import bank_holiday_name, is_working_day
from app.extensions import db
from app.models import ClosureDay, Programme

MAX_REASON = 200


def closure_days_for(programme: Programme) -> list[ClosureDay]:
    return list(db.session.scalars(
        select(ClosureDay).where(ClosureDay.programme_id == programme.id).order_by(ClosureDay.day)))


def _bank_holiday(day: date) -> str:
    """"a bank holiday (New Year's Day)", for the message."""
    name = bank_holiday_name(day)
    return f"a bank holiday ({name.replace(' (observed)', ', observed')})" if name else "a bank holiday"


def _is_closure_day(programme: Programme, day: date) -> bool:
    return db.session.scalar(select(ClosureDay.id).where(ClosureDay.programme_id == programme.id,
                                                         ClosureDay.day == day)) is not None


def _checked_day(programme: Programme, day: date | None, invalid: bool) -> date:
    if invalid:
        raise DomainError("The date must be a real date, for example 27 3 2026", field="day")
    if day is None:
        raise DomainError("Enter the date of the closure day", field="day")
    if day.weekday() >= 5:
        raise DomainError(f"{dates.weekday(day)} is a weekend day, which deadlines already skip", field="day")
    if not is_working_day(day):
        raise DomainError(f"{dates.day(day)} is {_bank_holiday(day)}, which deadlines already skip", field="day")
    if _is_closure_day(programme, day):
        raise _already(day)
    return day


def _already(day: date) -> DomainError:
    return DomainError(f"{dates.weekday(day)} is already a closure day", field="day")


def _check_reason(reason: str) -> None:
    if len(reason) > MAX_REASON:
        raise DomainError(f"The reason must be {MAX_REASON} characters or fewer", field="reason")


def add_closure_day(programme: Programme, day: date | None, invalid: bool, reason: str) -> ClosureDay:
    """A closure day for the programme, refused when deadlines skip the day already or it is a closure day."""
    reason = (reason or "").strip()
    checked, _ = checked_together(lambda: _checked_day(programme, day, invalid), lambda: _check_reason(reason))
    closure = ClosureDay(programme_id=programme.id, day=checked, reason=reason)
    try:
        with db.session.begin_nested():
            db.session.add(closure)
            db.session.flush()
    except IntegrityError as error:  # another lead added the same day at the same moment
        raise _already(checked) from error
    return closure


def remove_closure_day(programme: Programme, closure_day_id: uuid.UUID) -> date:
    """Remove one of the programme's closure days; the day it was, for the message."""
    closure = db.session.get(ClosureDay, closure_day_id)
    if closure is None or closure.programme_id != programme.id:
        raise DomainError("That closure day is not one of the programme's")
    db.session.delete(closure)
    db.session.flush()
    return closure.day
