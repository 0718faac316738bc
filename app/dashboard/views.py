"""The locality dashboard: the programme lead's figures for a year, filtered by cluster and phase,
as a page and as CSV."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from app.common import clock, exports
from app.common.ids import parse_uuid
from app.dashboard.csv import dashboard_csv
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
    return render_template("dashboard/show.html", dashboard=dashboard, filter_form=form,
                           deadlines=deadline_dates(year, clock.today()))


@bp.get("/years/<uuid:year_id>/dashboard.csv")
@requires("programme.manage", year="year_id")
def download(year):
    body = dashboard_csv(locality_dashboard(year, _filters()))
    name = f"dashboard-{year.start_year}-{(year.start_year + 1) % 100:02d}.csv"
    return exports.download(body, name, "text/csv")
