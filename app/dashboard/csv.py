"""The locality dashboard's figures as one CSV file, a section after another, with the same numbers held
back as on the page."""
from __future__ import annotations

from collections.abc import Iterator

from app.common.exports import csv_text
from app.dashboard.figures import PEER_VISITS_PER_TRIAD, Dashboard, Progress
from app.dashboard.small_counts import NOT_EVALUATED, count_text

Row = tuple[object, ...]

GROUP_FIGURES = ("Self-evaluations submitted", "Self-evaluations signed off", "Action plans finalised", "Actions",
                 "Actions complete", "Actions complete (%)", "Overdue actions", "QA visits done")


def dashboard_csv(dashboard: Dashboard) -> str:
    year = dashboard.year
    return csv_text([
        (f"{year.programme.name} {year.label}", f"Figures for {dashboard.filter_label}"),
        *_triads(dashboard), *_groups(dashboard), *_ratings(dashboard), *_change(dashboard)])


def _figures(p: Progress) -> Row:
    return tuple(count_text(value) for value in (p.submitted, p.signed_off, p.plans_finalised, p.actions,
                                                  p.complete, p.percent_complete, p.overdue, p.qa_done))


def _triads(dashboard: Dashboard) -> Iterator[Row]:
    yield ()
    yield ("Triads",)
    yield ("Triad", "Schools", "Meetings held (of 3)", f"Peer visits done (of {PEER_VISITS_PER_TRIAD})",
           *GROUP_FIGURES)
    for p in dashboard.triads:
        yield (p.label, p.schools, p.meetings_held, p.peer_visits_done, *_figures(p))


def _groups(dashboard: Dashboard) -> Iterator[Row]:
    for heading, rows in (("Clusters", dashboard.by_cluster), ("Phases", dashboard.by_phase),
                          ("Total", [dashboard.totals])):
        yield ()
        yield (heading,)
        yield ("Group", "Schools", *GROUP_FIGURES)
        for p in rows:
            yield (p.label, p.schools, *_figures(p))


def _ratings(dashboard: Dashboard) -> Iterator[Row]:
    levels = [value for value, _ in dashboard.scale]
    for heading, attribute, enough, keys, extra in (
            ("Self-ratings: schools at each level", "self_counts", dashboard.enough, [*levels, NOT_EVALUATED],
             ["Not yet evaluated"]),
            ("Moderated ratings: schools at each level", "moderated_counts", dashboard.enough_moderated, levels, [])):
        yield ()
        yield (heading,)
        if not enough:
            yield ("Not shown: fewer than 3 schools",)
            continue
        yield ("Area", *(f"{value} {label}" for value, label in dashboard.scale), *extra)
        for area in dashboard.areas:
            counts = getattr(area, attribute)
            yield (f"{area.position}. {area.title}", *(count_text(counts.get(key)) for key in keys))


def _change(dashboard: Dashboard) -> Iterator[Row]:
    if dashboard.previous_year is None:
        return
    yield ()
    yield ("Change since last year: average self-rating",)
    yield ("Area", dashboard.previous_year.label, dashboard.year.label, "Change")
    for area in dashboard.areas:
        yield (f"{area.position}. {area.title}", _average_text(area.previous_average), _average_text(area.average),
               _change_text(area.change))


def _average_text(value: float | None) -> str:
    return "not shown" if value is None else f"{value:.1f}"


def _change_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:+.1f}" if value else "0.0"
