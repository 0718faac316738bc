"""Form base shared by every blueprint: surrounding whitespace is stripped from text input, numbers are
read in one safe way (from forms and from the address), no field shows WTForms' own words, and free text about a
case is checked for what could identify a pupil."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any, Generic, TypeVar

from flask import flash, request
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField, IntegerField
from wtforms.validators import StopValidation, ValidationError

from app.common.anonymised import identifying_message
from app.common.errors import DomainError

# The largest number a database INTEGER column holds: anything bigger is not a number we use.
MAX_WHOLE_NUMBER = 2**31 - 1

T = TypeVar("T")


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class StripWhitespaceForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF has no type hints
    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = list(unbound_field.kwargs.get("filters", []))
            if unbound_field.field_class.__name__ not in {"PasswordField", "FileField"}:
                filters.append(_strip)
            return unbound_field.bind(form=form, filters=filters, **options)


def add_domain_error(form: FlaskForm, error: DomainError, default_field: str) -> None:
    """Show a service's DomainError against the field it names (or the form's main field): each of its problems,
    when the service found several at once, so the error summary lists them all in the form's order."""
    for problem in error.problems:
        field = getattr(form, problem.field or default_field, None) or getattr(form, default_field)
        field.errors = [*field.errors, problem.message] if isinstance(field.errors, list) else [problem.message]


class Outcome(Generic[T]):
    """What a service call came to: true when it worked, with what the service returned as `value`."""

    __slots__ = ("ok", "_value")

    def __init__(self, ok: bool, value: T | None = None) -> None:
        self.ok, self._value = ok, value

    def __bool__(self) -> bool:
        return self.ok

    @property
    def value(self) -> T:
        if not self.ok:
            raise ValueError("The service refused: there is no value")
        return self._value  # type: ignore[return-value]


Message = str | Callable[[Any], str] | None


def _attempt(save: Callable[[], T], message: Message, refused: Callable[[DomainError], None]) -> Outcome[T]:
    try:
        value = save()
    except DomainError as error:
        refused(error)
        return Outcome(False)
    text = message(value) if callable(message) else message
    if text:
        flash(text, "success")
    return Outcome(True, value)


def saved(form: FlaskForm, default_field: str, save: Callable[[], T], message: Message = None) -> Outcome[T]:
    """Run `save()` (a service call) for a form. When it works, `message` (a text, or a function of what
    `save` returned) is flashed as a success; when the service refuses, its message shows on the field it
    names (or `default_field`). The outcome is true when it worked and holds what `save` returned."""
    return _attempt(save, message, lambda error: add_domain_error(form, error, default_field))


def flashed(save: Callable[[], T], message: Message = None) -> Outcome[T]:
    """Run `save()` for a button with nothing to fill in: success as for `saved`, a refusal flashed as an
    error for the page the view goes back to."""
    return _attempt(save, message, lambda error: flash(error.message, "error"))


class ConfirmForm(FlaskForm):  # type: ignore[misc]
    """A form with nothing to fill in: a button (remove, submit, sign off, confirm) and its CSRF token."""


class DayMonthYearField(DateField):  # type: ignore[misc]  # WTForms has no type hints
    """A GOV.UK date input (day, month, year boxes). Blank gives None; a date that does not exist gives
    None with `invalid` set, so the service can say what is wrong in its own words."""

    def __init__(self, label: str | None = None, validators: Sequence[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(label, validators, format="%d %m %Y", widget=GovDateInput(), **kwargs)
        self.invalid = False

    def process_formdata(self, valuelist: list[str]) -> None:
        self.invalid = False
        if len(valuelist) != 3:  # not sent by our form: treat as blank
            self.raw_data = None
            valuelist = []
        parts = [value.strip() for value in valuelist]
        if not any(parts):
            self.data = None
            return
        try:
            self.data = datetime.strptime(" ".join(parts), "%d %m %Y").replace(tzinfo=timezone.utc).date()
        except ValueError:
            self.data = None
            self.invalid = True


class NoPupilIdentifiers:
    """A text field's check that nothing in it could identify a pupil (a UPN, a ULN or NHS number, a date of
    birth: app/common/anonymised.py). Every problem is in the one message, so the person fixes them all at once."""

    def __call__(self, form: Any, field: Any) -> None:
        message = identifying_message(field.data) if isinstance(field.data, str) else None
        if message:
            raise ValidationError(message)


def whole_number(text: str | None, minimum: int = 0, maximum: int = MAX_WHOLE_NUMBER) -> int | None:
    """The number written in plain digits 0 to 9, if it is from `minimum` to `maximum`; otherwise None.
    Signs, spaces inside, underscores and other scripts' digits, which int() would take, are not numbers here."""
    text = text.strip() if isinstance(text, str) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def int_arg(name: str, minimum: int = 0, maximum: int = MAX_WHOLE_NUMBER) -> int | None:
    """A number from the address (`?page=2`). Out of range, negative or not a number is None: no filter,
    the first page, never an error."""
    return whole_number(request.args.get(name), minimum, maximum)


class WholeNumberField(IntegerField):  # type: ignore[misc]
    """A whole number typed in a box. Blank is None (a validator or the service says if it is needed);
    anything that is not a number the database can hold shows `message`, written for the question
    ("Enter the number of working days as a number, like 10"), and no other check runs."""

    def __init__(self, label: str | None = None, validators: Sequence[Any] | None = None, *, message: str,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, invalid_value_message=message, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = valuelist[0] if isinstance(valuelist[0], str) else ""
        self.data = whole_number(text)
        if self.data is None and text.strip():
            raise ValueError(self.invalid_value_message)

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()  # the field's own message says it all


def file_problems_message(count: int) -> str:
    """What the upload field says when an uploaded CSV file has `count` problems (listed by line below it)."""
    return ("The file has a problem. Fix it and upload it again" if count == 1
            else f"The file has {count} problems. Fix them and upload it again")
