"""Cluster pages. The programme lead adds clusters, chooses their schools and names their leads; the
cluster's leads see its schools' Whole School SEND Reviews, arrange its termly meetings and ask its
schools for information; the schools' staff can read and download the meetings."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from app.clusters.forms import ClusterForm, ClusterSchoolsForm, LeadsForm, SendReviewForm
from app.clusters.service import (
    assign_schools,
    cluster_page,
    cluster_schools,
    clusters_for,
    create_cluster,
    enrolments_in,
    latest_year,
    lead_choices,
    record_send_review,
    school_counts,
    set_cluster_leads,
    term_dates,
)
from app.common import clock
from app.common.forms import saved
from app.common.ids import parse_uuid
from app.dashboard.facts import Filters
from app.dashboard.figures import locality_dashboard
from app.permissions import requires

bp = Blueprint("clusters", __name__)


def _back_to(cluster, anchor: str | None = None):
    return redirect(url_for("clusters.show", cluster_id=cluster.id, _anchor=anchor))


def _in_latest_year(view):
    """For a page about the cluster in its programme's latest year: the view is given that year or, while
    the programme has none, the person goes back to the cluster page and is told why."""
    @wraps(view)
    def with_year(cluster):
        year = latest_year(cluster)
        if year is None:
            flash("The programme has no academic year yet. The programme lead adds one first.", "error")
            return _back_to(cluster)
        return view(cluster, year)

    return with_year


@bp.route("/programmes/<uuid:programme_id>/clusters", methods=["GET", "POST"])
@requires("programme.manage", programme="programme_id")
def index(programme):
    form = ClusterForm()
    if form.validate_on_submit():
        if added := saved(form, "name", lambda: create_cluster(programme, form.name.data),
                          lambda cluster: f"{cluster.name} added. Now choose its schools."):
            return redirect(url_for("clusters.schools", cluster_id=added.value.id))
    return render_template("clusters/index.html", programme=programme, clusters=clusters_for(programme),
                           counts=school_counts(programme), form=form)


@bp.get("/clusters/<uuid:cluster_id>")
@requires("cluster.lead", cluster="cluster_id")
def show(cluster):
    page = cluster_page(cluster)
    # The cluster's figures as the locality dashboard counts them; nobody is named to a cluster lead.
    progress = locality_dashboard(page.year, Filters(cluster_id=cluster.id), may_name=False) if page.year else None
    return render_template("clusters/show.html", page=page, term_dates=term_dates, progress=progress)


@bp.route("/clusters/<uuid:cluster_id>/leads", methods=["GET", "POST"])
@requires("cluster.manage", cluster="cluster_id")
@_in_latest_year
def leads(cluster, year):
    choices = lead_choices(cluster, year)
    form = LeadsForm(lead_head_id=str(cluster.lead_head_id or ""), primary_senco_id=str(cluster.primary_senco_id or ""),
                     secondary_senco_id=str(cluster.secondary_senco_id or ""))
    for field, offered in ((form.lead_head_id, choices.heads), (form.primary_senco_id, choices.primary_sencos),
                           (form.secondary_senco_id, choices.secondary_sencos)):
        field.choices = {"": "None", **{str(a.user_id): f"{a.user.name}, {a.school.name}" if a.school else a.user.name
                                        for a in offered}}
    if form.validate_on_submit() and saved(form, "lead_head_id", lambda: set_cluster_leads(
            cluster, year, parse_uuid(form.lead_head_id.data), parse_uuid(form.primary_senco_id.data),
            parse_uuid(form.secondary_senco_id.data)), f"{cluster.name}'s leads saved."):
        return _back_to(cluster)
    return render_template("clusters/leads.html", cluster=cluster, year=year, form=form)


@bp.route("/clusters/<uuid:cluster_id>/schools", methods=["GET", "POST"])
@requires("cluster.manage", cluster="cluster_id")
@_in_latest_year
def schools(cluster, year):
    enrolments = enrolments_in(year)
    form = ClusterSchoolsForm(schools=[str(e.school_id) for e in enrolments if e.cluster_id == cluster.id])
    form.schools.choices = {
        str(e.school_id): e.school.name + (f" (now in {e.cluster.name})" if e.cluster and e.cluster_id != cluster.id
                                            else "")
        for e in enrolments}
    chosen = {i for i in map(parse_uuid, form.schools.data or []) if i}
    if form.validate_on_submit() and saved(form, "schools", lambda: assign_schools(cluster, year, chosen),
                                           f"{cluster.name}'s schools for {year.label} saved."):
        return _back_to(cluster)
    return render_template("clusters/schools.html", cluster=cluster, year=year, form=form)


@bp.route("/clusters/<uuid:cluster_id>/schools/<uuid:school_id>/send-review", methods=["GET", "POST"])
@requires("cluster.lead", cluster="cluster_id", school="school_id")
def send_review(cluster, school):
    year = latest_year(cluster)
    if year is None or school not in cluster_schools(cluster, year):
        abort(404)
    form = SendReviewForm(last_review_on=school.last_send_review_on)
    given = form.last_review_on
    if form.validate_on_submit() and saved(form, "last_review_on", lambda: record_send_review(
            school, given.data, clock.today(), given.invalid), f"{school.name}'s last Whole School SEND Review saved."):
        return _back_to(cluster, "reviews")
    return render_template("clusters/send_review.html", cluster=cluster, school=school, form=form)
