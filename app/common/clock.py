"""The one clock: `now()` is an aware UTC moment and `today()` the date in England, so a day starts at
midnight in England (not at 1am in summer). Moments are stored in UTC and read in Europe/London.
Tests set the moment with `frozen_at()`; nothing else does."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

_frozen: ContextVar[datetime | None] = ContextVar("frozen_moment", default=None)


def now() -> datetime:
    frozen = _frozen.get()
    return frozen if frozen is not None else datetime.now(timezone.utc)


def today() -> date:
    """The date in England at `now()`."""
    return in_london(now()).date()


def in_london(moment: datetime) -> datetime:
    """An aware moment (every stored one is: see UTCDateTime) as wall-clock time in England."""
    if moment.tzinfo is None:
        raise ValueError("in_london needs an aware moment")
    return moment.astimezone(LONDON)


def london_time(day: date, at: time) -> datetime:
    """A wall-clock time in England as an aware UTC datetime (British Summer Time handled)."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(timezone.utc)


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """For tests: `now()` is `moment` (aware) until the block ends."""
    if moment.tzinfo is None:
        raise ValueError("frozen_at needs an aware moment")
    token = _frozen.set(moment.astimezone(timezone.utc))
    try:
        yield
    finally:
        _frozen.reset(token)
