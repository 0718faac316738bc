"""Quality assurance: a QA expert's visit to a school in a year, and the moderated rating per area.

The school's own ratings are never overwritten: a ModeratedRating sits beside the AreaRating for the
same area, and a difference of two or more levels is flagged for the school to respond to.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, Timestamps, UTCDateTime, UUIDPrimaryKey

if TYPE_CHECKING:
    from app.models.framework import FrameworkArea
    from app.models.programme import ProgrammeYear
    from app.models.school import School
    from app.models.user import User

# Self and moderated ratings this many levels apart are flagged.
FLAG_GAP = 2


class QAVisit(UUIDPrimaryKey, Timestamps, Model):
    """A QA expert assigned to a school for a year; the visit date is set when it is booked."""

    __tablename__ = "qa_visit"
    __table_args__ = (
        UniqueConstraint("year_id", "school_id"),
        ForeignKeyConstraint(["year_id", "school_id"], ["enrolment.year_id", "enrolment.school_id"],
                             name="fk_qa_visit_enrolment"),
    )

    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school.id"), index=True)
    expert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    # When the visit is booked (the head attends); None until then.
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=120, server_default="120")
    year: Mapped["ProgrammeYear"] = relationship()
    school: Mapped["School"] = relationship()
    expert: Mapped["User"] = relationship()
    moderated: Mapped[list[ModeratedRating]] = relationship(back_populates="visit", cascade="all, delete-orphan")
    # Counts the saves of the moderation form (app/common/versions.py), so two people editing it lose nothing.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class ModeratedRating(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "moderated_rating"
    __table_args__ = (
        UniqueConstraint("qa_visit_id", "area_id"),
        CheckConstraint("level IS NULL OR level BETWEEN 1 AND 10", name="level_range"),
        # A year's moderated ratings read from the index alone (the locality dashboard).
        Index("ix_moderated_rating_qa_visit_id_area_id_level", "qa_visit_id", "area_id", "level"),
    )

    qa_visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("qa_visit.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("framework_area.id"), index=True)
    level: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    # The SENCo's answer when the moderated rating is flagged as far from the school's own.
    school_response: Mapped[str] = mapped_column(Text, default="")
    visit: Mapped[QAVisit] = relationship(back_populates="moderated")
    area: Mapped["FrameworkArea"] = relationship()
