"""No form can show WTForms' own words ("Not a valid integer value.", "This field is required."): every
field of every form class in app/*/forms.py says what to do in GOV.UK style. A new form that forgets
fails here."""
from __future__ import annotations

import importlib
import inspect

from flask_wtf import FlaskForm
from wtforms import DateTimeField, DecimalField, FloatField, Form, IntegerField, SelectFieldBase
from wtforms.validators import DataRequired, Length

from app.common.forms import DayMonthYearField, WholeNumberField
from config import BASE_DIR


def form_classes() -> list[type[Form]]:
    found = []
    for path in sorted((BASE_DIR / "app").glob("*/forms.py")):
        module = importlib.import_module(f"app.{path.parent.name}.forms")
        found += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                  if issubclass(cls, Form) and cls.__module__ == module.__name__]
    return found


def default_messages(form: Form) -> list[str]:
    """Each field of the form that would show one of WTForms' own messages, and why."""
    found = []
    for field in form:
        if field.name == "csrf_token":
            continue  # CSRFProtect answers a missing or expired token with its own page, before any form
        where = f"{type(form).__name__}.{field.name}"
        if isinstance(field, (IntegerField, DecimalField, FloatField)) and not isinstance(field, WholeNumberField):
            found.append(f"{where}: a number field that is not a WholeNumberField")
        if isinstance(field, DateTimeField) and not isinstance(field, DayMonthYearField) \
                and not field.invalid_value_message:
            found.append(f"{where}: a date or time field without a message for a date that does not exist")
        if isinstance(field, SelectFieldBase):
            if getattr(field, "validate_choice", False) and not field.invalid_choice_message:
                found.append(f"{where}: checks its choices without an invalid_choice_message")
            if getattr(field, "coerce", str) is not str and not field.invalid_value_message:
                found.append(f"{where}: converts its choices without an invalid_value_message")
        for validator in field.validators:
            if getattr(validator, "message", "") is None:
                found.append(f"{where}: {type(validator).__name__} without a message")
    return found


def test_no_form_field_can_show_a_wtforms_default_message(app):
    classes = form_classes()
    assert len(classes) > 20  # the walk found the forms
    with app.test_request_context():
        problems = [problem for cls in classes for problem in default_messages(cls())]
    assert problems == []


def test_the_check_finds_a_field_that_would_show_a_default_message(app):
    class Careless(FlaskForm):
        count = IntegerField("Count")
        name = WholeNumberField("Age", message="Enter your age as a number, like 12", validators=[DataRequired()])
        title = DayMonthYearField("Date", validators=[Length(max=3)])

    with app.test_request_context():
        assert default_messages(Careless()) == [
            "Careless.count: a number field that is not a WholeNumberField",
            "Careless.name: DataRequired without a message",
            "Careless.title: Length without a message"]
