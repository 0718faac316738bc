"""Links. Pages are named by a `Link` (an endpoint and its values) that the template turns into a URL
with url_for, so services need nothing of HTTP. What leaves the site (emails, calendars) gets an
absolute URL built from SERVICE_URL, so it works outside a request too (the scheduler, the CLI)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app


@dataclass(frozen=True)
class Link:
    """A page of the site: its endpoint and URL values (an anchor as `_anchor`). Templates write
    `url_for(link.endpoint, **link.values)`."""

    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def to(cls, endpoint: str, **values: Any) -> Link:
        return cls(endpoint, values)


def path_of(link: Link) -> str:
    """The page's address within the site (no host), outside a request too."""
    return str(current_app.url_map.bind("localhost").build(link.endpoint, link.values))


def service_url(path: str) -> str:
    """An address within the site made absolute, for an email or a calendar."""
    return str(current_app.config["SERVICE_URL"]).rstrip("/") + path


def absolute_url(endpoint: str, **values: Any) -> str:
    """The page's full address, for an email or a calendar."""
    return service_url(path_of(Link(endpoint, values)))
