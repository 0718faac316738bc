"""A service checking a whole form raises every problem at once (app.common.errors), and a form shows each on
its own field (app.common.forms.add_domain_error)."""
from __future__ import annotations

import pytest
from wtforms import StringField

from app.common.errors import DomainError, Problems, checked_together, raise_all
from app.common.forms import StripWhitespaceForm, add_domain_error


def refuse(message: str, field: str | None = None):
    def check():
        raise DomainError(message, field=field)
    return check


def test_checks_that_all_pass_return_their_values_in_order():
    assert checked_together(lambda: 1, lambda: None, lambda: "three") == [1, None, "three"]


def test_every_refusal_is_raised_together_in_the_order_of_the_checks():
    with pytest.raises(Problems) as raised:
        checked_together(refuse("Enter a title", "title"), lambda: 2, refuse("Enter a date", "day"))
    found = [(p.field, p.message) for p in raised.value.problems]
    assert found == [("title", "Enter a title"), ("day", "Enter a date")]
    assert isinstance(raised.value, DomainError) and raised.value.message == "Enter a title"


def test_a_single_refusal_is_raised_as_it_was():
    original = DomainError("Enter a date", field="day")

    def check():
        raise original
    with pytest.raises(DomainError) as raised:
        checked_together(lambda: 1, check)
    assert raised.value is original and raised.value.problems == [original]


def test_a_field_shows_only_its_first_problem():
    with pytest.raises(Problems) as raised:
        raise_all([DomainError("The date is in a weekend", "day"), DomainError("Too long", "reason"),
                   DomainError("The date is outside the year", "day")])
    assert [p.message for p in raised.value.problems] == ["The date is in a weekend", "Too long"]


def test_nothing_found_raises_nothing():
    raise_all([])


def test_a_form_shows_each_problem_beside_its_field(app):
    class Form(StripWhitespaceForm):
        title = StringField()
        day = StringField()

    with app.test_request_context(method="POST", data={}):
        form = Form(meta={"csrf": False})
        form.validate()
        add_domain_error(form, Problems([DomainError("Enter a title", "title"), DomainError("Enter a date", "day")]),
                         "title")
        assert (form.title.errors, form.day.errors) == (["Enter a title"], ["Enter a date"])
