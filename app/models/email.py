"""Outgoing email. Every message is written here first; delivery marks it sent."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.common import clock
from app.models.base import Model, UTCDateTime, UUIDPrimaryKey


class OutboxEmail(UUIDPrimaryKey, Model):
    __tablename__ = "outbox_email"

    to_address: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Set when a sender claims the message, so two senders never send it twice.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Names a message that must be written only once (a reminder, a digest), however many
    # schedulers try; the unique index refuses the second.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
