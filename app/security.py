"""Security headers, sessions that end after inactivity, and loading the signed-in user."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from flask import Flask, current_app, flash, session
from flask_login import current_user, logout_user

from app.extensions import db, login_manager, talisman
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


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The session holds "<id>:<session version>"; a password change bumps the version."""
    raw_id, _, version = user_id.partition(":")
    try:
        user = db.session.get(User, uuid.UUID(raw_id))
    except ValueError:
        return None
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return user


def _end_idle_sessions() -> None:
    """Sign out a session that has been idle longer than SESSION_IDLE_MINUTES."""
    if not current_user.is_authenticated:
        return
    now = datetime.now(timezone.utc).timestamp()
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
    app.before_request(_end_idle_sessions)

    @app.after_request
    def no_store_for_signed_in_pages(response):
        """Pages with school data are not kept in shared caches or the back-button cache."""
        if current_user.is_authenticated and not response.headers.get("Cache-Control"):
            response.headers["Cache-Control"] = "no-store"
        return response
