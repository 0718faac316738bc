"""A checker for hidden counts: it reads every count the programme lead sees of a year (the locality
dashboard in every view, its CSV in every view, the year's self-evaluation summary) and works out
what it can from them, as a curious reader would, and reports every count of 1 or 2 schools it finds.

What it tries: every count as shown; the difference of every two views, one inside the other;
a view less the parts of it that are shown (all less North and South; North less North's primary
schools); a row's total (the schools that submitted) less the counts shown in it. A count worked out
one way is used in the others, until nothing new comes out.

Pages mark each count with data-figure and the view it is of with data-view ("<cluster>:<phase>").
Only counts of schools are checked (not sums of actions, whose number of schools the page hides).
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict

from sqlalchemy import select

from app.dashboard.facts import PHASES, phase_of
from app.extensions import db
from app.models import Cluster, Enrolment, ProgrammeYear, School

HIDDEN = None
SUMS = {"actions", "complete", "overdue"}
CSV_PROGRESS = ["submitted", "signed_off", "plans_finalised", "actions", "complete", None, "overdue", "qa_done"]


def _number(text: str) -> int | None:
    text = " ".join(text.split()).lower()
    if "fewer than 3" in text or "not shown" in text:
        return HIDDEN
    digits = "".join(ch if ch.isdigit() else " " for ch in text).split()
    assert digits, f"no number in {text!r}"
    return int(digits[0])


class Seen:
    """Every (figure, view) the lead has seen, with its number, or HIDDEN."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], int | None] = {}

    def add(self, figure: str, view: str, value: int | None, where: str) -> None:
        if figure in SUMS:
            return
        known = self.values.get((figure, view))
        if known is not None and value is not None:
            assert known == value, f"{figure} in {view} is {known} in one place and {value} in {where}"
        if known is None:
            self.values[(figure, view)] = value


def _read_page(seen: Seen, page, where: str) -> None:
    for element in page.select("[data-figure]"):
        holder = element if element.has_attr("data-view") else element.find_parent(attrs={"data-view": True})
        assert holder is not None, f"{element} in {where} has no view"
        seen.add(element["data-figure"], holder["data-view"], _number(element.get_text()), where)


def _read_csv(seen: Seen, text: str, view: str, clusters: dict[str, str], where: str) -> None:
    cluster_part, phase_part = view.split(":")
    phases = {label: key for key, label in PHASES.items()}
    section = None
    levels: list[str] = []
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        if len(row) == 1:
            section = row[0]
            continue
        if not row or row[0] in ("Group", "Triad"):
            continue
        if row[0] == "Area":
            levels = [cell.split(" ")[0] if cell[0].isdigit() else "0" for cell in row[1:]]
            continue
        if section in ("Clusters", "Phases", "Total"):
            if section == "Clusters":
                row_view = f"{clusters[row[0]]}:{phase_part}"
            elif section == "Phases":
                row_view = f"{cluster_part}:{phases[row[0]]}"
            else:
                row_view = view
            for figure, cell in zip(CSV_PROGRESS, row[2:], strict=True):
                if figure:
                    seen.add(figure, row_view, _number(cell), where)
        elif section and section.startswith(("Self-ratings", "Moderated ratings")) and row[0][0].isdigit():
            kind = "self" if section.startswith("Self") else "moderated"
            position = row[0].split(".")[0]
            for level, cell in zip(levels, row[1:], strict=True):
                seen.add(f"{kind}-{position}-{level}", view, _number(cell), where)


def everything_the_lead_sees(client_request, year: ProgrammeYear) -> Seen:
    """Open every view of the dashboard and its CSV, and the year's summary page, and read them."""
    seen = Seen()
    clusters = list(db.session.scalars(select(Cluster).where(Cluster.programme_id == year.programme_id)))
    by_name = {c.name: str(c.id) for c in clusters} | {"Not in a cluster": "none"}
    for cluster in [None, *clusters]:
        for phase in [None, *PHASES]:
            args = {k: v for k, v in (("cluster", str(cluster.id) if cluster else None), ("phase", phase)) if v}
            view = f"{args.get('cluster', 'all')}:{args.get('phase', 'all')}"
            page = client_request.get("dashboard.show", year_id=year.id, **args)
            _read_page(seen, page, f"the dashboard for {view}")
            response = client_request.client.get(client_request.url("dashboard.download", year_id=year.id, **args))
            assert response.status_code == 200
            _read_csv(seen, response.get_data(as_text=True), view, by_name, f"the CSV for {view}")
    _read_page(seen, client_request.get("self_evaluations.summary", year_id=year.id), "the summary page")
    return seen


def _school_sets(year: ProgrammeYear) -> dict[str, frozenset]:
    sets: dict[str, set] = defaultdict(set)
    for school_id, cluster_id, phase in db.session.execute(
            select(Enrolment.school_id, Enrolment.cluster_id, School.phase)
            .join(School, School.id == Enrolment.school_id).where(Enrolment.year_id == year.id)):
        cluster, group = str(cluster_id) if cluster_id else "none", phase_of(phase)
        for view in ("all:all", f"{cluster}:all", f"all:{group}", f"{cluster}:{group}"):
            sets[view].add(school_id)
    return {view: frozenset(schools) for view, schools in sets.items()}


def _partitions(sets: dict[str, frozenset]) -> list[tuple[str, list[str]]]:
    """Each view with the views that divide it (its clusters, its phases, or both), those with schools."""
    clusters = sorted({v.split(":")[0] for v in sets} - {"all"})
    phases = sorted({v.split(":")[1] for v in sets} - {"all"})
    partitions = [("all:all", [f"{c}:all" for c in clusters]), ("all:all", [f"all:{p}" for p in phases]),
                  ("all:all", [f"{c}:{p}" for c in clusters for p in phases])]
    partitions += [(f"{c}:all", [f"{c}:{p}" for p in phases]) for c in clusters]
    partitions += [(f"all:{p}", [f"{c}:{p}" for c in clusters]) for p in phases]
    return [(parent, [part for part in parts if part in sets]) for parent, parts in partitions if parent in sets]


def _sums_to_try(figures: set[str], sets: dict[str, frozenset]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """A view less its shown parts, and a row's total less its shown counts."""
    sums = [(figure, parent, [(figure, part) for part in parts])
            for figure in figures for parent, parts in _partitions(sets)]
    rows = defaultdict(list)
    for figure in figures:
        if figure.startswith(("self-", "moderated-")):
            kind, position, _ = figure.split("-")
            rows[(kind, position)].append(figure)
    for (kind, _position), cells in rows.items():
        total = "submitted" if kind == "self" else "moderated"
        for view in sets:
            sums.append((total, view, [(cell, view) for cell in cells]))
    return sums


class _Reader:
    """What a curious reader knows of each (figure, view), how they know it, and the small counts found."""

    def __init__(self, seen: Seen, sets: dict[str, frozenset]) -> None:
        self.sets = sets
        self.known: dict[tuple[str, str], int] = {key: v for key, v in seen.values.items() if v is not None}
        self.how: dict[tuple[str, str], str] = {key: "shown" for key in self.known}
        self.found: list[str] = []

    def value(self, figure: str, view: str) -> int | None:
        return 0 if view not in self.sets else self.known.get((figure, view))

    def derive(self, figure: str, view: str, number: int, reason: str) -> bool:
        if (figure, view) in self.known:
            return False
        self.known[(figure, view)], self.how[(figure, view)] = number, reason
        return True

    def try_sum(self, total_figure: str, total_view: str, terms: list[tuple[str, str]]) -> bool:
        """Work what can be worked out from one sum; True when something new came out."""
        changed = False
        total = self.value(total_figure, total_view)
        parts = [(term, self.value(*term)) for term in terms]
        unknown = [term for term, v in parts if v is None]
        rest = None if total is None else total - sum(v for _, v in parts if v is not None)
        label = f"{total_figure} in {total_view} less the parts shown"
        if rest is not None and unknown and 0 < rest < 3:
            self.found.append(f"{', '.join(f'{f} in {v}' for f, v in unknown)} add up to {rest} ({label})")
        if rest is not None and len(unknown) == 1:
            changed |= self.derive(*unknown[0], rest, label)
        if total is None and not unknown:
            changed |= self.derive(total_figure, total_view, sum(v for _, v in parts), "the sum of its parts")
        return changed

    def work_out(self, sums: list[tuple[str, str, list[tuple[str, str]]]]) -> None:
        """Try every sum again until nothing new comes out."""
        changed = True
        while changed:
            changed = False
            for total_figure, total_view, terms in sums:
                changed |= self.try_sum(total_figure, total_view, terms)

    def report_small_counts(self) -> None:
        for (figure, view), number in self.known.items():
            if 0 < number < 3:
                self.found.append(f"{figure} in {view} is {number} ({self.how[(figure, view)]})")

    def report_small_differences(self, figures: set[str]) -> None:
        """Two views, one inside the other, whose counts differ by 1 or 2."""
        for figure in figures:
            for big, big_set in self.sets.items():
                for little, little_set in self.sets.items():
                    if little_set < big_set and (figure, big) in self.known and (figure, little) in self.known:
                        difference = self.known[(figure, big)] - self.known[(figure, little)]
                        if 0 < difference < 3:
                            self.found.append(f"{figure}: {big} less {little} is {difference}")


def leaks(seen: Seen, year: ProgrammeYear) -> list[str]:
    """Every count of 1 or 2 schools that can be read or worked out from what the lead has seen."""
    sets = _school_sets(year)
    reader = _Reader(seen, sets)
    figures = {figure for figure, _ in seen.values}
    reader.work_out(_sums_to_try(figures, sets))
    reader.report_small_counts()
    reader.report_small_differences(figures)
    return sorted(set(reader.found))
