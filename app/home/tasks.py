"""What the home page is made of: panels of tasks, each task a sentence and perhaps a link to act on it.
They hold facts and page names (links), never URLs: templates/main/home.html writes the URLs."""
from __future__ import annotations

from dataclasses import dataclass, field

from app.common.links import Link


@dataclass
class Task:
    text: str
    link: Link | None = None
    link_text: str | None = None


@dataclass
class Panel:
    """One block of the home page: a programme, a school or a cluster the person works in."""

    heading: str
    caption: str
    tasks: list[Task] = field(default_factory=list)
    link: Link | None = None
