"""Administration: organisations, and the outbox of emails when no mail server is set."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select

from app.admin.forms import OrganisationForm
from app.extensions import db
from app.forms import add_domain_error
from app.models import OutboxEmail
from app.permissions import requires
from app.services import DomainError
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
    page = db.paginate(select(OutboxEmail).order_by(OutboxEmail.created_at.desc()), per_page=OUTBOX_PAGE_SIZE)
    return render_template("admin/outbox.html", page=page)
