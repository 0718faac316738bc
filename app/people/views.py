"""A school's people, managed by its head (who has a role there and when they last signed in, inviting,
ending a role, resending an invitation, naming a successor), and the programme's invitations in bulk."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from app.auth.accounts import NoSuchAccess, remove_school_access, resend_invitation
from app.common.errors import DomainError
from app.common.forms import ConfirmForm, add_domain_error, file_problems_message, flashed, saved
from app.models import Role
from app.people.bulk_invite import import_invitations, invitation_message, parse_invitation_csv, plan_invitations
from app.people.forms import (
    CONFIRMED,
    NEW_PERSON,
    BulkInviteForm,
    ConfirmBulkInviteForm,
    SchoolInviteForm,
    SuccessorForm,
)
from app.people.service import check_invitation, invite_to_school, people_page, school_role
from app.people.succession import Successor, hand_over, plan_handover, staff_who_could_succeed
from app.permissions import requires

bp = Blueprint("people", __name__)


def _role_at(school, assignment_id):
    try:
        return school_role(school, assignment_id)
    except NoSuchAccess:
        abort(404)


def _to_people(school, ended_user_id=None):
    """Back to the people page, or home for a head who has just ended their own role there (no longer theirs)."""
    if ended_user_id == current_user.id:
        return redirect(url_for("main.home"))
    return redirect(url_for("people.index", school_id=school.id))


@bp.get("/schools/<uuid:school_id>/people")
@requires("school.head", school="school_id")
def index(school):
    return render_template("people/index.html", page=people_page(school), form=ConfirmForm())


@bp.route("/schools/<uuid:school_id>/people/invite", methods=["GET", "POST"])
@requires("school.head", school="school_id")
def invite(school):
    form = SchoolInviteForm()
    if form.validate_on_submit():
        role = Role(form.role.data)
        if checked := saved(form, "email", lambda: check_invitation(school, form.email.data, form.name.data, role,
                                                                    current_user)):
            if checked.value.ends and form.confirmed.data != CONFIRMED:
                return render_template("people/invite_check.html", form=form, school=school, invitation=checked.value)
            if saved(form, "email", lambda: invite_to_school(school, form.email.data, form.name.data, role,
                                                             current_user),
                     lambda user: f"Invitation sent to {user.email}. {user.name} is now {role.label}."):
                return _to_people(school)
    return render_template("people/invite.html", form=form, school=school)


@bp.route("/schools/<uuid:school_id>/people/<uuid:assignment_id>/end", methods=["GET", "POST"])
@requires("school.head", school="school_id")
def end_role(school, assignment_id):
    assignment = _role_at(school, assignment_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name, role, user_id = assignment.user.name, assignment.role, assignment.user_id
        if flashed(lambda: remove_school_access(school, assignment.id, current_user),
                   f"{name} is no longer {role.label} at {school.name}."):
            return _to_people(school, user_id)
        return _to_people(school)
    return render_template("people/end_role.html", form=form, school=school, assignment=assignment)


@bp.post("/schools/<uuid:school_id>/people/<uuid:assignment_id>/resend")
@requires("school.head", school="school_id")
def resend(school, assignment_id):
    assignment = _role_at(school, assignment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    flashed(lambda: resend_invitation(assignment, current_user), lambda user: f"Invitation sent again to {user.email}.")
    return _to_people(school)


def _successor_of(form: SuccessorForm, staff) -> Successor:
    if form.successor.data == NEW_PERSON:
        return Successor(email=form.email.data or "", name=form.name.data or "")
    return Successor(account={str(user.id): user for user in staff}[form.successor.data])


@bp.route("/schools/<uuid:school_id>/people/<uuid:assignment_id>/successor", methods=["GET", "POST"])
@requires("school.head", school="school_id")
def successor(school, assignment_id):
    leaver = _role_at(school, assignment_id)
    leaver_user_id = leaver.user_id
    staff = staff_who_could_succeed(school, leaver)
    form = SuccessorForm()
    form.offer(staff)
    if form.validate_on_submit():
        if form.successor.data == NEW_PERSON and not form.email.data:
            add_domain_error(form, DomainError("Enter the successor's email address", field="email"), "email")
        elif form.confirmed.data != CONFIRMED:
            if planned := saved(form, "successor", lambda: plan_handover(school, leaver.id, _successor_of(form, staff),
                                                                         current_user)):
                return render_template("people/successor_check.html", form=form, school=school,
                                       handover=planned.value)
        elif saved(form, "successor", lambda: hand_over(school, leaver.id, _successor_of(form, staff), current_user),
                   lambda done: f"{done.successor_name} has taken over as {done.leaver.role.label} from "
                                f"{done.leaver_name}."):
            return _to_people(school, leaver_user_id)
    return render_template("people/successor.html", form=form, school=school, leaver=leaver)


@bp.route("/programmes/<uuid:programme_id>/invitations", methods=["GET", "POST"])
@requires("programme.manage", programme="programme_id")
def bulk_invite(programme):
    form = BulkInviteForm()
    if form.validate_on_submit():
        parsed = parse_invitation_csv(form.file.data.read())
        plan = plan_invitations(programme, parsed.rows, current_user)  # every bad line at once, by line
        problems = sorted(parsed.errors + plan.errors, key=lambda problem: problem[0] or 0)
        if problems:
            form.file.errors = [file_problems_message(len(problems))]
            return render_template("people/bulk_invite.html", form=form, programme=programme, problems=problems)
        return render_template("people/bulk_invite_check.html", form=ConfirmBulkInviteForm(csv_text=parsed.text),
                               programme=programme, plan=plan)
    return render_template("people/bulk_invite.html", form=form, programme=programme, problems=[])


@bp.post("/programmes/<uuid:programme_id>/invitations/confirm")
@requires("programme.manage", programme="programme_id")
def confirm_bulk_invite(programme):
    form = ConfirmBulkInviteForm()
    parsed = parse_invitation_csv(form.csv_text.data or "") if form.validate_on_submit() else None
    if parsed is None or not parsed.is_clean:
        abort(400)
    flashed(lambda: import_invitations(programme, parsed.rows, current_user), invitation_message)
    return redirect(url_for("people.bulk_invite", programme_id=programme.id))
