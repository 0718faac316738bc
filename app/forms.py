"""Form base shared by every blueprint: surrounding whitespace is stripped from text input."""
from __future__ import annotations

from flask_wtf import FlaskForm


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
