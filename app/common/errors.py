"""The one error a rule raises: a message fit to show the person, and the form field it is about. A service
checking a whole form raises every problem it found at once (`checked_together`, `raise_all`), so the page lists
them all."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any


class DomainError(Exception):
    """A rule was broken. The message is fit to show the user; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def problems(self) -> list[DomainError]:
        """Each problem on its own: this one, or every one a form's checks found."""
        return [self]


class Problems(DomainError):
    """Several rules broken by one form, each with its field: its message is the first problem's."""

    def __init__(self, problems: list[DomainError]):
        super().__init__(problems[0].message, problems[0].field)
        self._problems = problems

    @property
    def problems(self) -> list[DomainError]:
        return list(self._problems)


def raise_all(found: list[DomainError]) -> None:
    """Raise every problem found together (the DomainError itself when it is the only one); nothing when none.
    A field shows one problem, its first: later ones about the same field are left out."""
    first: list[DomainError] = []
    for problem in found:
        if all(problem.field != earlier.field for earlier in first):
            first.append(problem)
    if len(first) == 1:
        raise first[0]
    if first:
        raise Problems(first)


def checked_together(*checks: Callable[[], Any]) -> list[Any]:
    """Run every check (in the form's order) and return what each returned; when any refuses, raise what every
    one of them refused together (raise_all), so nothing is saved and the person sees all there is to put
    right at once."""
    values: list[Any] = []
    found: list[DomainError] = []
    for check in checks:
        try:
            values.append(check())
        except DomainError as error:
            found.extend(error.problems)
            values.append(None)
    raise_all(found)
    return values
