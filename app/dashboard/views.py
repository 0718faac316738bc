"""The locality dashboard: the programme lead's figures for a year, filtered by cluster and phase,
as a page, as a CSV file per table and as a workbook of every table."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from app.common import clock, exports
from app.common.ids import parse_uuid
from app.dashboard.csv import DEFAULT_TABLE, dashboard_csv, dashboard_xlsx, download_name, table_choices
from app.dashboard.facts import Filters
from app.dashboard.figures import locality_dashboard
from app.dashboard.forms import FilterForm
from app.deadlines.service import deadline_dates
from app.permissions import requires

bp = Blueprint("dashboard", __name__)


def _filters() -> Filters:
    return Filters(parse_uuid(request.args.get("cluster")), request.args.get("phase") or None)


@bp.get("/years/<uuid:year_id>/dashboard")
@requires("programme.manage", year="year_id")
def show(year):
    dashboard = locality_dashboard(year, _filters())
    form = FilterForm(request.args)
    form.offer(dashboard.clusters)
    deadlines = deadline_dates(year, clock.today())
    return render_template("dashboard/show.html", dashboard=dashboard, filter_form=form, deadlines=deadlines,
                           download_tables=table_choices(dashboard, deadlines),
                           download_args=_filter_args(dashboard.filters))


def _filter_args(filters: Filters) -> dict[str, str]:
    """The filters as the download links carry them (only the ones chosen, as the filter form sends them)."""
    chosen = {"cluster": str(filters.cluster_id) if filters.cluster_id else "", "phase": filters.phase or ""}
    return {name: value for name, value in chosen.items() if value}


@bp.get("/years/<uuid:year_id>/dashboard.csv")
@requires("programme.manage", year="year_id")
def download(year):
    """One table of the dashboard (`?table=`, the progress by triad unless another is asked for) as a CSV."""
    dashboard = locality_dashboard(year, _filters())
    table = request.args.get("table") or DEFAULT_TABLE
    body = dashboard_csv(dashboard, deadline_dates(year, clock.today()), table)
    if body is None:
        abort(404)
    return exports.download(body, download_name(dashboard, table, "csv"), "text/csv")


@bp.get("/years/<uuid:year_id>/dashboard.xlsx")
@requires("programme.manage", year="year_id")
def download_xlsx(year):
    """Every table of the dashboard as a workbook, a sheet for each."""
    dashboard = locality_dashboard(year, _filters())
    body = dashboard_xlsx(dashboard, deadline_dates(year, clock.today()))
    return exports.download(body, download_name(dashboard, "tables", "xlsx"), exports.XLSX_TYPE)
