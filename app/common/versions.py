"""Saving a record several people may edit at once without losing anyone's text. A page sends the version
of the record it showed; a save from an older version that would change what someone else has saved since
is refused with both versions (VersionConflict), for the person to choose what to keep on the clash page.

The record's `version` is its mapper's version_id_col, so the UPDATE itself checks it too: two saves that
both pass the check (two requests at once on PostgreSQL) cannot both land. Records whose version counts only
the saves of their autosaved text (version_id_generator=False) are moved on here; others by the ORM."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import inspect
from sqlalchemy.orm import object_session
from sqlalchemy.orm.exc import StaleDataError

from app.common import dates

CLASH = "Someone else saved this while you were editing it. Choose which text to keep."


class Versioned(Protocol):
    version: int


class VersionConflict(Exception):
    """Someone else saved the record since the page was opened: their values (`theirs`) and the ones sent
    (`yours`), by name. Not a DomainError: it is no field's error, the view shows the clash page."""

    def __init__(self, theirs: Mapping[str, Any], yours: Mapping[str, Any], message: str = CLASH):
        super().__init__(message)
        self.message = message
        self.theirs = dict(theirs)
        self.yours = dict(yours)

    @property
    def differing(self) -> list[str]:
        """The names, in the record's order, whose two versions differ."""
        return [name for name in self.theirs if name in self.yours and self.theirs[name] != self.yours[name]]


def check_version(record: Versioned, expected_version: int | None, theirs: Mapping[str, Any],
                  yours: Mapping[str, Any], message: str = CLASH) -> bool:
    """Whether saving `yours` over `theirs` (the values saved now) changes anything. Raises VersionConflict
    when it would and the record has moved on from `expected_version`. None: a caller with no page (the
    demo, a test) saves without the check."""
    if all(name in theirs and theirs[name] == value for name, value in yours.items()):
        return False
    if expected_version is not None and record.version != expected_version:
        raise VersionConflict(theirs, yours, message)
    return True


@contextmanager
def new_version(record: Versioned, theirs_now: Callable[[], Mapping[str, Any]], yours: Mapping[str, Any],
                message: str = CLASH) -> Iterator[None]:
    """Write the record's changes (made inside the block) as its next version, in a savepoint. If another
    save landed first, nothing is written and VersionConflict holds `theirs_now()`, read again."""
    session = object_session(record)
    assert session is not None, "a record to save belongs to a session"
    try:
        with session.begin_nested():
            yield
            if inspect(type(record)).version_id_generator is False:
                record.version = record.version + 1
            session.flush()
    except StaleDataError:
        session.refresh(record)
        raise VersionConflict(theirs_now(), yours, message) from None


def checked_update(record: Versioned, expected_version: int | None, changes: Mapping[str, Any], *,
                   keep_theirs: Iterable[str] = (), message: str = CLASH) -> bool:
    """Set the record's attributes to `changes` as its next version, unless someone else saved it since
    `expected_version` (VersionConflict). `keep_theirs` names the changes for which the person chose, on the
    clash page, the value saved now. Returns whether anything changed (nothing is written otherwise)."""
    kept = set(keep_theirs)
    wanted = {name: getattr(record, name) if name in kept else value for name, value in changes.items()}

    def saved_now() -> dict[str, Any]:
        return {name: getattr(record, name) for name in wanted}

    if not check_version(record, expected_version, saved_now(), wanted, message):
        return False
    with new_version(record, saved_now, wanted, message):
        for name, value in wanted.items():
            if getattr(record, name) != value:
                setattr(record, name, value)
    return True


@dataclass(frozen=True)
class ClashRow:
    """One part of the record that differs, as the clash page shows it."""

    name: str
    label: str
    yours: str
    theirs: str


def shown_value(value: Any) -> str:
    """A saved value as words on the clash page: text as it is, a date as people read it, a yes or no, a
    list one after another, a person by name; nothing as "" (the page says it is empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return dates.day(value)
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(shown_value(item) for item in value)
    if isinstance(value, str):
        return value
    return str(getattr(value, "name", value))


def clash_rows(conflict: VersionConflict, labels: Mapping[str, str],
               shown: Callable[[str, Any], str | None] = lambda name, value: None) -> list[ClashRow]:
    """The parts that differ, labelled (`labels` by name; the name when it has none), each version in words:
    `shown(name, value)` when it gives them, else shown_value."""
    def words(name: str, value: Any) -> str:
        given = shown(name, value)
        return shown_value(value) if given is None else given

    return [ClashRow(name, labels.get(name, name), words(name, conflict.yours[name]),
                     words(name, conflict.theirs[name])) for name in conflict.differing]
