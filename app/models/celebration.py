"""The celebration of learning: each triad's submission of up to three key learnings, tagged by the
programme lead with the What Works in SEND evidence framework's two signals.

The database holds the "up to three" rule: a learning's position is 1, 2 or 3 and unique within its
submission, so a fourth cannot be stored however it is sent.
"""
from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.models.base import Model, Timestamps, UTCDateTime, UUIDPrimaryKey, association_table, stored_enum

if TYPE_CHECKING:
    from app.models.framework import FrameworkArea
    from app.models.programme import ProgrammeYear
    from app.models.triad import Triad
    from app.models.user import User

MAX_LEARNINGS = 3
# The evidence framework's four levels, for both signals (strength of evidence and breadth of impact).
EVIDENCE_LEVELS = {1: "Emerging", 2: "Promising", 3: "Good", 4: "Robust"}


class ImpactArea(enum.StrEnum):
    """The four broad areas a learning can show impact in (breadth is suggested from how many)."""

    EDUCATIONAL_OUTCOMES = "educational_outcomes"
    IDENTIFICATION = "identification"
    INCLUSION = "inclusion"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return IMPACT_AREA_LABELS[self]

    @property
    def column(self) -> str:
        return f"shows_{self.value}"


IMPACT_AREA_LABELS = {
    ImpactArea.EDUCATIONAL_OUTCOMES: "Educational outcomes",
    ImpactArea.IDENTIFICATION: "Identification of need",
    ImpactArea.INCLUSION: "Inclusion, attendance and exclusions",
    ImpactArea.STAFF: "Staff confidence and practice",
}


class CelebrationSubmission(UUIDPrimaryKey, Timestamps, Model):
    """A triad's key learnings for the celebration; once submitted the lead reads and tags them."""

    __tablename__ = "celebration_submission"

    triad_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("triad.id", ondelete="CASCADE"), unique=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    triad: Mapped["Triad"] = relationship()
    submitted_by: Mapped["User | None"] = relationship()
    learnings: Mapped[list[Learning]] = relationship(back_populates="submission", cascade="all, delete-orphan",
                                                     order_by="Learning.position")

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


learning_area = association_table("learning_area", ("learning_id", "learning"), ("area_id", "framework_area"))


class Learning(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "learning"
    __table_args__ = (
        UniqueConstraint("submission_id", "position"),
        CheckConstraint(f"position BETWEEN 1 AND {MAX_LEARNINGS}", name="position_range"),
        CheckConstraint("strength IS NULL OR strength BETWEEN 1 AND 4", name="strength_range"),
        CheckConstraint("breadth IS NULL OR breadth BETWEEN 1 AND 4", name="breadth_range"),
        CheckConstraint("shows_educational_outcomes OR shows_identification OR shows_inclusion OR shows_staff",
                        name="shows_an_impact_area"),
    )

    submission_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("celebration_submission.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    what_we_did: Mapped[str] = mapped_column(Text)
    impact: Mapped[str] = mapped_column(Text)
    next_steps: Mapped[str] = mapped_column(Text)
    shows_educational_outcomes: Mapped[bool] = mapped_column(Boolean, default=False)
    shows_identification: Mapped[bool] = mapped_column(Boolean, default=False)
    shows_inclusion: Mapped[bool] = mapped_column(Boolean, default=False)
    shows_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    # The programme lead's tags (None until tagged), 1 Emerging to 4 Robust.
    strength: Mapped[int | None] = mapped_column(Integer)
    breadth: Mapped[int | None] = mapped_column(Integer)
    tagged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    tagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submission: Mapped[CelebrationSubmission] = relationship(back_populates="learnings")
    areas: Mapped[list["FrameworkArea"]] = relationship(secondary=learning_area,
                                                        order_by="FrameworkArea.position")
    tagged_by: Mapped["User | None"] = relationship()
    # Counts the saves of the learning form (app/common/versions.py), so two people editing it lose nothing.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    @property
    def impact_areas(self) -> list[ImpactArea]:
        return [area for area in ImpactArea if getattr(self, area.column)]

    @property
    def suggested_breadth(self) -> int:
        """One impact area is Emerging breadth, two Promising, three Good, all four Robust."""
        return max(1, len(self.impact_areas))


class PackStatus(enum.StrEnum):
    QUEUED = "queued"
    WORKING = "working"
    READY = "ready"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "Waiting to start", "working": "Being prepared", "ready": "Ready",
                "failed": "Could not be prepared"}[self.value]


class PreparedPack(UUIDPrimaryKey, Timestamps, Model):
    """A celebration pack prepared by the scheduler (a large one takes too long for a web request),
    kept for the lead to download."""

    __tablename__ = "prepared_pack"

    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    requested_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[PackStatus] = mapped_column(
        stored_enum(PackStatus, "pack_status"), default=PackStatus.QUEUED)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pages: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(Text, default="")
    # Loaded only when the pack is downloaded.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    year: Mapped["ProgrammeYear"] = relationship()
    requested_by: Mapped["User"] = relationship()

