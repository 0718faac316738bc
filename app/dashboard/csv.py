"""The locality dashboard's tables as downloads, with the same numbers held back as on the page: each
table as its own CSV file (one header row, every row as wide), and every table as a workbook, a sheet
each (app.common.exports builds both)."""
from __future__ import annotations

from collections.abc import Sequence

from app.common.exports import Column, Table, file_slug, table_csv, xlsx_workbook
from app.dashboard.figures import PEER_VISITS_PER_TRIAD, Dashboard, Progress
from app.dashboard.small_counts import HIDDEN_TEXT, NOT_EVALUATED, Hidden
from app.deadlines.service import DeadlineDate

COUNT = "0"
NAME = Column("", 28, wrap=True)
AREA = Column("Area", 45, wrap=True)
GROUP_FIGURES = [Column(header, 13, number_format=COUNT) for header in (
    "Self-evaluations submitted", "Self-evaluations signed off", "Action plans finalised", "Actions",
    "Actions complete", "Actions complete (%)", "Overdue actions", "QA visits done")]


def _named(header: str) -> Column:
    return Column(header, NAME.width, wrap=True)


def _count(value: int | Hidden | None) -> int | str:
    """A count as a number, or "fewer than 3" where it is held back."""
    return value if isinstance(value, int) else HIDDEN_TEXT


def _figures(p: Progress) -> list[int | str]:
    return [_count(value) for value in (p.submitted, p.signed_off, p.plans_finalised, p.actions, p.complete,
                                        p.percent_complete, p.overdue, p.qa_done)]


def _deadlines(deadlines: Sequence[DeadlineDate]) -> Table:
    return Table("Deadlines", [_named("Deadline"), Column("Date", 13), Column("Time left", 18)],
                 [[deadline.kind.label, deadline.due_on, deadline.time_left or "Not set"] for deadline in deadlines])


def _total(dashboard: Dashboard) -> Table:
    return Table("Total", [_named("Schools in"), Column("Schools", 10, number_format=COUNT), *GROUP_FIGURES],
                 [[dashboard.filter_label.capitalize(), dashboard.totals.schools, *_figures(dashboard.totals)]])


def _triads(dashboard: Dashboard) -> Table:
    columns = [_named("Triad"), Column("Schools", 10, number_format=COUNT),
               Column("Meetings held (of 3)", 12, number_format=COUNT),
               Column(f"Peer visits done (of {PEER_VISITS_PER_TRIAD})", 12, number_format=COUNT), *GROUP_FIGURES]
    return Table("Triads", columns, [[p.label, p.schools, p.meetings_held, p.peer_visits_done, *_figures(p)]
                                     for p in dashboard.triads])


def _groups(title: str, header: str, rows: list[Progress]) -> Table:
    return Table(title, [_named(header), Column("Schools", 10, number_format=COUNT), *GROUP_FIGURES],
                 [[p.label, p.schools, *_figures(p)] for p in rows])


def _ratings(dashboard: Dashboard, title: str, attribute: str, with_not_evaluated: bool) -> Table:
    keys = [value for value, _ in dashboard.scale] + ([NOT_EVALUATED] if with_not_evaluated else [])
    columns = [AREA, *(Column(f"{value} {label}", 12, number_format=COUNT) for value, label in dashboard.scale)]
    if with_not_evaluated:
        columns.append(Column("Not yet evaluated", 12, number_format=COUNT))
    return Table(title, columns, [[f"{area.position}. {area.title}",
                                   *(_count(getattr(area, attribute).get(key)) for key in keys)]
                                  for area in dashboard.areas])


def _change(dashboard: Dashboard) -> Table:
    assert dashboard.previous_year is not None
    columns = [AREA, *(Column(f"Average {year.label}", 14, number_format="0.0", text_format=".1f")
                       for year in (dashboard.previous_year, dashboard.year)),
               Column("Change", 10, number_format="+0.0;-0.0;0.0", text_format="+.1f")]
    return Table(f"Change since {dashboard.previous_year.label}", columns, [
        [f"{area.position}. {area.title}", _average(area.previous_average), _average(area.average), area.change]
        for area in dashboard.areas])


def _average(value: float | None) -> float | str:
    return "not shown" if value is None else value


def dashboard_tables(dashboard: Dashboard, deadlines: Sequence[DeadlineDate]) -> dict[str, Table]:
    """The tables the dashboard page shows, by the name a download asks for them by, in the page's order
    (a table the page leaves out, such as ratings over fewer than 3 schools, is left out here too)."""
    tables = {"deadlines": _deadlines(deadlines), "total": _total(dashboard), "triads": _triads(dashboard)}
    # As templates/dashboard/_figures.html decides whether to show each table.
    clusters, filtered = dashboard.by_cluster, dashboard.filters.cluster_id
    if len(clusters) > 1 or (clusters and dashboard.clusters and not filtered):
        tables["clusters"] = _groups("Clusters", "Cluster", dashboard.by_cluster)
    if len(dashboard.by_phase) > 1:
        tables["phases"] = _groups("Phases", "Phase", dashboard.by_phase)
    if dashboard.enough:
        tables["self-ratings"] = _ratings(dashboard, "Self-ratings", "self_counts", True)
        if dashboard.enough_moderated:
            tables["moderated-ratings"] = _ratings(dashboard, "Moderated ratings", "moderated_counts", False)
    if dashboard.previous_year is not None:
        tables["change"] = _change(dashboard)
    return tables


TABLE_LABELS = {"deadlines": "Deadlines", "total": "Progress of all these schools", "triads": "Progress by triad",
                "clusters": "Progress by cluster", "phases": "Progress by phase",
                "self-ratings": "Self-ratings: schools at each level",
                "moderated-ratings": "Moderated ratings: schools at each level",
                "change": "Change since last year: average self-rating"}
DEFAULT_TABLE = "triads"


def table_choices(dashboard: Dashboard, deadlines: Sequence[DeadlineDate]) -> list[tuple[str, str]]:
    """Each table a CSV can be downloaded of: its name in the address, and what the link says."""
    return [(key, TABLE_LABELS[key]) for key in dashboard_tables(dashboard, deadlines)]


def dashboard_csv(dashboard: Dashboard, deadlines: Sequence[DeadlineDate], table: str = DEFAULT_TABLE) -> str | None:
    """One of the dashboard's tables as a CSV file; None for a table it does not show."""
    chosen = dashboard_tables(dashboard, deadlines).get(table)
    return None if chosen is None else table_csv(chosen)


def dashboard_title(dashboard: Dashboard) -> str:
    return f"{dashboard.year.programme.name} {dashboard.year.label}: figures for {dashboard.filter_label}"


def dashboard_xlsx(dashboard: Dashboard, deadlines: Sequence[DeadlineDate]) -> bytes:
    """Every table the dashboard shows, as a workbook with a sheet for each."""
    return xlsx_workbook(dashboard_title(dashboard), list(dashboard_tables(dashboard, deadlines).values()))


def download_name(dashboard: Dashboard, what: str, extension: str) -> str:
    """"northbrook-send-triads-2025-26-primary-schools-triads.csv": the programme, year, view and table."""
    year = dashboard.year
    view = f" {dashboard.filter_label}" if dashboard.filters.any else ""
    return f"{file_slug(f'{year.programme.name} {year.label} dashboard{view} {what}')}.{extension}"
