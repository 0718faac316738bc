"""Administration: organisations, and the outbox of emails when no mail server is set."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from app.admin.forms import OrganisationForm
from app.forms import add_domain_error
from app.permissions import requires
from app.services import DomainError
from app.services.email import outbox_page
from app.services.organisations import add_organisation, list_organisations

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
    if form.validate_on_submit():
        try:
            organisation = add_organisation(form.name.data, form.kind.data)
        except DomainError as error:
            add_domain_error(form, error, "name")
        else:
            flash(f"{organisation.name} added.", "success")
            return redirect(url_for("admin.index"))
    return render_template("admin/new_organisation.html", form=form)


@bp.get("/outbox")
@requires("admin")
def outbox():
    return render_template("admin/outbox.html", page=outbox_page(per_page=OUTBOX_PAGE_SIZE))
