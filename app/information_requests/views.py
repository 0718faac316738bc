"""Information request pages: the programme lead (or a cluster lead, for the cluster) asks schools for
information by a working-day deadline; each school answers with text and an optional file; the issuer
downloads the answers."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.clusters.service import cluster_in_programme, cluster_schools, clusters_for, open_year
from app.common import clock, dates
from app.common.autosave import autosaved, clash_page
from app.common.exports import download, file_slug
from app.common.forms import saved
from app.common.ids import parse_uuid
from app.common.versions import VersionConflict
from app.drafts import drop_draft, keep_draft, restore_draft
from app.information_requests.forms import AnswerForm, RequestForm
from app.information_requests.service import (
    answer_request,
    create_request,
    enrolled_schools_of,
    file_of,
    is_late,
    load_request,
    requests_for_year,
    responses_csv,
)
from app.permissions import requires

bp = Blueprint("requests", __name__)


@bp.get("/years/<uuid:year_id>/requests")
@requires("programme.manage", year="year_id")
def index(year):
    return render_template("requests/index.html", year=year, requests=requests_for_year(year), today=clock.today())


@bp.route("/years/<uuid:year_id>/requests/new", methods=["GET", "POST"])
@requires("programme.manage", year="year_id")
def new(year):
    form = RequestForm()
    form.schools.choices = {str(s.id): s.name for s in enrolled_schools_of(year)}
    form.cluster_id.choices = {str(c.id): c.name for c in clusters_for(year.programme)}
    if form.cluster_id.choices:
        form.audience.choices = {**dict(form.audience.choices), "cluster": "The schools in a cluster"}
    return request_page(form, year, None, f"{year.programme.name} {year.label}",
                        url_for("requests.index", year_id=year.id))


def request_page(form: RequestForm, year, cluster, caption: str, back_href: str):
    """Show the request form, or send the request it describes: to the given cluster's schools, or (for
    the lead, cluster None) to the year's schools, the chosen ones or one cluster's."""
    if not form.is_submitted():
        form.audience.data = "all"
        restore_draft(form)
    elif form.validate():
        chosen = None if form.audience.data != "chosen" else {i for i in map(parse_uuid, form.schools.data or []) if i}
        if sent := saved(form, "title", lambda: create_request(
                year, current_user, form.title.data, form.details.data, form.working_days.data, school_ids=chosen,
                cluster=_cluster_asked(form, year, cluster)), _sent_message):
            drop_draft()
            return redirect(url_for("requests.show", request_id=sent.value.id))
    return render_template("requests/new.html", form=form, caption=caption, back_href=back_href)


@bp.post("/years/<uuid:year_id>/requests/new/autosave")
@requires("programme.manage", year="year_id")
def autosave_new(year):
    """The autosave script's keeping of a request not yet sent as its writer's draft."""
    return keep_draft(RequestForm())


def _cluster_asked(form: RequestForm, year, cluster):
    """The cluster whose schools are asked: the one the page is for, else the one the lead chose, if any."""
    if cluster is None and form.audience.data == "cluster":
        return cluster_in_programme(year.programme, parse_uuid(form.cluster_id.data))
    return cluster


def _sent_message(request) -> str:
    return (f"Request sent to {len(request.recipients)} schools. Answers are due by "
            f"{dates.day(request.due_on)} ({request.working_days} working days).")


@bp.get("/requests/<uuid:request_id>")
@requires("request.manage", request="request_id")
def show(request):
    return render_template("requests/show.html", request=load_request(request.id), today=clock.today(), is_late=is_late)


@bp.get("/requests/<uuid:request_id>/responses.csv")
@requires("request.manage", request="request_id")
def responses(request):
    body = responses_csv(load_request(request.id) or abort(404), clock.today())
    return download(body, f"{file_slug(request.title)}-responses.csv", "text/csv")


@bp.route("/answers/<uuid:recipient_id>", methods=["GET", "POST"])
@requires("request.answer", recipient="recipient_id")
def answer(recipient):
    form = AnswerForm(answer=recipient.answer, version=recipient.version)
    if not form.is_submitted():
        restore_draft(form)
    elif form.validate():
        upload = form.file.data
        file = (upload.filename, upload.mimetype, upload.read()) if upload and upload.filename else None
        try:
            if saved(form, "answer", lambda: answer_request(recipient, current_user, form.answer.data, file,
                                                            form.opened_version(),
                                                            keep_theirs=tuple(form.kept_theirs(("answer",)))),
                     f"Your answer to “{recipient.request.title}” has been sent."):
                drop_draft()
                return redirect(url_for("main.home"))
        except VersionConflict as conflict:
            return clash_page(form, conflict, version=recipient.version,
                              action=url_for("requests.answer", recipient_id=recipient.id),
                              title=f"answer to {recipient.request.title}", caption=recipient.school.name,
                              heading="Someone else at your school saved this answer while you were writing it",
                              file_field=form.file if file else None)
    return render_template("requests/answer.html", recipient=recipient, form=form, today=clock.today())


@bp.post("/answers/<uuid:recipient_id>/autosave")
@requires("request.answer", recipient="recipient_id")
def autosave_answer(recipient):
    """The autosave script's save of an answer not yet sent: its text only (a file goes with the Send button).
    A change to a sent answer waits for Send again, so until then it is kept as its writer's draft."""
    form = AnswerForm()
    if recipient.answered_at is not None:
        return keep_draft(form)
    drop_draft()  # saved in the answer itself from now on
    return autosaved(form, lambda: answer_request(recipient, current_user, form.answer.data, None,
                                                  form.opened_version(), autosave=True))


@bp.get("/answers/<uuid:recipient_id>/file")
@requires("request.file", recipient="recipient_id")
def file(recipient):
    content = file_of(recipient)
    if not content:
        abort(404)
    # Always a download, never shown in the browser: a file cannot run as a page of this site.
    return download(content, recipient.file_name, recipient.file_type or "application/octet-stream")


@bp.route("/clusters/<uuid:cluster_id>/requests/new", methods=["GET", "POST"])
@requires("cluster.lead", cluster="cluster_id")
def new_cluster_request(cluster):
    """A cluster's leads ask its schools, all or chosen ones, in the programme's latest open year."""
    back = url_for("clusters.show", cluster_id=cluster.id)
    year = open_year(cluster)
    if year is None:
        flash("Every academic year of the programme is closed, so no requests can be sent.", "error")
        return redirect(back)
    form = RequestForm()
    form.audience.choices = {"all": "Every school in the cluster", "chosen": "The schools I choose"}
    form.schools.choices = {str(s.id): s.name for s in cluster_schools(cluster, year)}
    return request_page(form, year, cluster, f"{cluster.name}, {year.label}", back)


@bp.post("/clusters/<uuid:cluster_id>/requests/new/autosave")
@requires("cluster.lead", cluster="cluster_id")
def autosave_new_cluster_request(cluster):
    """The autosave script's keeping of a cluster's request not yet sent as its writer's draft."""
    return keep_draft(RequestForm())
