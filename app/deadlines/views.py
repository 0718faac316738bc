"""The lead's deadlines for a year: setting the dates, and chasing whoever has not done one (shown, then sent)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.common import clock
from app.common.errors import DomainError
from app.common.forms import ConfirmForm, flashed
from app.deadlines.chasers import chase_preview, chased_message, send_chase
from app.deadlines.forms import DeadlinesForm
from app.deadlines.service import deadline_dates, deadlines_for, deadlines_page, saved_message, set_deadlines
from app.models import DeadlineKind
from app.permissions import requires

bp = Blueprint("deadlines", __name__)


@bp.app_context_processor
def deadline_helpers():
    """`deadlines_of(year)`: the year's dates and the time left, for the year page."""
    return {"deadlines_of": lambda year: deadline_dates(year, clock.today())}


@bp.route("/years/<uuid:year_id>/deadlines", methods=["GET", "POST"])
@requires("programme.manage", year="year_id")
def edit(year):
    form = DeadlinesForm()
    if form.validate_on_submit():
        try:
            changed = set_deadlines(year, form.dates(), form.invalid_kinds())
        except DomainError as error:
            form.show(error)
        else:
            flash(saved_message(year, changed), "success")
            return redirect(url_for("deadlines.edit", year_id=year.id))
    elif not form.is_submitted():
        form.fill(deadlines_for([year.id])[year.id])
    return render_template("deadlines/edit.html", form=form, year=year,
                           page=deadlines_page(year, clock.now(), clock.today()))


def _kind() -> DeadlineKind:
    """The deadline named in the address (`?kind=signed_off`); self-evaluations submitted when none is."""
    try:
        return DeadlineKind(request.args.get("kind", DeadlineKind.SUBMITTED.value))
    except ValueError:
        abort(404)


@bp.route("/years/<uuid:year_id>/deadlines/chase", methods=["GET", "POST"])
@requires("programme.manage", year="year_id")
def chase(year):
    kind = _kind()
    form = ConfirmForm()
    if form.validate_on_submit():
        flashed(lambda: send_chase(year, kind, current_user), chased_message)
        return redirect(url_for("deadlines.edit", year_id=year.id))
    return render_template("deadlines/chase.html", form=form, year=year, chase=chase_preview(year, kind, current_user))
