"""Working days in England: Monday to Friday, not a bank holiday (the holidays package, substitute
days included), and not one of the programme's own closure days."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday_name(day: date) -> str | None:
    """"Boxing Day (observed)", or None when the day is not a bank holiday in England."""
    if day not in _bank_holidays(day.year):
        return None
    return holidays.country_holidays("GB", subdiv="ENG", years=day.year).get(day)


def is_working_day(day: date, closures: Iterable[date] = ()) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year) and day not in set(closures)


def add_working_days(start: date, days: int, closures: Iterable[date] = ()) -> date:
    """The date `days` working days after `start` (the day the request is written does not count)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    closed = set(closures)
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, closed):
            counted += 1
    return day


def working_days_before(due: date, days: int, closures: Iterable[date] = ()) -> date:
    """The working day `days` working days before `due` (for chasers)."""
    closed = set(closures)
    day, counted = due, 0
    while counted < days:
        day -= timedelta(days=1)
        if is_working_day(day, closed):
            counted += 1
    return day
