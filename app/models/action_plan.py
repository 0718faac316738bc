"""A school's action plan for an academic year: actions drafted at triad meeting 1, finalised by
the head, versioned, and tracked to completion with dated progress notes.

The live rows (Action) are the plan being worked on. Each time the head finalises, the plan as it
stands is kept as a PlanVersion, so earlier versions stay readable and can be compared.
"""
from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, Timestamps, UTCDateTime, UUIDPrimaryKey, association_table, stored_enum

if TYPE_CHECKING:
    from app.models.framework import FrameworkArea
    from app.models.programme import ProgrammeYear
    from app.models.school import School
    from app.models.user import User


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    FINALISED = "finalised"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "finalised": "Finalised"}[self.value]


class ActionStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return ACTION_STATUS_LABELS[self]


ACTION_STATUS_LABELS = {
    ActionStatus.NOT_STARTED: "Not started",
    ActionStatus.ON_TRACK: "On track",
    ActionStatus.AT_RISK: "At risk",
    ActionStatus.COMPLETE: "Complete",
}
_STATUS_BY_LABEL = {label: status for status, label in ACTION_STATUS_LABELS.items()}


@dataclass(frozen=True)
class ActionSnapshot:
    """One action as a finalised version keeps it, and as comparisons, exports and other schools read it.
    PlanVersion.content holds these as JSON (`to_json`): dates as ISO text ("" for no note yet) and the
    status as its label, the format every stored version has."""

    number: int
    areas: tuple[str, ...]  # each as "3. Leadership of SEND"
    description: str
    owner: str
    due_on: date
    success_criteria: str
    status: ActionStatus
    latest_note: str = ""
    latest_note_on: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "areas": list(self.areas), "description": self.description,
                "owner": self.owner, "due_on": self.due_on.isoformat(), "success_criteria": self.success_criteria,
                "status": self.status.label, "latest_note": self.latest_note,
                "latest_note_on": self.latest_note_on.isoformat() if self.latest_note_on else ""}

    @classmethod
    def from_json(cls, row: Mapping[str, Any]) -> ActionSnapshot:
        """A stored row read back; text it lacks reads as empty."""
        noted_on = row.get("latest_note_on")
        return cls(number=row["number"], areas=tuple(row.get("areas", ())), description=row.get("description", ""),
                   owner=row.get("owner", ""), due_on=date.fromisoformat(row["due_on"]),
                   success_criteria=row.get("success_criteria", ""), status=_STATUS_BY_LABEL[row["status"]],
                   latest_note=row.get("latest_note", ""),
                   latest_note_on=date.fromisoformat(noted_on) if noted_on else None)


class ActionPlan(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "action_plan"
    __table_args__ = (
        UniqueConstraint("school_id", "year_id"),
        ForeignKeyConstraint(["year_id", "school_id"], ["enrolment.year_id", "enrolment.school_id"],
                             name="fk_action_plan_enrolment"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school.id"), index=True)
    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    status: Mapped[PlanStatus] = mapped_column(stored_enum(PlanStatus, "plan_status"), default=PlanStatus.DRAFT)
    # The version being drafted, or the latest finalised one.
    version: Mapped[int] = mapped_column(Integer, default=1)
    school: Mapped["School"] = relationship()
    year: Mapped["ProgrammeYear"] = relationship()
    actions: Mapped[list[Action]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                 order_by="Action.number")
    versions: Mapped[list[PlanVersion]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                       order_by="PlanVersion.number")


class PlanVersion(UUIDPrimaryKey, Model):
    """The plan as the head finalised it: its actions as they read then (ActionSnapshot rows)."""

    __tablename__ = "action_plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("action_plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    finalised_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    finalised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # ActionSnapshot.to_json() of each action
    plan: Mapped[ActionPlan] = relationship(back_populates="versions")
    finalised_by: Mapped["User"] = relationship()

    @property
    def actions(self) -> list[ActionSnapshot]:
        return [ActionSnapshot.from_json(row) for row in self.content]


action_area = association_table("action_area", ("action_id", "plan_action"), ("area_id", "framework_area"))


class Action(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "plan_action"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        # An owner: someone with an account, or a named person.
        CheckConstraint("owner_id IS NOT NULL OR owner_name <> ''", name="has_owner"),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("action_plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    owner_name: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[date] = mapped_column(Date)
    success_criteria: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ActionStatus] = mapped_column(stored_enum(ActionStatus, "action_status"),
                                                 default=ActionStatus.NOT_STARTED)
    plan: Mapped[ActionPlan] = relationship(back_populates="actions")
    owner: Mapped["User | None"] = relationship()
    areas: Mapped[list["FrameworkArea"]] = relationship(secondary=action_area, order_by="FrameworkArea.position")
    updates: Mapped[list[ProgressUpdate]] = relationship(back_populates="action", cascade="all, delete-orphan",
                                                         order_by="ProgressUpdate.created_at")
    # The unfinished action of the school's plan last year (or before) that this one carries on.
    carried_from_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("plan_action.id", ondelete="SET NULL"))
    carried_from: Mapped[Action | None] = relationship(remote_side="Action.id")
    # Counts the saves of the action form (app/common/versions.py), so two people editing it lose nothing.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class ProgressUpdate(UUIDPrimaryKey, Timestamps, Model):
    """A dated note that moved an action's status on. The history is kept as written."""

    __tablename__ = "progress_update"

    action_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_action.id", ondelete="CASCADE"), index=True)
    status: Mapped[ActionStatus] = mapped_column(stored_enum(ActionStatus, "action_status"))
    note: Mapped[str] = mapped_column(Text)
    noted_on: Mapped[date] = mapped_column(Date)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped["User"] = relationship()
