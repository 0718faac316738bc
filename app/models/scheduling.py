"""What goes in the diary: the triad's three meetings, the coach's peer visits, the programme's
launch and celebration events, and the clusters' termly meetings. (QA visits are
app.models.moderation.QAVisit.) Times are stored in UTC and shown in Europe/London."""
from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.extensions import db
from app.models.base import Model, Timestamps, UTCDateTime, UUIDPrimaryKey, stored_enum

if TYPE_CHECKING:
    from app.models.framework import FrameworkArea
    from app.models.programme import Cluster, ProgrammeYear
    from app.models.school import School
    from app.models.triad import Triad
    from app.models.user import User

MEETINGS_PER_YEAR = 3


def _attendees_of(meeting_table: str) -> Table:
    """Who attended each meeting of `meeting_table`: `<meeting_table>_attendee`, a row per person."""
    return Table(
        f"{meeting_table}_attendee",
        db.metadata,
        Column("meeting_id", ForeignKey(f"{meeting_table}.id", ondelete="CASCADE"), primary_key=True),
        Column("user_id", ForeignKey("user_account.id"), primary_key=True),
    )


class MeetingState(enum.StrEnum):
    """How a triad's or a cluster's meeting stands."""

    MISSING = "Missing"
    SCHEDULED = "Scheduled"
    HELD = "Held"

    @classmethod
    def of(cls, meeting: Meeting | None) -> MeetingState:
        if meeting is None:
            return cls.MISSING
        return cls.HELD if meeting.held else cls.SCHEDULED


class Meeting(UUIDPrimaryKey, Timestamps):
    """What a triad's meeting and a cluster's meeting both hold, each in its own table: when and where,
    the agenda, and afterwards whether it was held, its notes and who attended (`<table>_attendee`)."""

    if TYPE_CHECKING:
        __tablename__: str

    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=90)
    host_school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("school.id"))
    place: Mapped[str] = mapped_column(String(300), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    held: Mapped[bool] = mapped_column(Boolean, default=False)

    @declared_attr
    def host_school(cls) -> Mapped[School | None]:
        return relationship()

    @declared_attr
    def attendees(cls) -> Mapped[list[User]]:
        return relationship(secondary=f"{cls.__tablename__}_attendee", order_by="User.name")


meeting_attendee = _attendees_of("triad_meeting")


class TriadMeeting(Meeting, Model):
    """Meeting 1 drafts the action plans; meetings 2 and 3 review progress."""

    __tablename__ = "triad_meeting"
    __table_args__ = (
        UniqueConstraint("triad_id", "number"),
        CheckConstraint(f"number BETWEEN 1 AND {MEETINGS_PER_YEAR}", name="number_range"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
    )

    triad_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("triad.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    triad: Mapped["Triad"] = relationship()
    # Counts the saves of its notes form (app/common/versions.py), so two people editing it lose nothing.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class PeerVisit(UUIDPrimaryKey, Timestamps, Model):
    """The coach school's visit to one of the other two schools, with a focus area, and its notes."""

    __tablename__ = "peer_visit"
    __table_args__ = (
        UniqueConstraint("triad_id", "visited_school_id"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
    )

    triad_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("triad.id", ondelete="CASCADE"), index=True)
    visited_school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=180)
    focus_area_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("framework_area.id"))
    strengths: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    notes_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    notes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    triad: Mapped["Triad"] = relationship()
    visited_school: Mapped["School"] = relationship()
    focus_area: Mapped["FrameworkArea"] = relationship()
    notes_by: Mapped["User | None"] = relationship()
    # Counts the saves of its notes form (app/common/versions.py), so two people editing it lose nothing.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class EventKind(enum.StrEnum):
    LAUNCH = "launch"
    CELEBRATION = "celebration"

    @property
    def label(self) -> str:
        return {"launch": "Launch event", "celebration": "Celebration of learning"}[self.value]


class ProgrammeEvent(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "programme_event"
    __table_args__ = (
        UniqueConstraint("year_id", "kind"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
    )

    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    kind: Mapped[EventKind] = mapped_column(stored_enum(EventKind, "event_kind"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=120)
    place: Mapped[str] = mapped_column(String(300), default="")
    details: Mapped[str] = mapped_column(Text, default="")
    year: Mapped["ProgrammeYear"] = relationship()


class Term(enum.StrEnum):
    """The three school terms a cluster meets in."""

    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"

    @property
    def label(self) -> str:
        return f"{self.value.capitalize()} term"


cluster_meeting_attendee = _attendees_of("cluster_meeting")


class ClusterMeeting(Meeting, Model):
    """A cluster's termly meeting (one per term per academic year), scheduled and minuted like a
    triad meeting."""

    __tablename__ = "cluster_meeting"
    __table_args__ = (
        UniqueConstraint("cluster_id", "year_id", "term"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
    )

    cluster_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cluster.id", ondelete="CASCADE"), index=True)
    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    term: Mapped[Term] = mapped_column(stored_enum(Term, "term"))
    cluster: Mapped["Cluster"] = relationship()
    year: Mapped["ProgrammeYear"] = relationship()
    # Counts the saves of its notes form, as a triad meeting's does.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
