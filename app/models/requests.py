"""Information requests: a programme or cluster lead asks schools for evaluation information by a
due date counted in working days; each school answers with text and, optionally, a file."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.models.base import Model, Timestamps, UTCDateTime, UUIDPrimaryKey

if TYPE_CHECKING:
    from app.models.programme import Cluster, ProgrammeYear
    from app.models.school import School
    from app.models.user import User


class ClosureDay(UUIDPrimaryKey, Model):
    """A day the programme's schools are closed (an INSET day, say): not a working day for deadlines."""

    __tablename__ = "closure_day"
    __table_args__ = (UniqueConstraint("programme_id", "day"),)

    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")


class InformationRequest(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "information_request"
    __table_args__ = (CheckConstraint("working_days BETWEEN 1 AND 60", name="working_days_range"),)

    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    cluster_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cluster.id"), index=True)
    issued_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    title: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text)
    working_days: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[date] = mapped_column(Date)
    # Worked out once, when the request is written, so it cannot drift if closures change later.
    due_on: Mapped[date] = mapped_column(Date)
    year: Mapped["ProgrammeYear"] = relationship()
    cluster: Mapped["Cluster | None"] = relationship()
    issued_by: Mapped["User"] = relationship()
    recipients: Mapped[list[RequestRecipient]] = relationship(back_populates="request", cascade="all, delete-orphan")


class RequestRecipient(UUIDPrimaryKey, Timestamps, Model):
    """A school asked, and its answer once given."""

    __tablename__ = "request_recipient"
    __table_args__ = (UniqueConstraint("request_id", "school_id"),)

    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("information_request.id", ondelete="CASCADE"),
                                                  index=True)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school.id"), index=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    file_name: Mapped[str] = mapped_column(String(200), default="")
    file_type: Mapped[str] = mapped_column(String(100), default="")
    # Loaded only when the file is downloaded.
    file_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    request: Mapped[InformationRequest] = relationship(back_populates="recipients")
    school: Mapped["School"] = relationship()
    answered_by: Mapped["User | None"] = relationship()
    # Counts the saves of the answer form (app/common/versions.py), so two people editing it lose nothing.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
