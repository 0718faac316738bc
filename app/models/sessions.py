"""What the server remembers about sign-ins: each signed-in session (so signing out ends it for a
copied cookie too), and password-reset requests (so the forgot-password page has a limit)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Model, UTCDateTime, UUIDPrimaryKey


class UserSession(UUIDPrimaryKey, Model):
    """One signed-in session. The session cookie names it; it is ended by signing out, and no
    longer accepted once it is older than SESSION_MAX_HOURS however often it is used."""

    __tablename__ = "user_session"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordResetRequest(UUIDPrimaryKey, Model):
    """A request for a reset link, counted per email and per address like failed sign-ins."""

    __tablename__ = "password_reset_request"

    email: Mapped[str] = mapped_column(String(254), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
