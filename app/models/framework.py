"""The SEND review framework as data: areas, prompt statements and the rating scale.

Each Framework row is one version of a programme's framework. Changing a framework that a
self-evaluation already uses makes a new version; self-evaluations keep the version they began on.
"""
from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, Timestamps, UUIDPrimaryKey, stored_enum
from app.models.school import SettingType

if TYPE_CHECKING:
    from app.models.programme import Programme


class Framework(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "framework"
    __table_args__ = (
        UniqueConstraint("programme_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    programme: Mapped["Programme"] = relationship()
    areas: Mapped[list[FrameworkArea]] = relationship(
        back_populates="framework", cascade="all, delete-orphan", order_by="FrameworkArea.position"
    )
    scale: Mapped[list[ScaleLevel]] = relationship(
        back_populates="framework", cascade="all, delete-orphan", order_by="ScaleLevel.value"
    )


class FrameworkArea(UUIDPrimaryKey, Model):
    __tablename__ = "framework_area"
    __table_args__ = (
        UniqueConstraint("framework_id", "position"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    framework_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    framework: Mapped[Framework] = relationship(back_populates="areas")
    prompts: Mapped[list[FrameworkPrompt]] = relationship(
        back_populates="area", cascade="all, delete-orphan", order_by="FrameworkPrompt.position"
    )

    def prompts_for(self, setting_type: SettingType) -> list[FrameworkPrompt]:
        """The prompt statements for a school's setting (mainstream or specialist)."""
        return [p for p in self.prompts if p.setting_type == setting_type]


class FrameworkPrompt(UUIDPrimaryKey, Model):
    __tablename__ = "framework_prompt"
    __table_args__ = (UniqueConstraint("area_id", "setting_type", "position"),)

    area_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("framework_area.id", ondelete="CASCADE"), index=True)
    setting_type: Mapped[SettingType] = mapped_column(
        stored_enum(SettingType, "setting_type")
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    area: Mapped[FrameworkArea] = relationship(back_populates="prompts")


class ScaleLevel(UUIDPrimaryKey, Model):
    __tablename__ = "scale_level"
    __table_args__ = (
        UniqueConstraint("framework_id", "value"),
        CheckConstraint("value BETWEEN 1 AND 10", name="value_range"),
    )

    framework_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"), index=True)
    value: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    framework: Mapped[Framework] = relationship(back_populates="scale")
