"""Working-day deadlines, checked against dates worked out by hand from the calendar."""
from __future__ import annotations

from datetime import date

import pytest

from app.common.working_days import add_working_days, is_working_day, working_days_before


@pytest.mark.parametrize(("start", "days", "due", "why"), [
    (date(2026, 3, 2), 10, date(2026, 3, 16), "two plain weeks from a Monday"),
    (date(2026, 3, 6), 1, date(2026, 3, 9), "a Friday's next working day is Monday"),
    # Easter 2026: Good Friday 3 April and Easter Monday 6 April are bank holidays.
    (date(2026, 3, 27), 10, date(2026, 4, 14), "across Good Friday and Easter Monday"),
    (date(2026, 4, 2), 1, date(2026, 4, 7), "Thursday before Easter to the Tuesday after"),
    # Christmas 2026: Fri 25 Dec, Boxing Day Sat 26 (observed Mon 28), New Year's Day Fri 1 Jan 2027.
    (date(2026, 12, 18), 10, date(2027, 1, 6), "across Christmas and New Year"),
    (date(2026, 12, 24), 1, date(2026, 12, 29), "Christmas Eve to the Tuesday after Boxing Day observed"),
    (date(2026, 12, 31), 1, date(2027, 1, 4), "New Year's Eve to the first Monday of 2027"),
    # The late summer bank holiday, Monday 31 August 2026.
    (date(2026, 8, 28), 1, date(2026, 9, 1), "across the late summer bank holiday"),
])
def test_deadlines_skip_weekends_and_bank_holidays(start, days, due, why):
    assert add_working_days(start, days) == due, why


def test_a_programmes_closure_days_are_skipped_too():
    # An INSET day on Monday 16 March 2026 pushes a 10-day deadline from the 16th to the 17th.
    assert add_working_days(date(2026, 3, 2), 10, closures=[date(2026, 3, 16)]) == date(2026, 3, 17)


def test_working_days_before_a_deadline_skip_the_same_days():
    assert working_days_before(date(2027, 1, 6), 2) == date(2027, 1, 4)
    assert working_days_before(date(2026, 4, 7), 2) == date(2026, 4, 1)


def test_bank_holidays_and_weekends_are_not_working_days():
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day (observed)
    assert not is_working_day(date(2026, 3, 7))  # a Saturday
    assert is_working_day(date(2026, 12, 29))
