"""The home page and the health check."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.common import clock
from app.database import database_is_reachable
from app.home.service import home_panels
from app.meetings.calendars import upcoming_for
from app.permissions import PUBLIC, SIGNED_IN, can, requires

bp = Blueprint("main", __name__)


@bp.app_context_processor
def permission_helpers():
    return {"can": lambda action, obj=None: can(current_user, action, obj)}


@bp.get("/")
@requires(SIGNED_IN)
def home():
    return render_template("main/home.html", panels=home_panels(current_user),
                           coming_up=upcoming_for(current_user, clock.now()))


@bp.get("/healthz")
@requires(PUBLIC)
def healthz():
    if not database_is_reachable():
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "reachable"}, 200
