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

The work is done on flat lists of numbers, one entry per figure and view (a "term"), and the sums are
numbered, not listed: only the sums a hidden count belongs to are looked at, in the order a queue of
every sum would reach them, so the outcome is the same as trying every sum in turn until none changes.
"""
from __future__ import annotations

import hashlib
import heapq
import pickle
import threading
import uuid
from collections import OrderedDict, defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence

SMALLEST_GROUP = 3
NOT_EVALUATED = 0  # the column for "not yet evaluated"
ANY = ""  # a view key part: every cluster, or every phase
NO_CLUSTER = "none"  # the cluster part of the view of schools in no cluster
HIDDEN_TEXT = "fewer than 3"

ViewKey = tuple[str, str]  # (cluster key or ANY, phase or ANY)
Figure = tuple  # ("self", area, level), ("submitted",), ...: sortable, so the choice of what to hide is stable
Place = tuple[str, str]  # where a school sits: (cluster key, phase)


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


def _keys_of(place: Place) -> tuple[ViewKey, ...]:
    """The views a school in this place is in: all, its cluster, its phase, both."""
    return (ANY, ANY), (place[0], ANY), (ANY, place[1]), place


class Views:
    """The views of a year, from where each school sits (its cluster key and phase). Views holding the
    same schools are one view here (a cluster of primary schools only is also "that cluster, primary").
    Schools in one place are in the same views, so the views are worked out from the places."""

    ALL: ViewKey = (ANY, ANY)

    def __init__(self, places: Mapping[Hashable, Place]):
        cells = sorted(set(places.values()))
        members: dict[ViewKey, set[Place]] = defaultdict(set)
        for cell in cells:
            for key in _keys_of(cell):
                members[key].add(cell)
        self._index: dict[ViewKey, int] = {}
        sets: dict[frozenset, int] = {}
        for key in sorted(members):
            self._index[key] = sets.setdefault(frozenset(members[key]), len(sets))
        self.count = len(sets)
        self.all = self._index.get(self.ALL)
        of_cell = {cell: sorted({self._index[key] for key in _keys_of(cell)}) for cell in cells}
        self.views_of: dict[Hashable, list[int]] = {school: of_cell[cell] for school, cell in places.items()}
        self.nested = _nested(sets, of_cell)
        self.partitions = self._partitions(cells)

    def _partitions(self, cells: list[Place]) -> list[tuple[int, list[int]]]:
        """Each view with the views that divide it (by cluster, by phase, or both), as view indexes."""
        clusters = sorted({c for c, _ in cells})
        phases = sorted({p for _, p in cells})
        groups = [((ANY, ANY), [(c, ANY) for c in clusters]), ((ANY, ANY), [(ANY, p) for p in phases]),
                  ((ANY, ANY), [(c, p) for c in clusters for p in phases])]
        groups += [((c, ANY), [(c, p) for p in phases]) for c in clusters]
        groups += [((ANY, p), [(c, p) for c in clusters]) for p in phases]
        partitions: list[tuple[int, list[int]]] = []
        for parent, parts in groups if cells else []:
            children = sorted({self._index[part] for part in parts if part in self._index} - {self._index[parent]})
            if len(children) > 1 and (self._index[parent], children) not in partitions:
                partitions.append((self._index[parent], children))
        return partitions

    def index(self, key: ViewKey) -> int | None:
        """The view's index; None for a view with no schools."""
        return self._index.get(key)


def _nested(sets: dict[frozenset, int], of_cell: dict[Place, list[int]]) -> list[tuple[int, int]]:
    """Every (bigger view, smaller view inside it): the views holding every place of the smaller one."""
    pairs: set[tuple[int, int]] = set()
    for cells, little in sets.items():
        holding = set.intersection(*(set(of_cell[cell]) for cell in cells))
        pairs.update((big, little) for big in holding if big != little)
    return sorted(pairs)


class Shown:
    """The figures of every view, with the ones the lead may not see held back."""

    def __init__(self, views: Views, figures: list[Figure], totals: list[int], hidden: bytearray):
        self.views = views
        self._number = {figure: number for number, figure in enumerate(figures)}
        self._totals = totals
        self._hidden = hidden

    def count(self, figure: Figure, view: ViewKey) -> int | None:
        """The figure in a view, or None when it is held back. A view with no schools counts 0."""
        index = self.views.index(view)
        number = self._number.get(figure)
        if index is None or number is None:
            return 0
        term = number * self.views.count + index
        return None if self._hidden[term] else self._totals[term]

    def value(self, figure: Figure, view: ViewKey) -> int | Hidden:
        """The same, with HIDDEN in place of None, for figures printed as they are."""
        count = self.count(figure, view)
        return HIDDEN if count is None else count


def _tally(views: Views, figures: Mapping[Figure, Mapping[Hashable, int]]) -> tuple[list[int], list[int]]:
    """Each figure's number of schools counted, and its total, in every view (by term)."""
    size = views.count
    schools, totals = [0] * (len(figures) * size), [0] * (len(figures) * size)
    for number, per_school in enumerate(figures.values()):
        base = number * size
        for school, value in per_school.items():
            if value:
                for index in views.views_of[school]:
                    schools[base + index] += 1
                    totals[base + index] += value
    return schools, totals


class _Disclosure:
    """One year's figures in every view, and what is hidden. A term is a figure in a view (figure number
    times the number of views, plus the view's index). The sums the lead can do are numbered in the
    order they are first tried: each figure's partitions (a view is the sum of its parts), figure by
    figure, then each row (its figures add up to the schools that submitted) in every view. Each sum
    keeps count of its hidden parts and the schools they count, so most tries cost nothing."""

    def __init__(self, views: Views, figures: Mapping[Figure, Mapping[Hashable, int]], rows: Iterable[list[Figure]]):
        self.views, self.figures, self.size = views, list(figures), views.count
        self.schools, self.totals = _tally(views, figures)
        self.hidden = bytearray(len(self.schools))
        number = {figure: n for n, figure in enumerate(self.figures)}
        self.rows = [[number[figure] for figure in row if figure in number] for row in rows]
        self.per_figure = len(views.partitions)
        self.partition_sums = len(self.figures) * self.per_figure
        self.sums = self.partition_sums + len(self.rows) * self.size
        self.partitions_of: list[list[tuple[int, bool]]] = [[] for _ in range(self.size)]  # (partition, is total)
        for p, (parent, children) in enumerate(views.partitions):
            for index in (parent, *children):
                self.partitions_of[index].append((p, index == parent))
        self.rows_of: list[list[int]] = [[] for _ in self.figures]
        for r, row in enumerate(self.rows):
            for figure_number in row:
                self.rows_of[figure_number].append(r)
        self.held = [0] * self.sums  # each sum's hidden parts
        self.held_schools = [0] * self.sums  # and the schools they count

    def count_hidden(self, term: int) -> list[int]:
        """Count a hidden term in the sums it is a part of; the numbers of every sum it is in, in order."""
        figure, index = divmod(term, self.size)
        schools, held, held_schools = self.schools[term], self.held, self.held_schools
        numbers = []
        for p, is_total in self.partitions_of[index]:
            numbers.append(number := figure * self.per_figure + p)
            if not is_total:
                held[number] += 1
                held_schools[number] += schools
        for r in self.rows_of[figure]:
            numbers.append(number := self.partition_sums + r * self.size + index)
            held[number] += 1
            held_schools[number] += schools
        return numbers

    def hide_small_counts(self) -> None:
        """Rules 1 and 2: small counts, small rests of the year, and small differences between nested views."""
        schools, hidden, size = self.schools, self.hidden, self.size
        for base in range(0, len(schools), size or 1):
            everyone = schools[base + self.views.all] if self.views.all is not None else 0
            for term in range(base, base + size):
                if 0 < schools[term] < SMALLEST_GROUP or 0 < everyone - schools[term] < SMALLEST_GROUP:
                    hidden[term] = 1
            for big, little in self.views.nested:
                if (not hidden[base + big] and not hidden[base + little]
                        and 0 < schools[base + big] - schools[base + little] < SMALLEST_GROUP):
                    hidden[base + little] = 1

    def parts_of(self, number: int) -> tuple[int | None, list[int]]:
        """A sum's known total (None: the schools that submitted) and the terms adding up to it."""
        if number < self.partition_sums:
            figure, p = divmod(number, self.per_figure)
            base = figure * self.size
            parent, children = self.views.partitions[p]
            return base + parent, [base + child for child in children]
        r, index = divmod(number - self.partition_sums, self.size)
        return None, [figure * self.size + index for figure in self.rows[r]]

    def term_to_hide(self, number: int) -> int | None:
        """The term to hide so the sum gives nothing away, or None when it gives nothing away already."""
        held, held_schools = self.held[number], self.held_schools[number]
        total = None
        if number < self.partition_sums:
            figure, p = divmod(number, self.per_figure)
            total = figure * self.size + self.views.partitions[p][0]
            if self.hidden[total]:
                # the total is not known (a part is hidden too), or every part is shown and it could be added up
                return None if held else self.smallest(self.parts_of(number)[1])
        if not (0 < held_schools < SMALLEST_GROUP or held == 1):
            return None
        choices = [t for t in self.parts_of(number)[1] if not self.hidden[t]]
        if 0 < held_schools < SMALLEST_GROUP:
            choices = [t for t in choices if self.schools[t]] or choices
        if not choices:
            return total if total is not None and not self.hidden[total] else None
        return self.smallest(choices)

    def smallest(self, terms: list[int]) -> int:
        return min(terms, key=lambda t: (self.schools[t], self.figures[t // self.size], t % self.size))

    def hide_until_settled(self) -> None:
        """Rule 3: hide one more term of any sum that would give a hidden count away, until none would.
        Every sum is queued once in number order, and again after it or a sum it shares a term with hid
        one. A sum with nothing hidden gives nothing away, so of the first round only the sums with a
        hidden term are tried (`first`, a heap), in the same order."""
        first = sorted({n for term, held in enumerate(self.hidden) if held for n in self.count_hidden(term)})
        in_first = set(first)
        again: deque[int] = deque()
        in_again: set[int] = set()
        while first or again:
            if first:
                number = reached = heapq.heappop(first)
                in_first.discard(number)
            else:
                number, reached = again.popleft(), self.sums
                in_again.discard(number)
            term = self.term_to_hide(number)
            if term is None:
                continue
            self.hidden[term] = 1
            for queued in [number, *self.count_hidden(term)]:
                if queued > reached:
                    if queued not in in_first:
                        in_first.add(queued)
                        heapq.heappush(first, queued)
                elif queued not in in_again:
                    in_again.add(queued)
                    again.append(queued)


def disclose(views: Views, figures: Mapping[Figure, Mapping[Hashable, int]],
             rows: Iterable[list[Figure]] = ()) -> Shown:
    """Decide which counts to show. `figures` gives each figure's value per school (1 for a school it
    counts; a number to add up for a sum); `rows` lists figures that add up, in every view, to a
    number the lead knows (an area's levels and "not yet evaluated" add up to the schools that
    submitted)."""
    disclosure = _Disclosure(views, figures, rows)
    disclosure.hide_small_counts()
    disclosure.hide_until_settled()
    return Shown(views, disclosure.figures, disclosure.totals, disclosure.hidden)


# Every view of a year (and its CSV, a cluster's page, the summary page) asks for the same disclosure,
# and it depends on nothing but the figures. The last few are remembered in the process, by a digest of
# everything they are decided from, so asking again costs the digest; any change to any school's figures
# is another digest. It holds no state: a process that has not seen the figures works them out.
_REMEMBERED: OrderedDict[bytes, Shown] = OrderedDict()
_REMEMBERING = threading.Lock()
REMEMBERED = 16


def disclose_places(places: Sequence[Place], figures: Mapping[Figure, Mapping[Hashable, int]],
                    rows: list[list[Figure]]) -> Shown:
    """`disclose` for schools numbered by their position in `places` (where each sits), remembered."""
    key = hashlib.blake2b(pickle.dumps((list(places), figures, rows), protocol=5), digest_size=32).digest()
    with _REMEMBERING:
        shown = _REMEMBERED.get(key)
        if shown is not None:
            _REMEMBERED.move_to_end(key)
            return shown
    shown = disclose(Views(dict(enumerate(places))), figures, rows)
    with _REMEMBERING:
        _REMEMBERED[key] = shown
        while len(_REMEMBERED) > REMEMBERED:
            _REMEMBERED.popitem(last=False)
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
