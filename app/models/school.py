"""Schools, identified by their DfE unique reference number (URN)."""
from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import CheckConstraint, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Model, Timestamps, UUIDPrimaryKey, stored_enum


class SettingType(enum.StrEnum):
    MAINSTREAM = "mainstream"
    SPECIALIST = "specialist"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class School(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "school"
    __table_args__ = (CheckConstraint("urn > 0", name="urn_positive"),)

    urn: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(60))
    local_authority: Mapped[str] = mapped_column(String(100))
    setting_type: Mapped[SettingType] = mapped_column(
        stored_enum(SettingType, "setting_type"),
        default=SettingType.MAINSTREAM,
    )
    # The school's last Whole School SEND Review; one is due every three years.
    last_send_review_on: Mapped[date | None] = mapped_column(Date)
