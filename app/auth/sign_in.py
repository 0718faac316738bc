"""Signing in: the password check with a limit on failures, the sessions the server remembers, and
the limit on password-reset requests.

Counting recent failures and recording a new one happen under one lock per email and per address,
so thirty guesses sent at once are checked no more often than five sent one after another.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.accounts import normalise_email
from app.common import clock
from app.common.errors import DomainError
from app.common.settings import setting
from app.extensions import db
from app.models import PasswordResetRequest, SignInAttempt, User, UserSession

# Checked against when the email is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-for-timing")
# A shared school network makes many sign-ins from one address: it may fail this many times more.
PER_ADDRESS = 10
EMAIL_LENGTH = 254  # the longest address there is (and the column's width)


class SignInError(DomainError):
    pass


class TooManyAttempts(DomainError):
    pass


@dataclass
class Limit:
    max_attempts: int
    window: timedelta

    @property
    def minutes(self) -> int:
        return int(self.window.total_seconds() // 60)


def _limit() -> Limit:
    return Limit(setting("SIGN_IN_MAX_FAILURES"), timedelta(minutes=setting("SIGN_IN_WINDOW_MINUTES")))


def _lock(*keys: str) -> None:
    """Hold these keys until the transaction ends, so one request at a time counts and records.

    PostgreSQL takes a transaction-scoped advisory lock per key (in one order, so two requests
    cannot deadlock). On SQLite a write request's transaction began with BEGIN IMMEDIATE and
    already holds the database's only write lock.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


def _over_limit(model, moment, email: str, remote_addr: str, limit: Limit) -> bool:
    since = clock.now() - limit.window
    by_email, by_address = db.session.execute(select(
        select(func.count()).select_from(model).where(model.email == email, moment >= since)
        .scalar_subquery(),
        select(func.count()).select_from(model).where(model.remote_addr == remote_addr, moment >= since)
        .scalar_subquery(),
    )).one()
    return by_email >= limit.max_attempts or by_address >= limit.max_attempts * PER_ADDRESS


def authenticate(email: str, password: str, remote_addr: str) -> User:
    """The user with this email and password, or SignInError. Failures count towards a limit
    per email and per address (ten times as many per address, for shared school networks)."""
    email = normalise_email(email)[:EMAIL_LENGTH]  # longer is no one's address, and is kept as counted
    limit = _limit()
    _lock(f"sign-in:{email}", f"sign-in-address:{remote_addr}")
    if _over_limit(SignInAttempt, SignInAttempt.attempted_at, email, remote_addr, limit):
        raise TooManyAttempts(f"Too many attempts to sign in. Wait {limit.minutes} minutes and try again.")
    user = db.session.scalar(select(User).where(User.email == email))
    valid = check_password_hash(user.password_hash if user and user.password_hash else _DUMMY_HASH, password)
    if user is None or not user.has_password or not user.active or not valid:
        db.session.add(SignInAttempt(email=email, remote_addr=remote_addr, attempted_at=clock.now()))
        db.session.flush()
        raise SignInError("Enter a correct email address and password")
    user.last_signed_in_at = clock.now()
    return user


def allow_reset_request(email: str, remote_addr: str) -> None:
    """Count a request for a reset link; TooManyAttempts once an email or an address has asked too
    often. The answer is the same whether or not the email has an account."""
    email = normalise_email(email)[:EMAIL_LENGTH]
    limit = _limit()
    _lock(f"reset:{email}", f"reset-address:{remote_addr}")
    if _over_limit(PasswordResetRequest, PasswordResetRequest.requested_at, email, remote_addr, limit):
        raise TooManyAttempts(f"You have asked for too many links. Wait {limit.minutes} minutes and try again.")
    db.session.add(PasswordResetRequest(email=email, remote_addr=remote_addr, requested_at=clock.now()))
    db.session.flush()


# --- sessions ----------------------------------------------------------------------------------

def start_session(user: User) -> uuid.UUID:
    """Remember a new signed-in session; its id goes in the session cookie."""
    record = UserSession(user_id=user.id, started_at=clock.now())
    db.session.add(record)
    db.session.flush()
    return record.id


def end_session(session_id: uuid.UUID | None) -> None:
    """Signing out: the session's cookie, or any copy of it, no longer signs anyone in."""
    if session_id is not None:
        db.session.execute(update(UserSession).where(UserSession.id == session_id, UserSession.ended_at.is_(None))
                           .values(ended_at=clock.now()))


def signed_in_user(user_id: uuid.UUID, session_version: str, session_id: uuid.UUID) -> User | None:
    """The user a session cookie names, while the session is live: not signed out, younger than
    SESSION_MAX_HOURS, the user active and their password unchanged since. One query, which also loads
    their roles (every page's permission check reads them)."""
    oldest = clock.now() - timedelta(hours=setting("SESSION_MAX_HOURS"))
    user = db.session.scalars(
        select(User).join(UserSession, UserSession.user_id == User.id)
        .where(User.id == user_id, UserSession.id == session_id, UserSession.ended_at.is_(None),
               UserSession.started_at >= oldest)
        .options(joinedload(User.roles))
    ).unique().first()
    if user is None or not user.active or str(user.session_version) != session_version:
        return None
    return user
