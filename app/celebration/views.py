"""Celebration of learning pages: a triad writes and submits up to three key learnings; the programme
lead reads every triad's, tags each with its evidence signals and prints the pack; everyone in the
programme searches the practice library."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.celebration.forms import LearningEditForm, LearningForm, LibraryForm, TagForm
from app.celebration.pack import (
    celebration_pack_pdf,
    is_large,
    latest_prepared,
    pack_file_name,
    prepared_file,
    request_pack,
)
from app.celebration.service import (
    LEARNING_FIELDS,
    TOO_MANY,
    LearningInput,
    areas_of,
    practice_library,
    remove_learning,
    return_celebration,
    save_learning,
    submission_of,
    submit_celebration,
    tag_learning,
    year_celebration,
)
from app.common.autosave import autosaved, clash_page
from app.common.exports import download
from app.common.forms import ConfirmForm, flashed, int_arg, saved, whole_number
from app.common.ids import parse_uuid
from app.common.versions import VersionConflict
from app.drafts import drop_draft, keep_draft, restore_draft
from app.models import MAX_LEARNINGS, ImpactArea, PackStatus
from app.permissions import can, requires

bp = Blueprint("celebration", __name__)


def _input(form: LearningForm) -> LearningInput:
    return LearningInput(form.title.data, form.what_we_did.data, form.impact.data, form.next_steps.data,
                         [i for i in map(parse_uuid, form.areas.data or []) if i], form.impact_areas.data or [])


def _to_triad(triad):
    return redirect(url_for("celebration.show", triad_id=triad.id))


@bp.get("/triads/<uuid:triad_id>/celebration")
@requires("celebration.view", triad="triad_id")
def show(triad):
    submission = submission_of(triad)
    editing = can(current_user, "celebration.edit", triad)
    return render_template("celebration/show.html", triad=triad, submission=submission, editing=editing,
                           form=ConfirmForm(), max_learnings=MAX_LEARNINGS)


def _learning_page(triad, form, learning=None):
    return render_template("celebration/learning_form.html", triad=triad, form=form, learning=learning)


@bp.route("/triads/<uuid:triad_id>/celebration/learnings/new", methods=["GET", "POST"])
@requires("celebration.edit", triad="triad_id")
def new_learning(triad):
    submission = submission_of(triad)
    areas = areas_of(triad)
    form = LearningForm()
    form.areas.choices = {str(a.id): f"{a.position}. {a.title}" for a in areas}
    if not form.is_submitted():
        restore_draft(form)
        if submission is not None and len(submission.learnings) >= MAX_LEARNINGS:
            form.title.errors = [TOO_MANY]
    elif form.validate_on_submit() and saved(
            form, "title", lambda: save_learning(triad, None, _input(form), areas),
            lambda learning: f"Key learning {learning.position} saved: {learning.title}."):
        drop_draft()
        return _to_triad(triad)
    return _learning_page(triad, form)


@bp.post("/triads/<uuid:triad_id>/celebration/learnings/new/autosave")
@requires("celebration.edit", triad="triad_id")
def autosave_new_learning(triad):
    """The autosave script's keeping of a new key learning as its writer's draft, until they save it."""
    return keep_draft(LearningForm())


def _edit_form(learning, areas) -> LearningEditForm:
    form = LearningEditForm(obj=learning)
    form.areas.choices = {str(a.id): f"{a.position}. {a.title}" for a in areas}
    return form


@bp.route("/learnings/<uuid:learning_id>/edit", methods=["GET", "POST"])
@requires("learning.edit", learning="learning_id")
def edit_learning(learning):
    triad = learning.submission.triad
    areas = areas_of(triad)
    form = _edit_form(learning, areas)
    if not form.is_submitted():
        form.areas.data = [str(a.id) for a in learning.areas]
        form.impact_areas.data = [a.value for a in learning.impact_areas]
    elif form.validate():
        try:
            if saved(form, "title", lambda: save_learning(triad, learning, _input(form), areas, form.opened_version(),
                                                          keep_theirs=tuple(form.kept_theirs(LEARNING_FIELDS))),
                     f"Key learning {learning.position} saved."):
                return _to_triad(triad)
        except VersionConflict as conflict:
            return clash_page(form, conflict, version=learning.version,
                              action=url_for("celebration.edit_learning", learning_id=learning.id),
                              title=f"key learning {learning.position}",
                              caption=f"{triad.name}, celebration of learning",
                              heading=f"Someone else saved key learning {learning.position} while you were editing it",
                              labels={area.column: f"Shows impact: {area.label}" for area in ImpactArea},
                              shown=_shown_areas)
    return _learning_page(triad, form, learning)


def _shown_areas(name, value):
    return "; ".join(f"{a.position}. {a.title}" for a in value) if name == "areas" else None


@bp.post("/learnings/<uuid:learning_id>/autosave")
@requires("learning.edit", learning="learning_id")
def autosave_learning(learning):
    """The autosave script's save of a key learning: JSON answers, the Save button's rules."""
    triad = learning.submission.triad
    areas = areas_of(triad)
    form = _edit_form(learning, areas)
    return autosaved(form, lambda: save_learning(triad, learning, _input(form), areas, form.opened_version()))


@bp.route("/learnings/<uuid:learning_id>/remove", methods=["GET", "POST"])
@requires("learning.edit", learning="learning_id")
def remove(learning):
    triad = learning.submission.triad
    form = ConfirmForm()
    if form.validate_on_submit():
        flashed(lambda: remove_learning(triad, learning), f"“{learning.title}” removed.")
        return _to_triad(triad)
    return render_template("celebration/remove.html", learning=learning, triad=triad, form=form)


@bp.post("/triads/<uuid:triad_id>/celebration/submit")
@requires("celebration.edit", triad="triad_id")
def submit(triad):
    if ConfirmForm().validate_on_submit():
        flashed(lambda: submit_celebration(triad, current_user),
                "Your key learnings have been submitted to the programme lead.")
    return _to_triad(triad)


@bp.post("/celebration/<uuid:submission_id>/return")
@requires("celebration.return", submission="submission_id")
def return_for_changes(submission):
    if ConfirmForm().validate_on_submit():
        flashed(lambda: return_celebration(submission, current_user),
                f"{submission.triad.name}'s learnings have been returned for changes.")
    return redirect(url_for("celebration.year", year_id=submission.triad.year_id))


@bp.get("/years/<uuid:year_id>/celebration")
@requires("programme.manage", year="year_id")
def year(year):
    return render_template("celebration/year.html", year=year, triads=year_celebration(year), form=ConfirmForm(),
                           large=is_large(year), prepared=latest_prepared(year), PackStatus=PackStatus)


@bp.route("/learnings/<uuid:learning_id>/tag", methods=["GET", "POST"])
@requires("learning.tag", learning="learning_id")
def tag(learning):
    form = TagForm()
    if not form.is_submitted():
        form.strength.data = str(learning.strength) if learning.strength else None
        form.breadth.data = str(learning.breadth or learning.suggested_breadth)
    elif form.validate() and saved(
            form, "strength", lambda: tag_learning(learning, whole_number(form.strength.data),
                                                   whole_number(form.breadth.data), current_user),
            f"Evidence signals saved for “{learning.title}”."):
        return redirect(url_for("celebration.year", year_id=learning.submission.triad.year_id,
                                _anchor=f"triad-{learning.submission.triad_id}"))
    return render_template("celebration/tag.html", learning=learning, form=form)


def _pdf(body: bytes, year) -> Response:
    return download(body, pack_file_name(year), "application/pdf")


@bp.get("/years/<uuid:year_id>/celebration-pack.pdf")
@requires("programme.manage", year="year_id")
def pack(year):
    if is_large(year):  # too long for a request: the scheduler prepares it
        return redirect(url_for("celebration.year", year_id=year.id, _anchor="pack"))
    return _pdf(celebration_pack_pdf(year), year)


@bp.post("/years/<uuid:year_id>/celebration-pack/prepare")
@requires("programme.manage", year="year_id")
def prepare(year):
    if ConfirmForm().validate_on_submit():
        request_pack(year, current_user)
        flash("The celebration pack is being prepared. It can take a few minutes: come back to this page to "
              "download it.", "success")
    return redirect(url_for("celebration.year", year_id=year.id, _anchor="pack"))


@bp.get("/prepared-packs/<uuid:pack_id>/celebration-pack.pdf")
@requires("programme.manage", pack="pack_id")
def prepared(pack):
    body = prepared_file(pack)
    if body is None:
        abort(404)
    return _pdf(body, pack.year)


@bp.get("/programmes/<uuid:programme_id>/practice-library")
@requires("library.view", programme="programme_id")
def library(programme):
    form = LibraryForm(request.args)
    page = practice_library(programme, request.args.get("q", ""), int_arg("area", minimum=1),
                            int_arg("strength", minimum=1), int_arg("page", minimum=1) or 1)
    form.area.choices = {"": "Any area", **{str(p): f"{p}. {t}" for p, t in page.areas}}
    return render_template("celebration/library.html", programme=programme, form=form, page=page)
