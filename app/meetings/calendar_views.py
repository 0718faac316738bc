"""Calendar downloads: one .ics per meeting, visit or event, and a private feed per person (the
secret token in its URL is the only key, so it can be reset)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.common.exports import download
from app.common.forms import ConfirmForm
from app.meetings.calendars import (
    calendar_token_of,
    cluster_meeting_entry,
    event_entry,
    feed_for_token,
    file_name,
    ics_for,
    meeting_entry,
    peer_visit_entry,
    qa_visit_entry,
    reset_calendar_token,
)
from app.permissions import PUBLIC, SIGNED_IN, requires

bp = Blueprint("calendars", __name__)


def _ics(entry) -> Response:
    return download(ics_for([entry]), file_name(entry), "text/calendar")


@bp.get("/meetings/<uuid:meeting_id>.ics")
@requires("meeting.view", meeting="meeting_id")
def meeting_ics(meeting):
    return _ics(meeting_entry(meeting))


@bp.get("/cluster-meetings/<uuid:cluster_meeting_id>.ics")
@requires("cluster_meeting.view", cluster_meeting="cluster_meeting_id")
def cluster_meeting_ics(cluster_meeting):
    return _ics(cluster_meeting_entry(cluster_meeting))


@bp.get("/peer-visits/<uuid:visit_id>.ics")
@requires("peer_visit.view", visit="visit_id")
def peer_visit_ics(visit):
    return _ics(peer_visit_entry(visit))


@bp.get("/qa-visits/<uuid:qa_visit_id>.ics")
@requires("qa_visit.view", qa_visit="qa_visit_id")
def qa_visit_ics(qa_visit):
    if qa_visit.starts_at is None:
        abort(404)
    return _ics(qa_visit_entry(qa_visit))


@bp.get("/events/<uuid:event_id>.ics")
@requires("event.view", event="event_id")
def event_ics(event):
    return _ics(event_entry(event))


@bp.get("/calendar/<token>.ics")
@requires(PUBLIC)
def feed(token):
    body = feed_for_token(token)
    if body is None:
        abort(404)
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, max-age=300"})


@bp.route("/account/calendar", methods=["GET", "POST"])
@requires(SIGNED_IN)
def account():
    form = ConfirmForm()
    if form.validate_on_submit():
        reset_calendar_token(current_user)
        flash("Your calendar link has been reset. The old link no longer works.", "success")
        return redirect(url_for("calendars.account"))
    return render_template("calendars/account.html", form=form, token=current_user.calendar_token)


@bp.post("/account/calendar/link")
@requires(SIGNED_IN)
def make_link():
    ConfirmForm().validate_on_submit() or abort(400)
    calendar_token_of(current_user)
    return redirect(url_for("calendars.account"))
