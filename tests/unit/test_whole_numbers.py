"""Reading a whole number typed by a person or put in an address: plain digits within bounds, nothing else."""
from __future__ import annotations

import pytest

from app.common.forms import MAX_WHOLE_NUMBER, whole_number


@pytest.mark.parametrize("text", ["-1", "+3", "1_000", "1e3", "2.5", "\u00b2", "\u0663", "1 000", "", None,
                                  str(MAX_WHOLE_NUMBER + 1), "9" * 5000])
def test_what_int_would_take_or_the_database_cannot_hold_is_not_a_whole_number(text):
    assert whole_number(text) is None


def test_plain_digits_within_the_bounds_are_a_whole_number():
    assert [whole_number(" 0042 "), whole_number(str(MAX_WHOLE_NUMBER)), whole_number("4", 1, 4),
            whole_number("5", 1, 4), whole_number("0", minimum=1)] == [42, MAX_WHOLE_NUMBER, 4, None, None]
