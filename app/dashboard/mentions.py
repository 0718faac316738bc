"""The dashboard's mentions of schools: standout strengths, and schools that may need support. A school
is named only while its head shares its work with the lead; the others are counted, and the count is
held back like every other (`small_counts`)."""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from app.dashboard.facts import SchoolFacts, natural_key
from app.dashboard.small_counts import count_text
from app.models import FLAG_GAP

Reasons = dict[uuid.UUID, list[tuple[int, str]]]  # by school: the areas it is mentioned for, each with a note


def reasons_for(schools: Iterable[SchoolFacts], areas: Callable[[SchoolFacts], list[tuple[int, str]]]) -> Reasons:
    """The schools that `areas` finds something to mention for, with what it found."""
    return {school.school_id: found for school in schools if (found := areas(school))}


@dataclass
class Mention:
    school_id: uuid.UUID
    name: str
    areas: list[str]


@dataclass
class Mentions:
    """Schools named (their heads share with the lead) and how many others there are."""

    named: list[Mention] = field(default_factory=list)
    others: int = 0  # how many are not named; what the lead sees of it is `others_shown`
    others_shown: int | None = 0  # None when held back (see `small_counts`)

    def _counted(self, noun: str) -> str:
        return f"{count_text(self.others_shown)} {noun}{'' if self.others_shown == 1 else 's'}"

    @property
    def others_text(self) -> str:
        return self._counted("other school")

    @property
    def schools_text(self) -> str:
        """How many schools, when none is named."""
        return self._counted("school")

    @property
    def empty(self) -> bool:
        return not self.named and self.others_shown == 0


def mentions(schools: list[SchoolFacts], titles: dict[int, str], may_name: bool, reasons: Reasons,
              others_shown: int | None) -> Mentions:
    mentions = Mentions(others_shown=others_shown)
    for school in sorted((s for s in schools if s.school_id in reasons), key=lambda s: natural_key(s.name)):
        areas = reasons[school.school_id]
        if may_name and school.shared:
            mentions.named.append(Mention(school.school_id, school.name,
                                          [f"{p}. {titles.get(p, f'Area {p}')}{note}" for p, note in areas]))
        else:
            mentions.others += 1
    return mentions


def strength_areas(school: SchoolFacts, top: int | None) -> list[tuple[int, str]]:
    """The areas a school rates itself at the top level."""
    return [(p, "") for p, level in sorted(school.levels.items()) if level is not None and level == top]


def support_areas(school: SchoolFacts, lowest: int | None) -> list[tuple[int, str]]:
    """The areas where a school's own and moderated ratings are far apart, or either is the lowest level."""
    found = []
    for p in sorted(set(school.levels) | set(school.moderated)):
        own, checked = school.levels.get(p), school.moderated.get(p)
        if own is not None and checked is not None and abs(own - checked) >= FLAG_GAP:
            found.append((p, " (QA gap)"))
        elif lowest is not None and lowest in (own, checked):
            found.append((p, ""))
    return found
