"""Scheduling pages. The coach school (or the programme lead) arranges the triad's three meetings;
the coach books its peer visits and writes the notes, which only the visited school and the coach
read; the lead books QA visits and sets the launch and celebration events. A cluster's leads arrange and
minute its termly meetings, which its schools' staff read."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.clusters.service import (
    cluster_meeting_slots,
    cluster_people,
    cluster_schools,
    latest_year,
    record_cluster_meeting,
    schedule_cluster_meeting,
    term_dates,
)
from app.common.autosave import autosaved, clash_page
from app.common.forms import saved
from app.common.versions import VersionConflict
from app.drafts import drop_draft, keep_draft, restore_draft
from app.frameworks.service import current_areas
from app.meetings.forms import (
    EventForm,
    MeetingForm,
    PeerVisitForm,
    QAVisitForm,
    VersionedRecordForm,
    VisitNotesForm,
)
from app.meetings.service import (
    RECORD_FIELDS,
    VISIT_NOTE_FIELDS,
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


def booked(form, book: Callable[[], list[str]], message: str) -> bool:
    """common.forms.saved for a booking: `book()` returns what else is on that day, flashed as a warning."""
    outcome = saved(form, "day", book, message)
    if outcome and outcome.value:
        flash("Check the date: " + "; ".join(outcome.value) + ".", "warning")
    return bool(outcome)


def _meeting_form(existing, host_schools, schedule, saved_message: str, done: str, **page):
    """The form for a triad's or a cluster's meeting: `schedule(given)` saves it, then on to `done`. `page`
    holds what differs between them (title, caption, heading, the page its breadcrumbs lead to, the days it may
    fall on)."""
    form = MeetingForm()
    form.host_school_id.choices = {"": "Not decided yet", **{str(s.id): s.name for s in host_schools}}
    if not form.is_submitted():
        form.fill(existing)
        restore_draft(form)
    elif form.validate() and booked(form, lambda: schedule(form.given())[1], saved_message):
        drop_draft()
        return redirect(done)
    return render_template("scheduling/meeting_form.html", form=form, **page)


def _record_form(meeting, form, record, saved_message: str, done: str, clash=None, **page):
    """Notes of a triad's or a cluster's meeting: `record(form)` saves them; `clash(form, conflict)` is the
    clash page, for the triad's, whose notes are versioned."""
    if not form.is_submitted():
        form.fill(meeting)
    elif form.validate():
        try:
            if saved(form, "notes", lambda: record(form), saved_message):
                return redirect(done)
        except VersionConflict as conflict:
            return clash(form, conflict)
    return render_template("scheduling/record.html", meeting=meeting, form=form, **page)


def _record_triad_meeting(meeting, people, form):
    return record_meeting(meeting, bool(form.held.data), form.notes.data, form.attendee_ids(), people,
                          form.opened_version(), keep_theirs=tuple(form.kept_theirs(RECORD_FIELDS)))


def _attending(people, form):
    form.attendees.choices = {str(p.id): p.name for p in people}
    return form


def _triad_page(triad, anchor: str | None = None) -> str:
    return url_for("programmes.triad", triad_id=triad.id, _anchor=anchor)


@bp.route("/triads/<uuid:triad_id>/meetings/<int:number>", methods=["GET", "POST"])
@requires("triad.schedule", triad="triad_id")
def meeting(triad, number):
    slot = next((slot for slot in meeting_slots(triad) if slot.number == number), None) or abort(404)
    return _meeting_form(
        slot.meeting, [m.school for m in triad.members], partial(schedule_meeting, triad, number),
        f"Meeting {number} saved.", _triad_page(triad, "meetings"),
        title=f"{triad.name} meeting {number}", caption=f"{triad.name}, {triad.year.label}",
        heading=f"Meeting {number}: {slot.purpose.lower()}", year=triad.year, between=None,
        back=_triad_page(triad))


@bp.post("/triads/<uuid:triad_id>/meetings/<int:number>/autosave")
@requires("triad.schedule", triad="triad_id")
def autosave_meeting(triad, number):
    """The autosave script's keeping of a booking not yet saved (its agenda) as its writer's draft: saving
    it books the meeting in the triad's calendars, so that waits for the button."""
    any(slot.number == number for slot in meeting_slots(triad)) or abort(404)
    return keep_draft(MeetingForm())


@bp.route("/meetings/<uuid:meeting_id>/record", methods=["GET", "POST"])
@requires("meeting.manage", meeting="meeting_id")
def record(meeting):
    triad = meeting.triad
    people = triad_people(triad)
    heading = f"Notes of meeting {meeting.number}"
    clash = partial(_meeting_clash, meeting, heading=f"Someone else saved the notes of meeting {meeting.number} "
                                                     "while you were editing them")
    return _record_form(
        meeting, _attending(people, VersionedRecordForm()), partial(_record_triad_meeting, meeting, people),
        f"Notes for meeting {meeting.number} saved.", _triad_page(triad, "meetings"), clash,
        title=f"Notes of {triad.name} meeting {meeting.number}", group=triad.name, heading=heading,
        autosave_url=url_for("scheduling.autosave_record", meeting_id=meeting.id))


def _meeting_clash(meeting, form, conflict, heading: str):
    return clash_page(form, conflict, version=meeting.version,
                      action=url_for("scheduling.record", meeting_id=meeting.id),
                      title=f"notes of {meeting.triad.name} meeting {meeting.number}",
                      caption=f"{meeting.triad.name}, meeting {meeting.number}", heading=heading)


@bp.post("/meetings/<uuid:meeting_id>/record/autosave")
@requires("meeting.manage", meeting="meeting_id")
def autosave_record(meeting):
    """The autosave script's save of a triad meeting's notes: JSON answers, the Save button's rules."""
    people = triad_people(meeting.triad)
    form = VersionedRecordForm()
    return autosaved(form, lambda: _record_triad_meeting(meeting, people, form))


@bp.route("/triads/<uuid:triad_id>/peer-visits/<uuid:school_id>", methods=["GET", "POST"])
@requires("triad.coach", triad="triad_id", school="school_id")
def peer_visit(triad, school):
    visit = peer_visits_for(triad).get(school.id)
    areas = current_areas(triad.year.programme)
    form = PeerVisitForm()
    form.focus_area_id.choices = {str(a.id): f"{a.position}. {a.title}" for a in areas}
    if not form.is_submitted():
        form.fill_when(visit.starts_at if visit else None, visit.duration_minutes if visit else 180)
        form.focus_area_id.data = str(visit.focus_area_id) if visit else None
    elif form.validate():
        focus = next((a for a in areas if str(a.id) == form.focus_area_id.data), None)
        if booked(form, lambda: schedule_peer_visit(triad, school, form.when(), form.duration_minutes.data, focus)[1],
                  f"Peer visit to {school.name} saved."):
            return redirect(_triad_page(triad, "peer-visits"))
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
            if saved(form, "strengths", lambda: record_visit_notes(
                    visit, *form.texts(), current_user, form.opened_version(),
                    keep_theirs=tuple(form.kept_theirs(VISIT_NOTE_FIELDS))),
                    f"Notes on the visit to {visit.visited_school.name} saved."):
                return redirect(url_for("scheduling.show_visit", visit_id=visit.id))
        except VersionConflict as conflict:
            return clash_page(form, conflict, version=visit.version,
                              action=url_for("scheduling.visit_notes", visit_id=visit.id),
                              title=f"notes on the visit to {visit.visited_school.name}",
                              caption=f"{visit.triad.name}, peer visit to {visit.visited_school.name}",
                              heading="Someone else saved these notes while you were editing them")
    return render_template("scheduling/visit_notes.html", visit=visit, form=form)


@bp.post("/peer-visits/<uuid:visit_id>/notes/autosave")
@requires("peer_visit.write", visit="visit_id")
def autosave_visit_notes(visit):
    """The autosave script's save of the notes: JSON answers, the Save button's rules; nobody is told."""
    form = VisitNotesForm()
    return autosaved(form, lambda: record_visit_notes(visit, *form.texts(), current_user, form.opened_version(),
                                                      autosave=True))


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
    elif form.validate() and booked(form, lambda: schedule_qa_visit(visit, form.when(), form.duration_minutes.data),
                                    f"QA visit to {school.name} booked with {visit.expert.name}."):
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
        restore_draft(form)
    elif form.validate() and saved(
            form, "day", lambda: set_programme_event(year, kind, form.when(), form.duration_minutes.data,
                                                     form.place.data, form.details.data),
            f"{kind.label} saved. Everyone in the programme can see it."):
        drop_draft()
        return redirect(url_for("programmes.year", year_id=year.id))
    return render_template("scheduling/event.html", year=year, kind=kind, form=form)


@bp.post("/years/<uuid:year_id>/events/<kind>/autosave")
@requires("programme.manage", year="year_id")
def autosave_event(year, kind):
    """The autosave script's keeping of an event not yet saved as its writer's draft: everyone in the
    programme sees it once saved, so that waits for the button."""
    kind in {k.value for k in EventKind} or abort(404)
    return keep_draft(EventForm())


def _cluster_page(cluster) -> str:
    return url_for("clusters.show", cluster_id=cluster.id, _anchor="meetings")


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
        return redirect(url_for("clusters.show", cluster_id=cluster.id))
    existing = next(slot.meeting for slot in cluster_meeting_slots(cluster, year) if slot.term == term)
    return _meeting_form(
        existing, cluster_schools(cluster, year), partial(schedule_cluster_meeting, cluster, year, term),
        f"The {term.label.lower()} meeting saved.", _cluster_page(cluster),
        title=f"{cluster.name} {term.label.lower()} meeting", caption=f"{cluster.name}, {year.label}",
        heading=f"{term.label} meeting", year=year, between=term_dates(term, year.start_year),
        back=_cluster_page(cluster))


@bp.post("/clusters/<uuid:cluster_id>/meetings/<term>/autosave")
@requires("cluster.lead", cluster="cluster_id")
def autosave_cluster_meeting(cluster, term):
    """The autosave script's keeping of a cluster meeting's booking not yet saved as its writer's draft."""
    term in {t.value for t in Term} or abort(404)
    return keep_draft(MeetingForm())


@bp.get("/cluster-meetings/<uuid:cluster_meeting_id>")
@requires("cluster_meeting.view", cluster_meeting="cluster_meeting_id")
def show_cluster_meeting(cluster_meeting):
    return render_template("scheduling/cluster_meeting.html", meeting=cluster_meeting)


@bp.route("/cluster-meetings/<uuid:cluster_meeting_id>/record", methods=["GET", "POST"])
@requires("cluster_meeting.manage", cluster_meeting="cluster_meeting_id")
def record_cluster(cluster_meeting):
    meeting = cluster_meeting
    term = meeting.term.label.lower()
    people = cluster_people(meeting.cluster, meeting.year)
    return _record_form(
        meeting, _attending(people, VersionedRecordForm()), partial(_record_cluster_meeting, meeting, people),
        f"Notes of the {term} meeting saved.", _cluster_page(meeting.cluster), partial(_cluster_meeting_clash, meeting),
        title=f"Notes of the {meeting.cluster.name} {term} meeting", group=meeting.cluster.name,
        heading=f"Notes of the {term} meeting",
        autosave_url=url_for("scheduling.autosave_record_cluster", cluster_meeting_id=meeting.id))


def _record_cluster_meeting(meeting, people, form):
    return record_cluster_meeting(meeting, bool(form.held.data), form.notes.data, form.attendee_ids(), people,
                                  form.opened_version(), keep_theirs=tuple(form.kept_theirs(RECORD_FIELDS)))


def _cluster_meeting_clash(meeting, form, conflict):
    term = meeting.term.label.lower()
    return clash_page(form, conflict, version=meeting.version,
                      action=url_for("scheduling.record_cluster", cluster_meeting_id=meeting.id),
                      title=f"notes of the {meeting.cluster.name} {term} meeting",
                      caption=f"{meeting.cluster.name}, {term} meeting",
                      heading=f"Someone else saved the notes of the {term} meeting while you were editing them")


@bp.post("/cluster-meetings/<uuid:cluster_meeting_id>/record/autosave")
@requires("cluster_meeting.manage", cluster_meeting="cluster_meeting_id")
def autosave_record_cluster(cluster_meeting):
    """The autosave script's save of a cluster meeting's notes: JSON answers, the Save button's rules."""
    people = cluster_people(cluster_meeting.cluster, cluster_meeting.year)
    form = VersionedRecordForm()
    return autosaved(form, lambda: _record_cluster_meeting(cluster_meeting, people, form))
