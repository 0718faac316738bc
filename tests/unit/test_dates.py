"""One way to write dates and times (app/common/dates.py): pages, reports, emails and downloads alike."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from hypothesis import given
from hypothesis import strategies as st

from app.common import dates
from app.common.clock import LONDON


def test_spoken_times_are_in_london():
    assert dates.weekday_moment(datetime(2026, 6, 2, 8, 30, tzinfo=timezone.utc)) == "Tuesday 2 June 2026 at 9:30am"
    assert dates.weekday_moment(datetime(2026, 3, 3, 13, 0, tzinfo=timezone.utc)) == "Tuesday 3 March 2026 at 1:00pm"


def test_days_weekdays_months_and_form_examples():
    assert dates.day(date(2026, 1, 1)) == "1 January 2026"
    assert dates.weekday(date(2026, 1, 1)) == "Thursday 1 January 2026"
    assert dates.month(date(2026, 1, 1)) == "January 2026"
    assert dates.numeric(date(2026, 11, 12)) == "12 11 2026"
    assert dates.time_of_day(time(0, 5)) == "12:05am" and dates.time_of_day(time(12, 0)) == "12:00pm"
    assert dates.moment(datetime(2026, 11, 23, 14, 5, tzinfo=timezone.utc)) == "23 November 2026 at 2:05pm"
    assert [dates.day(None), dates.moment(None), dates.time_of_day(None)] == ["", "", ""]


def test_a_moment_after_midnight_in_summer_is_dated_that_day_in_england():
    # 00:30 BST on 2 June is 23:30 UTC on 1 June
    assert dates.day(datetime(2026, 6, 1, 23, 30, tzinfo=timezone.utc)) == "2 June 2026"


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),  # noqa: DTZ001 (hypothesis wants naive bounds)
                    timezones=st.just(timezone.utc)))
def test_every_moment_reads_as_its_wall_clock_time_in_london(moment):
    local = moment.astimezone(LONDON)
    written = dates.weekday_moment(moment)
    assert written.startswith(f"{local:%A} {local.day} {local:%B} {local.year} at ")
    hour, minutes = written.rsplit(" at ", 1)[1][:-2].split(":")
    assert (int(hour) % 12, int(minutes)) == (local.hour % 12, local.minute)
    assert written.endswith("am" if local.hour < 12 else "pm")
    assert dates.day(moment) == dates.day(local.date())
