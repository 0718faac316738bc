"""Scheduling pages. The coach school (or the programme lead) arranges the triad's three meetings;
the coach books its peer visits and writes the notes, which only the visited school and the coach
read; the lead books QA visits and sets the launch and celebration events. A cluster's leads arrange and
minute its termly meetings, which its schools' staff read."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.action_plans.service import areas_for_year
from app.clusters.service import (
    cluster_meeting_slots,
    cluster_people,
    cluster_schools,
    latest_year,
    record_cluster_meeting,
    schedule_cluster_meeting,
    term_dates,
)
from app.common.errors import DomainError
from app.common.forms import add_domain_error, saved
from app.common.ids import parse_uuid
from app.meetings.forms import EventForm, MeetingForm, MeetingRecordForm, PeerVisitForm, QAVisitForm, VisitNotesForm
from app.meetings.service import (
    MeetingInput,
    events_for,
    meeting_slots,
    peer_visits_for,
    record_meeting,
    record_visit_notes,
    schedule_meeting,
    schedule_peer_visit,
    schedule_qa_visit,
    set_programme_event,
    triad_people,
)
from app.models import EventKind, Term
from app.permissions import requires
from app.self_evaluations.moderation import qa_visit_for

bp = Blueprint("scheduling", __name__)


def flash_saved(message: str, warnings: list[str]) -> None:
    flash(message, "success")
    if warnings:
        flash("Check the date: " + "; ".join(warnings) + ".", "warning")


@bp.route("/triads/<uuid:triad_id>/meetings/<int:number>", methods=["GET", "POST"])
@requires("triad.schedule", triad="triad_id")
def meeting(triad, number):
    slots = {slot.number: slot for slot in meeting_slots(triad)}
    slot = slots.get(number) or abort(404)
    form = MeetingForm()
    form.host_school_id.choices = {"": "Not decided yet", **{str(m.school_id): m.school.name for m in triad.members}}
    existing = slot.meeting
    if not form.is_submitted():
        form.fill_when(existing.starts_at if existing else None, existing.duration_minutes if existing else 90)
        if existing:
            form.host_school_id.data = str(existing.host_school_id or "")
            form.place.data, form.online_link.data = existing.place, existing.online_link
            form.agenda.data = existing.agenda
    elif form.validate():
        given = MeetingInput(form.when(), form.duration_minutes.data, parse_uuid(form.host_school_id.data),
                             form.place.data, form.online_link.data, form.agenda.data)
        try:
            _, warnings = schedule_meeting(triad, number, given)
        except DomainError as error:
            add_domain_error(form, error, "day")
        else:
            flash_saved(f"Meeting {number} saved.", warnings)
            return redirect(url_for("programmes.triad", triad_id=triad.id, _anchor="meetings"))
    return render_template("scheduling/meeting.html", triad=triad, slot=slot, form=form)


@bp.route("/meetings/<uuid:meeting_id>/record", methods=["GET", "POST"])
@requires("meeting.manage", meeting="meeting_id")
def record(meeting):
    people = triad_people(meeting.triad)
    form = MeetingRecordForm()
    form.attendees.choices = {str(p.id): p.name for p in people}
    if not form.is_submitted():
        form.held.data = meeting.held
        form.notes.data = meeting.notes
        form.attendees.data = [str(p.id) for p in meeting.attendees]
    elif form.validate():
        try:
            record_meeting(meeting, bool(form.held.data), form.notes.data,
                           {i for i in (parse_uuid(v) for v in form.attendees.data or []) if i}, people)
        except DomainError as error:
            add_domain_error(form, error, "notes")
        else:
            flash(f"Notes for meeting {meeting.number} saved.", "success")
            return redirect(url_for("programmes.triad", triad_id=meeting.triad_id, _anchor="meetings"))
    return render_template("scheduling/record.html", meeting=meeting, form=form)


@bp.route("/triads/<uuid:triad_id>/peer-visits/<uuid:school_id>", methods=["GET", "POST"])
@requires("triad.coach", triad="triad_id", school="school_id")
def peer_visit(triad, school):
    visit = peer_visits_for(triad).get(school.id)
    areas = areas_for_year(triad.year)
    form = PeerVisitForm()
    form.focus_area_id.choices = {str(a.id): f"{a.position}. {a.title}" for a in areas}
    if not form.is_submitted():
        form.fill_when(visit.starts_at if visit else None, visit.duration_minutes if visit else 180)
        form.focus_area_id.data = str(visit.focus_area_id) if visit else None
    elif form.validate():
        focus = next((a for a in areas if str(a.id) == form.focus_area_id.data), None)
        try:
            visit, warnings = schedule_peer_visit(triad, school, form.when(), form.duration_minutes.data, focus)
        except DomainError as error:
            add_domain_error(form, error, "day")
        else:
            flash_saved(f"Peer visit to {school.name} saved.", warnings)
            return redirect(url_for("programmes.triad", triad_id=triad.id, _anchor="peer-visits"))
    return render_template("scheduling/peer_visit_form.html", triad=triad, school=school, visit=visit, form=form)


@bp.get("/peer-visits/<uuid:visit_id>")
@requires("peer_visit.view", visit="visit_id")
def show_visit(visit):
    return render_template("scheduling/peer_visit.html", visit=visit)


@bp.route("/peer-visits/<uuid:visit_id>/notes", methods=["GET", "POST"])
@requires("peer_visit.write", visit="visit_id")
def visit_notes(visit):
    form = VisitNotesForm(obj=visit)
    if form.validate_on_submit():
        try:
            record_visit_notes(visit, form.strengths.data, form.questions.data, form.next_steps.data, current_user)
        except DomainError as error:
            add_domain_error(form, error, "strengths")
        else:
            flash(f"Notes on the visit to {visit.visited_school.name} saved.", "success")
            return redirect(url_for("scheduling.show_visit", visit_id=visit.id))
    return render_template("scheduling/visit_notes.html", visit=visit, form=form)


@bp.route("/years/<uuid:year_id>/schools/<uuid:school_id>/qa-visit", methods=["GET", "POST"])
@requires("programme.manage", year="year_id", school="school_id")
def qa_visit(year, school):
    visit = qa_visit_for(year, school)
    if visit is None:
        flash(f"Assign a QA expert to {school.name} before booking the visit.", "error")
        return redirect(url_for("self_evaluations.qa_expert", year_id=year.id, school_id=school.id))
    form = QAVisitForm()
    if not form.is_submitted():
        form.fill_when(visit.starts_at, visit.duration_minutes)
    elif form.validate():
        try:
            warnings = schedule_qa_visit(visit, form.when(), form.duration_minutes.data)
        except DomainError as error:
            add_domain_error(form, error, "day")
        else:
            flash_saved(f"QA visit to {school.name} booked with {visit.expert.name}.", warnings)
            return redirect(url_for("self_evaluations.summary", year_id=year.id))
    return render_template("scheduling/qa_visit.html", year=year, school=school, visit=visit, form=form)


@bp.route("/years/<uuid:year_id>/events/<kind>", methods=["GET", "POST"])
@requires("programme.manage", year="year_id")
def event(year, kind):
    try:
        kind = EventKind(kind)
    except ValueError:
        abort(404)
    existing = events_for(year.id).get(kind)
    form = EventForm()
    if not form.is_submitted():
        form.fill_when(existing.starts_at if existing else None, existing.duration_minutes if existing else 120)
        if existing:
            form.place.data, form.details.data = existing.place, existing.details
    elif form.validate():
        try:
            set_programme_event(year, kind, form.when(), form.duration_minutes.data, form.place.data, form.details.data)
        except DomainError as error:
            add_domain_error(form, error, "day")
        else:
            flash(f"{kind.label} saved. Everyone in the programme can see it.", "success")
            return redirect(url_for("programmes.year", year_id=year.id))
    return render_template("scheduling/event.html", year=year, kind=kind, form=form)


def _back_to_cluster(cluster, anchor: str = "meetings"):
    return redirect(url_for("clusters.show", cluster_id=cluster.id, _anchor=anchor))


@bp.route("/clusters/<uuid:cluster_id>/meetings/<term>", methods=["GET", "POST"])
@requires("cluster.lead", cluster="cluster_id")
def cluster_meeting(cluster, term):
    try:
        term = Term(term)
    except ValueError:
        abort(404)
    year = latest_year(cluster)
    if year is None:
        flash("The programme has no academic year yet. The programme lead adds one first.", "error")
        return _back_to_cluster(cluster, None)
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
            return _back_to_cluster(cluster)
    start, end = term_dates(term, year.start_year)
    return render_template("clusters/meeting.html", cluster=cluster, year=year, term=term, start=start, end=end,
                           form=form)


@bp.get("/cluster-meetings/<uuid:cluster_meeting_id>")
@requires("cluster_meeting.view", cluster_meeting="cluster_meeting_id")
def show_cluster_meeting(cluster_meeting):
    return render_template("clusters/meeting_show.html", meeting=cluster_meeting)


@bp.route("/cluster-meetings/<uuid:cluster_meeting_id>/record", methods=["GET", "POST"])
@requires("cluster_meeting.manage", cluster_meeting="cluster_meeting_id")
def record_cluster(cluster_meeting):
    meeting = cluster_meeting
    people = cluster_people(meeting.cluster, meeting.year)
    form = MeetingRecordForm(data={"held": meeting.held, "notes": meeting.notes,
                                   "attendees": [str(p.id) for p in meeting.attendees]})
    form.attendees.choices = {str(p.id): p.name for p in people}
    attended = {i for i in map(parse_uuid, form.attendees.data or []) if i}
    if form.validate_on_submit() and saved(form, "notes", lambda: record_cluster_meeting(
            meeting, bool(form.held.data), form.notes.data, attended, people),
            f"Notes of the {meeting.term.label.lower()} meeting saved."):
        return _back_to_cluster(meeting.cluster)
    return render_template("clusters/record.html", meeting=meeting, form=form)
