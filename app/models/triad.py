"""Triads: three schools of one programme year, exactly one of them the coach school.

The database holds what it can: a school is in at most one triad a year, a triad has at most
three places and at most one coach, and members must be enrolled in the triad's year. "Exactly
three" and "exactly one coach" are checked by app.programmes.triads before anything is written.
"""
from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, Timestamps, UUIDPrimaryKey

if TYPE_CHECKING:
    from app.models.programme import ProgrammeYear
    from app.models.school import School

TRIAD_SIZE = 3


class Triad(UUIDPrimaryKey, Timestamps, Model):
    __tablename__ = "triad"
    __table_args__ = (
        UniqueConstraint("year_id", "name"),
        # Target of the members' composite key, so a member's year is the triad's year.
        UniqueConstraint("id", "year_id", name="uq_triad_id_year"),
    )

    year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programme_year.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    year: Mapped["ProgrammeYear"] = relationship(back_populates="triads")
    members: Mapped[list[TriadMember]] = relationship(
        back_populates="triad", cascade="all, delete-orphan", order_by="TriadMember.position"
    )

    @property
    def coach(self) -> TriadMember | None:
        return next((m for m in self.members if m.is_coach), None)


class TriadMember(UUIDPrimaryKey, Model):
    __tablename__ = "triad_member"
    __table_args__ = (
        UniqueConstraint("year_id", "school_id", name="uq_triad_member_school_per_year"),
        UniqueConstraint("triad_id", "position"),
        CheckConstraint(f"position BETWEEN 1 AND {TRIAD_SIZE}", name="position_range"),
        ForeignKeyConstraint(
            ["triad_id", "year_id"], ["triad.id", "triad.year_id"],
            name="fk_triad_member_triad_year", ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["year_id", "school_id"], ["enrolment.year_id", "enrolment.school_id"],
            name="fk_triad_member_enrolment",
        ),
        Index(
            "uq_triad_member_one_coach", "triad_id", unique=True,
            postgresql_where=text("is_coach"), sqlite_where=text("is_coach"),
        ),
    )

    triad_id: Mapped[uuid.UUID] = mapped_column(index=True)
    year_id: Mapped[uuid.UUID] = mapped_column()
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    is_coach: Mapped[bool] = mapped_column(Boolean, default=False)
    triad: Mapped[Triad] = relationship(back_populates="members")
    school: Mapped["School"] = relationship()
