"""Security headers, sessions that end after inactivity or on signing out, loading the signed-in user,
keeping a form posted after its session ended, and refusing control characters in anything sent to us."""
from __future__ import annotations

import uuid
from urllib.parse import quote

from flask import Flask, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_url, logout_user

from app.auth.kept_forms import SESSION_KEY, keep_form, use_kept_form
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


SIGNED_OUT_USER = "signed_out_user"  # who this browser's session was for, until someone signs in again


def idle_limit_seconds() -> int:
    """How long a session may go unused: SESSION_IDLE_SECONDS when set, else SESSION_IDLE_MINUTES."""
    config = current_app.config
    return int(config.get("SESSION_IDLE_SECONDS") or config["SESSION_IDLE_MINUTES"] * 60)


def _end_idle_sessions() -> None:
    """Sign out a session that has been idle for longer than the limit. Its CSRF secret stays, so a form
    still open on one of its pages can be posted and kept (_sign_in_first) rather than refused."""
    if not current_user.is_authenticated:
        return
    now = clock.now().timestamp()
    seen_at = session.get("seen_at")
    if seen_at is not None and now - seen_at > idle_limit_seconds():
        user_id, csrf_secret = current_user.id, session.get("csrf_token")
        logout_user()
        session.clear()
        session[SIGNED_OUT_USER] = str(user_id)
        if csrf_secret is not None:
            session["csrf_token"] = csrf_secret
        flash("You were signed out because you had not used the service for a while. Sign in again.")
        return
    session["seen_at"] = now
    session.permanent = True


def _posted_path() -> str:
    query = request.query_string.decode("latin-1")
    return quote(request.path) + (f"?{query}" if query else "")


def _user_the_session_had() -> uuid.UUID | None:
    """Who was signed in before the session ended: signed out for being idle, or as the cookie still says
    (a session ended on the server, or grown too old)."""
    raw = session.get(SIGNED_OUT_USER) or str(session.get("_user_id", "")).partition(":")[0]
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


# Posting these again after signing in would make no sense.
NEVER_KEPT = frozenset({"auth.sign_out", "auth.keep_alive"})


def _keep_posted_form() -> bool:
    """Keep a form posted after its session ended (its CSRF token valid, so it came from one of our pages
    in this browser) for when its writer signs in again here. Files are not kept, nor the CSRF token."""
    user_id = _user_the_session_had()
    if request.endpoint in NEVER_KEPT or not g.get("csrf_valid") or user_id is None:
        return False
    fields = [(name, value) for name, value in request.form.items(multi=True) if name != "csrf_token"]
    key = keep_form(user_id, _posted_path(), fields, replaces=session.get(SESSION_KEY))
    if key is None:
        return False
    session.pop("_flashes", None)  # the sign-in page says what happened
    session[SESSION_KEY] = key
    return True


@login_manager.unauthorized_handler
def _sign_in_first():
    """A page that needs signing in, asked for by someone not (or no longer) signed in. A script (an autosave,
    the timeout warning) is told in JSON; a form posted is kept; anything else goes to sign in and back."""
    if request.accept_mimetypes.best == "application/json":
        return jsonify(message="You have been signed out. Select a Save button to keep your changes."), 401
    if request.method == "POST" and _keep_posted_form():
        return redirect(url_for("auth.sign_in"))
    flash(login_manager.login_message)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def _use_kept_form() -> None:
    """The kept form posted again once its writer has signed in: it is deleted with that request's
    transaction, so it goes only if what it saves is saved."""
    key = session.get(SESSION_KEY)
    if key and request.method == "POST" and current_user.is_authenticated and use_kept_form(
            key, current_user.id, _posted_path()):
        session.pop(SESSION_KEY)


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
    app.before_request(_use_kept_form)
    app.add_template_global(idle_limit_seconds, "session_idle_seconds")

    @app.after_request
    def no_store_for_signed_in_pages(response):
        """Pages with school data are not kept in shared caches or the back-button cache."""
        if current_user.is_authenticated and not response.headers.get("Cache-Control"):
            response.headers["Cache-Control"] = "no-store"
        return response
