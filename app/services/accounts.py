"""Accounts: invitations, passwords, sign-in with a rate limit, and the links sent by email.

Links carry a signed token naming the user and a fingerprint of their current password, so a
link stops working once it has been used to set a password, and after it expires.
"""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import Cluster, Programme, Role, RoleAssignment, School, SignInAttempt, User
from app.services import DomainError
from app.services.email import queue_email

MIN_PASSWORD_LENGTH = 12
# Checked against when the email is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-for-timing")


class SignInError(DomainError):
    pass


class TooManyAttempts(DomainError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    try:
        return normalise_email(validate_email(email.strip(), check_deliverability=False).normalized)
    except EmailNotValidError:
        raise DomainError("Enter an email address in the correct format, like name@example.com", field="email")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"Password must be {MIN_PASSWORD_LENGTH} characters or more", field="password")


# --- links -----------------------------------------------------------------------------------

def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"send-triads-{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.password_hash}:{user.session_version}".encode()).hexdigest()[:16]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"user": str(user.id), "fp": _fingerprint(user)})


def user_for_token(token: str, purpose: str) -> User:
    """The user a link is for. Raises DomainError when it is expired, used or not genuine."""
    hours = current_app.config["INVITE_TOKEN_HOURS" if purpose == "invite" else "RESET_TOKEN_HOURS"]
    try:
        payload = _serializer(purpose).loads(token, max_age=hours * 3600)
    except SignatureExpired:
        raise DomainError("This link has expired")
    except BadSignature:
        raise DomainError("This link is not valid")
    user = db.session.get(User, uuid.UUID(payload["user"]))
    if user is None or not user.active or payload["fp"] != _fingerprint(user):
        raise DomainError("This link has already been used or is no longer valid")
    return user


def _link(endpoint: str, token: str) -> str:
    """An absolute link for an email; works outside a request too (the CLI, the scheduler)."""
    path = current_app.url_map.bind("localhost").build(endpoint, {"token": token})
    return current_app.config["SERVICE_URL"].rstrip("/") + path


# --- invitations -----------------------------------------------------------------------------

def _scope_for(role: Role, school: School | None, programme: Programme | None,
               cluster: Cluster | None) -> dict:
    scope = role.scope
    if scope == "school" and school is None:
        raise DomainError("Choose the school", field="school")
    if scope == "cluster" and cluster is None:
        raise DomainError("Choose the cluster", field="cluster")
    if scope == "programme" and programme is None:
        raise DomainError("Choose the programme", field="programme")
    return {
        "school": school if scope == "school" else None,
        "programme": programme if scope == "programme" else None,
        "cluster": cluster if scope == "cluster" else None,
    }


def invite_user(*, email: str, name: str, role: Role, invited_by: User, school: School | None = None,
                programme: Programme | None = None, cluster: Cluster | None = None) -> User:
    """Give a person a role, creating their account if needed, and email them a link.

    A new person gets a link to set their password; someone who already has an account is told
    about their new role.
    """
    email = check_email(email)
    name = name.strip()
    if not name:
        raise DomainError("Enter the person's full name", field="name")
    scope = _scope_for(role, school, programme, cluster)
    user = db.session.scalar(select(User).where(User.email == email))
    is_new = user is None
    if is_new:
        user = User(email=email, name=name, password_hash=None)
        db.session.add(user)
    already = any(
        r.role == role and r.school is scope["school"] and r.programme is scope["programme"]
        and r.cluster is scope["cluster"]
        for r in user.roles
    )
    if already:
        raise DomainError(f"{user.name} is already a {role.label} there", field="email")
    user.roles.append(RoleAssignment(role=role, **scope))
    db.session.flush()
    where = (scope["school"] or scope["programme"] or scope["cluster"])
    context = {"user": user, "role": role, "where": where.name, "invited_by": invited_by}
    if is_new or not user.has_password:
        link = _link("auth.accept_invite", make_token(user, "invite"))
        hours = current_app.config["INVITE_TOKEN_HOURS"]
        queue_email(user.email, "You have been invited to SEND Triads",
                    render_template("emails/invite.txt", link=link, days=hours // 24, **context))
    else:
        queue_email(user.email, "You have a new role in SEND Triads",
                    render_template("emails/new_role.txt", link=current_app.config["SERVICE_URL"], **context))
    return user


def set_password(user: User, password: str, confirm: str) -> None:
    """Set a password (from an invitation or reset link). Signs out the user's other sessions."""
    check_password(password)
    if password != confirm:
        raise DomainError("The passwords do not match", field="confirm")
    user.password_hash = generate_password_hash(password)
    user.session_version += 1


def request_password_reset(email: str) -> None:
    """Email a reset link when the address has an account. Says nothing either way (no enumeration)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        return
    if not user.has_password:  # never finished their invitation: send that link again
        link = _link("auth.accept_invite", make_token(user, "invite"))
        queue_email(user.email, "Set your password for SEND Triads",
                    render_template("emails/invite_again.txt", user=user, link=link))
        return
    link = _link("auth.reset_password", make_token(user, "reset"))
    queue_email(user.email, "Reset your SEND Triads password",
                render_template("emails/reset.txt", user=user, link=link,
                                hours=current_app.config["RESET_TOKEN_HOURS"]))


# --- signing in ------------------------------------------------------------------------------

@dataclass
class SignInLimit:
    max_failures: int
    window: timedelta


def _limit() -> SignInLimit:
    return SignInLimit(current_app.config["SIGN_IN_MAX_FAILURES"],
                       timedelta(minutes=current_app.config["SIGN_IN_WINDOW_MINUTES"]))


def _recent_failures(email: str, remote_addr: str, since: datetime) -> tuple[int, int]:
    by_email = db.session.scalar(
        select(func.count()).select_from(SignInAttempt)
        .where(SignInAttempt.email == email, SignInAttempt.attempted_at >= since)
    )
    by_address = db.session.scalar(
        select(func.count()).select_from(SignInAttempt)
        .where(SignInAttempt.remote_addr == remote_addr, SignInAttempt.attempted_at >= since)
    )
    return by_email or 0, by_address or 0


def authenticate(email: str, password: str, remote_addr: str) -> User:
    """The user with this email and password, or SignInError. Failures count towards a limit
    per email and per address (ten times as many per address, for shared school networks)."""
    email = normalise_email(email)
    now = datetime.now(timezone.utc)
    limit = _limit()
    by_email, by_address = _recent_failures(email, remote_addr, now - limit.window)
    if by_email >= limit.max_failures or by_address >= limit.max_failures * 10:
        minutes = int(limit.window.total_seconds() // 60)
        raise TooManyAttempts(f"Too many attempts to sign in. Wait {minutes} minutes and try again.")
    user = db.session.scalar(select(User).where(User.email == email))
    valid = check_password_hash(user.password_hash if user and user.password_hash else _DUMMY_HASH, password)
    if user is None or not user.has_password or not user.active or not valid:
        db.session.add(SignInAttempt(email=email, remote_addr=remote_addr, attempted_at=now))
        raise SignInError("Enter a correct email address and password")
    user.last_signed_in_at = now
    return user
