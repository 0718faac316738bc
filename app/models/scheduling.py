"""What goes in the diary: the triad's three meetings, the coach's peer visits, and the programme's
launch and celebration events. (QA visits are app.models.moderation.QAVisit.) Times are stored in
UTC and shown in Europe/London."""
from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import Timestamps, UUIDPrimaryKey

MEETINGS_PER_YEAR = 3

meeting_attendee = Table(
    "triad_meeting_attendee",
    db.metadata,
    Column("meeting_id", ForeignKey("triad_meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True),
)


class TriadMeeting(UUIDPrimaryKey, Timestamps, db.Model):
    """Meeting 1 drafts the action plans; meetings 2 and 3 review progress."""

    __tablename__ = "triad_meeting"
    __table_args__ = (
        UniqueConstraint("triad_id", "number"),
        CheckConstraint(f"number BETWEEN 1 AND {MEETINGS_PER_YEAR}", name="number_range"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
    )

    triad_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("triad.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=90)
    host_school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("school.id"))
    place: Mapped[str] = mapped_column(String(300), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    triad: Mapped["Triad"] = relationship()  # noqa: F821
    host_school: Mapped["School | None"] = relationship()  # noqa: F821
    attendees: Mapped[list["User"]] = relationship(secondary=meeting_attendee, order_by="User.name")  # noqa: F821


class PeerVisit(UUIDPrimaryKey, Timestamps, db.Model):
    """The coach school's visit to one of the other two schools, with a focus area, and its notes."""

    __tablename__ = "peer_visit"
    __table_args__ = (
        UniqueConstraint("triad_id", "visited_school_id"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
    )

    triad_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("triad.id", ondelete="CASCADE"), index=True)
    visited_school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=180)
    focus_area_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("framework_area.id"))
    strengths: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    notes_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    notes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    triad: Mapped["Triad"] = relationship()  # noqa: F821
    visited_school: Mapped["School"] = relationship()  # noqa: F821
    focus_area: Mapped["FrameworkArea"] = relationship()  # noqa: F821
    notes_by: Mapped["User | None"] = relationship()  # noqa: F821


class EventKind(enum.StrEnum):
    LAUNCH = "launch"
    CELEBRATION = "celebration"

    @property
    def label(self) -> str:
        return {"launch": "Launch event", "celebration": "Celebration of learning"}[self.value]


class ProgrammeEvent(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "programme_event"
    __table_args__ = (
        UniqueConstraint("year_id", "kind"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
    )

    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    kind: Mapped[EventKind] = mapped_column(Enum(EventKind, name="event_kind", native_enum=False, length=20,
                                                 values_callable=lambda kinds: [k.value for k in kinds]))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=120)
    place: Mapped[str] = mapped_column(String(300), default="")
    details: Mapped[str] = mapped_column(Text, default="")
    year: Mapped["ProgrammeYear"] = relationship()  # noqa: F821


class Term(enum.StrEnum):
    """The three school terms a cluster meets in."""

    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"

    @property
    def label(self) -> str:
        return f"{self.value.capitalize()} term"


cluster_meeting_attendee = Table(
    "cluster_meeting_attendee",
    db.metadata,
    Column("meeting_id", ForeignKey("cluster_meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True),
)


class ClusterMeeting(UUIDPrimaryKey, Timestamps, db.Model):
    """A cluster's termly meeting (one per term per academic year), scheduled and minuted like a
    triad meeting."""

    __tablename__ = "cluster_meeting"
    __table_args__ = (
        UniqueConstraint("cluster_id", "year_id", "term"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
    )

    cluster_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cluster.id", ondelete="CASCADE"), index=True)
    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    term: Mapped[Term] = mapped_column(Enum(Term, name="term", native_enum=False, length=20,
                                            values_callable=lambda kinds: [k.value for k in kinds]))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=90)
    host_school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("school.id"))
    place: Mapped[str] = mapped_column(String(300), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    cluster: Mapped["Cluster"] = relationship()  # noqa: F821
    year: Mapped["ProgrammeYear"] = relationship()  # noqa: F821
    host_school: Mapped["School | None"] = relationship()  # noqa: F821
    attendees: Mapped[list["User"]] = relationship(secondary=cluster_meeting_attendee, order_by="User.name")  # noqa: F821
