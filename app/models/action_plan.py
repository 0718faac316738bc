"""A school's action plan for an academic year: actions drafted at triad meeting 1, finalised by
the head, versioned, and tracked to completion with dated progress notes.

The live rows (Action) are the plan being worked on. Each time the head finalises, the plan as it
stands is kept as a PlanVersion, so earlier versions stay readable and can be compared.
"""
from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import Timestamps, UUIDPrimaryKey


def _enum(kind: type[enum.Enum], name: str) -> Enum:
    return Enum(kind, name=name, native_enum=False, length=20, values_callable=lambda kinds: [k.value for k in kinds])


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


class ActionPlan(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "action_plan"
    __table_args__ = (
        UniqueConstraint("school_id", "year_id"),
        ForeignKeyConstraint(["year_id", "school_id"], ["enrolment.year_id", "enrolment.school_id"],
                             name="fk_action_plan_enrolment"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school.id"), index=True)
    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    status: Mapped[PlanStatus] = mapped_column(_enum(PlanStatus, "plan_status"), default=PlanStatus.DRAFT)
    # The version being drafted, or the latest finalised one.
    version: Mapped[int] = mapped_column(Integer, default=1)
    school: Mapped["School"] = relationship()  # noqa: F821
    year: Mapped["ProgrammeYear"] = relationship()  # noqa: F821
    actions: Mapped[list[Action]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                 order_by="Action.number")
    versions: Mapped[list[PlanVersion]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                       order_by="PlanVersion.number")


class PlanVersion(UUIDPrimaryKey, db.Model):
    """The plan as the head finalised it: its actions as they read then (see action_plans.snapshot)."""

    __tablename__ = "action_plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("action_plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    finalised_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    finalised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    content: Mapped[list] = mapped_column(JSON)
    plan: Mapped[ActionPlan] = relationship(back_populates="versions")
    finalised_by: Mapped["User"] = relationship()  # noqa: F821


action_area = Table(
    "action_area",
    db.metadata,
    Column("action_id", ForeignKey("plan_action.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("framework_area.id"), primary_key=True),
)


class Action(UUIDPrimaryKey, Timestamps, db.Model):
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
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus, "action_status"), default=ActionStatus.NOT_STARTED)
    plan: Mapped[ActionPlan] = relationship(back_populates="actions")
    owner: Mapped["User | None"] = relationship()  # noqa: F821
    areas: Mapped[list["FrameworkArea"]] = relationship(secondary=action_area, order_by="FrameworkArea.position")  # noqa: F821
    updates: Mapped[list[ProgressUpdate]] = relationship(back_populates="action", cascade="all, delete-orphan",
                                                         order_by="ProgressUpdate.created_at")


class ProgressUpdate(UUIDPrimaryKey, Timestamps, db.Model):
    """A dated note that moved an action's status on. The history is kept as written."""

    __tablename__ = "progress_update"

    action_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_action.id", ondelete="CASCADE"), index=True)
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus, "action_status"))
    note: Mapped[str] = mapped_column(Text)
    noted_on: Mapped[date] = mapped_column(Date)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped["User"] = relationship()  # noqa: F821
