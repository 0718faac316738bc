"""The Notifications page (a person's hand-off notices, unread ones marked) and how they are emailed."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.common.forms import ConfirmForm, saved
from app.notifications.forms import NoticeSettingsForm
from app.notifications.notices import mark_all_read, notices_for, open_notice, set_frequency, unread_count
from app.permissions import SIGNED_IN, requires

bp = Blueprint("notices", __name__)


@bp.app_context_processor
def notice_helpers():
    return {"unread_notices": lambda: unread_count(current_user) if current_user.is_authenticated else 0}


@bp.get("/notifications")
@requires(SIGNED_IN)
def index():
    return render_template("notices/index.html", notices=notices_for(current_user), form=ConfirmForm())


@bp.post("/notifications/<uuid:notice_id>/open")
@requires("notice.open", notice="notice_id")
def open_one(notice):
    """Follow a notice's link, marking it read (a button, as a GET never writes)."""
    ConfirmForm().validate_on_submit() or abort(400)
    return redirect(open_notice(notice))


@bp.post("/notifications/read")
@requires(SIGNED_IN)
def read_all():
    form = ConfirmForm()
    if form.validate_on_submit() and mark_all_read(current_user):
        flash("Your notifications are all marked as read", "success")
    return redirect(url_for("notices.index"))


@bp.route("/account/notifications", methods=["GET", "POST"])
@requires(SIGNED_IN)
def settings():
    form = NoticeSettingsForm(data={"frequency": current_user.notice_frequency.value})
    if form.validate_on_submit() and saved(form, "frequency", lambda: set_frequency(
            current_user, form.frequency.data), "Your email settings are saved"):
        return redirect(url_for("notices.settings"))
    return render_template("notices/settings.html", form=form)
