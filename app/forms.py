"""Form base shared by every blueprint: surrounding whitespace is stripped from text input."""
from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class StripWhitespaceForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []))
            if unbound_field.field_class.__name__ not in {"PasswordField", "FileField"}:
                filters.append(_strip)
            return unbound_field.bind(form=form, filters=filters, **options)


def add_domain_error(form: FlaskForm, error, default_field: str) -> None:
    """Show a service's DomainError against the field it names (or the form's main field)."""
    field = getattr(form, error.field or default_field, None) or getattr(form, default_field)
    field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]


class DayMonthYearField(DateField):
    """A GOV.UK date input (day, month, year boxes). Blank gives None; a date that does not exist gives
    None with `invalid` set, so the service can say what is wrong in its own words."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", widget=GovDateInput(), **kwargs)
        self.invalid = False

    def process_formdata(self, valuelist):
        self.invalid = False
        if len(valuelist) != 3:  # not sent by our form: treat as blank
            self.raw_data = None
            valuelist = []
        parts = [value.strip() for value in valuelist]
        if not any(parts):
            self.data = None
            return
        try:
            self.data = datetime.strptime(" ".join(parts), "%d %m %Y").date()
        except ValueError:
            self.data = None
            self.invalid = True
