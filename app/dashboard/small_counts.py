"""Which counts of schools the programme lead may see, across every view of a year at once.

A count is shown only if neither it nor what it leaves of the year is 1 or 2 schools, and only if no
other count the lead can see lets it, or a neighbour, be worked out. The lead sees a year through
views: all schools, each cluster (and the schools in no cluster), each phase, and each cluster and
phase together. Counts in two views subtract (all 5, South 3, so North 2), and counts in the parts of a
view add up to the view's count (all = North + South + no cluster), so every view's count of a figure
is decided together, from the schools' own facts, with no extra queries:

1. hide a count of 1 or 2, or one whose rest of the year (the year's count less this one) is 1 or 2;
2. hide the smaller of two views, one inside the other, whose counts differ by 1 or 2;
3. then, until nothing changes, for every sum the lead could do (a view is the sum of its parts;
   a row of levels adds up to the schools that submitted): if one term of it is hidden it could be
   worked out, and if the hidden parts add up to 1 or 2 that is a small count too, so hide one more
   part, the smallest.

A figure may also be a sum over schools (their actions): then "schools it counts" are the schools
with something to add, and their number is what is tested.
"""
from __future__ import annotations

import uuid
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

SMALLEST_GROUP = 3
NOT_EVALUATED = 0  # the column for "not yet evaluated"
ANY = ""  # a view key part: every cluster, or every phase
NO_CLUSTER = "none"  # the cluster part of the view of schools in no cluster
HIDDEN_TEXT = "fewer than 3"

ViewKey = tuple[str, str]  # (cluster key or ANY, phase or ANY)
Figure = tuple  # ("self", area, level), ("submitted",), ...: sortable, so the choice of what to hide is stable


class Hidden:
    """A count held back: it prints as "fewer than 3" wherever a page, a PDF or a CSV writes it, and it
    carries no number, so nothing can add it up by mistake."""

    _instance: Hidden | None = None

    def __new__(cls) -> Hidden:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __str__(self) -> str:
        return HIDDEN_TEXT

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = Hidden()


def count_text(count: int | Hidden | None) -> str:
    """A count as written in text (a CSV cell): the number, or "fewer than 3" where it is held back (None or
    HIDDEN). Pages and PDFs write it with the `count` macro in templates/components/counts.html."""
    return HIDDEN_TEXT if count is None or isinstance(count, Hidden) else str(count)


def small(count: int) -> bool:
    return 0 < count < SMALLEST_GROUP


def cluster_key(cluster_id: uuid.UUID | None) -> str:
    return NO_CLUSTER if cluster_id is None else str(cluster_id)


def view_id(view: ViewKey) -> str:
    """A view as pages mark it (data-view="<cluster>:<phase>", "all" for either part unnarrowed)."""
    return ":".join(part or "all" for part in view)


class Views:
    """The views of a year, from where each school sits (its cluster key and phase). Views holding the
    same schools are one view here (a cluster of primary schools only is also "that cluster, primary")."""

    ALL: ViewKey = (ANY, ANY)

    def __init__(self, places: Mapping[Hashable, tuple[str, str]]):
        members: dict[ViewKey, set] = defaultdict(set)
        for school, (cluster, phase) in places.items():
            for key in ((ANY, ANY), (cluster, ANY), (ANY, phase), (cluster, phase)):
                members[key].add(school)
        self._index: dict[ViewKey, int] = {}
        sets: dict[frozenset, int] = {}
        for key in sorted(members):
            self._index[key] = sets.setdefault(frozenset(members[key]), len(sets))
        self.count = len(sets)
        self.all = self._index.get(self.ALL)
        self.views_of: dict[Hashable, list[int]] = {
            school: sorted({self._index[key] for key in ((ANY, ANY), (c, ANY), (ANY, p), (c, p))})
            for school, (c, p) in places.items()}
        by_index = {index: school_set for school_set, index in sets.items()}
        self.nested = [(big, little) for big in range(self.count) for little in range(self.count)
                       if by_index[little] < by_index[big]]
        clusters = sorted({c for c, _ in places.values()})
        phases = sorted({p for _, p in places.values()})
        groups = [((ANY, ANY), [(c, ANY) for c in clusters]), ((ANY, ANY), [(ANY, p) for p in phases]),
                  ((ANY, ANY), [(c, p) for c in clusters for p in phases])]
        groups += [((c, ANY), [(c, p) for p in phases]) for c in clusters]
        groups += [((ANY, p), [(c, p) for c in clusters]) for p in phases]
        self.partitions: list[tuple[int, list[int]]] = []
        for parent, parts in groups if places else []:
            children = sorted({self._index[part] for part in parts if part in self._index} - {self._index[parent]})
            if len(children) > 1 and (self._index[parent], children) not in self.partitions:
                self.partitions.append((self._index[parent], children))

    def index(self, key: ViewKey) -> int | None:
        """The view's index; None for a view with no schools."""
        return self._index.get(key)


@dataclass
class Shown:
    """The figures of every view, with the ones the lead may not see held back."""

    views: Views
    totals: dict[Figure, dict[int, int]]
    hidden: set[tuple[Figure, int]] = field(default_factory=set)

    def count(self, figure: Figure, view: ViewKey) -> int | None:
        """The figure in a view, or None when it is held back. A view with no schools counts 0."""
        index = self.views.index(view)
        if index is None:
            return 0
        if (figure, index) in self.hidden:
            return None
        return self.totals.get(figure, {}).get(index, 0)

    def value(self, figure: Figure, view: ViewKey) -> int | Hidden:
        """The same, with HIDDEN in place of None, for figures printed as they are."""
        count = self.count(figure, view)
        return HIDDEN if count is None else count


Term = tuple[Figure, int]  # a figure in one view (by the view's index)
Sum = tuple[Term | None, list[Term]]  # a known total (None: the schools that submitted), and the terms adding up to it


def _tally(views: Views, figures: Mapping[Figure, Mapping[Hashable, int]]
           ) -> tuple[dict[Figure, dict[int, int]], dict[Figure, dict[int, int]]]:
    """Each figure's number of schools counted, and its total, in every view."""
    schools: dict[Figure, dict[int, int]] = {}
    totals: dict[Figure, dict[int, int]] = {}
    for figure, per_school in figures.items():
        counted, summed = schools.setdefault(figure, defaultdict(int)), totals.setdefault(figure, defaultdict(int))
        for school, value in per_school.items():
            if value:
                for index in views.views_of[school]:
                    counted[index] += 1
                    summed[index] += value
    return schools, totals


def _hide_small_counts(views: Views, schools: dict[Figure, dict[int, int]], hidden: set[Term]) -> None:
    """Rules 1 and 2: small counts, small rests of the year, and small differences between nested views."""
    for figure, counted in schools.items():
        everyone = counted.get(views.all, 0) if views.all is not None else 0
        for index in range(views.count):
            if small(counted.get(index, 0)) or small(everyone - counted.get(index, 0)):
                hidden.add((figure, index))
        for big, little in views.nested:
            if ((figure, big) not in hidden and (figure, little) not in hidden
                    and small(counted.get(big, 0) - counted.get(little, 0))):
                hidden.add((figure, little))


def _sums(views: Views, schools: dict[Figure, dict[int, int]], rows: Iterable[list[Figure]]) -> list[Sum]:
    """Sums the lead can do: (known total or a view's count, the counts that add up to it)."""
    sums: list[Sum] = []
    for figure in schools:
        sums += [((figure, parent), [(figure, child) for child in children]) for parent, children in views.partitions]
    for row in rows:
        present = [figure for figure in row if figure in schools]
        sums += [(None, [(figure, index) for figure in present]) for index in range(views.count)]
    return sums


def _sums_involving(sums: list[Sum]) -> dict[Term, list[int]]:
    """For each term, the numbers of the sums it is the total or a part of."""
    involving: dict[Term, list[int]] = defaultdict(list)
    for number, (total, terms) in enumerate(sums):
        for term in ([total] if total else []) + terms:
            involving[term].append(number)
    return involving


def _schools_in(schools: dict[Figure, dict[int, int]], term: Term) -> int:
    return schools[term[0]].get(term[1], 0)


def _term_to_hide(total: Term | None, terms: list[Term], hidden: set[Term],
                  schools: dict[Figure, dict[int, int]]) -> Term | None:
    """The term to hide so the sum gives nothing away, or None when it gives nothing away already."""
    open_terms = [t for t in terms if t not in hidden]
    held = [t for t in terms if t in hidden]
    if total is not None and total in hidden:
        if held or not open_terms:
            return None  # the total is not known, or it is all that is hidden and no part is shown
        choices = open_terms  # every part shown: the hidden total could be added up
    elif small(sum(_schools_in(schools, t) for t in held)):
        choices = [t for t in open_terms if _schools_in(schools, t)] or open_terms
    elif len(held) == 1:
        choices = open_terms
    else:
        return None
    if not choices:
        return total if total is not None and total not in hidden else None
    return min(choices, key=lambda t: (_schools_in(schools, t), t[0], t[1]))


def _hide_until_settled(sums: list[Sum], schools: dict[Figure, dict[int, int]], hidden: set[Term]) -> None:
    """Rule 3: hide one more term of any sum that would give a hidden count away, until none would."""
    involving = _sums_involving(sums)
    queue = deque(range(len(sums)))
    queued = set(queue)
    while queue:
        number = queue.popleft()
        queued.discard(number)
        term = _term_to_hide(*sums[number], hidden, schools)
        if term is None:
            continue
        hidden.add(term)
        for again in [number, *involving[term]]:
            if again not in queued:
                queued.add(again)
                queue.append(again)


def disclose(views: Views, figures: Mapping[Figure, Mapping[Hashable, int]],
             rows: Iterable[list[Figure]] = ()) -> Shown:
    """Decide which counts to show. `figures` gives each figure's value per school (1 for a school it
    counts; a number to add up for a sum); `rows` lists figures that add up, in every view, to a
    number the lead knows (an area's levels and "not yet evaluated" add up to the schools that
    submitted)."""
    schools, totals = _tally(views, figures)
    shown = Shown(views, totals)
    _hide_small_counts(views, schools, shown.hidden)
    _hide_until_settled(_sums(views, schools, rows), schools, shown.hidden)
    return shown


def level_figures(kind: str, ratings: Mapping[Hashable, Mapping[int, int | None]], positions: Iterable[int],
                  levels: list[int], with_not_evaluated: bool) -> tuple[dict[Figure, dict], list[list[Figure]]]:
    """Figures (kind, area, level) of schools at each level in each area, and the rows they add up in.
    `ratings` holds each counted school's level by area position (None: not yet evaluated)."""
    keys = levels + ([NOT_EVALUATED] if with_not_evaluated else [])
    figures: dict[Figure, dict] = {(kind, position, key): {} for position in positions for key in keys}
    for school, by_area in ratings.items():
        for position, level in by_area.items():
            key = NOT_EVALUATED if level is None else level
            if (kind, position, key) in figures:
                figures[(kind, position, key)][school] = 1
    rows = [[(kind, position, key) for key in keys] for position in positions]
    return figures, rows
