"""Dates and times as people in English schools read them, one way everywhere: pages, reports, emails,
calendars and downloads all format through these functions (registered as Jinja filters in the pages'
and the reports' environments by `register`). Aware datetimes are shown in London time."""
from __future__ import annotations

from collections.abc import Callable, MutableMapping
from datetime import date, datetime, time
from typing import Any

from app.common.clock import in_london


def _local_date(value: date) -> date:
    return in_london(value).date() if isinstance(value, datetime) else value


def day(value: date | None) -> str:
    """"1 January 2026"; a datetime gives its date in London."""
    if value is None:
        return ""
    local = _local_date(value)
    return f"{local.day} {local:%B %Y}"


def weekday(value: date | None) -> str:
    """"Monday 1 January 2026"."""
    if value is None:
        return ""
    local = _local_date(value)
    return f"{local:%A} {day(local)}"


def month(value: date | None) -> str:
    """"January 2026"."""
    return "" if value is None else f"{_local_date(value):%B %Y}"


def numeric(value: date | None) -> str:
    """"12 11 2026", the way the GOV.UK date input's hint gives an example."""
    if value is None:
        return ""
    local = _local_date(value)
    return f"{local.day} {local.month} {local.year}"


def time_of_day(value: datetime | time | None) -> str:
    """"9:30am", "2:05pm", "12:00pm"; a datetime in London time."""
    if value is None:
        return ""
    local = in_london(value).time() if isinstance(value, datetime) else value
    hour = local.hour % 12 or 12
    return f"{hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def moment(value: datetime | None) -> str:
    """"23 November 2026 at 2:05pm" in London time."""
    return "" if value is None else f"{day(value)} at {time_of_day(value)}"


def weekday_moment(value: datetime | None) -> str:
    """"Tuesday 3 March 2026 at 9:30am" in London time."""
    return "" if value is None else f"{weekday(value)} at {time_of_day(value)}"


FILTERS: dict[str, Callable[..., str]] = {
    "day": day,
    "weekday": weekday,
    "month": month,
    "numeric": numeric,
    "time_of_day": time_of_day,
    "when": moment,
    "weekday_when": weekday_moment,
}


def register(filters: MutableMapping[str, Any]) -> None:
    """Add the date filters to a Jinja environment's `filters`."""
    filters.update(FILTERS)


def academic_start_year(on: date) -> int:
    """The academic year (1 September to 31 August) a date falls in, by its first calendar year."""
    return on.year if on.month >= 9 else on.year - 1
