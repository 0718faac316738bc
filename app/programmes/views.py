"""The programme lead's pages: programmes, academic years, importing schools, triads, invitations,
closure days, the organisation's logo."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.accounts import NoSuchAccess, invite_user, remove_school_access, school_access, school_role
from app.common import dates
from app.common.errors import DomainError
from app.common.forms import ConfirmForm, file_problems_message, flashed, int_arg, saved
from app.common.ids import parse_uuid
from app.common.images import MAX_IMAGE_BYTES, data_url
from app.meetings.service import events_for, meeting_slots, peer_visits_for
from app.models import TRIAD_SIZE, EventKind, Role
from app.people.service import roles_ended_by_inviting
from app.permissions import requires
from app.programmes.closure_days import add_closure_day, closure_days_for, remove_closure_day
from app.programmes.forms import (
    ClosureDayForm,
    ConfirmImportForm,
    ImportForm,
    InviteForm,
    LogoForm,
    ProgrammeForm,
    SuggestionsForm,
    TriadForm,
    TriadSearchForm,
    YearForm,
)
from app.programmes.organisations import remove_logo, set_logo
from app.programmes.school_import import import_message, import_schools, parse_school_csv, preview_import
from app.programmes.service import (
    add_year,
    create_programme,
    enrolled_schools,
    invite_choices,
    organisations_for,
    programmes_led_by,
    school_page,
)
from app.programmes.triads import (
    chosen_schools,
    dissolve_triad,
    form_triad,
    search_choices,
    search_schools,
    suggestion_page,
    triads_for_year,
    update_triad,
)
from app.self_evaluations.service import evaluations_in_year
from app.years.service import years_side_by_side

bp = Blueprint("programmes", __name__)


@bp.get("/programmes")
@requires("programme.create")
def index():
    return render_template("programmes/index.html", programmes=programmes_led_by(current_user))


@bp.route("/programmes/new", methods=["GET", "POST"])
@requires("programme.create")
def new():
    organisations = organisations_for(current_user)
    form = ProgrammeForm()
    form.organisation.choices = {str(o.id): o.name for o in organisations}
    if len(organisations) == 1 and not form.is_submitted():
        form.organisation.data = str(organisations[0].id)
    if form.validate_on_submit():
        organisation = {str(o.id): o for o in organisations}[form.organisation.data]
        if created := saved(form, "name", lambda: create_programme(organisation, form.name.data, current_user),
                            lambda programme: f"{programme.name} created. Now add the academic year it runs in."):
            return redirect(url_for("programmes.new_year", programme_id=created.value.id))
    return render_template("programmes/new.html", form=form, organisations=organisations)


@bp.get("/programmes/<uuid:programme_id>")
@requires("programme.view", programme="programme_id")
def show(programme):
    return render_template("programmes/show.html", programme=programme, figures=years_side_by_side(programme))


@bp.route("/programmes/<uuid:programme_id>/years/new", methods=["GET", "POST"])
@requires("programme.manage", programme="programme_id")
def new_year(programme):
    form = YearForm()
    if form.validate_on_submit():
        if added := saved(form, "start_year", lambda: add_year(programme, form.start_year.data),
                          lambda year: f"Academic year {year.label} added. Next, import the schools taking part."):
            return redirect(url_for("programmes.year", year_id=added.value.id))
    return render_template("programmes/new_year.html", form=form, programme=programme)


@bp.route("/programmes/<uuid:programme_id>/closure-days", methods=["GET", "POST"])
@requires("programme.manage", programme="programme_id")
def closure_days(programme):
    form = ClosureDayForm()
    if form.validate_on_submit() and saved(
            form, "day", lambda: add_closure_day(programme, form.day.data, form.day.invalid, form.reason.data),
            lambda closure: f"{dates.weekday(closure.day)} added as a closure day."):
        return redirect(url_for("programmes.closure_days", programme_id=programme.id))
    return render_template("programmes/closure_days.html", form=form, programme=programme,
                           closure_days=closure_days_for(programme))


@bp.post("/programmes/<uuid:programme_id>/closure-days/<uuid:closure_day_id>/remove", endpoint="remove_closure_day")
@requires("programme.manage", programme="programme_id")
def remove_closure_day_page(programme, closure_day_id):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        day = remove_closure_day(programme, closure_day_id)
    except DomainError:
        abort(404)
    flash(f"{dates.weekday(day)} is no longer a closure day.", "success")
    return redirect(url_for("programmes.closure_days", programme_id=programme.id))


@bp.get("/years/<uuid:year_id>")
@requires("programme.view", year="year_id")
def year(year):
    return render_template("programmes/year.html", year=year, schools=enrolled_schools(year),
                           triads=triads_for_year(year), events=events_for(year.id), event_kinds=list(EventKind))


@bp.route("/years/<uuid:year_id>/import", methods=["GET", "POST"], endpoint="import_schools")
@requires("programme.manage", year="year_id")
def import_schools_page(year):
    form = ImportForm()
    if form.validate_on_submit():
        raw = form.file.data.read()
        parsed = parse_school_csv(raw)
        if not parsed.is_clean:
            form.file.errors = [file_problems_message(len(parsed.errors))]
            return render_template("programmes/import.html", form=form, year=year, problems=parsed.errors)
        confirm = ConfirmImportForm(csv_text=parsed.text)
        return render_template("programmes/import_check.html", form=confirm, year=year, rows=parsed.rows,
                               summary=preview_import(year, parsed.rows))
    return render_template("programmes/import.html", form=form, year=year, problems=[])


@bp.post("/years/<uuid:year_id>/import/confirm")
@requires("programme.manage", year="year_id")
def confirm_import(year):
    form = ConfirmImportForm()
    parsed = parse_school_csv(form.csv_text.data or "") if form.validate_on_submit() else None
    if parsed is None or not parsed.is_clean:
        abort(400)
    flashed(lambda: import_schools(year, parsed.rows), lambda summary: import_message(summary, year))
    return redirect(url_for("programmes.year", year_id=year.id))


@bp.get("/years/<uuid:year_id>/triads")
@requires("programme.view", year="year_id")
def triads(year):
    return render_template("programmes/triads.html", year=year, triads=triads_for_year(year))


def _choose_page(year, triad=None):
    """Step 1 of forming (or editing) a triad: search the year's schools, a page at a time, and choose three.
    The chosen schools ride in the address (`school`, repeated; `picked` says the lead has chosen, even
    none), so they stay chosen while the lead filters and pages, without JavaScript."""
    form = TriadSearchForm(request.args)
    form.offer(*search_choices(year))
    if triad is not None and "picked" not in request.args:  # editing starts from the triad's schools
        ids = [member.school_id for member in triad.members]
    else:
        ids = [parse_uuid(value) for value in request.args.getlist("school")]
    chosen = chosen_schools(year, ids, triad)
    search = search_schools(year, form.filters(), int_arg("page", minimum=1) or 1, triad)
    return render_template("programmes/triad_choose.html", form=form, year=year, triad=triad, chosen=chosen,
                           search=search, args=form.args(), chosen_ids=[str(row.school.id) for row in chosen])


@bp.get("/years/<uuid:year_id>/triads/new")
@requires("programme.manage", year="year_id")
def new_triad(year):
    return _choose_page(year)


@bp.get("/triads/<uuid:triad_id>/edit")
@requires("programme.manage", triad="triad_id")
def edit_triad(triad):
    return _choose_page(triad.year, triad)


def _chosen(form: TriadForm):
    """The schools and every coach answer sent (a forged form can send more than one; the service refuses)."""
    return ([school_id for school_id in map(parse_uuid, form.schools.data or []) if school_id],
            [parse_uuid(value) for value in request.form.getlist(form.coach.name) if value])


def _details_form(year, triad=None):
    """Step 2's form and the chosen schools it offers as coach: those posted, or those in the address
    (editing without any: the triad's own). Returns no form when the address has fewer than three."""
    form = TriadForm()
    if form.is_submitted():
        return form, chosen_schools(year, list(map(parse_uuid, form.schools.data or [])), triad)
    if triad is not None and "school" not in request.args:
        ids, form.name.data = [m.school_id for m in triad.members], triad.name
        form.coach.data = str(triad.coach.school_id) if triad.coach else None
    else:
        ids = [parse_uuid(value) for value in request.args.getlist("school")]
        form.name.data = request.args.get("name", triad.name if triad else "")[:120]
        form.coach.data = request.args.get("coach") or (str(triad.coach.school_id) if triad and triad.coach else None)
    chosen = chosen_schools(year, ids, triad)
    form.schools.data = [str(row.school.id) for row in chosen]
    return (form if len(chosen) == TRIAD_SIZE else None), chosen


def _details_page(form: TriadForm, year, chosen, triad=None):
    form.offer(chosen)
    return render_template("programmes/triad_form.html", form=form, year=year, triad=triad, chosen=chosen,
                           chosen_ids=[str(row.school.id) for row in chosen])


@bp.route("/years/<uuid:year_id>/triads/new/details", methods=["GET", "POST"])
@requires("programme.manage", year="year_id")
def name_triad(year):
    form, chosen = _details_form(year)
    if form is None:
        return redirect(url_for("programmes.new_triad", year_id=year.id, school=[str(r.school.id) for r in chosen],
                                picked="y"))
    if form.validate_on_submit() and saved(form, "schools", lambda: form_triad(year, form.name.data, *_chosen(form)),
                                           lambda triad: f"{triad.name} formed."):
        return redirect(url_for("programmes.triads", year_id=year.id))
    return _details_page(form, year, chosen)


@bp.route("/triads/<uuid:triad_id>/edit/details", methods=["GET", "POST"])
@requires("programme.manage", triad="triad_id")
def edit_triad_details(triad):
    form, chosen = _details_form(triad.year, triad)
    if form is None:
        return redirect(url_for("programmes.edit_triad", triad_id=triad.id, school=[str(r.school.id) for r in chosen],
                                picked="y"))
    if form.validate_on_submit() and saved(form, "schools", lambda: update_triad(triad, form.name.data, *_chosen(form)),
                                           f"{form.name.data} saved."):
        return redirect(url_for("programmes.triad", triad_id=triad.id))
    return _details_page(form, triad.year, chosen, triad)


@bp.get("/years/<uuid:year_id>/triads/suggestions")
@requires("programme.manage", year="year_id")
def triad_suggestions(year):
    form = SuggestionsForm(request.args)
    page = suggestion_page(year, bool(form.mixed.data), int_arg("page", minimum=1) or 1)
    return render_template("programmes/triad_suggestions.html", form=form, year=year, page=page,
                           accept=TriadForm(formdata=None), mixed="y" if form.mixed.data else None)


@bp.post("/years/<uuid:year_id>/triads/suggestions/accept")
@requires("programme.manage", year="year_id")
def accept_suggestion(year):
    """One button forms a suggested triad as suggested; a refusal (a school taken since) is flashed."""
    form = TriadForm()
    if form.validate_on_submit():
        flashed(lambda: form_triad(year, form.name.data, *_chosen(form)), lambda triad: f"{triad.name} formed.")
    else:
        flash("That suggestion could not be formed. Look at the suggestions again.", "error")
    mixed = "y" if request.form.get("mixed") == "y" else None
    return redirect(url_for("programmes.triad_suggestions", year_id=year.id, mixed=mixed))


@bp.get("/triads/<uuid:triad_id>")
@requires("triad.view", triad="triad_id")
def triad(triad):
    evaluations = evaluations_in_year([m.school_id for m in triad.members], triad.year_id)
    return render_template("programmes/triad.html", triad=triad, evaluations=evaluations,
                           slots=meeting_slots(triad), visits=peer_visits_for(triad))


@bp.route("/triads/<uuid:triad_id>/dissolve", methods=["GET", "POST"])
@requires("programme.manage", triad="triad_id")
def dissolve(triad):
    form = ConfirmForm()
    if form.validate_on_submit():
        year_id = triad.year_id
        if flashed(lambda: dissolve_triad(triad),
                   lambda name: f"{name} dissolved. Its schools can now join another triad."):
            return redirect(url_for("programmes.triads", year_id=year_id))
        return redirect(url_for("programmes.triad", triad_id=triad.id))
    return render_template("programmes/dissolve.html", form=form, triad=triad)


@bp.get("/schools/<uuid:school_id>")
@requires("school.view", school="school_id")
def school(school):
    return render_template("programmes/school.html", page=school_page(school), access=school_access(school))


@bp.route("/schools/<uuid:school_id>/access/<uuid:assignment_id>/remove", methods=["GET", "POST"])
@requires("school.head", school="school_id")
def remove_access(school, assignment_id):
    try:
        assignment = school_role(school, assignment_id)
    except NoSuchAccess:
        abort(404)
    form = ConfirmForm()  # only its CSRF token is used: the page draws its own button
    if form.validate_on_submit():
        name, role = assignment.user.name, assignment.role
        flashed(lambda: remove_school_access(school, assignment.id, current_user),
                f"{name} no longer has access to {school.name} as {role.label}.")
        return redirect(url_for("programmes.school", school_id=school.id))
    return render_template("programmes/remove_access.html", form=form, school=school, assignment=assignment)


@bp.route("/programmes/<uuid:programme_id>/invite", methods=["GET", "POST"])
@requires("programme.manage", programme="programme_id")
def invite(programme):
    schools, clusters = invite_choices(programme)
    form = InviteForm()
    form.offer(schools, clusters)
    if form.validate_on_submit():
        role = Role(form.role.data)
        # Only the schools and clusters offered can be chosen; anything else counts as none.
        school = {str(s.id): s for s in schools}.get(form.school.data)
        cluster = {str(c.id): c for c in clusters}.get(form.cluster.data)
        ends = roles_ended_by_inviting(form.email.data, role, school)
        if ends and request.form.get("confirmed") != "yes":
            return render_template("programmes/invite_check.html", form=form, programme=programme, ends=ends,
                                   role=role, school=school)
        if saved(form, "email", lambda: invite_user(
                email=form.email.data, name=form.name.data, role=role, invited_by=current_user, school=school,
                programme=programme, cluster=cluster), lambda user: f"Invitation sent to {user.email}."):
            return redirect(url_for("programmes.show", programme_id=programme.id))
    return render_template("programmes/invite.html", form=form, programme=programme)


@bp.route("/programmes/<uuid:programme_id>/logo", methods=["GET", "POST"])
@requires("programme.manage", programme="programme_id")
def logo(programme):
    """The organisation's logo, printed on the celebration pack and the school reports."""
    organisation = programme.organisation
    form = LogoForm()
    if form.validate_on_submit():
        upload = form.file.data
        name, content = (upload.filename, upload.read()) if upload else (None, None)
        if saved(form, "file", lambda: set_logo(organisation, name, content),
                 f"Logo saved. {organisation.name}'s celebration packs and school reports now show it."):
            return redirect(url_for("programmes.logo", programme_id=programme.id))
    return render_template("programmes/logo.html", form=form, programme=programme, organisation=organisation,
                           logo=data_url(organisation.logo_type, organisation.logo), remove_form=ConfirmForm(),
                           max_megabytes=MAX_IMAGE_BYTES // (1024 * 1024))


@bp.post("/programmes/<uuid:programme_id>/logo/remove")
@requires("programme.manage", programme="programme_id")
def remove_logo_page(programme):
    if ConfirmForm().validate_on_submit():
        flashed(lambda: remove_logo(programme.organisation),
                "Logo removed. The celebration packs and school reports show the organisation's name alone.")
    return redirect(url_for("programmes.logo", programme_id=programme.id))
