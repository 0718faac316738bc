"""Signing in and out, keeping a session going, saving a form kept while signed out, accepting an
invitation, and resetting a password."""
from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from app.auth.accounts import request_password_reset, set_password, user_for_token
from app.auth.forms import ForgotPasswordForm, SetPasswordForm, SignInForm
from app.auth.kept_forms import SESSION_KEY, claim_kept_form, discard_kept_form, has_kept_form, kept_form_for
from app.auth.sign_in import allow_reset_request, authenticate, end_session, start_session
from app.common.errors import DomainError
from app.common.forms import saved
from app.common.text import CONTROL_CHARACTERS
from app.permissions import PUBLIC, SIGNED_IN, requires

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only follow a `next` that is a path on this site: no scheme, no host, no control characters
    (a browser drops a tab or newline, so "/\t/evil.example" would become "//evil.example")."""
    home = url_for("main.home")
    if not target or CONTROL_CHARACTERS.search(target) or any(c.isspace() for c in target) or "\\" in target:
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return home
    return target


def _start_session(user) -> bool:
    """A new session on signing in (no fixation). True when a form this person posted after their last
    session ended is kept in this browser, waiting to be saved; one kept for someone else is deleted."""
    kept = session.get(SESSION_KEY)
    session.clear()
    session["sid"] = str(start_session(user))
    login_user(user)
    session.permanent = True
    if claim_kept_form(kept, user.id):
        session[SESSION_KEY] = kept
        return True
    return False


def _session_id() -> uuid.UUID | None:
    try:
        return uuid.UUID(session.get("sid", ""))
    except ValueError:
        return None


@bp.route("/sign-in", methods=["GET", "POST"])
@requires(PUBLIC)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit() and (signed_in := saved(form, "email", lambda: authenticate(
            form.email.data, form.password.data, request.remote_addr or "unknown"))):
        if _start_session(signed_in.value):
            return redirect(url_for("auth.kept_form"))
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/sign_in.html", form=form, kept=has_kept_form(session.get(SESSION_KEY)))


@bp.post("/sign-out")
@requires(SIGNED_IN)
def sign_out():
    end_session(_session_id())
    discard_kept_form(session.get(SESSION_KEY))
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.post("/session/keep-alive")
@requires(SIGNED_IN)
def keep_alive():
    """The timeout warning's "Stay signed in": like every request, this one restarts the idle limit."""
    return "", 204


@bp.get("/kept-form")
@requires(SIGNED_IN)
def kept_form():
    """A form posted after the session ended, to post again now: its fields hidden, with a new CSRF token."""
    return render_template("auth/kept_form.html", kept=kept_form_for(session.get(SESSION_KEY), current_user.id))


def _set_password_page(token: str, purpose: str, template: str):
    try:
        user = user_for_token(token, purpose)
    except DomainError as error:
        return render_template("auth/link_invalid.html", message=error.message, purpose=purpose), 400
    form = SetPasswordForm()
    if form.validate_on_submit() and saved(form, "password", lambda: set_password(
            user, form.password.data, form.confirm.data)):
        kept = _start_session(user)  # a new session, so the message is flashed after it starts
        flash("Your password has been saved and you are signed in.", "success")
        return redirect(url_for("auth.kept_form" if kept else "main.home"))
    return render_template(template, form=form, user=user)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@requires(PUBLIC)
def accept_invite(token: str):
    return _set_password_page(token, "invite", "auth/accept_invite.html")


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@requires(PUBLIC)
def reset_password(token: str):
    return _set_password_page(token, "reset", "auth/reset_password.html")


@bp.route("/forgot-password", methods=["GET", "POST"])
@requires(PUBLIC)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit() and saved(form, "email", lambda: allow_reset_request(
            form.email.data, request.remote_addr or "unknown")):
        request_password_reset(form.email.data)
        # The same answer whether or not the address has an account.
        return redirect(url_for("auth.check_email"))
    return render_template("auth/forgot_password.html", form=form)


@bp.get("/forgot-password/check-your-email")
@requires(PUBLIC)
def check_email():
    return render_template("auth/check_email.html")
