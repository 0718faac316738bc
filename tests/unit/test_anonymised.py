"""The guard against pupil-identifiable text: a UPN, a 10-digit ULN or NHS number and a date of birth are
refused with a message saying why and what to write instead; ordinary numbers and partial dates are not."""
from __future__ import annotations

import time
from datetime import date

import pytest
from flask_wtf import FlaskForm
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import TextAreaField

from app.common.anonymised import identifying_problems
from app.common.forms import NoPupilIdentifiers

UPN = "Remove the unique pupil number (UPN): use the reference your school keeps for this case instead"
TEN_DIGITS = ("Remove the 10-digit number: it could be a ULN or NHS number. Use the reference your school keeps "
              "for this case instead")
DATE_OF_BIRTH = "Remove the date of birth: it could identify the pupil. Give their year group instead"


def a_date(written: str) -> str:
    return (f"Remove the date \u201c{written}\u201d: a full date could be a pupil's date of birth. "
            "Give their year group, or just the month and year")


@pytest.mark.parametrize("text", [
    "A123456789012", "a123456789012", "Pupil A123 4567 89 012 joined", "A 123 4567 89012", "A-1234-5678-9012",
    "UPN: K801200112345.", "(A123456789012)"])
def test_a_unique_pupil_number_is_refused(text):
    assert identifying_problems(text) == [UPN]


@pytest.mark.parametrize("text", [
    "9434765919", "NHS number 943 476 5919", "943-476-5919", "ULN 1234567890, checked", "943\u00a0476\u00a05919"])
def test_a_ten_digit_number_is_refused(text):
    assert identifying_problems(text) == [TEN_DIGITS]


@pytest.mark.parametrize(("text", "written"), [
    ("Seen on 12/03/2015 by", "12/03/2015"), ("12-3-15", "12-3-15"), ("12.03.2015", "12.03.2015"),
    ("2015-03-12", "2015-03-12"), ("12 March 2015", "12 March 2015"), ("12th Mar 2015", "12th Mar 2015"),
    ("March 12, 2015", "March 12, 2015"), ("1st of may 2014", "1st of may 2014"), ("3 Sept '15", "3 Sept '15"),
    ("12 03 2015", "12 03 2015"), ("the 31/1/2016.", "31/1/2016"), ("03/25/2015", "03/25/2015"),
    ("Group 5 12 03 2015", "12 03 2015"), ("scores 40/50/2015, on 1/5/2015", "1/5/2015")])
def test_a_full_date_is_refused_and_named(text, written):
    assert identifying_problems(text) == [a_date(written)]


@pytest.mark.parametrize("text", [
    "DOB 12/03", "D.O.B.: 12 March", "date of birth: March 2015", "Born on March 12", "dob 12/03/2015",
    "Date of birth is 1st June 2016", "born on the 12th of March"])
def test_a_date_of_birth_even_in_part_is_refused_once(text):
    assert identifying_problems(text) == [DATE_OF_BIRTH]


@pytest.mark.parametrize("text", [
    "", "Started in March 2026", "Year 5", "Reception and Year 11", "£12,000 of outreach", "£1234567890 budget",
    "3 sessions a week for 6 weeks", "URN 123456", "URN 1234567", "Call 0117 943 4765", "01179434765",
    "+44 117 943 4765", "+44 (0)117 943 4765", "07700 900123", "123456789012", "A1234567890123", "12 March",
    "2024/25", "2024-25", "10 20 30", "2015-16-17",
    "32/01/2015", "12/13/15", "Adobe 12", "DOB not held", "about 10.30-11.30", "version 1.2.3",
    "from 12 to 15 pupils in 2026", "In March 15 pupils joined", "born in Year 2", "mayor 12 2015"])
def test_ordinary_numbers_and_partial_dates_are_not_refused(text):
    assert identifying_problems(text) == []


def test_every_problem_is_listed_at_once_in_the_same_order():
    text = "Pupil A123456789012 (NHS 943 476 5919), DOB 12/03, seen 1 May 2014 and 2/6/2014"
    assert identifying_problems(text) == [UPN, TEN_DIGITS, DATE_OF_BIRTH,
                                          "Remove the dates \u201c1 May 2014\u201d and \u201c2/6/2014\u201d: a full "
                                          "date could be a pupil's date of birth. Give their year group, or just the "
                                          "month and year"]


def test_a_problem_is_listed_once_however_often_it_appears():
    assert identifying_problems("A123456789012 or B123456789012, 12/03/2015 and 12/03/2015 again") == [
        UPN, a_date("12/03/2015")]


def test_a_lone_letter_before_twelve_digits_in_groups_is_read_as_a_upn():
    # Ambiguous: a 10-digit number then a 2-digit one after "b". Either way it is refused.
    assert identifying_problems("b 9434765919 12") == [UPN]


def test_long_runs_of_spaces_are_checked_quickly():
    # Before one run of spaces was matched in one way only, this took minutes: a form could hang the server.
    started = time.perf_counter()
    assert identifying_problems(("DOB" + " " * 5000 + "x") * 20 + " 12/03/2015") == [a_date("12/03/2015")]
    assert time.perf_counter() - started < 1


# Properties. Words of consonants cannot spell a month, "DOB" or "born"; numbers under 7 digits, sums of money,
# a month and year, a day and month, a year group and a phone number are each put after such a word, so no two
# numbers stand together (two or three numbers in a row can be a date or an NHS number).
words = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=2, max_size=8)
things = st.one_of(
    words,
    st.integers(0, 999_999).map(str),
    st.integers(0, 10**9).map(lambda pounds: f"£{pounds:,}"),
    st.dates(date(1990, 1, 1), date(2035, 12, 31)).map(lambda day: f"{day:%B %Y}"),
    st.dates(date(1990, 1, 1), date(2035, 12, 31)).map(lambda day: f"{day.day} {day:%B}"),
    st.integers(1, 13).map(lambda year: f"Year {year}"),
    st.just("0117 943 4765"),
)
safe_texts = st.lists(st.tuples(words, things).map(" ".join), max_size=12)


@given(safe_texts)
def test_text_of_plain_words_and_ordinary_numbers_is_never_refused(pairs):
    assert identifying_problems(" ".join(pairs)) == []


def _grouped(digits: str, separators: list[str]) -> str:
    return "".join(digit + separator for digit, separator in zip(digits, separators, strict=False)) + digits[-1]


upns = st.builds(
    lambda letter, digits, separators: letter + separators[0] + _grouped(digits, separators[1:]),
    st.sampled_from("ABCDEFGHJKLMNPQRTUVWXYZabcz"), st.text(alphabet="0123456789", min_size=12, max_size=12),
    st.lists(st.sampled_from(["", "", "", " ", "-"]), min_size=12, max_size=12))
ten_digit_numbers = st.builds(
    lambda digits, separator: f"{digits[:3]}{separator}{digits[3:6]}{separator}{digits[6:]}",
    st.text(alphabet="0123456789", min_size=10, max_size=10), st.sampled_from(["", " ", "-"]))
DATE_FORMATS = ["{d:%d/%m/%Y}", "{d.day}-{d.month}-{d:%y}", "{d:%d.%m.%Y}", "{d:%Y-%m-%d}", "{d.day} {d:%B %Y}",
                "{d.day}th {d:%b %Y}", "{d:%B} {d.day}, {d.year}", "{d:%d %m %Y}"]
full_dates = st.builds(lambda day, form: form.format(d=day), st.dates(date(1990, 1, 1), date(2035, 12, 31)),
                       st.sampled_from(DATE_FORMATS))


@given(safe_texts, st.integers(0, 12), upns)
def test_a_upn_anywhere_in_safe_text_is_refused(pairs, where, upn):
    assert identifying_problems(" ".join([*pairs[:where], upn, *pairs[where:]])) == [UPN]


@given(safe_texts, st.integers(0, 12), ten_digit_numbers)
def test_a_ten_digit_number_anywhere_in_safe_text_is_refused(pairs, where, number):
    assert identifying_problems(" ".join([*pairs[:where], number, *pairs[where:]])) == [TEN_DIGITS]


@given(safe_texts, st.integers(0, 12), words, full_dates)
def test_a_full_date_anywhere_in_safe_text_is_refused(pairs, where, word, written):
    # After a word: straight after a day and month ("1 January" then "2000-01-01") it would make another date.
    assert identifying_problems(" ".join([*pairs[:where], f"{word} {written}", *pairs[where:]])) == [a_date(written)]


class CaseNotes(FlaskForm):
    notes = TextAreaField("What has been tried", validators=[NoPupilIdentifiers()])


def _submitted(app, **fields):
    with app.test_request_context(method="POST"):
        form = CaseNotes(formdata=MultiDict(fields), meta={"csrf": False})
        return form.validate(), form.notes.errors


def test_the_validator_refuses_text_with_every_problem_in_one_message(app):
    valid, errors = _submitted(app, notes="A123456789012 born on 12 March, NHS 9434765919")
    assert not valid
    assert errors == [f"{UPN}. {TEN_DIGITS}. {DATE_OF_BIRTH}"]


def test_the_validator_lets_anonymised_text_and_a_blank_field_through(app):
    assert _submitted(app, notes="Year 4, cognition and learning, SEN support since March 2026") == (True, [])
    assert _submitted(app) == (True, [])
