"""A school's self-evaluation for one academic year: one AreaRating per framework area.

Area ratings carry a version number (SQLAlchemy's version counter), so two people saving the same
area at once never overwrite each other silently: the second save is refused as a conflict.
"""
from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, Timestamps, UTCDateTime, UUIDPrimaryKey, stored_enum

if TYPE_CHECKING:
    from app.models.framework import Framework, FrameworkArea
    from app.models.programme import ProgrammeYear
    from app.models.school import School


class EvaluationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SIGNED_OFF = "signed_off"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "submitted": "Submitted", "signed_off": "Signed off"}[self.value]


class SelfEvaluation(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "self_evaluation"
    __table_args__ = (UniqueConstraint("school_id", "year_id"),)

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school.id"), index=True)
    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    framework_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("framework.id"), index=True)
    status: Mapped[EvaluationStatus] = mapped_column(
        stored_enum(EvaluationStatus, "evaluation_status"),
        default=EvaluationStatus.DRAFT,
    )
    submitted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_off_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why the head last reopened it; the audit trail keeps every earlier reason.
    reopened_reason: Mapped[str] = mapped_column(Text, default="")
    ratings: Mapped[list[AreaRating]] = relationship(back_populates="self_evaluation", cascade="all, delete-orphan")
    school: Mapped["School"] = relationship()
    year: Mapped["ProgrammeYear"] = relationship()
    framework: Mapped["Framework"] = relationship()

    @property
    def is_draft(self) -> bool:
        return self.status == EvaluationStatus.DRAFT

    @property
    def awaits_sign_off(self) -> bool:
        """Submitted, and not yet signed off."""
        return self.status == EvaluationStatus.SUBMITTED

    @property
    def is_signed_off(self) -> bool:
        return self.status == EvaluationStatus.SIGNED_OFF


class AreaRating(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "area_rating"
    __table_args__ = (
        UniqueConstraint("self_evaluation_id", "area_id"),
        CheckConstraint("level IS NULL OR level BETWEEN 1 AND 10", name="level_range"),
        # A year's ratings read from the index alone (the locality dashboard counts them by area and level).
        Index("ix_area_rating_self_evaluation_id_area_id_level", "self_evaluation_id", "area_id", "level"),
    )

    self_evaluation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("self_evaluation.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("framework_area.id"), index=True)
    level: Mapped[int | None] = mapped_column(Integer)
    not_evaluated_reason: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    development: Mapped[str] = mapped_column(Text, default="")
    carried_forward: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    self_evaluation: Mapped[SelfEvaluation] = relationship(back_populates="ratings")
    area: Mapped["FrameworkArea"] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_complete(self) -> bool:
        """Rated, or marked not yet evaluated with a reason."""
        return self.level is not None or bool(self.not_evaluated_reason.strip())
