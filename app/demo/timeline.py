"""The demo's calendar: every date the demo writes is a day of an academic year worked out from today, so
the demo loaded on any date shows a programme at the stage a real one would be at then."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from app.common import clock
from app.common.dates import academic_start_year

YearDay = tuple[int, int]  # (month, day): September to December in the year's first calendar year


@dataclass(frozen=True)
class DemoYear:
    """One academic year of the demo as seen at `now`: which of its days have passed and which are to come."""

    start_year: int
    now: datetime

    @classmethod
    def current(cls, now: datetime | None = None) -> DemoYear:
        """The academic year today falls in."""
        moment = now or clock.now()
        return cls(academic_start_year(clock.in_london(moment).date()), moment)

    @property
    def previous(self) -> DemoYear:
        return DemoYear(self.start_year - 1, self.now)

    def day(self, month_day: YearDay) -> date:
        """The date of (month, day) in this academic year."""
        month, day = month_day
        return date(self.start_year if month >= 9 else self.start_year + 1, month, day)

    def at(self, month_day: YearDay, hour: int, minute: int = 0) -> datetime:
        """A time in England on (month, day) of this year, in UTC."""
        return self.moment(self.day(month_day), hour, minute)

    @staticmethod
    def moment(day: date, hour: int, minute: int = 0) -> datetime:
        """A time in England on `day`, in UTC."""
        return clock.london_time(day, time(hour, minute))

    def has_passed(self, moment: datetime | date) -> bool:
        """True once `moment` (a date: its start) is at or before now: what is dated then has happened."""
        if isinstance(moment, datetime):
            return moment <= self.now
        return moment <= clock.in_london(self.now).date()

    def passed(self, month_day: YearDay, hour: int = 0, minute: int = 0) -> datetime | None:
        """The moment of (month, day) at hour:minute when it has passed, None while it is to come."""
        moment = self.at(month_day, hour, minute)
        return moment if self.has_passed(moment) else None
