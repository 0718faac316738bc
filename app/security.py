"""Security headers, sessions that end after inactivity or on signing out, loading the signed-in user,
and refusing control characters in anything sent to us."""
from __future__ import annotations

import uuid

from flask import Flask, current_app, flash, render_template, request, session
from flask_login import current_user, logout_user

from app.auth.sign_in import signed_in_user
from app.common import clock
from app.common.text import CONTROL_CHARACTERS
from app.extensions import login_manager, talisman
from app.models import User

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


# C0 controls and DEL, except tab, line feed and carriage return, which text areas send.


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The cookie holds "<id>:<session version>" and the id of a session the server remembers;
    a password change bumps the version, and signing out ends the session."""
    raw_id, _, version = user_id.partition(":")
    try:
        return signed_in_user(uuid.UUID(raw_id), version, uuid.UUID(session.get("sid", "")))
    except ValueError:
        return None


def _refuse_control_characters():
    """Nothing we store or search for may hold a NUL or another control character: PostgreSQL
    refuses NUL in text, and none of them belongs in a school's work. One check for every form,
    every address and every upload's name."""
    sent = [request.path, *request.args.keys(), *request.args.values(), *request.form.keys(),
            *request.form.values(), *(f.filename or "" for f in request.files.values())]
    if any(CONTROL_CHARACTERS.search(value) for value in sent):
        return render_template("errors/control_characters.html"), 400
    return None


def _end_idle_sessions() -> None:
    """Sign out a session that has been idle longer than SESSION_IDLE_MINUTES."""
    if not current_user.is_authenticated:
        return
    now = clock.now().timestamp()
    seen_at = session.get("seen_at")
    idle_limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if seen_at is not None and now - seen_at > idle_limit:
        logout_user()
        session.clear()
        flash("You were signed out because you had not used the service for a while. Sign in again.")
        return
    session["seen_at"] = now
    session.permanent = True


def init_security(app: Flask) -> None:
    secure = app.config["SESSION_COOKIE_SECURE"]
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=secure,
        session_cookie_http_only=True,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        referrer_policy="same-origin",
        x_content_type_options=True,
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"},
    )
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.session_protection = "basic"
    app.before_request(_refuse_control_characters)
    app.before_request(_end_idle_sessions)

    @app.after_request
    def no_store_for_signed_in_pages(response):
        """Pages with school data are not kept in shared caches or the back-button cache."""
        if current_user.is_authenticated and not response.headers.get("Cache-Control"):
            response.headers["Cache-Control"] = "no-store"
        return response
