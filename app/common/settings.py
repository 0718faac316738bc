"""The running app's settings (config.py) and the text templates emails are written from, read one way,
so service modules need nothing of Flask themselves."""
from __future__ import annotations

from typing import Any

from flask import current_app, render_template


def setting(name: str) -> Any:
    """A setting of the running app (config.py), e.g. setting("REMINDER_DAYS")."""
    return current_app.config[name]


def render_text(template: str, **context: Any) -> str:
    """An email's text from templates/emails/ (the pages' Jinja environment, with its filters)."""
    return render_template(template, **context)
