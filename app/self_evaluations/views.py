"""Self-evaluation pages. The school completes it area by area (saved by the buttons, and by autosave
when JavaScript runs), submits it, and the head signs it off; peers and the QA expert read it; the QA
expert moderates it; the programme lead sees counts only, unless the head shares it."""
from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.common.autosave import autosaved, clash_page
from app.common.errors import DomainError
from app.common.exports import download
from app.common.forms import ConfirmForm, add_domain_error, flashed, saved
from app.common.ids import parse_uuid
from app.common.versions import VersionConflict
from app.drafts import drop_draft, keep_draft, restore_draft
from app.permissions import can, requires
from app.self_evaluations.comparison import comparison
from app.self_evaluations.consent import set_sharing
from app.self_evaluations.export import evaluation_file
from app.self_evaluations.forms import AreaForm, ExpertForm, ModerationForm, ReasonForm, ResponseForm, SharingForm
from app.self_evaluations.moderation import (
    assign_qa_expert,
    moderation_fields,
    qa_experts_for,
    qa_visit_for,
    record_moderation,
    respond_to_flag,
)
from app.self_evaluations.service import (
    ANSWER_FIELDS,
    autosave_target,
    check_editable,
    evaluation_page,
    incomplete_areas,
    reopen_self_evaluation,
    save_answers,
    sign_off_self_evaluation,
    start_self_evaluation,
    submit_self_evaluation,
)
from app.self_evaluations.summary import year_summary

bp = Blueprint("self_evaluations", __name__)


def _page(evaluation):
    page = evaluation_page(evaluation.id)
    if page is None:
        abort(404)
    return page


def _locked_because(page) -> str | None:
    """Why the signed-in person cannot change the self-evaluation, or None when they can."""
    try:
        check_editable(page.evaluation, current_user)
    except DomainError as error:
        return error.message
    return None


def _editable(page) -> bool:
    return _locked_because(page) is None


def _to_overview(evaluation):
    return redirect(url_for("self_evaluations.show", evaluation_id=evaluation.id))


def _answers_page(page, errors: list[dict] | None = None) -> str:
    return render_template("self_evaluations/answers.html", page=page, editable=_editable(page), errors=errors or [])


@bp.post("/schools/<uuid:school_id>/years/<uuid:year_id>/self-evaluation")
@requires("school.staff", school="school_id", year="year_id")
def start(school, year):
    ConfirmForm().validate_on_submit() or abort(400)
    if started := flashed(lambda: start_self_evaluation(school, year)):
        return _to_overview(started.value)
    return redirect(url_for("programmes.school", school_id=school.id))


@bp.get("/self-evaluations/<uuid:evaluation_id>")
@requires("self_evaluation.view", evaluation="evaluation_id")
def show(evaluation):
    page = _page(evaluation)
    return render_template("self_evaluations/show.html", page=page, editable=_editable(page),
                           sharing_form=SharingForm(shared=page.shared_with_lead))


@bp.get("/self-evaluations/<uuid:evaluation_id>/answers")
@requires("self_evaluation.view", evaluation="evaluation_id")
def answers(evaluation):
    """Every area's answers: the school's check page before it submits, everyone else's reading of it."""
    return _answers_page(_page(evaluation))


@bp.route("/self-evaluations/<uuid:evaluation_id>/areas/<int:position>", methods=["GET", "POST"])
@requires("self_evaluation.edit", evaluation="evaluation_id")
def area(evaluation, position):
    page = _page(evaluation)
    row = page.row(position) or abort(404)
    locked = _locked_because(page)
    if locked:
        flash(locked, "error")
        return _to_overview(evaluation)
    form = AreaForm.for_rating(row.rating)
    if form.validate_on_submit():
        try:
            save_answers(row.rating, form.opened_version(), form.level.data, form.texts(), strict=True,
                         keep_theirs=form.kept_theirs(ANSWER_FIELDS))
        except VersionConflict as conflict:
            return _area_clash(page, row, form, conflict)
        except DomainError as error:
            add_domain_error(form, error, "level")
        else:
            flash(f"Area {position} saved.", "success")
            following = page.next_position(position)
            if form.next.data == "continue" and following:
                return redirect(url_for("self_evaluations.area", evaluation_id=evaluation.id, position=following))
            return _to_overview(evaluation)
    return render_template("self_evaluations/area.html", page=page, row=row, form=form)


def _area_clash(page, row, form, conflict):
    evaluation, n = page.evaluation, row.area.position
    return clash_page(
        form, conflict, version=row.rating.version,
        action=url_for("self_evaluations.area", evaluation_id=evaluation.id, position=n),
        title=f"area {n}", caption=f"{evaluation.school.name}, {evaluation.year.label}",
        heading=f"Someone else saved area {n} while you were editing it",
        shown=partial(_level_words, page))


def _level_words(page, name, value):
    """On a clash page, a rating as the framework names it; other values as they are."""
    return (page.level_text(value) or "No rating") if name.startswith("level") else None


@bp.post("/self-evaluations/<uuid:evaluation_id>/areas/<int:position>/autosave")
@requires("self_evaluation.edit", evaluation="evaluation_id")
def autosave(evaluation, position):
    """The autosave script's save: JSON answers, the same rules as the Save button. It loads the one
    rating it writes, not the page."""
    rating, scale = autosave_target(evaluation, position) or abort(404)
    form = AreaForm()
    return autosaved(form, lambda: save_answers(rating, form.opened_version(), form.level.data, form.texts(),
                                                strict=False, scale=scale))


@bp.post("/self-evaluations/<uuid:evaluation_id>/submit")
@requires("self_evaluation.edit", evaluation="evaluation_id")
def submit(evaluation):
    ConfirmForm().validate_on_submit() or abort(400)
    page = _page(evaluation)
    try:
        submit_self_evaluation(page.evaluation, current_user)
    except DomainError as error:
        missing = incomplete_areas(page.evaluation)
        errors = [{"text": f"Rate area {area.position}, {area.title}, or mark it not yet evaluated with a reason",
                   "href": url_for("self_evaluations.area", evaluation_id=evaluation.id, position=area.position)}
                  for area in missing] or [{"text": error.message, "href": "#submit-evaluation"}]
        return _answers_page(page, errors)
    signs_off = "You" if can(current_user, "self_evaluation.head", evaluation) else "Your headteacher"
    flash(f"Self-evaluation submitted. {signs_off} can now sign it off.", "success")
    return _to_overview(evaluation)


@bp.route("/self-evaluations/<uuid:evaluation_id>/sign-off", methods=["GET", "POST"])
@requires("self_evaluation.head", evaluation="evaluation_id")
def sign_off(evaluation):
    """The head's check and declaration; once signed off, the confirmation."""
    errors = []
    if ConfirmForm().validate_on_submit():
        try:
            sign_off_self_evaluation(evaluation, current_user)
        except DomainError as error:
            errors = [{"text": error.message, "href": "#sign-off"}]
        else:
            return redirect(url_for("self_evaluations.sign_off", evaluation_id=evaluation.id))
    return render_template("self_evaluations/sign_off.html", page=_page(evaluation), errors=errors)


@bp.route("/self-evaluations/<uuid:evaluation_id>/reopen", methods=["GET", "POST"])
@requires("self_evaluation.head", evaluation="evaluation_id")
def reopen(evaluation):
    form = ReasonForm()
    if form.validate_on_submit() and saved(form, "reason", lambda: reopen_self_evaluation(
            evaluation, current_user, form.reason.data), "Self-evaluation reopened for editing."):
        return _to_overview(evaluation)
    return render_template("self_evaluations/reopen.html", evaluation=evaluation, form=form)


@bp.post("/self-evaluations/<uuid:evaluation_id>/sharing")
@requires("self_evaluation.head", evaluation="evaluation_id")
def sharing(evaluation):
    form = SharingForm()
    form.validate_on_submit() or abort(400)
    if set_sharing(evaluation.school, evaluation.year, bool(form.shared.data)):
        flash("The programme lead can now read your self-evaluation and action plan." if form.shared.data
              else "The programme lead cannot read your self-evaluation and action plan.", "success")
    return _to_overview(evaluation)


@bp.route("/self-evaluations/<uuid:evaluation_id>/moderation", methods=["GET", "POST"])
@requires("self_evaluation.moderate", evaluation="evaluation_id")
def moderate(evaluation):
    page = _page(evaluation)
    form = ModerationForm.for_rows(page.rows, page.visit)
    if form.validate_on_submit():
        try:
            if saved(form, form.first_field, lambda: record_moderation(
                    page, current_user, form.entries(), form.opened_version(),
                    keep_theirs=tuple(form.kept_theirs(moderation_fields(page)))), "Moderated ratings saved."):
                return _to_overview(evaluation)
        except VersionConflict as conflict:
            return clash_page(
                form, conflict, version=page.visit.version,
                action=url_for("self_evaluations.moderate", evaluation_id=evaluation.id),
                title="moderated ratings", caption=f"{evaluation.school.name}, {evaluation.year.label}",
                heading="Someone else saved these moderated ratings while you were editing them",
                shown=partial(_level_words, page))
    return render_template("self_evaluations/moderate.html", page=page, form=form)


@bp.post("/self-evaluations/<uuid:evaluation_id>/moderation/autosave")
@requires("self_evaluation.moderate", evaluation="evaluation_id")
def autosave_moderation(evaluation):
    """The autosave script's save of the QA expert's comments: JSON answers, the Save button's rules. The
    ratings wait for the Save button, which tells the school of any flag."""
    page = _page(evaluation)
    form = ModerationForm.for_rows(page.rows, page.visit)
    return autosaved(form, lambda: record_moderation(page, current_user, form.entries(), form.opened_version(),
                                                     comments_only=True))


@bp.route("/self-evaluations/<uuid:evaluation_id>/areas/<int:position>/response", methods=["GET", "POST"])
@requires("self_evaluation.edit", evaluation="evaluation_id")
def respond(evaluation, position):
    page = _page(evaluation)
    row = page.row(position) or abort(404)
    if not row.flagged:
        abort(404)
    form = ResponseForm(response=row.moderated.school_response)
    if not form.is_submitted():
        restore_draft(form)
    elif form.validate() and saved(form, "response", lambda: respond_to_flag(
            page, position, form.response.data, current_user), f"Response to area {position} saved."):
        drop_draft()
        return redirect(url_for("self_evaluations.answers", evaluation_id=evaluation.id, _anchor=f"area-{position}"))
    return render_template("self_evaluations/respond.html", page=page, row=row, form=form)


@bp.post("/self-evaluations/<uuid:evaluation_id>/areas/<int:position>/response/autosave")
@requires("self_evaluation.edit", evaluation="evaluation_id")
def autosave_response(evaluation, position):
    """The autosave script's keeping of a response to a flag as its writer's draft: saving it tells the QA
    expert, so that waits for the button."""
    (_page(evaluation).row(position) or abort(404)).flagged or abort(404)
    return keep_draft(ResponseForm())


@bp.get("/self-evaluations/<uuid:evaluation_id>/comparison")
@requires("self_evaluation.view", evaluation="evaluation_id")
def compare(evaluation):
    page = _page(evaluation)
    last, rows = comparison(page)
    return render_template("self_evaluations/comparison.html", page=page, last=last, rows=rows)


@bp.get("/years/<uuid:year_id>/self-evaluations")
@requires("programme.view", year="year_id")
def summary(year):
    return render_template("self_evaluations/summary.html", summary=year_summary(year),
                           manages=can(current_user, "programme.manage", year))


@bp.route("/years/<uuid:year_id>/schools/<uuid:school_id>/qa-expert", methods=["GET", "POST"])
@requires("programme.manage", year="year_id", school="school_id")
def qa_expert(year, school):
    experts = qa_experts_for(year.programme)
    visit = qa_visit_for(year, school)
    form = ExpertForm.for_experts(experts, visit)
    if form.validate_on_submit() and saved(
            form, "expert", lambda: assign_qa_expert(year, school, parse_uuid(form.expert.data)),
            lambda assigned: f"{assigned.expert.name} is the QA expert for {school.name} in {year.label}."):
        return redirect(url_for("self_evaluations.summary", year_id=year.id))
    return render_template("self_evaluations/qa_expert.html", year=year, school=school, form=form, experts=experts)


# The whole self-evaluation to download, as the page shows it to its reader (others only ever a submitted one).


@bp.get("/self-evaluations/<uuid:evaluation_id>/export.pdf")
@requires("self_evaluation.view", evaluation="evaluation_id")
def export_pdf(evaluation):
    return _export(evaluation, "pdf")


@bp.get("/self-evaluations/<uuid:evaluation_id>/export.docx")
@requires("self_evaluation.view", evaluation="evaluation_id")
def export_docx(evaluation):
    return _export(evaluation, "docx")


def _export(evaluation, extension: str):
    exported = evaluation_file(_page(evaluation), extension)
    return download(exported.body, exported.name, exported.mimetype)
