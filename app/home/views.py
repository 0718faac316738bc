"""The home page (the person's task list), the health check, and the pages the footer links to (help,
accessibility, privacy, cookies), which anyone may read without signing in."""
from __future__ import annotations

from flask import Blueprint, current_app, g, render_template, request, session
from flask_login import current_user

from app.common import clock
from app.database import database_is_reachable
from app.home.contact import service_contact
from app.home.service import tasks_for
from app.home.trails import trail
from app.meetings.calendars import upcoming_for
from app.permissions import PUBLIC, SIGNED_IN, can, requires

bp = Blueprint("main", __name__)


@bp.app_context_processor
def permission_helpers():
    return {"can": lambda action, obj=None: can(current_user, action, obj), "open_task_count": open_task_count,
            "trail": trail}


@bp.app_context_processor
def contact_details():
    """Who runs the service and how to reach them, for the phase banner and the footer's pages."""
    return {"contact": service_contact()}


def open_task_count() -> int:
    if not current_user.is_authenticated:
        return 0
    # Worked out with the home page and kept in the session for TASK_COUNT_SECONDS, so other pages need not
    # work out the whole list; any change the person makes forgets it at once.
    kept = session.get("open_tasks")
    if "task_list" not in g and kept and clock.now().timestamp() - kept[1] < current_app.config["TASK_COUNT_SECONDS"]:
        return int(kept[0])
    count = (g.task_list if "task_list" in g else tasks_for(current_user)).open_count
    session["open_tasks"] = [count, clock.now().timestamp()]
    return count


@bp.after_app_request
def forget_the_count_after_a_change(response):
    if request.method not in ("GET", "HEAD") and "open_tasks" in session:
        session.pop("open_tasks")
    return response


@bp.get("/")
@requires(SIGNED_IN)
def home():
    g.task_list = tasks_for(current_user)
    return render_template("main/home.html", tasks=g.task_list, coming_up=upcoming_for(current_user, clock.now()))


@bp.get("/healthz")
@requires(PUBLIC)
def healthz():
    if not database_is_reachable():
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "reachable"}, 200


# The service's furniture: the pages the footer links to, public and the same for everyone.


def _about(template: str):
    config = current_app.config
    return render_template(template, idle_minutes=config["SESSION_IDLE_MINUTES"],
                           session_hours=config["SESSION_MAX_HOURS"], cookie_name=config["SESSION_COOKIE_NAME"],
                           secure=config["SESSION_COOKIE_SECURE"])


@bp.get("/help", endpoint="help")
@requires(PUBLIC)
def help_and_contact():
    return _about("main/help.html")


@bp.get("/accessibility")
@requires(PUBLIC)
def accessibility():
    return _about("main/accessibility.html")


@bp.get("/privacy")
@requires(PUBLIC)
def privacy():
    return _about("main/privacy.html")


@bp.get("/cookies")
@requires(PUBLIC)
def cookies():
    return _about("main/cookies.html")
