"""The guard against pupil-identifiable text: what a school writes about a case (advice requests, referrals,
impact reviews) must not carry a unique pupil number, a ULN or NHS number, or a date of birth.

What is flagged, and what is left alone on purpose:
- a UPN: a letter and 12 digits, with spaces or hyphens wherever people put them ("A123 4567 89 012");
- a 10-digit number (a ULN or an NHS number): unbroken, or in the NHS 3-3-4 groups ("943 476 5919");
  a 10-digit run inside a longer run of digits is not one, nor a sum of money ("£1234567890");
- a full date (day, month and year) in any common way; numbers are read day first, as in England, and
  month first only with a 4-digit year when day first is not a date; "DOB", "date of birth" and "born on"
  followed by any date, even a partial one ("DOB 12/03");
- not flagged: a month and year ("March 2026"), a day and month ("12 March"), a year group, money
  ("£12,000"), counts ("3 sessions"), a school's 6- or 7-digit URN and phone numbers (11 digits, or +44 and
  10), which do not identify a pupil.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_SEPARATOR = r"[ \u00a0\-\u2013]"  # between groups of digits: a space, a no-break space, a hyphen, an en dash
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![a-z])")
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:(?:19|20)[0-9]{2}|['\u2019][0-9]{2})(?![0-9])"  # a worded date's year: "2015" or "'15", not "15"
# A numeric date is not the middle of a longer run ("1.12.03.2015", "112/03/2015").
_NOT_AFTER_DIGITS = r"(?<![0-9])(?<![0-9][/.\-])"
_NOT_BEFORE_DIGITS = r"(?![0-9])(?![/.\-][0-9])"

_UPN = re.compile(rf"(?<![a-z0-9])[a-z]{_SEPARATOR}?[0-9](?:{_SEPARATOR}?[0-9]){{11}}(?![0-9])", re.IGNORECASE)
# Unbroken or in 3-3-4 groups; not after or before another digit, a pound sign, a decimal point or a
# thousands comma with digits ("£1234567890", "1,9434765919"), nor a phone number's +44 ("+44 (0)117 943 4765").
_TEN_DIGITS = re.compile(r"(?<![0-9£])(?<![0-9][.,])(?<!\+44)(?<!\+44 )(?<!\(0\))(?<!\(0\) )"
                         rf"[0-9]{{3}}{_SEPARATOR}?[0-9]{{3}}{_SEPARATOR}?[0-9]{{4}}(?![0-9])(?![.,][0-9])")

_WORDED_DAY_FIRST = rf"(?<![0-9]){_DAY},?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"  # "12th of March, 2015"
_WORDED_MONTH_FIRST = rf"(?<![a-z]){_MONTH}\s+{_DAY},?\s+{_YEAR}"  # "March 12, 2015"
# "12/03/2015", "12-3-15", "12.03.2015", "12 03 2015"; whether it is a day and a month is `_is_full_date`'s call.
_NUMERIC_DAY_FIRST = (rf"{_NOT_AFTER_DIGITS}(?P<first>[0-9]{{1,2}})(?P<sep>[/.\-]| )(?P<second>[0-9]{{1,2}})"
                      rf"(?P=sep)(?P<year>[0-9]{{4}}|[0-9]{{2}}){_NOT_BEFORE_DIGITS}")
_NUMERIC_YEAR_FIRST = (rf"{_NOT_AFTER_DIGITS}(?P<iso_year>(?:19|20)[0-9]{{2}})(?P<iso_sep>[/.\-])"  # "2015-03-12"
                       rf"(?P<month>[0-9]{{1,2}})(?P=iso_sep)(?P<day>[0-9]{{1,2}}){_NOT_BEFORE_DIGITS}")
_FULL_DATE = re.compile("|".join([_WORDED_DAY_FIRST, _WORDED_MONTH_FIRST, _NUMERIC_DAY_FIRST, _NUMERIC_YEAR_FIRST]),
                        re.IGNORECASE)

# After "DOB", "date of birth" or "born on" even part of a date is refused: "12/03", "12 March", "March 2015".
_PART_OF_A_DATE = "|".join([
    _WORDED_DAY_FIRST, _WORDED_MONTH_FIRST, rf"{_DAY}\s+(?:of\s+)?{_MONTH}", rf"{_MONTH}\s+{_DAY}(?![0-9])",
    rf"{_MONTH},?\s+{_YEAR}", r"[0-9]{1,4}(?:[/.\-][0-9]{1,4}){1,2}(?![0-9])"])
_BIRTH_WORDS = r"\b(?:d\.?o\.?b\b\.?|date\s+of\s+birth|born\s+on)"
# One run of spaces at a time: two optional runs side by side ("\s*:?\s*") take quadratic time on long spaces.
_BIRTH = re.compile(rf"{_BIRTH_WORDS}\s*(?:(?:[:\-\u2013]|\bis\b|\bwas\b)\s*)?(?:the\s+)?(?:{_PART_OF_A_DATE})",
                    re.IGNORECASE)

_OWN_REFERENCE = "the reference your school keeps for this case"
_INSTEAD_OF_A_DATE = "Give their year group, or just the month and year"


def _fits(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def _is_full_date(match: re.Match[str]) -> bool:
    """A numeric match is a date only if its day and month could be one: "10 20 30" or "2015-16-17" are not."""
    if match["first"]:
        first, second, year = int(match["first"]), int(match["second"]), match["year"]
        if match["sep"] == " " and len(year) != 4:
            return False  # "3 12 15" is three numbers, "12 03 2015" is a date as GOV.UK's date boxes ask for it
        return _fits(first, second) or (len(year) == 4 and _fits(second, first))
    if match["iso_year"]:
        return _fits(int(match["day"]), int(match["month"]))
    return True


def _dates_message(found: list[str]) -> str:
    quoted = [f"\u201c{text}\u201d" for text in dict.fromkeys(found)]
    if len(quoted) == 1:
        return f"Remove the date {quoted[0]}: a full date could be a pupil's date of birth. {_INSTEAD_OF_A_DATE}"
    listed = ", ".join(quoted[:-1]) + f" and {quoted[-1]}"
    return f"Remove the dates {listed}: a full date could be a pupil's date of birth. {_INSTEAD_OF_A_DATE}"


@dataclass(frozen=True)
class _Check:
    pattern: re.Pattern[str]
    message: Callable[[list[str]], str]
    accepts: Callable[[re.Match[str]], bool] = lambda match: True


# In this order: what one check finds is taken out of the text before the next looks, so a UPN is not also
# "a 10-digit number" and "DOB 12/03/2015" is one problem, not two.
_CHECKS = (
    _Check(_UPN, lambda found: f"Remove the unique pupil number (UPN): use {_OWN_REFERENCE} instead"),
    _Check(_TEN_DIGITS, lambda found: "Remove the 10-digit number: it could be a ULN or NHS number. "
                                      f"Use {_OWN_REFERENCE} instead"),
    _Check(_BIRTH, lambda found: "Remove the date of birth: it could identify the pupil. "
                                 "Give their year group instead"),
    _Check(_FULL_DATE, _dates_message, _is_full_date),
)


def _accepted_matches(check: _Check, text: str) -> Iterator[re.Match[str]]:
    """The check's matches in `text`, left to right. A match the check turns down ("5 12 03" in "5 12 03 2015")
    is looked past one character at a time, so it cannot hide a real one that overlaps it."""
    position = 0
    while match := check.pattern.search(text, position):
        if check.accepts(match):
            yield match
            position = max(match.end(), match.start() + 1)
        else:
            position = match.start() + 1


def identifying_problems(text: str) -> list[str]:
    """Every reason `text` looks pupil-identifiable, each a message saying why and what to write instead;
    empty when it looks safe."""
    problems = []
    for check in _CHECKS:
        found = list(_accepted_matches(check, text))
        if found:
            problems.append(check.message([match.group() for match in found]))
            for match in reversed(found):
                text = f"{text[:match.start()]} \u00a6 {text[match.end():]}"
    return problems


def identifying_message(text: str) -> str | None:
    """Every problem `identifying_problems` finds, in one message (a field shows one), or None when it looks safe."""
    problems = identifying_problems(text)
    return ". ".join(problems) if problems else None
