"""The audit trail: one row per created, changed or deleted record, written by app.audit."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.common import clock
from app.models.base import Model, UTCDateTime, UUIDPrimaryKey


class AuditEvent(UUIDPrimaryKey, Model):
    __tablename__ = "audit_event"

    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(10))  # create, update, delete
    entity_type: Mapped[str] = mapped_column(String(60), index=True)
    entity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
