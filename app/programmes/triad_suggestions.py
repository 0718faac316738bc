"""Suggested triads for a year's schools not yet in one: a pure function over plain data, so the rules are
easy to test and a page loads the schools once however many there are.

The rules, in order: schools of one cluster together, then what is left (and schools in no cluster) by
local authority (schools have no address); one returning school in each triad where there are enough,
suggested as its coach, those that completed last year (self-evaluation signed off or plan finalised)
first; phases kept together, or mixed where the lead asks. A triad with no returning school is coached by
its first school by name. Schools that cannot make a three in their local authority are left over.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.models import TRIAD_SIZE

NAME_LENGTH = 120


@dataclass(frozen=True)
class Candidate:
    """A school that could be suggested for a triad, as the suggestion needs to know it."""

    id: uuid.UUID
    name: str
    phase: str
    local_authority: str
    cluster: str | None = None
    is_returning: bool = False  # enrolled in the programme's previous academic year
    completed: bool = False  # and completed it: self-evaluation signed off or plan finalised


@dataclass(frozen=True)
class Suggestion:
    """Three schools to form a triad from, with the one suggested as coach and a name free in the year."""

    name: str
    schools: tuple[Candidate, ...]
    coach: Candidate

    @property
    def school_ids(self) -> list[uuid.UUID]:
        return [school.id for school in self.schools]


@dataclass(frozen=True)
class Grouping:
    triads: list[Suggestion]
    leftovers: list[Candidate]


def _by_name(school: Candidate) -> tuple[str, str]:
    return school.name.casefold(), str(school.id)


def _coach_rank(school: Candidate) -> tuple[bool, str, str]:
    return not school.completed, *_by_name(school)


def _fit(group: list[Candidate], school: Candidate, mixed_phases: bool) -> tuple[bool, bool]:
    """How well `school` joins `group` (smaller is better): the phase rule first, then a school that is
    not returning, so returning schools spread one to a triad."""
    if mixed_phases:
        wrong_phase = any(member.phase == school.phase for member in group)
    else:
        wrong_phase = school.phase != group[0].phase
    return wrong_phase, school.is_returning


def _best(group: list[Candidate], rest: list[Candidate], mixed_phases: bool) -> Candidate:
    """The best-fitting school of `rest` (in name order), stopping at the first perfect fit."""
    best, best_fit = rest[0], _fit(group, rest[0], mixed_phases)
    for school in rest:
        fit = _fit(group, school, mixed_phases)
        if fit < best_fit:
            best, best_fit = school, fit
        if fit == (False, False):
            break
    return best


def _group(pool: list[Candidate], mixed_phases: bool) -> tuple[list[list[Candidate]], list[Candidate]]:
    """As many threes as `pool` makes, each led by its coach, and the schools left over."""
    count = len(pool) // TRIAD_SIZE
    coaches = sorted((school for school in pool if school.is_returning), key=_coach_rank)[:count]
    coach_ids = {school.id for school in coaches}
    rest = sorted((school for school in pool if school.id not in coach_ids), key=_by_name)
    groups = []
    for number in range(count):
        # With fewer returning schools than triads, every returning school coaches, so what is left is new.
        group = [coaches[number] if number < len(coaches) else rest.pop(0)]
        groups.append(group)
        for _ in range(TRIAD_SIZE - 1):
            school = _best(group, rest, mixed_phases)
            rest.remove(school)
            group.append(school)
    return groups, rest


class _Names:
    """Names free in the year: "<cluster or local authority> 1", "... 2", skipping those taken."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)

    def next(self, label: str) -> str:
        label = label.strip()[:NAME_LENGTH - 5] or "Triad"
        number = 1
        while f"{label} {number}" in self.taken:
            number += 1
        name = f"{label} {number}"
        self.taken.add(name)
        return name


def suggest_triads(candidates: Sequence[Candidate], mixed_phases: bool = False,
                   taken_names: Iterable[str] = ()) -> Grouping:
    """A grouping of `candidates` (each used at most once, however often given) into triads of exactly
    TRIAD_SIZE by the rules above, named apart from `taken_names`; the schools left over are listed."""
    names = _Names(taken_names)
    clusters: dict[str, list[Candidate]] = defaultdict(list)
    authorities: dict[str, list[Candidate]] = defaultdict(list)
    for school in sorted({school.id: school for school in candidates}.values(), key=_by_name):
        (clusters[school.cluster] if school.cluster else authorities[school.local_authority]).append(school)
    triads: list[Suggestion] = []

    def suggest(label: str, pool: list[Candidate]) -> list[Candidate]:
        groups, rest = _group(pool, mixed_phases)
        triads.extend(Suggestion(names.next(label), tuple(group), group[0]) for group in groups)
        return rest

    for cluster in sorted(clusters, key=str.casefold):
        for school in suggest(cluster, clusters[cluster]):
            authorities[school.local_authority].append(school)
    leftovers = [school for authority in sorted(authorities, key=str.casefold)
                 for school in suggest(authority, sorted(authorities[authority], key=_by_name))]
    return Grouping(triads, sorted(leftovers, key=_by_name))
