"""The pages of a programme's years over its life: the lead closes a year after a check page of what is
unfinished, an administrator reopens one with a reason, the lead starts the next year from the last, and
sets how many years the programme runs."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from app.common.forms import ConfirmForm, flashed, saved
from app.common.ids import parse_uuid
from app.permissions import requires
from app.years.forms import NextYearForm, PlannedYearsForm, ReopenYearForm
from app.years.service import (
    close_year,
    next_year_plan,
    reopen_year,
    set_planned_years,
    start_next_year,
    unfinished_work,
)

bp = Blueprint("years", __name__)


def _year_page(year):
    return redirect(url_for("programmes.year", year_id=year.id))


@bp.route("/years/<uuid:year_id>/close", methods=["GET", "POST"])
@requires("programme.manage", year="year_id")
def close(year):
    """The check page (what is unfinished), then closing."""
    form = ConfirmForm()
    if form.validate_on_submit():
        flashed(lambda: close_year(year, current_user),
                f"{year.label} is closed. Everything in it can be read but no longer changed.")
        return _year_page(year)
    if year.is_closed:
        return _year_page(year)
    return render_template("years/close.html", year=year, form=form, unfinished=unfinished_work(year))


@bp.route("/years/<uuid:year_id>/reopen", methods=["GET", "POST"])
@requires("admin", year="year_id")
def reopen(year):
    form = ReopenYearForm()
    if form.validate_on_submit() and saved(form, "reason", lambda: reopen_year(year, form.reason.data),
                                           f"{year.label} is open again. The reason is kept in the audit trail."):
        return _year_page(year)
    if not year.is_closed and not form.is_submitted():
        return _year_page(year)
    return render_template("years/reopen.html", year=year, form=form)


def _chosen(values) -> set:
    return {i for i in map(parse_uuid, values or []) if i}


@bp.route("/programmes/<uuid:programme_id>/years/next", methods=["GET", "POST"])
@requires("programme.manage", programme="programme_id")
def next_year(programme):
    """Start the year after the latest: its schools return (all, unless the lead unticks some), and its
    triads whose schools all return are copied as a starting draft."""
    plan = next_year_plan(programme)
    if plan is None:
        return redirect(url_for("programmes.new_year", programme_id=programme.id))
    form = NextYearForm()
    form.schools.choices = {str(e.school_id): e.school.name for e in plan.schools}
    form.triads.choices = {str(t.id): f"{t.name}: {', '.join(m.school.name for m in t.members)}" for t in plan.triads}
    if not form.is_submitted():
        form.schools.data = list(form.schools.choices)
        form.triads.data = list(form.triads.choices)
    elif form.validate() and (started := saved(
            form, "schools", lambda: start_next_year(programme, _chosen(form.schools.data), _chosen(form.triads.data)),
            lambda year: f"{year.label} started with {len(year.enrolments)} returning schools and "
                         f"{len(year.triads)} triads carried on. Import any new schools next.")):
        return _year_page(started.value)
    return render_template("years/next_year.html", programme=programme, plan=plan, form=form)


@bp.route("/programmes/<uuid:programme_id>/length", methods=["GET", "POST"])
@requires("programme.manage", programme="programme_id")
def length(programme):
    form = PlannedYearsForm()
    if not form.is_submitted():
        form.planned_years.data = programme.planned_years
    elif form.validate() and saved(form, "planned_years",
                                   lambda: set_planned_years(programme, form.planned_years.data),
                                   "The programme's length is saved."):
        return redirect(url_for("programmes.show", programme_id=programme.id))
    return render_template("years/length.html", programme=programme, form=form)
