"""Cluster pages. The programme lead adds clusters, chooses their schools and names their leads; the
cluster's leads see its schools' Whole School SEND Reviews, arrange its termly meetings and ask its
schools for information; the schools' staff can read and download the meetings."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from app.clusters.forms import ClusterForm, ClusterSchoolsForm, LeadsForm, SendReviewForm
from app.clusters.service import (
    assign_schools,
    cluster_meeting_slots,
    cluster_page,
    cluster_people,
    cluster_schools,
    clusters_for,
    create_cluster,
    enrolments_in,
    latest_year,
    lead_choices,
    open_year,
    record_cluster_meeting,
    record_send_review,
    schedule_cluster_meeting,
    school_counts,
    set_cluster_leads,
    term_dates,
)
from app.common import clock
from app.common.errors import DomainError
from app.common.forms import add_domain_error
from app.common.ids import parse_uuid
from app.dashboard.figures import Filters, locality_dashboard
from app.information_requests.forms import RequestForm
from app.information_requests.views import request_page
from app.meetings.forms import MeetingForm, MeetingRecordForm
from app.meetings.service import MeetingInput
from app.meetings.views import flash_saved
from app.models import Term
from app.permissions import requires

bp = Blueprint("clusters", __name__)


def _back_to(cluster, anchor: str | None = None):
    return redirect(url_for("clusters.show", cluster_id=cluster.id, _anchor=anchor))


def _saved(form, default_field: str, save, message: str) -> bool:
    """Run `save()`; True (with `message` flashed) when it worked, False with its error shown on the form."""
    try:
        save()
    except DomainError as error:
        add_domain_error(form, error, default_field)
        return False
    flash(message, "success")
    return True


def _year_or_back(cluster):
    """The programme's latest year, or None after telling the person there is none yet."""
    year = latest_year(cluster)
    if year is None:
        flash("The programme has no academic year yet. The programme lead adds one first.", "error")
    return year


@bp.route("/programmes/<uuid:programme_id>/clusters", methods=["GET", "POST"])
@requires("programme.manage", programme="programme_id")
def index(programme):
    form = ClusterForm()
    if form.validate_on_submit():
        try:
            cluster = create_cluster(programme, form.name.data)
        except DomainError as error:
            add_domain_error(form, error, "name")
        else:
            flash(f"{cluster.name} added. Now choose its schools.", "success")
            return redirect(url_for("clusters.schools", cluster_id=cluster.id))
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
def leads(cluster):
    year = _year_or_back(cluster)
    if year is None:
        return _back_to(cluster)
    choices = lead_choices(cluster, year)
    form = LeadsForm(lead_head_id=str(cluster.lead_head_id or ""), primary_senco_id=str(cluster.primary_senco_id or ""),
                     secondary_senco_id=str(cluster.secondary_senco_id or ""))
    for field, offered in ((form.lead_head_id, choices.heads), (form.primary_senco_id, choices.primary_sencos),
                           (form.secondary_senco_id, choices.secondary_sencos)):
        field.choices = {"": "None", **{str(a.user_id): f"{a.user.name}, {a.school.name}" for a in offered}}
    if form.validate_on_submit() and _saved(form, "lead_head_id", lambda: set_cluster_leads(
            cluster, year, parse_uuid(form.lead_head_id.data), parse_uuid(form.primary_senco_id.data),
            parse_uuid(form.secondary_senco_id.data)), f"{cluster.name}'s leads saved."):
        return _back_to(cluster)
    return render_template("clusters/leads.html", cluster=cluster, year=year, form=form)


@bp.route("/clusters/<uuid:cluster_id>/schools", methods=["GET", "POST"])
@requires("cluster.manage", cluster="cluster_id")
def schools(cluster):
    year = _year_or_back(cluster)
    if year is None:
        return _back_to(cluster)
    enrolments = enrolments_in(year)
    form = ClusterSchoolsForm(schools=[str(e.school_id) for e in enrolments if e.cluster_id == cluster.id])
    form.schools.choices = {
        str(e.school_id): e.school.name + (f" (now in {e.cluster.name})" if e.cluster and e.cluster_id != cluster.id
                                            else "")
        for e in enrolments}
    chosen = {i for i in map(parse_uuid, form.schools.data or []) if i}
    if form.validate_on_submit() and _saved(form, "schools", lambda: assign_schools(cluster, year, chosen),
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
    if form.validate_on_submit() and _saved(form, "last_review_on", lambda: record_send_review(
            school, given.data, clock.today(), given.invalid), f"{school.name}'s last Whole School SEND Review saved."):
        return _back_to(cluster, "reviews")
    return render_template("clusters/send_review.html", cluster=cluster, school=school, form=form)


@bp.route("/clusters/<uuid:cluster_id>/meetings/<term>", methods=["GET", "POST"])
@requires("cluster.lead", cluster="cluster_id")
def meeting(cluster, term):
    try:
        term = Term(term)
    except ValueError:
        abort(404)
    year = _year_or_back(cluster)
    if year is None:
        return _back_to(cluster)
    existing = next(slot.meeting for slot in cluster_meeting_slots(cluster, year) if slot.term == term)
    form = MeetingForm(data=existing and {"host_school_id": str(existing.host_school_id or ""), "place": existing.place,
                                          "online_link": existing.online_link, "agenda": existing.agenda})
    form.host_school_id.choices = {"": "Not decided yet", **{str(s.id): s.name for s in cluster_schools(cluster, year)}}
    if not form.is_submitted():
        form.fill_when(existing.starts_at if existing else None, existing.duration_minutes if existing else 90)
    elif form.validate():
        given = MeetingInput(form.when(), form.duration_minutes.data, parse_uuid(form.host_school_id.data),
                             form.place.data, form.online_link.data, form.agenda.data)
        try:
            _, warnings = schedule_cluster_meeting(cluster, year, term, given)
        except DomainError as error:
            add_domain_error(form, error, "day")
        else:
            flash_saved(f"The {term.label.lower()} meeting saved.", warnings)
            return _back_to(cluster, "meetings")
    start, end = term_dates(term, year.start_year)
    return render_template("clusters/meeting.html", cluster=cluster, year=year, term=term, start=start, end=end,
                           form=form)


@bp.get("/cluster-meetings/<uuid:cluster_meeting_id>")
@requires("cluster_meeting.view", cluster_meeting="cluster_meeting_id")
def show_meeting(cluster_meeting):
    return render_template("clusters/meeting_show.html", meeting=cluster_meeting)


@bp.route("/cluster-meetings/<uuid:cluster_meeting_id>/record", methods=["GET", "POST"])
@requires("cluster_meeting.manage", cluster_meeting="cluster_meeting_id")
def record(cluster_meeting):
    meeting = cluster_meeting
    people = cluster_people(meeting.cluster, meeting.year)
    form = MeetingRecordForm(data={"held": meeting.held, "notes": meeting.notes,
                                   "attendees": [str(p.id) for p in meeting.attendees]})
    form.attendees.choices = {str(p.id): p.name for p in people}
    attended = {i for i in map(parse_uuid, form.attendees.data or []) if i}
    if form.validate_on_submit() and _saved(form, "notes", lambda: record_cluster_meeting(
            meeting, bool(form.held.data), form.notes.data, attended, people),
            f"Notes of the {meeting.term.label.lower()} meeting saved."):
        return _back_to(meeting.cluster, "meetings")
    return render_template("clusters/record.html", meeting=meeting, form=form)


@bp.route("/clusters/<uuid:cluster_id>/requests/new", methods=["GET", "POST"])
@requires("cluster.lead", cluster="cluster_id")
def new_request(cluster):
    year = open_year(cluster)
    if year is None:
        flash("Every academic year of the programme is closed, so no requests can be sent.", "error")
        return _back_to(cluster)
    form = RequestForm()
    form.audience.choices = {"all": "Every school in the cluster", "chosen": "The schools I choose"}
    form.schools.choices = {str(s.id): s.name for s in cluster_schools(cluster, year)}
    return request_page(form, year, cluster, f"{cluster.name}, {year.label}",
                        url_for("clusters.show", cluster_id=cluster.id))
