"""Absolute links for what leaves the site (emails, calendars): built from SERVICE_URL, so they work outside
a request too (the scheduler, the CLI). Services name a page by its endpoint; pages themselves use url_for."""
from __future__ import annotations

from typing import Any

from flask import current_app


def absolute_url(endpoint: str, **values: Any) -> str:
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return str(current_app.config["SERVICE_URL"]).rstrip("/") + path
