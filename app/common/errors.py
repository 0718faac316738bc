"""The one error a rule raises: a message fit to show the person, and the form field it is about."""
from __future__ import annotations


class DomainError(Exception):
    """A rule was broken. The message is fit to show the user; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
