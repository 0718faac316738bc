"""What a person's home page is made of: their tasks, worked out from the records on every request (never
stored), in three lists: to do (most urgent first), waiting for others, done recently. Each task belongs
to a group (a school, a triad, a programme, a cluster) and carries a link to the page where it is done.
Tasks hold facts and page names (links), never URLs: templates/main/home.html writes the URLs."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.common.links import Link
from app.dashboard.small_counts import small

RECENT = timedelta(days=30)  # "done recently" reaches back this far


class TaskStatus(enum.StrEnum):
    TODO = "todo"
    WAITING = "waiting"
    DONE = "done"


@dataclass
class Group:
    """What a task is about: a school, a triad, a programme or a cluster, with its page."""

    name: str
    caption: str  # "School", "Triad T, 2025/26", "Programme"...
    link: Link | None = None


@dataclass
class Task:
    text: str  # what to do, or what is waiting: "Sign off the self-evaluation"
    status: TaskStatus
    group: Group
    link: Link | None = None
    due_on: date | None = None
    hint: str | None = None  # a line more: "3 of 8 areas done", "With Hana Head to sign off"
    done_on: date | None = None  # for done tasks: when

    def is_overdue(self, today: date) -> bool:
        return self.status == TaskStatus.TODO and self.due_on is not None and self.due_on < today


@dataclass
class TaskList:
    today: date
    tasks: list[Task] = field(default_factory=list)
    places: list[Group] = field(default_factory=list)  # where the person works, to go to (linked)
    key_dates: list[tuple[str, datetime, Link]] = field(default_factory=list)  # the programmes' events

    def add(self, *tasks: Task | None) -> None:
        self.tasks += [task for task in tasks if task is not None]

    def place(self, group: Group) -> Group:
        if group.link is not None and all(p.name != group.name or p.caption != group.caption for p in self.places):
            self.places.append(group)
        return group

    def _of(self, status: TaskStatus) -> list[Task]:
        return [task for task in self.tasks if task.status == status]

    @property
    def todo(self) -> list[Task]:
        """Most urgent first: overdue, then by due date, then those with no date, each in group order."""
        return sorted(self._of(TaskStatus.TODO), key=lambda t: (t.due_on is None, t.due_on or self.today))

    @property
    def waiting(self) -> list[Task]:
        return self._of(TaskStatus.WAITING)

    @property
    def done(self) -> list[Task]:
        recent = [t for t in self._of(TaskStatus.DONE) if t.done_on is None or t.done_on >= self.today - RECENT]
        return sorted(recent, key=lambda t: t.done_on or self.today, reverse=True)

    @property
    def open_count(self) -> int:
        return len(self._of(TaskStatus.TODO))

    def grouped(self, tasks: list[Task]) -> list[tuple[Group, list[Task]]]:
        """The tasks by group, each group where its first (most urgent) task falls."""
        groups: dict[tuple[str, str], tuple[Group, list[Task]]] = {}
        for task in tasks:
            groups.setdefault((task.group.name, task.group.caption), (task.group, []))[1].append(task)
        return list(groups.values())


def how_many(count: int, total: int, noun: str) -> str:
    """A count of schools the programme lead may see, or "some" where it or the rest would be 1 or 2, as
    the dashboard hides them (so no two views subtract to a small number): "4 schools", "Some schools"."""
    rest = total - count
    plural = noun if noun.endswith("s") else f"{noun}s"
    if small(count) or small(rest):
        return f"some {plural}"
    return f"{count} {noun if count == 1 else plural}"
