"""Programme deadlines: the dates the lead sets for each academic year (self-evaluations submitted and
signed off, plans finalised, key learnings submitted, QA visits done), one of each kind a year at most."""
from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, Timestamps, UUIDPrimaryKey, stored_enum

if TYPE_CHECKING:
    from app.models.programme import ProgrammeYear


class DeadlineKind(enum.StrEnum):
    SUBMITTED = "submitted"  # self-evaluations submitted by
    SIGNED_OFF = "signed_off"
    PLANS_FINALISED = "plans_finalised"
    LEARNINGS = "learnings"  # the triads' key learnings submitted for the celebration
    QA_VISITS = "qa_visits"

    @property
    def label(self) -> str:
        return {
            "submitted": "Self-evaluations submitted by",
            "signed_off": "Self-evaluations signed off by",
            "plans_finalised": "Action plans finalised by",
            "learnings": "Key learnings submitted by",
            "qa_visits": "QA visits done by",
        }[self.value]


class Deadline(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "deadline"
    __table_args__ = (UniqueConstraint("year_id", "kind"),)

    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DeadlineKind] = mapped_column(stored_enum(DeadlineKind, "deadline_kind"))
    due_on: Mapped[date] = mapped_column(Date)
    year: Mapped["ProgrammeYear"] = relationship()
