"""Action plan pages. The school drafts actions (starting from its lowest-rated areas), the head
finalises, later edits make a new version, and progress is noted at triad meetings."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.action_plans.carried import areas_matching, carried_into
from app.action_plans.exports import plan_csv, plan_pdf, plan_xlsx
from app.action_plans.forms import ActionEditForm, ActionForm, ProgressForm
from app.action_plans.progress import completion, triad_progress, year_progress
from app.action_plans.service import (
    ACTION_FIELDS,
    areas_for,
    finalise_plan,
    plan_content,
    plan_page,
    record_progress,
    remove_action,
    save_action,
    staff_of,
    start_action_plan,
)
from app.action_plans.versions import compare_versions, snapshot
from app.common.autosave import autosaved, clash_page
from app.common.errors import DomainError
from app.common.exports import download, file_slug
from app.common.forms import ConfirmForm, flashed, int_arg, saved
from app.common.ids import parse_uuid
from app.common.versions import VersionConflict
from app.drafts import drop_draft, keep_draft, restore_draft
from app.models import PlanStatus
from app.permissions import can, leads_programme, requires, staff_school_ids

bp = Blueprint("action_plans", __name__)


def _page(plan, with_suggestions=True):
    page = plan_page(plan.id, with_suggestions)
    if page is None:
        abort(404)
    return page


def _action(page, number):
    action = next((a for a in page.plan.actions if a.number == number), None)
    if action is None:
        abort(404)
    return action


@bp.post("/schools/<uuid:school_id>/years/<uuid:year_id>/action-plan")
@requires("school.staff", school="school_id", year="year_id")
def start(school, year):
    ConfirmForm().validate_on_submit() or abort(400)
    if started := flashed(lambda: start_action_plan(school, year)):
        return redirect(url_for("action_plans.show", plan_id=started.value.id))
    return redirect(url_for("programmes.school", school_id=school.id))


@bp.get("/action-plans/<uuid:plan_id>")
@requires("action_plan.view", plan="plan_id")
def show(plan):
    staff = can(current_user, "action_plan.edit", plan)
    if not staff and plan.status == PlanStatus.DRAFT:
        # Others read the last finalised version while the school drafts the next.
        return redirect(url_for("action_plans.version", plan_id=plan.id, number=plan.versions[-1].number))
    return render_template("action_plans/show.html", page=_page(plan, with_suggestions=staff), staff=staff)


def _action_saved(action, plan, was_finalised: bool) -> str:
    """What saving an action says, and that it made a new draft version when the plan was finalised."""
    message = f"Action {action.number} saved."
    if was_finalised and plan.status == PlanStatus.DRAFT:
        message += f" This is now version {plan.version} of the plan, in draft until the headteacher finalises it."
    return message


def _action_form(page, action):
    """The form for a new action or (with its version) a saved one, and the areas and owners it offers."""
    areas, staff = areas_for(page.plan), staff_of(page.plan.school_id)
    form = ActionEditForm() if action else ActionForm()
    form.offer(areas, staff)
    return form, areas, staff


def _action_form_page(page, action=None):
    plan = page.plan
    try:
        plan.year.require_open("its action plan can no longer be changed")
    except DomainError as closed:
        flash(f"{closed.message}.", "error")
        return redirect(url_for("action_plans.show", plan_id=plan.id))
    form, areas, staff = _action_form(page, action)
    if not form.is_submitted():
        if action is not None:
            form.fill(action, staff)
        elif (carried := carried_into(plan, parse_uuid(request.args.get("from")))) is not None:
            form.carry_on(carried, areas_matching(carried, areas), staff)
        else:
            position = int_arg("area", minimum=1)
            form.areas.data = [str(a.id) for a in areas if a.position == position]
        restore_draft(form)
    elif form.validate():
        was_finalised = plan.status == PlanStatus.FINALISED
        checked = {"expected_version": form.opened_version(),
                   "keep_theirs": tuple(form.kept_theirs(ACTION_FIELDS))} if action else {}
        try:
            outcome = saved(form, "description",
                            lambda: save_action(plan, action, form.given(), areas, staff, **checked),
                            lambda done: _action_saved(done, plan, was_finalised))
        except VersionConflict as conflict:
            return _action_clash(page, action, form, conflict)
        if outcome:
            drop_draft()
            return redirect(url_for("action_plans.show", plan_id=plan.id, _anchor=f"action-{outcome.value.number}"))
    return render_template("action_plans/action_form.html", page=page, form=form, action=action)


def _action_clash(page, action, form, conflict):
    plan = page.plan
    return clash_page(
        form, conflict, version=action.version,
        action=url_for("action_plans.edit_action", plan_id=plan.id, number=action.number),
        title=f"action {action.number}", caption=f"{plan.school.name}, {plan.year.label}",
        heading=f"Someone else saved action {action.number} while you were editing it",
        shown=lambda name, value: "; ".join(f"{a.position}. {a.title}" for a in value) if name == "areas" else None)


@bp.route("/action-plans/<uuid:plan_id>/actions/new", methods=["GET", "POST"])
@requires("action_plan.edit", plan="plan_id")
def new_action(plan):
    return _action_form_page(_page(plan, with_suggestions=False))


@bp.post("/action-plans/<uuid:plan_id>/actions/new/autosave")
@requires("action_plan.edit", plan="plan_id")
def autosave_new_action(plan):
    """The autosave script's keeping of a new action as its writer's draft, until they select Save action."""
    return keep_draft(ActionForm())


@bp.route("/action-plans/<uuid:plan_id>/actions/<int:number>", methods=["GET", "POST"])
@requires("action_plan.edit", plan="plan_id")
def edit_action(plan, number):
    page = _page(plan, with_suggestions=False)
    return _action_form_page(page, _action(page, number))


@bp.post("/action-plans/<uuid:plan_id>/actions/<int:number>/autosave")
@requires("action_plan.edit", plan="plan_id")
def autosave_action(plan, number):
    """The autosave script's save of a draft plan's action: JSON answers, the Save button's rules. A change to
    a finalised plan starts its next version, so until Save action it is kept as its writer's draft."""
    page = _page(plan, with_suggestions=False)
    action = _action(page, number)
    form, areas, staff = _action_form(page, action)
    if page.plan.status == PlanStatus.FINALISED:
        return keep_draft(form)
    drop_draft()  # saved in the action itself from now on
    return autosaved(form, lambda: save_action(page.plan, action, form.given(), areas, staff, form.opened_version(),
                                               autosave=True))


@bp.route("/action-plans/<uuid:plan_id>/actions/<int:number>/remove", methods=["GET", "POST"])
@requires("action_plan.edit", plan="plan_id")
def remove(plan, number):
    page = _page(plan, with_suggestions=False)
    action = _action(page, number)
    form = ConfirmForm()
    if form.validate_on_submit():
        flashed(lambda: remove_action(page.plan, action), f"Action {number} removed.")
        return redirect(url_for("action_plans.show", plan_id=plan.id))
    return render_template("action_plans/remove.html", page=page, action=action, form=form)


@bp.route("/action-plans/<uuid:plan_id>/actions/<int:number>/progress", methods=["GET", "POST"])
@requires("action_plan.edit", plan="plan_id")
def progress(plan, number):
    page = _page(plan, with_suggestions=False)
    action = _action(page, number)
    form = ProgressForm()
    if not form.is_submitted():
        form.status.data = action.status.value
        restore_draft(form)
    elif form.validate() and saved(
            form, "note", lambda: record_progress(action, form.status.data, form.note.data, form.noted_on.data,
                                                  current_user, form.noted_on.invalid),
            f"Progress on action {number} saved."):
        drop_draft()
        return redirect(url_for("action_plans.show", plan_id=plan.id, _anchor=f"action-{number}"))
    return render_template("action_plans/progress.html", page=page, action=action, form=form)


@bp.post("/action-plans/<uuid:plan_id>/actions/<int:number>/progress/autosave")
@requires("action_plan.edit", plan="plan_id")
def autosave_progress(plan, number):
    """The autosave script's keeping of a progress note as its writer's draft, until they save it."""
    _action(_page(plan, with_suggestions=False), number)
    return keep_draft(ProgressForm())


@bp.post("/action-plans/<uuid:plan_id>/finalise")
@requires("action_plan.head", plan="plan_id")
def finalise(plan):
    ConfirmForm().validate_on_submit() or abort(400)
    page = _page(plan, with_suggestions=False)
    flashed(lambda: finalise_plan(page.plan, current_user),
            lambda version: f"Version {version.number} of the action plan finalised.")
    return redirect(url_for("action_plans.show", plan_id=plan.id))


@bp.get("/action-plans/<uuid:plan_id>/versions/<int:number>")
@requires("action_plan.view", plan="plan_id")
def version(plan, number):
    page = _page(plan, with_suggestions=False)
    kept = next((v for v in page.plan.versions if v.number == number), None)
    if kept is None:
        abort(404)
    return render_template("action_plans/version.html", page=page, kept=kept,
                           staff=can(current_user, "action_plan.edit", plan))


@bp.get("/action-plans/<uuid:plan_id>/compare")
@requires("action_plan.view", plan="plan_id")
def compare(plan):
    page = _page(plan, with_suggestions=False)
    staff = can(current_user, "action_plan.edit", plan)
    # Versions to compare: every finalised one, and the draft for the school itself.
    contents = {v.number: v.actions for v in page.plan.versions}
    if staff and page.plan.status == PlanStatus.DRAFT:
        contents[page.plan.version] = snapshot(page.plan.actions)
    numbers = sorted(contents)
    if len(numbers) < 2:
        return render_template("action_plans/compare.html", page=page, numbers=numbers, changes=None,
                               before=None, after=None)
    before = int_arg("from", minimum=1)
    after = int_arg("to", minimum=1)
    if before not in contents or after not in contents:
        before, after = numbers[-2], numbers[-1]
    return render_template("action_plans/compare.html", page=page, numbers=numbers, before=before, after=after,
                           changes=compare_versions(contents[before], contents[after]))


@bp.get("/triads/<uuid:triad_id>/progress")
@requires("triad.view", triad="triad_id")
def triad(triad):
    rows, total = triad_progress(list(triad.members), triad.year_id, staff_school_ids(current_user))
    return render_template("action_plans/triad.html", triad=triad, rows=rows, total=total)


@bp.get("/years/<uuid:year_id>/action-plans")
@requires("programme.view", year="year_id")
def year(year):
    return render_template("action_plans/year.html", year=year, rows=year_progress(year),
                           is_lead=leads_programme(current_user, year))


def _export_content(plan):
    """What an export holds: the live plan for the school, and for others the last finalised version."""
    page = _page(plan, with_suggestions=False)
    return page, *plan_content(page, can(current_user, "action_plan.edit", plan))


def _export_name(page, number, extension):
    year = page.plan.year.label.replace("/", "-")
    return f"{file_slug(page.plan.school.name)}-action-plan-{year}-v{number}.{extension}"


@bp.get("/action-plans/<uuid:plan_id>/export.csv")
@requires("action_plan.view", plan="plan_id")
def export_csv(plan):
    page, rows, number, _ = _export_content(plan)
    return download(plan_csv(rows, page.today), _export_name(page, number, "csv"), "text/csv")


@bp.get("/action-plans/<uuid:plan_id>/export.xlsx")
@requires("action_plan.view", plan="plan_id")
def export_xlsx(plan):
    page, rows, number, _ = _export_content(plan)
    title = f"{page.plan.school.name} action plan {page.plan.year.label}, version {number}"
    return download(plan_xlsx(rows, page.today, title), _export_name(page, number, "xlsx"),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/action-plans/<uuid:plan_id>/export.pdf")
@requires("action_plan.view", plan="plan_id")
def export_pdf(plan):
    page, rows, number, finalised = _export_content(plan)
    body = plan_pdf(rows, page.today, school_name=page.plan.school.name, year_label=page.plan.year.label,
                    version_label=f"Version {number}", finalised_text=finalised,
                    completion_text=str(completion(rows)))
    return download(body, _export_name(page, number, "pdf"), "application/pdf")
