"""Organisations run programmes; a programme has academic years, clusters and enrolled schools."""
from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
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
    false,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.common.errors import DomainError
from app.common.images import IMAGE_TYPES
from app.models.base import Model, Timestamps, UTCDateTime, UUIDPrimaryKey, stored_enum

if TYPE_CHECKING:
    from app.models.school import School
    from app.models.triad import Triad
    from app.models.user import User


class OrganisationKind(enum.StrEnum):
    LOCAL_AUTHORITY = "local_authority"
    TRUST = "trust"

    @property
    def label(self) -> str:
        return {"local_authority": "Local authority", "trust": "Academy trust"}[self.value]


class Organisation(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "organisation"
    __table_args__ = (
        # a PNG, JPEG or SVG checked by its content (app/common/images.py), or none
        CheckConstraint("logo_type IN ('', " + ", ".join(f"'{t}'" for t in IMAGE_TYPES) + ")", name="logo_type_known"),
        CheckConstraint("(logo IS NULL) = (logo_type = '')", name="logo_has_type"),
    )

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(
        stored_enum(OrganisationKind, "organisation_kind")
    )
    # The logo printed on the celebration pack and the school reports: the name it was uploaded with, its
    # type ("" while there is none) and its content, loaded only when it is printed or shown.
    logo_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    logo_type: Mapped[str] = mapped_column(String(100), default="", server_default="")
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    programmes: Mapped[list[Programme]] = relationship(back_populates="organisation", order_by="Programme.name")


class Programme(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "programme"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        CheckConstraint("planned_years BETWEEN 1 AND 10", name="planned_years_range"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # How many academic years it is planned to run (a three-year programme), if the lead has said.
    planned_years: Mapped[int | None] = mapped_column(Integer)
    organisation: Mapped[Organisation] = relationship(back_populates="programmes")
    years: Mapped[list[ProgrammeYear]] = relationship(
        back_populates="programme", order_by="ProgrammeYear.start_year.desc()"
    )
    clusters: Mapped[list[Cluster]] = relationship(back_populates="programme", order_by="Cluster.name")


def year_label(start_year: int) -> str:
    """An academic year as people write it: 2025/26 for the one starting in September 2025."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


class ProgrammeYear(UUIDPrimaryKey, Timestamps, Model):
    """One academic year of a programme, 1 September to 31 August. Closed years are read-only."""

    __tablename__ = "programme_year"
    __table_args__ = (
        UniqueConstraint("programme_id", "start_year"),
        CheckConstraint("start_year BETWEEN 2000 AND 2100", name="start_year_range"),
    )

    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme.id"), index=True)
    start_year: Mapped[int] = mapped_column(Integer)
    is_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # Why an administrator last reopened it (the audit trail keeps every change of these, with who and when).
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    programme: Mapped[Programme] = relationship(back_populates="years")
    closed_by: Mapped["User | None"] = relationship(foreign_keys=[closed_by_id])
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="year")
    triads: Mapped[list["Triad"]] = relationship(back_populates="year", order_by="Triad.name")

    @property
    def label(self) -> str:
        """The academic year as people write it: 2025/26."""
        return year_label(self.start_year)

    def require_open(self, consequence: str) -> None:
        """The one guard for a closed year, which is read-only everywhere: "2025/26 is closed, so ..."."""
        if self.is_closed:
            raise DomainError(f"{self.label} is closed, so {consequence}")

    @property
    def starts_on(self) -> date:
        return date(self.start_year, 9, 1)

    @property
    def ends_on(self) -> date:
        return date(self.start_year + 1, 8, 31)


class Cluster(UUIDPrimaryKey, Timestamps, Model):
    """An optional locality grouping of a programme's schools (the South Gloucestershire model), led
    by a lead headteacher and a lead SENCo for each of the primary and secondary phases."""

    __tablename__ = "cluster"
    __table_args__ = (UniqueConstraint("programme_id", "name"),)

    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    lead_head_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    primary_senco_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    secondary_senco_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    programme: Mapped[Programme] = relationship(back_populates="clusters")
    lead_head: Mapped["User | None"] = relationship(foreign_keys=[lead_head_id])
    primary_senco: Mapped["User | None"] = relationship(foreign_keys=[primary_senco_id])
    secondary_senco: Mapped["User | None"] = relationship(foreign_keys=[secondary_senco_id])


class Enrolment(UUIDPrimaryKey, Timestamps, Model):
    """A school taking part in a programme year, optionally in a cluster."""

    __tablename__ = "enrolment"
    __table_args__ = (UniqueConstraint("year_id", "school_id"),)

    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school.id"), index=True)
    cluster_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cluster.id"), index=True)
    # The head's consent for the programme lead to read this year's full self-evaluation and plan.
    # Withdrawing it (False) takes effect on the lead's next request; the audit trail keeps each change.
    shared_with_lead: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When the head first chose to share or not (the head's task until then).
    sharing_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    year: Mapped[ProgrammeYear] = relationship(back_populates="enrolments")
    school: Mapped["School"] = relationship()
    cluster: Mapped[Cluster | None] = relationship()
