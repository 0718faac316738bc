"""Signing in and out, accepting an invitation, and resetting a password."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from app.auth.forms import ForgotPasswordForm, SetPasswordForm, SignInForm
from app.forms import add_domain_error
from app.permissions import PUBLIC, SIGNED_IN, requires
from app.services import DomainError
from app.services.accounts import authenticate, request_password_reset, set_password, user_for_token

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only follow a `next` that stays on this site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("main.home")


def _start_session(user) -> None:
    session.clear()  # a new session id on sign-in: no fixation
    login_user(user)
    session.permanent = True


@bp.route("/sign-in", methods=["GET", "POST"])
@requires(PUBLIC)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, request.remote_addr or "unknown")
        except DomainError as error:
            form.email.errors = [error.message]
        else:
            _start_session(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@requires(SIGNED_IN)
def sign_out():
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


def _set_password_page(token: str, purpose: str, template: str):
    try:
        user = user_for_token(token, purpose)
    except DomainError as error:
        return render_template("auth/link_invalid.html", message=error.message, purpose=purpose), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password(user, form.password.data, form.confirm.data)
        except DomainError as error:
            add_domain_error(form, error, "password")
        else:
            _start_session(user)
            flash("Your password has been saved and you are signed in.", "success")
            return redirect(url_for("main.home"))
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
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        # The same answer whether or not the address has an account.
        return redirect(url_for("auth.check_email"))
    return render_template("auth/forgot_password.html", form=form)


@bp.get("/forgot-password/check-your-email")
@requires(PUBLIC)
def check_email():
    return render_template("auth/check_email.html")
