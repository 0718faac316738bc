"""Administration: organisations, people (deactivating an account, after a confirmation page), and the outbox
of emails when no mail server is set."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin.forms import OrganisationForm
from app.common.forms import ConfirmForm, flashed, saved
from app.notifications.email import outbox_page
from app.permissions import requires
from app.programmes.organisations import add_organisation, find_user, list_organisations, people_page, set_active

bp = Blueprint("admin", __name__, url_prefix="/admin")
OUTBOX_PAGE_SIZE = 50


@bp.get("/")
@requires("admin")
def index():
    return render_template("admin/index.html", organisations=list_organisations())


@bp.route("/organisations/new", methods=["GET", "POST"])
@requires("admin")
def new_organisation():
    form = OrganisationForm()
    if form.validate_on_submit() and saved(form, "name", lambda: add_organisation(form.name.data, form.kind.data),
                                           lambda organisation: f"{organisation.name} added."):
        return redirect(url_for("admin.index"))
    return render_template("admin/new_organisation.html", form=form)


@bp.get("/people")
@requires("admin")
def people():
    search = (request.args.get("search") or "").strip()
    return render_template("admin/people.html", page=people_page(search or None), search=search,
                           form=ConfirmForm())


@bp.post("/people/<uuid:user_id>/active")
@requires("admin")
def change_active(user_id):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    user = find_user(user_id)
    flashed(lambda: set_active(user, request.form.get("active") == "yes", current_user),
            lambda _: f"{user.name} {'can sign in again' if user.active else 'can no longer sign in'}.")
    return redirect(url_for("admin.people"))


@bp.route("/people/<uuid:user_id>/deactivate", methods=["GET", "POST"])
@requires("admin")
def deactivate(user_id):
    """Deactivating someone signs them out and stops them signing in: asked on a page of its own first."""
    user = find_user(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        flashed(lambda: set_active(user, False, current_user), f"{user.name} can no longer sign in.")
        return redirect(url_for("admin.people"))
    return render_template("admin/deactivate.html", form=form, person=user)


@bp.get("/outbox")
@requires("admin")
def outbox():
    return render_template("admin/outbox.html", page=outbox_page(per_page=OUTBOX_PAGE_SIZE))
